// Flask-Migrate for real (Debian's python3-flask-migrate 4.0 and python3-flask-sqlalchemy): a small
// Flask app made here, its migrations folder made by `flask db init`, then `flask db migrate /
// upgrade / downgrade` run through our runner (local mode, `flask db` invocation) against
// PostgreSQL and SQLite, with the database checked after each step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlembicRunner } from '../../../src/core/runner/alembicRunner';
import { flaskDbTarget, type LocalRunnerConfig } from '../../../src/core/runner/runnerModes';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { REAL_ALEMBIC } from '../../support/realAlembic';

const FLASK = '/usr/bin/flask';
const PYTHON = '/usr/bin/python3';

const APP = `import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["AW_FLASK_DATABASE_URL"]
db = SQLAlchemy(app)
migrate = Migrate(app, db, directory=os.environ.get("AW_FLASK_MIGRATIONS", "migrations"))


class Meeting(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
`;

interface FlaskProject {
  root: string;
  migrations: string;
  runner: AlembicRunner;
  /** The app reads its database URL and folder from here (passed to each run, as a .env would). */
  env: Record<string, string>;
  tables(): Promise<string[]>;
  version(): Promise<string[]>;
}

function makeFlaskApp(databaseUrl: string, directory: string): { root: string; migrations: string; env: Record<string, string> } {
  const root = mkdtempSync(path.join(tmpdir(), 'aw-flask-'));
  writeFileSync(path.join(root, 'app.py'), APP);
  const env = { AW_FLASK_DATABASE_URL: databaseUrl, AW_FLASK_MIGRATIONS: directory, FLASK_APP: 'app.py', PYTHONDONTWRITEBYTECODE: '1' };
  // Setup, not under test: Flask-Migrate's own `flask db init` makes the migrations folder.
  const init = spawnSync(FLASK, ['db', 'init', '-d', directory], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(init.status, 0, init.stderr);
  return { root, migrations: path.join(root, directory), env };
}

/**
 * `viaEnvironmentFile`: the app's variables and FLASK_APP come only from an env file named as the
 * envFile setting names it (not a `.env` name, so neither flask nor python-dotenv finds it).
 */
function flaskProject(databaseUrl: string, directory: string, query: (sql: string) => Promise<string[]>, viaEnvironmentFile = false): FlaskProject {
  const { root, migrations, env } = makeFlaskApp(databaseUrl, directory);
  const config = loadProjectConfig(path.join(migrations, 'alembic.ini'));
  assert.equal(config.flavor, 'flask-migrate');
  const runner: LocalRunnerConfig = { mode: 'local', command: [REAL_ALEMBIC] };
  const variables = { AW_FLASK_DATABASE_URL: env.AW_FLASK_DATABASE_URL, AW_FLASK_MIGRATIONS: env.AW_FLASK_MIGRATIONS };
  let environmentFile: string | undefined;
  if (viaEnvironmentFile) {
    // Not named .env: nothing but our runner reads it.
    mkdirSync(path.join(root, 'config'));
    environmentFile = path.join(root, 'config', 'alembic.env');
    writeFileSync(environmentFile, `# as a team keeps it\nexport AW_FLASK_DATABASE_URL='${variables.AW_FLASK_DATABASE_URL}'\nAW_FLASK_MIGRATIONS=${directory}\nFLASK_APP=app.py\n`);
  }
  return {
    root,
    migrations,
    env: viaEnvironmentFile ? {} : variables,
    runner: new AlembicRunner({
      runner,
      target: {
        iniPath: path.join(migrations, 'alembic.ini'),
        workspaceFolder: root,
        flaskDb: flaskDbTarget(config.scriptLocation, viaEnvironmentFile ? undefined : 'app.py'),
        environmentFile,
      },
    }),
    tables: () => query('tables'),
    version: () => query('version'),
  };
}

function runFlaskSteps(label: string, setUp: () => Promise<{ project: FlaskProject; cleanup: () => Promise<void> }>, expectedDirectoryArgs: string[]): void {
  describe(label, function () {
    this.timeout(120_000);
    let project: FlaskProject;
    let cleanup: () => Promise<void>;
    let revision = '';

    before(async () => {
      ({ project, cleanup } = await setUp());
    });
    after(async () => {
      await cleanup?.();
      rmSync(project?.root ?? '/nonexistent', { recursive: true, force: true });
    });

    it('autogenerates through `flask db migrate -m` and the new file is part of the history', async () => {
      const result = await project.runner.run({ command: { kind: 'revision', message: 'create meetings', autogenerate: true }, env: project.env });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.commandLine, `${FLASK} db migrate ${expectedDirectoryArgs.join(' ')}${expectedDirectoryArgs.length ? ' ' : ''}-m 'create meetings'`);
      assert.equal(result.cwd, project.root);
      const files = readdirSync(path.join(project.migrations, 'versions')).filter((name) => name.endsWith('.py'));
      assert.equal(files.length, 1);
      const graph = AlembicProjectModel.load(loadProjectConfig(path.join(project.migrations, 'alembic.ini'))).graph;
      assert.equal(graph.heads.length, 1);
      revision = graph.heads[0];
      // Autogenerate compares with the database (creating the empty version table) but changes nothing else.
      assert.deepEqual(await project.tables(), ['alembic_version']);
      assert.deepEqual(await project.version(), []);
    });

    it('upgrades through `flask db upgrade`: the table and the version row exist', async () => {
      const result = await project.runner.run({ command: { kind: 'upgrade', target: 'head' }, env: project.env });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.commandLine, /\/usr\/bin\/flask db upgrade .*head$/);
      assert.deepEqual(await project.tables(), ['alembic_version', 'meeting']);
      assert.deepEqual(await project.version(), [revision]);
    });

    it('downgrades one step through `flask db downgrade -- -1`: the table is gone, the version table empty', async () => {
      const result = await project.runner.run({ command: { kind: 'downgrade', target: '-1' }, env: project.env });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.deepEqual(await project.tables(), ['alembic_version']);
      assert.deepEqual(await project.version(), []);
    });
  });
}

describe('Flask-Migrate projects run through `flask db` (real Flask-Migrate)', () => {
  runFlaskSteps(
    'PostgreSQL, migrations/ (no -d)',
    async () => {
      const database: ScratchDatabase = await createScratchDatabase('flask');
      const project = flaskProject(database.sqlalchemyUrl, 'migrations', async (what) => {
        if (what === 'tables') return (await database.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((row) => row.tablename);
        const exists = await database.query("SELECT 1 FROM pg_tables WHERE tablename = 'alembic_version'");
        return exists.length === 0 ? [] : (await database.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).map((row) => row.version_num);
      });
      return { project, cleanup: () => database.drop() };
    },
    [],
  );

  runFlaskSteps(
    'SQLite, db_migrations/ (-d db_migrations)',
    async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'aw-flask-sqlite-'));
      const file = path.join(folder, 'app.db');
      const sqlite = (sql: string): string[] => {
        const run = spawnSync(PYTHON, ['-c', 'import sqlite3,sys\nfor row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(row[0])', file, sql], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        return run.stdout.split('\n').filter(Boolean);
      };
      const project = flaskProject(`sqlite:///${file}`, 'db_migrations', async (what) => {
        if (what === 'tables') return sqlite("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1");
        return sqlite("SELECT name FROM sqlite_master WHERE name = 'alembic_version'").length === 0 ? [] : sqlite('SELECT version_num FROM alembic_version');
      });
      return { project, cleanup: async () => rmSync(folder, { recursive: true, force: true }) };
    },
    ['-d', 'db_migrations'],
  );

  runFlaskSteps(
    'PostgreSQL, the database URL and FLASK_APP only in an env file (envFile setting)',
    async () => {
      const database: ScratchDatabase = await createScratchDatabase('flask_envfile');
      const project = flaskProject(
        database.sqlalchemyUrl,
        'migrations',
        async (what) => {
          if (what === 'tables') return (await database.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((row) => row.tablename);
          const exists = await database.query("SELECT 1 FROM pg_tables WHERE tablename = 'alembic_version'");
          return exists.length === 0 ? [] : (await database.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).map((row) => row.version_num);
        },
        true,
      );
      return { project, cleanup: () => database.drop() };
    },
    [],
  );
});
