// Flask-Migrate through the real `docker compose exec` (Docker engine + Compose v2, the image with
// Debian's Flask-Migrate): `flask db migrate / upgrade / downgrade` run in the container by our
// runner, the database URL coming only from an env file (runner.envFile) passed by name, FLASK_APP
// from the app's .flaskenv; the run's scratch PostgreSQL is checked after each step. Set up by
// `npm test -- --only docker` (scripts/lib/dockerEngine.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { AlembicCommand } from '../../src/core/runner/alembicCommand';
import { AlembicRunner, type AlembicRunResult } from '../../src/core/runner/alembicRunner';
import { readComposeProject } from '../../src/core/compose/composeProject';
import { PathMapper } from '../../src/core/compose/pathMapper';
import { flaskDbTarget, type RunnerTarget } from '../../src/core/runner/runnerModes';
import { loadProjectConfig } from '../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../src/core/projectModel';
import { createScratchDatabase, type ScratchDatabase } from '../support/postgres';
import { DOCKER_TEST_IMAGE } from './composeKit';

const APP = `import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["AW_FLASK_DATABASE_URL"]
db = SQLAlchemy(app)
migrate = Migrate(app, db)


class Meeting(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
`;

describe('Flask-Migrate through the real `docker compose exec ... flask db`', function () {
  this.timeout(180_000);
  let database: ScratchDatabase;
  let root: string;
  let composeFile: string;
  let migrations: string;
  let runner: AlembicRunner;
  let revision = '';

  const compose = (args: string[]) => spawnSync('docker', ['compose', '-f', composeFile, ...args], { cwd: root, encoding: 'utf8' });
  const tables = async () =>
    (await database.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((row) => row.tablename);
  const versions = async () =>
    (await database.query("SELECT 1 FROM pg_tables WHERE tablename = 'alembic_version'")).length === 0
      ? []
      : (await database.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).map((row) => row.version_num);
  const runOk = async (command: AlembicCommand): Promise<AlembicRunResult> => {
    const result = await runner.run({ command });
    assert.ok(result.ok, `${result.commandLine} failed (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
    return result;
  };

  before(async () => {
    database = await createScratchDatabase('docker_flask');
    root = mkdtempSync(path.join(tmpdir(), 'aw-docker-flask-'));
    const backend = path.join(root, 'backend');
    mkdirSync(backend);
    writeFileSync(path.join(backend, 'app.py'), APP);
    writeFileSync(path.join(backend, '.flaskenv'), 'FLASK_APP=app.py\n');
    // The service itself has no database URL: only the env file gives it.
    composeFile = path.join(root, 'docker-compose.yml');
    writeFileSync(
      composeFile,
      stringify({
        services: {
          backend: {
            image: DOCKER_TEST_IMAGE,
            command: ['sleep', 'infinity'],
            network_mode: 'host',
            working_dir: '/app',
            volumes: ['./backend:/app'],
            environment: { PYTHONDONTWRITEBYTECODE: '1' },
          },
        },
      }),
    );
    mkdirSync(path.join(root, 'config'));
    const environmentFile = path.join(root, 'config', 'backend.env');
    writeFileSync(environmentFile, `# kept out of git\nAW_FLASK_DATABASE_URL='${database.sqlalchemyUrl}'\n`);
    const up = compose(['up', '-d']);
    assert.equal(up.status, 0, up.stderr);
    // Setup, not under test: Flask-Migrate's own `flask db init`, in the container.
    const init = compose(['exec', '-T', '-e', 'FLASK_APP=app.py', '-e', `AW_FLASK_DATABASE_URL=${database.sqlalchemyUrl}`, 'backend', 'flask', 'db', 'init']);
    assert.equal(init.status, 0, init.stderr);
    migrations = path.join(backend, 'migrations');
    const config = loadProjectConfig(path.join(migrations, 'alembic.ini'));
    assert.equal(config.flavor, 'flask-migrate');
    const target: RunnerTarget = {
      iniPath: path.join(migrations, 'alembic.ini'),
      workspaceFolder: root,
      pathMapper: PathMapper.fromService(readComposeProject([composeFile], { environment: {} }).services.get('backend')!),
      flaskDb: flaskDbTarget(config.scriptLocation),
      environmentFile,
    };
    runner = new AlembicRunner({ runner: { mode: 'dockerCompose', files: ['docker-compose.yml'], composeCommand: ['docker', 'compose'] }, target });
  });
  after(async () => {
    if (composeFile) compose(['down', '-t', '0', '--remove-orphans']);
    await database?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('autogenerates with `flask db migrate -m`: the URL passed by name only, the new file in the history', async () => {
    const result = await runOk({ kind: 'revision', message: 'create meetings', autogenerate: true });
    assert.equal(
      result.commandLine,
      `docker compose -f ${composeFile} exec -T -w /app -e AW_FLASK_DATABASE_URL -e FLASK_APP=app.py -e PGAPPNAME backend flask db migrate -m 'create meetings'`,
    );
    // The value lives only in docker compose's environment: not in its argv, nor in the output.
    assert.ok(!runner.invocationFor({ kind: 'upgrade', target: 'head' }).args.some((arg) => arg.includes('AW_FLASK_DATABASE_URL=')));
    assert.ok(!(result.commandLine + result.stdout + result.stderr).includes(database.sqlalchemyUrl));
    assert.equal(readdirSync(path.join(migrations, 'versions')).filter((name) => name.endsWith('.py')).length, 1);
    const graph = AlembicProjectModel.load(loadProjectConfig(path.join(migrations, 'alembic.ini'))).graph;
    assert.equal(graph.heads.length, 1);
    revision = graph.heads[0];
    assert.deepEqual(await tables(), ['alembic_version']);
  });

  it('upgrades with `flask db upgrade`: the table and the version row exist', async () => {
    const result = await runOk({ kind: 'upgrade', target: 'head' });
    assert.match(result.commandLine, / backend flask db upgrade head$/);
    assert.deepEqual(await tables(), ['alembic_version', 'meeting']);
    assert.deepEqual(await versions(), [revision]);
  });

  it('reads `flask db current` and downgrades one step with `flask db downgrade -- -1`', async () => {
    const current = await runOk({ kind: 'current', verbose: false });
    assert.match(current.stdout, new RegExp(`^${revision} \\(head\\)$`, 'm'));
    await runOk({ kind: 'downgrade', target: '-1' });
    assert.deepEqual(await tables(), ['alembic_version']);
    assert.deepEqual(await versions(), []);
  });
});
