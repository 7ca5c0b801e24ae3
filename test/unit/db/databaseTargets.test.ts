import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComposeFileError, findComposeFiles, readComposeProject } from '../../../src/core/compose/composeProject';
import { interpolate, parseEnvFile } from '../../../src/core/compose/interpolation';
import { discoverDatabaseTargets, resolveDatabaseTargets, withPassword } from '../../../src/core/db/databaseTargets';

function tempProject(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'aw-targets-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

const COMPOSE = `
x-db-env: &db-env
  POSTGRES_USER: app
  POSTGRES_DB: meetings
services:
  backend:
    build: ./backend
    working_dir: /app
    env_file:
      - ./backend/.env.docker
      - path: ./backend/.env.optional
        required: false
    environment:
      <<: *db-env
      DATABASE_URL: postgresql+psycopg2://\${POSTGRES_USER:-app}:\${POSTGRES_PASSWORD}@db:5432/\${POSTGRES_DB:-meetings}
      PASSTHROUGH:
  db:
    image: postgres:15
    hostname: database
    environment: *db-env
    ports:
      - "127.0.0.1:5433:5432"
  cache:
    image: redis
    ports: ["6379"]
`;

describe('compose environment', () => {
  let root: string;
  before(() => {
    root = tempProject({
      'docker-compose.yml': COMPOSE,
      '.env': 'POSTGRES_PASSWORD=from-dot-env\n# comment\nexport OTHER="a b"\n',
      'backend/.env.docker': 'SECRET_KEY=abc # inline comment\nREPORTS_URL=\'postgresql://r:$NOT@x/y\'\nQUOTED="line\\nnext ${POSTGRES_PASSWORD}"\n',
      'backend/alembic.ini': '[alembic]\n',
    });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds the compose file from a nested folder', () => {
    assert.deepEqual(findComposeFiles(path.join(root, 'backend'), root), [path.join(root, 'docker-compose.yml')]);
    assert.deepEqual(findComposeFiles(path.join(root, 'backend'), path.join(root, 'backend')), []);
  });

  it('reads environment (with merge keys and interpolation), env_file and ports', async () => {
    const project = readComposeProject([path.join(root, 'docker-compose.yml')], { environment: { PASSTHROUGH: 'shell' } });
    const backend = project.services.get('backend')!;
    assert.equal(backend.environment.DATABASE_URL, 'postgresql+psycopg2://app:from-dot-env@db:5432/meetings');
    assert.equal(backend.environment.POSTGRES_DB, 'meetings');
    assert.equal(backend.environment.PASSTHROUGH, 'shell');
    assert.deepEqual(project.services.get('db')!.hostNames, ['db', 'database']);
    assert.deepEqual(project.services.get('db')!.ports, [{ target: 5432, published: 5433, hostIp: '127.0.0.1' }]);
    assert.deepEqual(project.services.get('cache')!.ports, [{ target: 6379, published: undefined, hostIp: undefined }]);
    assert.equal(backend.environment.SECRET_KEY, 'abc');
    assert.equal(backend.environment.REPORTS_URL, 'postgresql://r:$NOT@x/y');
    assert.equal(backend.environment.QUOTED, 'line\nnext from-dot-env');
    assert.equal(backend.environmentSources.SECRET_KEY, path.join(root, 'backend/.env.docker'));
    assert.equal(backend.environmentSources.DATABASE_URL, 'environment');
    assert.deepEqual(project.warnings, []);
  });

  it('turns broken YAML and hostile aliases into a ComposeFileError, and the target lookup into a warning', async () => {
    const broken = tempProject({
      'compose.yaml': 'services: [unclosed\n',
      'bomb/compose.yaml': `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nservices: {}\n`,
    });
    try {
      assert.throws(() => readComposeProject([path.join(broken, 'compose.yaml')], { environment: {} }), (error: unknown) => error instanceof ComposeFileError && /invalid YAML/.test(error.message));
      assert.throws(() => readComposeProject([path.join(broken, 'bomb/compose.yaml')], { environment: {} }), (error: unknown) => error instanceof ComposeFileError && /alias/i.test(error.message));
      for (const file of ['compose.yaml', 'bomb/compose.yaml']) {
        const found = await discoverDatabaseTargets({
          projectId: 'p',
          baseDirectory: broken,
          iniUrl: 'postgresql://ini:inipw@localhost/ini_db',
          iniFile: path.join(broken, 'alembic.ini'),
          settings: { urlEnvironmentVariable: 'DATABASE_URL' },
          environment: {},
          composeFiles: [file],
          searchComposeUpTo: broken,
        });
        assert.equal(found.selected?.origin?.kind, 'ini');
        assert.match(found.warnings.join('\n'), /could not read the compose files: .*invalid YAML/);
      }
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('interpolates like Compose', () => {
    const env: Record<string, string> = { SET: 'v', EMPTY: '' };
    const lookup = (name: string) => env[name];
    const cases: Array<[string, string]> = [
      ['$SET/${SET}', 'v/v'],
      ['${UNSET:-d}|${EMPTY:-d}|${EMPTY-d}|${UNSET-d}', 'd|d||d'],
      ['${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}', 'alt||alt'],
      ['$$SET costs $$5', '$SET costs $5'],
      ['${UNSET:-${SET}x}', 'vx'],
      ['${UNSET}', ''],
    ];
    for (const [input, output] of cases) assert.equal(interpolate(input, lookup), output, input);
    const warnings: string[] = [];
    assert.equal(interpolate('${UNSET:?set it}', lookup, warnings), '');
    assert.deepEqual(warnings, ['required variable UNSET is not set: set it']);
  });

  it('parses env files', () => {
    assert.deepEqual(parseEnvFile('A=1\n\n#x\nexport B = two words \nC=\'$A\'\nD="$A"\nE=x #c\nnot a line\n'), { A: '1', B: 'two words', C: '$A', D: '1', E: 'x' });
  });
});

describe('resolveDatabaseTargets', () => {
  let root: string;
  before(() => {
    root = tempProject({ 'docker-compose.yml': COMPOSE, '.env': 'POSTGRES_PASSWORD=pw\n', 'backend/.env.docker': '' });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const base = (overrides: Partial<Parameters<typeof resolveDatabaseTargets>[0]> = {}) => ({
    projectId: 'p',
    baseDirectory: path.join(root, 'backend'),
    iniUrl: 'postgresql://ini:inipw@localhost/ini_db',
    iniFile: path.join(root, 'backend/alembic.ini'),
    settings: { urlEnvironmentVariable: 'DATABASE_URL' },
    environment: {},
    ...overrides,
  });

  it('uses the ini URL when nothing else is set', async () => {
    const { selected } = await resolveDatabaseTargets(base());
    assert.equal(selected?.name, 'project');
    assert.equal(selected?.origin?.kind, 'ini');
    assert.equal(selected?.spec?.dialect === 'postgresql' && selected.spec.clientConfig.database, 'ini_db');
    assert.match(selected!.originLabel, /sqlalchemy.url in alembic.ini/);
  });

  it('prefers the compose service environment over the ini, and maps the compose host to its published port', async () => {
    const compose = readComposeProject([path.join(root, 'docker-compose.yml')], { environment: {} });
    const { selected } = await resolveDatabaseTargets(base({ compose }));
    assert.equal(selected?.origin?.kind, 'compose');
    assert.match(selected!.originLabel, /DATABASE_URL of compose service backend \(docker-compose.yml\)/);
    assert.deepEqual(selected?.composeHost, { host: 'db', service: 'db', publishedAs: { host: '127.0.0.1', port: 5433 } });
    assert.equal(selected?.spec?.dialect === 'postgresql' && selected.spec.clientConfig.host, '127.0.0.1');
    assert.equal(selected?.spec?.dialect === 'postgresql' && selected.spec.clientConfig.port, 5433);
    assert.match(selected!.notes.join('\n'), /`db` is the compose service name of db.*127\.0\.0\.1:5433/);
  });

  it('explains a compose host that publishes no port', async () => {
    const unpublished = tempProject({
      'compose.yaml': 'services:\n  backend:\n    environment:\n      DATABASE_URL: postgresql://app:pw@postgres/app\n  postgres:\n    image: postgres\n',
    });
    try {
      const compose = readComposeProject([path.join(unpublished, 'compose.yaml')], { environment: {} });
      const { selected } = await resolveDatabaseTargets(base({ compose, baseDirectory: unpublished }));
      assert.deepEqual(selected?.composeHost, { host: 'postgres', service: 'postgres', publishedAs: undefined });
      assert.match(selected!.notes.join('\n'), /`postgres` is the compose service name.*only inside the compose network.*localhost:<published port>/);
    } finally {
      rmSync(unpublished, { recursive: true, force: true });
    }
  });

  it('the environment wins over compose; the database.url setting wins over all', async () => {
    const compose = readComposeProject([path.join(root, 'docker-compose.yml')], { environment: {} });
    const fromEnv = await resolveDatabaseTargets(base({ compose, environment: { DATABASE_URL: 'postgresql://env:e@envhost/envdb' } }));
    assert.equal(fromEnv.selected?.origin?.kind, 'environment');
    const fromSetting = await resolveDatabaseTargets(
      base({ compose, environment: { DATABASE_URL: 'postgresql://env:e@envhost/envdb' }, settings: { url: 'postgresql://s:s@settinghost/sdb', urlEnvironmentVariable: 'DATABASE_URL' } }),
    );
    assert.equal(fromSetting.selected?.origin?.kind, 'setting');
    const viaVariable = await resolveDatabaseTargets(base({ environment: { STAGING_URL: 'postgresql://st:st@staging/st' }, settings: { url: '${STAGING_URL}' } }));
    assert.deepEqual(viaVariable.selected?.origin, { kind: 'setting-environment', variable: 'STAGING_URL' });
  });

  it('lists named targets and selects the chosen one; missing URLs become clear errors', async () => {
    const { targets, selected } = await resolveDatabaseTargets(
      base({
        environment: { STAGING_URL: 'postgresql+asyncpg://st:st@staging.example/st?ssl=require' },
        settings: {
          urlEnvironmentVariable: 'DATABASE_URL',
          targets: [
            { name: 'dev', url: 'postgresql://dev:dev@localhost/dev' },
            { name: 'staging', urlEnvironmentVariable: 'STAGING_URL' },
            { name: 'prod', urlEnvironmentVariable: 'PROD_URL' },
            { name: 'broken' },
          ],
        },
        selectedTargetName: 'staging',
      }),
    );
    assert.deepEqual(targets.map((target) => target.name), ['project', 'dev', 'staging', 'prod', 'broken']);
    assert.equal(selected?.name, 'staging');
    assert.equal(selected?.spec?.dialect === 'postgresql' && selected.spec.tls.mode, 'require');
    assert.match(targets[3]!.error!.message, /PROD_URL is not set/);
    assert.match(targets[4]!.error!.message, /neither "url" nor "urlEnvironmentVariable"/);
  });

  it('reports where it looked when there is no URL at all', async () => {
    const { selected } = await resolveDatabaseTargets(base({ iniUrl: undefined }));
    assert.equal(selected?.spec, undefined);
    assert.match(selected!.error!.message, /no database URL found: looked at DATABASE_URL \(environment\), sqlalchemy.url in alembic.ini/);
  });

  it('keeps conversion errors on the target (mysql, placeholder)', async () => {
    const mysql = await resolveDatabaseTargets(base({ iniUrl: 'mysql://u:p@h/d' }));
    assert.equal(mysql.selected?.error?.kind, 'unsupported-dialect');
    const placeholder = await resolveDatabaseTargets(base({ iniUrl: 'driver://user:pass@localhost/dbname' }));
    assert.equal(placeholder.selected?.error?.kind, 'placeholder');
  });

  it('uses a typed password (from SecretStorage) and masks it', async () => {
    const { selected } = await resolveDatabaseTargets(base({ iniUrl: 'postgresql://app@localhost/app', passwords: { project: 'typed-secret' } }));
    assert.equal(selected?.spec?.dialect === 'postgresql' && selected.spec.clientConfig.password, 'typed-secret');
    assert.deepEqual(selected?.spec?.secrets, ['typed-secret']);
    const again = withPassword(selected!, 'other');
    assert.equal(again.spec?.dialect === 'postgresql' && again.spec.clientConfig.password, 'other');
  });

  it('discovers the compose file from the alembic.ini folder, or uses the configured ones', async () => {
    const found = await discoverDatabaseTargets({ ...base(), searchComposeUpTo: root });
    assert.deepEqual(found.composeFiles, [path.join(root, 'docker-compose.yml')]);
    assert.equal(found.selected?.origin?.kind, 'compose');
    const stopped = await discoverDatabaseTargets({ ...base(), searchComposeUpTo: path.join(root, 'backend') });
    assert.deepEqual(stopped.composeFiles, []);
    assert.equal(stopped.selected?.origin?.kind, 'ini');
    const configured = await discoverDatabaseTargets({ ...base(), composeFiles: ['missing.yml'], searchComposeUpTo: root });
    assert.equal(configured.selected?.origin?.kind, 'ini');
    assert.match(configured.warnings.join('\n'), /could not read .*missing\.yml/);
  });

  it('maps a SQLite path inside the container to the host through its bind mount', async () => {
    const folder = tempProject({
      'compose.yaml': [
        'services:',
        '  backend:',
        '    working_dir: /app',
        '    volumes:',
        '      - ./backend:/app',
        '      - data:/var/lib/app',
        '      - type: bind',
        '        source: ./shared',
        '        target: /srv/shared',
        '    environment:',
        '      DATABASE_URL: ${DATABASE_URL:-sqlite:///./data/app.db}',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n'),
    });
    try {
      const compose = readComposeProject([path.join(folder, 'compose.yaml')], { environment: {} });
      assert.deepEqual(compose.services.get('backend')!.bindMounts, [
        { hostPath: path.join(folder, 'backend'), containerPath: '/app', readOnly: false },
        { hostPath: path.join(folder, 'shared'), containerPath: '/srv/shared', readOnly: false },
      ]);
      const relative = await resolveDatabaseTargets(base({ compose, baseDirectory: path.join(folder, 'backend') }));
      assert.equal(relative.selected?.spec?.dialect === 'sqlite' && relative.selected.spec.file, path.join(folder, 'backend/data/app.db'));
      assert.match(relative.selected!.notes.join('\n'), /\/app\/data\/app\.db in the backend container is .*backend\/data\/app\.db on this machine/);
      assert.equal(relative.selected?.onlyInsideCompose, undefined);

      const shared = readComposeProject([path.join(folder, 'compose.yaml')], { environment: { DATABASE_URL: 'sqlite:////srv/shared/x/app.db' } });
      // Compose interpolates ${DATABASE_URL} from the shell it is read with; a named target reads it from the service.
      const named = await resolveDatabaseTargets(base({ compose: shared, baseDirectory: folder, settings: { targets: [{ name: 'c', urlEnvironmentVariable: 'DATABASE_URL' }] } }));
      const c = named.targets.find((target) => target.name === 'c')!;
      assert.equal(c.spec?.dialect === 'sqlite' && c.spec.file, path.join(folder, 'shared/x/app.db'));

      const inside = readComposeProject([path.join(folder, 'compose.yaml')], { environment: { DATABASE_URL: 'sqlite:////var/lib/app/app.db' } });
      const volumeOnly = await resolveDatabaseTargets(base({ compose: inside, baseDirectory: folder, settings: { targets: [{ name: 'v', urlEnvironmentVariable: 'DATABASE_URL' }] } }));
      const v = volumeOnly.targets.find((target) => target.name === 'v')!;
      assert.match(v.onlyInsideCompose!, /the SQLite file \/var\/lib\/app\/app\.db is inside the backend container/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('resolves a relative SQLite URL against the alembic.ini folder', async () => {
    const { selected } = await resolveDatabaseTargets(base({ iniUrl: 'sqlite:///./app.db' }));
    assert.equal(selected?.spec?.dialect === 'sqlite' && selected.spec.file, path.join(root, 'backend/app.db'));
  });
});
