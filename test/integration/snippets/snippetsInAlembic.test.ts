// Each revision snippet the extension contributes, expanded with its defaults into a real revision
// file of a project made by the real Alembic 1.8.1 (after a base revision that makes the tables it
// names, with rows), is linted clean by the built CLI on that project, upgrades a real database
// (PostgreSQL 15; SQLite for the batch snippet) to the state it promises, renders as SQL with
// `--sql` where it can, downgrades, and upgrades again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_CLI, ensureCliBuilt } from '../../support/builtCli';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { REPO_ROOT, realAlembicOk } from '../../support/realAlembic';
import { revisionSource } from '../../support/revisionSource';
import { expandSnippetDefaults, revisionWithSnippet } from '../../support/snippetExpansion';
import { TEST_CACHE_DIR } from '../../unit/cli/runCli';

const SNIPPETS = JSON.parse(readFileSync(path.join(REPO_ROOT, 'snippets', 'alembic-python.json'), 'utf8')) as Record<string, { body: string[] }>;
const BASE = '5a1e00000000';
const SNIPPET = '5a1e00000001';

interface Project {
  directory: string;
  snippetFile: string;
}

/** `alembic init`, a base revision (upgrade/downgrade bodies given) and the snippet's revision after it. */
function makeProject(sqlalchemyUrl: string, snippetName: string, base: { upgrade: string; downgrade: string }): Project {
  const directory = mkdtempSync(path.join(tmpdir(), 'aw-snippet-'));
  realAlembicOk(directory, ['init', 'alembic']);
  const iniFile = path.join(directory, 'alembic.ini');
  writeFileSync(iniFile, readFileSync(iniFile, 'utf8').replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = ${sqlalchemyUrl.replace(/%/g, '%%')}`));
  const versions = path.join(directory, 'alembic', 'versions');
  writeFileSync(path.join(versions, `${BASE}_base.py`), revisionSource({ id: BASE, message: 'base', ...base }));
  const snippet = SNIPPETS[snippetName];
  assert.ok(snippet, `no snippet named ${snippetName}`);
  const snippetFile = path.join(versions, `${SNIPPET}_snippet.py`);
  writeFileSync(snippetFile, revisionWithSnippet(expandSnippetDefaults(snippet.body.join('\n')), { id: SNIPPET, down: BASE }));
  return { directory, snippetFile };
}

/** The built CLI's lint of the snippet's file, in its project (dialect inferred from it). */
function lintFindings(project: Project): unknown[] {
  const result = spawnSync(process.execPath, [BUILT_CLI, 'lint', project.snippetFile, '--format', 'json'], {
    cwd: project.directory,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR },
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}

/** The SQL `alembic upgrade BASE:SNIPPET --sql` writes for the snippet's revision alone. */
function offlineSql(project: Project): string {
  return realAlembicOk(project.directory, ['upgrade', `${BASE}:${SNIPPET}`, '--sql']).stdout;
}

describe('Revision snippets run by the real Alembic 1.8.1', function () {
  this.timeout(120_000);
  const cleanups: Array<() => unknown> = [];

  before(() => ensureCliBuilt());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function postgresProject(snippetName: string, base: { upgrade: string; downgrade: string }): Promise<{ project: Project; database: ScratchDatabase }> {
    const database = await createScratchDatabase('snippet');
    cleanups.push(() => database.drop());
    const project = makeProject(database.sqlalchemyUrl, snippetName, base);
    cleanups.push(() => rmSync(project.directory, { recursive: true, force: true }));
    return { project, database };
  }

  it('add a column nullable, backfill, then NOT NULL: every row filled, NOT NULL set, the helper check gone', async () => {
    const { project, database } = await postgresProject('Alembic: add a column nullable, backfill, then NOT NULL', {
      upgrade: "op.create_table('meetings', sa.Column('id', sa.Integer(), primary_key=True))\nop.execute('INSERT INTO meetings (id) SELECT g FROM generate_series(1, 2000) g')",
      downgrade: "op.drop_table('meetings')",
    });
    assert.deepEqual(lintFindings(project), []);
    realAlembicOk(project.directory, ['upgrade', 'head']);
    const column = await database.query<{ is_nullable: string }>("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'meetings' AND column_name = 'status'");
    assert.deepEqual(column, [{ is_nullable: 'NO' }]);
    assert.deepEqual(await database.query("SELECT status, count(*)::int AS n FROM meetings GROUP BY status"), [{ status: 'scheduled', n: 2000 }]);
    assert.deepEqual(await database.query("SELECT conname FROM pg_constraint WHERE conrelid = 'meetings'::regclass AND contype = 'c'"), []);

    // Offline, the steps appear in their own transactions: ADD COLUMN, then the backfill and the
    // VALIDATE outside any (COMMIT before each), and SET NOT NULL with the version update.
    const sql = offlineSql(project);
    const order = ["SET lock_timeout = '5s'", 'ADD COLUMN status', 'COMMIT', "UPDATE meetings SET status = 'scheduled' WHERE status IS NULL", 'NOT VALID', 'COMMIT', 'VALIDATE CONSTRAINT ck_meetings_status_not_null', 'BEGIN', 'SET NOT NULL', 'DROP CONSTRAINT ck_meetings_status_not_null', 'UPDATE alembic_version'];
    let from = 0;
    for (const text of order) {
      const at = sql.indexOf(text, from);
      assert.ok(at >= 0, `"${text}" missing after offset ${from} in:\n${sql}`);
      from = at + text.length;
    }

    realAlembicOk(project.directory, ['downgrade', BASE]);
    assert.deepEqual(await database.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'meetings' AND column_name = 'status'"), []);
    realAlembicOk(project.directory, ['upgrade', 'head']);
  });

  it('data migration in batches: every NULL filled across several batches, other values kept', async () => {
    const { project, database } = await postgresProject('Alembic: data migration in batches', {
      // 12 001 rows: three batches of 5000, the last one partly past max(id).
      upgrade: [
        "op.create_table('meetings', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('status', sa.String(20)))",
        "op.execute(\"INSERT INTO meetings (id, status) SELECT g, CASE WHEN g % 7 = 0 THEN 'done' END FROM generate_series(1, 12001) g\")",
      ].join('\n'),
      downgrade: "op.drop_table('meetings')",
    });
    assert.deepEqual(lintFindings(project), []);
    realAlembicOk(project.directory, ['upgrade', 'head']);
    assert.deepEqual(await database.query('SELECT status, count(*)::int AS n FROM meetings GROUP BY status ORDER BY status'), [
      { status: 'done', n: 1714 },
      { status: 'scheduled', n: 10287 },
    ]);
    // Not offline: the batches come from the table's max(id), which `--sql` has no connection to read.
    realAlembicOk(project.directory, ['downgrade', BASE]);
    realAlembicOk(project.directory, ['upgrade', 'head']);
  });

  it('concurrent index: a valid index built CONCURRENTLY outside the transaction, dropped the same way', async () => {
    const { project, database } = await postgresProject('Alembic: concurrent index', {
      upgrade: "op.create_table('meetings', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('created_at', sa.DateTime()))",
      downgrade: "op.drop_table('meetings')",
    });
    assert.deepEqual(lintFindings(project), []);
    realAlembicOk(project.directory, ['upgrade', 'head']);
    const valid = "SELECT indexrelid::regclass::text AS name, indisvalid FROM pg_index WHERE indexrelid = 'ix_meetings_created_at'::regclass";
    assert.deepEqual(await database.query(valid), [{ name: 'ix_meetings_created_at', indisvalid: true }]);
    assert.match(offlineSql(project), /COMMIT;\s+CREATE INDEX CONCURRENTLY ix_meetings_created_at ON meetings \(created_at\);\s+BEGIN;/);
    realAlembicOk(project.directory, ['downgrade', BASE]);
    assert.deepEqual(await database.query("SELECT 1 FROM pg_class WHERE relname = 'ix_meetings_created_at'"), []);
    realAlembicOk(project.directory, ['upgrade', 'head']);
  });

  it('foreign key NOT VALID, then VALIDATE: the constraint ends validated', async () => {
    const { project, database } = await postgresProject('Alembic: foreign key NOT VALID, then VALIDATE', {
      upgrade: [
        "op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))",
        "op.create_table('meetings', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('owner_id', sa.Integer()))",
        "op.execute('INSERT INTO users (id) VALUES (1), (2)')",
        "op.execute('INSERT INTO meetings (id, owner_id) SELECT g, 1 + g % 2 FROM generate_series(1, 500) g')",
      ].join('\n'),
      downgrade: "op.drop_table('meetings')\nop.drop_table('users')",
    });
    assert.deepEqual(lintFindings(project), []);
    realAlembicOk(project.directory, ['upgrade', 'head']);
    const constraint = "SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'meetings'::regclass AND contype = 'f'";
    assert.deepEqual(await database.query(constraint), [{ conname: 'fk_meetings_owner_id_users', convalidated: true }]);
    assert.match(offlineSql(project), /FOREIGN KEY\(owner_id\) REFERENCES users \(id\) NOT VALID;\s+COMMIT;\s+ALTER TABLE meetings VALIDATE CONSTRAINT fk_meetings_owner_id_users;/);
    realAlembicOk(project.directory, ['downgrade', BASE]);
    assert.deepEqual(await database.query(constraint), []);
    realAlembicOk(project.directory, ['upgrade', 'head']);
  });

  it('batch_alter_table for SQLite: the column retyped through a table copy, rows kept, and back', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'aw-snippet-db-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const databaseFile = path.join(directory, 'app.db');
    const project = makeProject(`sqlite:///${databaseFile}`, 'Alembic: batch_alter_table for SQLite', {
      upgrade: "op.create_table('meetings', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('duration_seconds', sa.Integer()))\nop.execute('INSERT INTO meetings (id, duration_seconds) VALUES (1, 60), (2, NULL)')",
      downgrade: "op.drop_table('meetings')",
    });
    cleanups.push(() => rmSync(project.directory, { recursive: true, force: true }));
    assert.deepEqual(lintFindings(project), []);
    const columns = () => {
      const result = spawnSync('/usr/bin/python3', ['-c', 'import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps([c.execute("SELECT name, type FROM pragma_table_info(\'meetings\')").fetchall(), c.execute("SELECT * FROM meetings ORDER BY id").fetchall()]))', databaseFile], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as unknown;
    };
    realAlembicOk(project.directory, ['upgrade', 'head']);
    assert.deepEqual(columns(), [[['id', 'INTEGER'], ['duration_seconds', 'BIGINT']], [[1, 60], [2, null]]]);
    realAlembicOk(project.directory, ['downgrade', BASE]);
    assert.deepEqual(columns(), [[['id', 'INTEGER'], ['duration_seconds', 'INTEGER']], [[1, 60], [2, null]]]);
    realAlembicOk(project.directory, ['upgrade', 'head']);
  });

  it('covers every revision snippet (the health check is app code, not a revision)', () => {
    const covered = ['Alembic: add a column nullable, backfill, then NOT NULL', 'Alembic: data migration in batches', 'Alembic: concurrent index', 'Alembic: foreign key NOT VALID, then VALIDATE', 'Alembic: batch_alter_table for SQLite'];
    assert.deepEqual(Object.keys(SNIPPETS).filter((name) => !name.includes('health check')).sort(), covered.sort());
  });
});
