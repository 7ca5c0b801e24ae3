// The parts `npm run demo` is made of, against the real things: its options, the workspace copy
// and settings, Debian's Alembic upgrading the SQLite demo database, and PostgreSQL scratch
// databases made and dropped (never one that already existed). The whole demo with code-server
// and a browser is test/vscode/demo/demo.test.ts.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  copyExampleProject,
  DEMO_START_REVISION,
  demoSettingsText,
  DemoError,
  DemoUsageError,
  findAlembic,
  parseDemoArguments,
  portIsFree,
  postgresDemoDatabase,
  runAlembic,
  sqliteDemoDatabase,
  writeDemoSettings,
  type DemoWorkspace,
} from '../../../scripts/lib/demoSetup';
import { createScratchDatabase, testPostgresConnection } from '../../support/postgres';
import { copyToTemp, EXAMPLE_PROJECT, REAL_ALEMBIC, runRealAlembic } from '../../support/realAlembic';
import { dropDatabase } from '../../../src/core/db/dropDatabase';

/** VS Code reads settings.json as JSON with comments; these have only whole-line comments. */
function parseJsonWithLineComments(text: string): Record<string, unknown> {
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ ...testPostgresConnection(), database: 'postgres' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

function postgresUrl(database: string, password = testPostgresConnection().password): string {
  const connection = testPostgresConnection();
  return `postgresql+psycopg2://${connection.user}:${encodeURIComponent(password)}@${connection.host}:${connection.port}/${database}`;
}

describe('npm run demo: its parts', function () {
  this.timeout(120_000);

  describe('options', () => {
    it('defaults to SQLite, port 8080 or a free one, no --keep', () => {
      assert.deepEqual(parseDemoArguments([], {}), { keep: false, help: false });
    });

    it('reads --port, --keep, --alembic and --help', () => {
      assert.deepEqual(parseDemoArguments(['--port', '9000', '--keep', '--alembic', '/opt/venv/bin/alembic'], {}), { port: 9000, keep: true, alembic: '/opt/venv/bin/alembic', help: false });
      assert.equal(parseDemoArguments(['--help'], {}).help, true);
    });

    it('takes PostgreSQL from --postgres <url>, from AW_DEMO_DATABASE_URL, or the test role without a URL', () => {
      const url = 'postgresql+psycopg2://app:secret@db.internal:5432/demo';
      assert.equal(parseDemoArguments(['--postgres', url], {}).postgres, url);
      assert.equal(parseDemoArguments([], { AW_DEMO_DATABASE_URL: url }).postgres, url);
      assert.equal(parseDemoArguments(['--postgres'], {}).postgres, 'local-test-role');
      assert.equal(parseDemoArguments(['--postgres', '--keep'], {}).postgres, 'local-test-role');
      // The environment's URL wins over the bare flag: the flag only says "PostgreSQL".
      assert.equal(parseDemoArguments(['--postgres'], { AW_DEMO_DATABASE_URL: url }).postgres, url);
    });

    it('rejects bad input with a message that never shows a password', () => {
      assert.throws(() => parseDemoArguments(['--port', 'abc'], {}), (error: Error) => error instanceof DemoUsageError && /not abc/.test(error.message));
      assert.throws(() => parseDemoArguments(['--port', '70000'], {}), DemoUsageError);
      assert.throws(() => parseDemoArguments(['--port'], {}), /--port needs a value/);
      assert.throws(() => parseDemoArguments(['--frobnicate'], {}), /unknown option --frobnicate/);
      assert.throws(
        () => parseDemoArguments(['--postgres', 'mysql://root:hunter2@localhost/x'], {}),
        (error: Error) => error instanceof DemoUsageError && /takes a PostgreSQL URL/.test(error.message) && !error.message.includes('hunter2'),
      );
    });
  });

  describe('workspace', () => {
    let workspace: DemoWorkspace | undefined;
    let source: string | undefined;
    afterEach(() => {
      if (workspace) rmSync(workspace.root, { recursive: true, force: true });
      if (source) rmSync(source, { recursive: true, force: true });
      workspace = undefined;
      source = undefined;
    });

    it('copies the example under the temp folder with its own name, without caches, databases or editor settings', () => {
      source = copyToTemp(EXAMPLE_PROJECT, 'aw-demo-source-');
      mkdirSync(path.join(source, 'backend', 'app', '__pycache__'), { recursive: true });
      writeFileSync(path.join(source, 'backend', 'app', '__pycache__', 'main.cpython-311.pyc'), 'cache');
      writeFileSync(path.join(source, 'backend', 'old.db'), 'sqlite');
      mkdirSync(path.join(source, '.vscode'));
      writeFileSync(path.join(source, '.vscode', 'settings.json'), '{"someone": "else"}');
      workspace = copyExampleProject(source);
      assert.ok(workspace.folder.startsWith(tmpdir()));
      assert.equal(path.basename(workspace.folder), path.basename(source));
      assert.ok(existsSync(path.join(workspace.backend, 'alembic.ini')));
      assert.ok(existsSync(path.join(workspace.backend, 'alembic', 'versions')));
      for (const left of ['backend/app/__pycache__', 'backend/old.db', '.vscode']) assert.ok(!existsSync(path.join(workspace.folder, left)), `${left} was copied`);
    });

    it('refuses a folder that is not the example project', () => {
      const empty = copyToTemp(path.join(EXAMPLE_PROJECT, 'tools'), 'aw-demo-not-example-');
      try {
        assert.throws(() => copyExampleProject(empty), (error: Error) => error instanceof DemoError && /example project is missing/.test(error.message));
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it('writes settings VS Code can read: the local runner, the Alembic command, the SQLite URL, PostgreSQL lint', () => {
      workspace = copyExampleProject();
      const database = sqliteDemoDatabase(workspace);
      const file = writeDemoSettings(workspace, { alembicCommand: ['/usr/bin/alembic'], databaseUrl: database.url });
      assert.equal(file, path.join(workspace.folder, '.vscode', 'settings.json'));
      assert.deepEqual(parseJsonWithLineComments(readFileSync(file, 'utf8')), {
        'alembicWorkbench.runner.mode': 'local',
        'alembicWorkbench.runner.local.command': ['/usr/bin/alembic'],
        'alembicWorkbench.database.url': `sqlite:///${workspace.backend}/meeting_assistant.db`,
        'alembicWorkbench.lint.dialect': 'postgresql',
      });
    });

    it('leaves a PostgreSQL URL out of the settings file (it travels in DATABASE_URL)', () => {
      const settings = parseJsonWithLineComments(demoSettingsText({ alembicCommand: ['alembic'] }));
      assert.equal(settings['alembicWorkbench.database.url'], undefined);
      assert.equal(settings['alembicWorkbench.runner.mode'], 'local');
    });

    it('upgrades the SQLite demo database half way with the real Alembic: the start revision is current', () => {
      workspace = copyExampleProject();
      const database = sqliteDemoDatabase(workspace);
      const alembic = findAlembic(REAL_ALEMBIC);
      assert.ok(alembic.found, 'Debian Alembic is needed for this test');
      const upgrade = runAlembic(alembic.command, workspace.backend, ['upgrade', DEMO_START_REVISION], database.url);
      assert.ok(upgrade.ok, upgrade.output);
      const current = runRealAlembic(workspace.backend, ['current'], { DATABASE_URL: database.url });
      assert.match(current.stdout, new RegExp(`^${DEMO_START_REVISION}\\b`, 'm'));
      assert.ok(existsSync(path.join(workspace.backend, 'meeting_assistant.db')));
      // The rest of the history still applies from there (what Upgrade to Head does in the demo).
      const rest = runAlembic(alembic.command, workspace.backend, ['upgrade', 'head'], database.url);
      assert.ok(rest.ok, rest.output);
    });
  });

  describe('Alembic', () => {
    it('finds Debian Alembic and its version', () => {
      const alembic = findAlembic(REAL_ALEMBIC);
      assert.ok(alembic.found);
      assert.match(alembic.version, /^1\.\d+\.\d+/);
    });

    it('reports a missing Alembic instead of failing', () => {
      const alembic = findAlembic('/nonexistent/bin/alembic');
      assert.deepEqual(alembic, { found: false, command: '/nonexistent/bin/alembic', reason: '"/nonexistent/bin/alembic" was not found' });
    });

    it('reports an Alembic that does not run', () => {
      const alembic = findAlembic('/bin/false');
      assert.equal(alembic.found, false);
      assert.match(alembic.found ? '' : alembic.reason, /--version" failed \(exit 1\)/);
    });
  });

  describe('port', () => {
    it('tells a free port from a taken one', async () => {
      const { createServer } = await import('node:net');
      const server = createServer().listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        assert.equal(await portIsFree(port), false);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
      assert.equal(await portIsFree(port), true);
    });
  });

  describe('PostgreSQL', () => {
    it('creates a database the URL names when it does not exist, and drops it on dispose', async () => {
      const probe = await createScratchDatabase('demo_setup');
      const name = `${probe.name}_new`.slice(0, 63);
      await probe.drop();
      try {
        const database = await postgresDemoDatabase(postgresUrl(name));
        assert.equal(database.fresh, true);
        assert.ok(await databaseExists(name));
        assert.ok(!database.display.includes(testPostgresConnection().password + '@'), database.display);
        await database.dispose();
        assert.equal(await databaseExists(name), false);
      } finally {
        const client = new pg.Client({ ...testPostgresConnection(), database: 'postgres' });
        await client.connect();
        await dropDatabase(client, name).finally(() => client.end());
      }
    });

    it('uses an existing database as it is and never drops it', async () => {
      const existing = await createScratchDatabase('demo_existing');
      try {
        await existing.query('CREATE TABLE keep_me (id int)');
        const database = await postgresDemoDatabase(postgresUrl(existing.name));
        assert.equal(database.fresh, false);
        await database.dispose();
        assert.ok(await databaseExists(existing.name));
        assert.deepEqual(await existing.query("SELECT to_regclass('keep_me')::text AS table"), [{ table: 'keep_me' }]);
      } finally {
        await existing.drop();
      }
    });

    it('says why a server cannot be used, without the password', async () => {
      await assert.rejects(postgresDemoDatabase(postgresUrl('postgres', 'not-the-password')), (error: Error) => {
        assert.ok(error instanceof DemoError);
        assert.match(error.message, /authentication failed/);
        assert.ok(!error.message.includes('not-the-password'));
        return true;
      });
      await assert.rejects(postgresDemoDatabase('postgresql+psycopg2://app:hunter2@127.0.0.1:1/demo'), (error: Error) => /connection refused/.test(error.message) && !error.message.includes('hunter2'));
    });
  });
});
