// `flask db` invocations: Flask-Migrate's verbs and options from our typed commands, the flask
// executable derived from the configured Alembic one, the app folder, FLASK_APP. The real
// Flask-Migrate runs them in test/integration/flask/flaskMigrateRunner.test.ts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { flaskDbArgv, InvalidAlembicArgumentError } from '../../../src/core/runner/alembicCommand';
import { buildInvocation, flaskCommandFor, flaskDbTarget, type RunnerTarget } from '../../../src/core/runner/runnerModes';
import { tempTree, TempTree } from '../project/projectFixtures';

describe('flask db invocation', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree('aw-flask-db-');
  });
  afterEach(() => tree.cleanup());

  it("maps Alembic's commands to Flask-Migrate's verbs and options", () => {
    assert.deepEqual(flaskDbArgv({ kind: 'revision', message: 'add rooms', autogenerate: true }), ['db', 'migrate', '-m', 'add rooms']);
    assert.deepEqual(flaskDbArgv({ kind: 'revision', message: 'empty', autogenerate: false }), ['db', 'revision', '-m', 'empty']);
    assert.deepEqual(flaskDbArgv({ kind: 'upgrade', target: 'head' }, { directory: 'db/migrations', xArguments: ['tenant=a'] }), ['db', 'upgrade', '-d', 'db/migrations', '-x', 'tenant=a', 'head']);
    assert.deepEqual(flaskDbArgv({ kind: 'downgrade', target: '-1' }, { directory: 'migrations', xArguments: ['-v'] }), ['db', 'downgrade', '--x-arg=-v', '--', '-1']);
    assert.deepEqual(flaskDbArgv({ kind: 'upgrade', target: 'head', sql: true }), ['db', 'upgrade', '--sql', 'head']);
    // current takes no -x in Flask-Migrate.
    assert.deepEqual(flaskDbArgv({ kind: 'current', verbose: true }, { xArguments: ['a=b'] }), ['db', 'current', '--verbose']);
    assert.deepEqual(flaskDbArgv({ kind: 'merge', revisions: ['a1', 'b2'], message: 'merge' }), ['db', 'merge', '-m', 'merge', 'a1', 'b2']);
    assert.deepEqual(flaskDbArgv({ kind: 'revision', message: '-fix', autogenerate: true }), ['db', 'migrate', '--message=-fix']);
    assert.throws(() => flaskDbArgv({ kind: 'stamp', revisions: ['head'], purge: true }), InvalidAlembicArgumentError);
    assert.throws(() => flaskDbArgv({ kind: 'revision', message: 'x', autogenerate: false, dependsOn: ['a1'] }), /no --depends-on/);
  });

  it('derives flask from the configured Alembic command', () => {
    assert.deepEqual(flaskCommandFor(['alembic']), ['flask']);
    assert.deepEqual(flaskCommandFor(['/p/.venv/bin/alembic']), ['/p/.venv/bin/flask']);
    assert.deepEqual(flaskCommandFor(['/usr/bin/python3', '-m', 'alembic']), ['/usr/bin/python3', '-m', 'flask']);
    assert.deepEqual(flaskCommandFor(['poetry', 'run', 'flask']), ['poetry', 'run', 'flask']);
  });

  it('runs locally in the app folder with FLASK_APP from .flaskenv, and in the container with -e', () => {
    tree.write('app/.flaskenv', 'FLASK_ENV=development\nFLASK_APP="wsgi:create_app()"\n');
    const migrations = tree.mkdir('app/db_migrations');
    const target: RunnerTarget = { iniPath: path.join(migrations, 'alembic.ini'), workspaceFolder: tree.root, flaskDb: flaskDbTarget(migrations) };
    const local = buildInvocation({ mode: 'local', command: ['/venv/bin/alembic'] }, { kind: 'upgrade', target: 'head' }, target);
    assert.equal(local.executable, '/venv/bin/flask');
    assert.deepEqual(local.args, ['db', 'upgrade', '-d', 'db_migrations', 'head']);
    assert.equal(local.cwd, path.join(tree.root, 'app'));
    assert.equal(local.env?.FLASK_APP, 'wsgi:create_app()');
    const compose = buildInvocation({ mode: 'dockerCompose', service: 'backend', workdir: '/app' }, { kind: 'upgrade', target: 'head' }, target);
    assert.equal(compose.commandLine, "docker compose exec -T -w /app -e 'FLASK_APP=wsgi:create_app()' -e PGAPPNAME backend flask db upgrade -d db_migrations head");
    assert.equal(flaskDbTarget(migrations, 'manage.py').flaskApp, 'manage.py');
  });

  it('gives every runner the env file: in the process env, by name only into the container', () => {
    tree.write('app/.flaskenv', 'FLASK_APP=from_flaskenv.py\n');
    tree.write('app/.env', 'FLASK_APP=from_dotenv.py\n');
    const secret = 'postgresql://app:Pa55-secret@db/app';
    const envFile = tree.write('config/alembic.env', `# local\nexport DATABASE_URL='${secret}'\nFLASK_APP=from_env_file.py\nTENANT="t-\${USER_SUFFIX:-one}"\n`);
    const migrations = tree.mkdir('app/migrations');
    const upgrade = { kind: 'upgrade', target: 'head' } as const;
    // Flask's order without the env file: .env before .flaskenv.
    assert.equal(flaskDbTarget(migrations).flaskApp, 'from_dotenv.py');
    const target: RunnerTarget = { iniPath: path.join(migrations, 'alembic.ini'), workspaceFolder: tree.root, flaskDb: flaskDbTarget(migrations), environmentFile: envFile };

    const local = buildInvocation({ mode: 'local', command: ['alembic'] }, upgrade, target);
    assert.equal(local.env?.DATABASE_URL, secret);
    assert.equal(local.env?.TENANT, 't-one');
    assert.equal(local.env?.FLASK_APP, 'from_env_file.py', 'the env file beats the app folder\'s dotenv files');
    const plain = buildInvocation({ mode: 'local', command: ['alembic'] }, upgrade, { ...target, flaskDb: undefined });
    assert.equal(plain.env?.DATABASE_URL, secret);

    const compose = buildInvocation({ mode: 'dockerCompose', workdir: '/app' }, upgrade, target);
    assert.equal(compose.commandLine, 'docker compose exec -T -w /app -e DATABASE_URL -e TENANT -e FLASK_APP=from_env_file.py -e PGAPPNAME backend flask db upgrade head');
    assert.equal(compose.env?.DATABASE_URL, secret, 'docker compose gets the values in its own environment');
    assert.ok(!compose.args.some((arg) => arg.includes('Pa55')));

    // A FLASK_APP setting beats the env file.
    const withSetting = buildInvocation({ mode: 'dockerCompose', workdir: '/app' }, upgrade, { ...target, flaskDb: flaskDbTarget(migrations, 'manage.py') });
    assert.deepEqual(withSetting.args.filter((_arg, index, all) => all[index - 1] === '-e'), ['DATABASE_URL', 'TENANT', 'FLASK_APP=manage.py', 'PGAPPNAME']);

    const custom = buildInvocation({ mode: 'custom', template: ['make', 'migrate', 'ARGS=${args}'] }, upgrade, target);
    assert.equal(custom.env?.DATABASE_URL, secret);

    assert.throws(
      () => buildInvocation({ mode: 'local', command: ['alembic'] }, upgrade, { ...target, environmentFile: path.join(tree.root, 'missing.env') }),
      /The env file for Alembic's environment, .*missing\.env, can't be read: it does not exist\./,
    );
  });
});
