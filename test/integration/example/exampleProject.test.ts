// The example project is the demo and a fixture for every suite: these tests hold its committed
// history to what the README promises, with the real Alembic 1.8.1 against real PostgreSQL and a
// real SQLite file (the demo's fallback when no PostgreSQL is around).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { copyToTemp, EXAMPLE_PROJECT, realAlembicOk, runRealAlembic } from '../../support/realAlembic';

const MERGE_HEAD = 'b5e2a7d9c3f8';
const BRANCH_POINT = 'e91f4c6b0a38';
/** `alembic history` order (newest first) for the committed files. */
const HISTORY_ORDER = [
  MERGE_HEAD,
  '9f3b6a2d4e15',
  '2c8d7e9f1b60',
  'd7c1f8e4a2b6',
  '6a0e5b3c8d29',
  BRANCH_POINT,
  '5d2e8f1a7c03',
  'a64b9c0e2f57',
  '17f05d8e3b92',
  'c3a9e1b27d44',
  '8e7c2a6d5f10',
  '4b1d3f0a9c21',
];
const APP_TABLES = ['meeting_tags', 'meetings', 'tags', 'transcripts', 'user_mappings', 'users'];

const backendDir = path.join(EXAMPLE_PROJECT, 'backend');
const versionsDir = path.join(backendDir, 'alembic', 'versions');

function revisionFiles(): string[] {
  return readdirSync(versionsDir)
    .filter((name) => name.endsWith('.py'))
    .sort();
}

/** Revision ids of the `-> <rev>` part of each `alembic history` line, in printed order. */
function historyRevisions(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.includes('->'))
    .map((line) => /->\s+(\w+)/.exec(line)?.[1] ?? '');
}

function sqliteObjects(databaseFile: string): string[] {
  const script =
    'import sqlite3, sys\n' +
    'rows = sqlite3.connect(sys.argv[1]).execute("SELECT name FROM sqlite_master WHERE type = \'table\'")\n' +
    'print("\\n".join(sorted(r[0] for r in rows)))\n';
  const result = spawnSync('/usr/bin/python3', ['-c', script, databaseFile], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter(Boolean);
}

describe('examples/meeting-assistant (real Alembic 1.8.1)', function () {
  this.timeout(180_000);

  describe('committed files', () => {
    it('alembic.ini has the team file_template, verbatim', () => {
      const ini = readFileSync(path.join(backendDir, 'alembic.ini'), 'utf8');
      assert.match(
        ini,
        /^file_template = %%\(year\)d_%%\(month\)\.2d_%%\(day\)\.2d_%%\(hour\)\.2d%%\(minute\)\.2d-%%\(rev\)s_%%\(slug\)s$/m,
      );
    });

    it('names every revision file by that template and its own revision id', () => {
      const files = revisionFiles();
      assert.equal(files.length, HISTORY_ORDER.length);
      for (const file of files) {
        const match = /^\d{4}_\d{2}_\d{2}_\d{4}-([0-9a-f]{12})_[a-z0-9_]+\.py$/.exec(file);
        assert.ok(match, `${file} does not follow the file_template`);
        const source = readFileSync(path.join(versionsDir, file), 'utf8');
        assert.match(source, new RegExp(`^revision = '${match[1]}'$`, 'm'), file);
      }
      assert.deepEqual(
        files.map((file) => /-([0-9a-f]{12})_/.exec(file)?.[1]).sort(),
        [...HISTORY_ORDER].sort(),
      );
    });

    it('keeps the hand-written forms the README documents', () => {
      const source = (rev: string) =>
        readFileSync(path.join(versionsDir, revisionFiles().find((file) => file.includes(`-${rev}_`))!), 'utf8');
      assert.match(source('17f05d8e3b92'), /with op\.get_context\(\)\.autocommit_block\(\):\n\s+op\.create_index\(/);
      assert.match(source('d7c1f8e4a2b6'), /def downgrade\(\) -> None:\n {4}pass\n/);
      assert.match(source('2c8d7e9f1b60'), /^branch_labels = \('tags',\)$/m);
      assert.match(source(MERGE_HEAD), /^down_revision = \('9f3b6a2d4e15', 'd7c1f8e4a2b6'\)$/m);
    });
  });

  describe('graph as Alembic reads it', () => {
    let project: string;
    before(() => {
      project = copyToTemp(EXAMPLE_PROJECT, 'aw-example-graph-');
    });
    after(() => rmSync(project, { recursive: true, force: true }));

    it('has exactly one head, the merge, carrying the tags label', () => {
      const { stdout } = realAlembicOk(path.join(project, 'backend'), ['heads']);
      assert.equal(stdout.trim(), `${MERGE_HEAD} (tags) (head)`);
    });

    it('prints the history in the documented order with branch point and merge point', () => {
      const { stdout } = realAlembicOk(path.join(project, 'backend'), ['history']);
      assert.deepEqual(historyRevisions(stdout), HISTORY_ORDER);
      assert.match(stdout, new RegExp(`-> ${BRANCH_POINT} \\(branchpoint\\), drop meeting description`));
      assert.match(stdout, new RegExp(`9f3b6a2d4e15, d7c1f8e4a2b6 -> ${MERGE_HEAD} \\(tags\\) \\(head\\) \\(mergepoint\\)`));
      assert.match(stdout, /^<base> -> 4b1d3f0a9c21, create users and meetings tables$/m);
    });

    it('prints offline SQL of one revision, the concurrent index outside the transaction', () => {
      const { stdout } = realAlembicOk(path.join(project, 'backend'), ['upgrade', 'c3a9e1b27d44:17f05d8e3b92', '--sql'], {
        DATABASE_URL: 'postgresql+psycopg2://nobody:secret@127.0.0.1:1/unused',
      });
      assert.match(stdout, /COMMIT;\n\nCREATE INDEX CONCURRENTLY ix_meetings_created_at ON meetings \(created_at\);\n\nBEGIN;/);
      assert.match(stdout, /UPDATE alembic_version SET version_num='17f05d8e3b92' WHERE alembic_version.version_num = 'c3a9e1b27d44';/);
    });
  });

  describe('on PostgreSQL', () => {
    let database: ScratchDatabase;
    let project: string;
    let backend: string;
    let env: Record<string, string>;

    before(async () => {
      database = await createScratchDatabase('example');
      project = copyToTemp(EXAMPLE_PROJECT, 'aw-example-pg-');
      backend = path.join(project, 'backend');
      env = { DATABASE_URL: database.sqlalchemyUrl };
    });
    after(async () => {
      rmSync(project, { recursive: true, force: true });
      await database.drop();
    });

    async function appTables(): Promise<string[]> {
      const rows = await database.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'alembic_version' ORDER BY 1",
      );
      return rows.map((row) => row.table_name);
    }

    async function versions(): Promise<string[]> {
      const rows = await database.query<{ version_num: string }>('SELECT version_num FROM alembic_version ORDER BY 1');
      return rows.map((row) => row.version_num);
    }

    async function assertAtHead(): Promise<void> {
      assert.deepEqual(await versions(), [MERGE_HEAD]);
      assert.deepEqual(await appTables(), APP_TABLES);
      const columns = await database.query<{ column_name: string; data_type: string; is_nullable: string }>(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'meetings' ORDER BY column_name",
      );
      const byName = new Map(columns.map((column) => [column.column_name, column]));
      assert.equal(byName.has('description'), false, 'description was dropped');
      assert.equal(byName.get('title')?.is_nullable, 'NO');
      assert.equal(byName.get('duration_seconds')?.data_type, 'bigint');
      const indexes = await database.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'meetings' AND indexname = 'ix_meetings_created_at'",
      );
      assert.equal(indexes.length, 1);
    }

    it('upgrades an empty database to head', async () => {
      realAlembicOk(backend, ['upgrade', 'head'], env);
      await assertAtHead();
      assert.match(realAlembicOk(backend, ['current'], env).stdout, new RegExp(`^${MERGE_HEAD} \\(head\\) \\(mergepoint\\)$`, 'm'));
    });

    it('has models that match the history (autogenerate finds nothing)', () => {
      realAlembicOk(backend, ['revision', '--autogenerate', '-m', 'drift check', '--rev-id', '0000drift000'], env);
      const file = readdirSync(path.join(backend, 'alembic', 'versions')).find((name) => name.includes('0000drift000'));
      assert.ok(file);
      const generated = readFileSync(path.join(backend, 'alembic', 'versions', file), 'utf8');
      rmSync(path.join(backend, 'alembic', 'versions', file));
      assert.doesNotMatch(generated.split('def upgrade()')[1], /op\./, generated);
    });

    it('downgrades to base and upgrades to head again', async () => {
      realAlembicOk(backend, ['downgrade', 'base'], env);
      assert.deepEqual(await versions(), []);
      assert.deepEqual(await appTables(), []);
      realAlembicOk(backend, ['upgrade', 'head'], env);
      await assertAtHead();
    });

    it('shows why d7c1f8e4a2b6 is risky: its empty downgrade breaks the next upgrade', async () => {
      realAlembicOk(backend, ['downgrade', 'base'], env);
      realAlembicOk(backend, ['upgrade', 'd7c1f8e4a2b6'], env);
      realAlembicOk(backend, ['downgrade', '-1'], env);
      assert.deepEqual(await versions(), ['6a0e5b3c8d29']);
      const reupgrade = runRealAlembic(backend, ['upgrade', 'd7c1f8e4a2b6'], env);
      assert.equal(reupgrade.code, 1);
      assert.match(reupgrade.stderr, /column "display_name" of relation "user_mappings" already exists/);
    });
  });

  describe('on SQLite (the demo fallback)', () => {
    let project: string;
    let backend: string;
    let databaseFile: string;

    before(() => {
      project = copyToTemp(EXAMPLE_PROJECT, 'aw-example-sqlite-');
      backend = path.join(project, 'backend');
      databaseFile = path.join(project, 'meeting assistant.db');
    });
    after(() => rmSync(project, { recursive: true, force: true }));

    it('upgrades to head, downgrades to base and upgrades again', () => {
      const env = { DATABASE_URL: `sqlite:///${databaseFile}` };
      realAlembicOk(backend, ['upgrade', 'head'], env);
      assert.deepEqual(sqliteObjects(databaseFile), ['alembic_version', ...APP_TABLES]);
      assert.match(realAlembicOk(backend, ['current'], env).stdout, new RegExp(`^${MERGE_HEAD} \\(head\\)`, 'm'));
      realAlembicOk(backend, ['downgrade', 'base'], env);
      assert.deepEqual(sqliteObjects(databaseFile), ['alembic_version']);
      realAlembicOk(backend, ['upgrade', 'head'], env);
      assert.deepEqual(sqliteObjects(databaseFile), ['alembic_version', ...APP_TABLES]);
    });
  });
});
