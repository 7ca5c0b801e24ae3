// The version table on a real PostgreSQL 15: missing, empty, one head, two heads, an unknown
// revision, custom table and schema names (odd identifiers included).
import assert from 'node:assert/strict';
import type { DatabaseClient } from '../../../src/core/db/databaseClient';
import { computeDatabaseState, graphViewFromRevisions } from '../../../src/core/db/databaseState';
import { readVersionTable } from '../../../src/core/db/versionTable';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { clientForUrl } from './dbTestKit';

// The DDL Alembic 1.8.1 runs (see its migration.py: version_num VARCHAR(32) NOT NULL, pk).
const createVersionTable = (qualified: string, constraint = 'alembic_version_pkc') =>
  `CREATE TABLE ${qualified} (version_num VARCHAR(32) NOT NULL, CONSTRAINT "${constraint}" PRIMARY KEY (version_num))`;

const graph = graphViewFromRevisions([
  { id: 'aaaa00000001', parents: [] },
  { id: 'bbbb00000002', parents: ['aaaa00000001'] },
  { id: 'cccc00000003', parents: ['bbbb00000002'] },
  { id: 'dddd00000004', parents: ['bbbb00000002'] },
]);

describe('readVersionTable on PostgreSQL', function () {
  this.timeout(30_000);
  let db: ScratchDatabase;
  let client: DatabaseClient;

  before(async () => {
    db = await createScratchDatabase('version_table');
    client = clientForUrl(db.sqlalchemyUrl);
  });
  after(async () => {
    await client?.close();
    await db?.drop();
  });

  it('missing table: not initialised (base)', async () => {
    const contents = await readVersionTable(client);
    assert.deepEqual(contents, { table: { table: 'alembic_version' }, exists: false, rows: [] });
    const state = computeDatabaseState(contents.rows, graph);
    assert.equal(state.pending.length, 4);
  });

  it('empty table: initialised, at base', async () => {
    await db.query(createVersionTable('alembic_version'));
    const contents = await readVersionTable(client);
    assert.equal(contents.exists, true);
    assert.deepEqual(contents.rows, []);
  });

  it('one head', async () => {
    await db.query(`INSERT INTO alembic_version VALUES ('bbbb00000002')`);
    const contents = await readVersionTable(client);
    assert.deepEqual(contents.rows, ['bbbb00000002']);
    const state = computeDatabaseState(contents.rows, graph);
    assert.deepEqual(state.applied, ['aaaa00000001', 'bbbb00000002']);
    assert.deepEqual(state.pending, ['cccc00000003', 'dddd00000004']);
  });

  it('two heads on branches', async () => {
    await db.query(`DELETE FROM alembic_version`);
    await db.query(`INSERT INTO alembic_version VALUES ('dddd00000004'), ('cccc00000003')`);
    const contents = await readVersionTable(client);
    assert.deepEqual(contents.rows, ['cccc00000003', 'dddd00000004']);
    const state = computeDatabaseState(contents.rows, graph);
    assert.deepEqual(state.pending, []);
    assert.equal(state.upToDate, true);
  });

  it('an unknown revision', async () => {
    await db.query(`DELETE FROM alembic_version`);
    await db.query(`INSERT INTO alembic_version VALUES ('0badc0ffee42')`);
    const state = computeDatabaseState((await readVersionTable(client)).rows, graph);
    assert.deepEqual(state.unknown, ['0badc0ffee42']);
    assert.match(state.problems[0]!.message, /^database is at 0badc0ffee42, which no revision file defines/);
  });

  it('custom version table and schema, with odd identifiers quoted safely', async () => {
    await db.query(`CREATE SCHEMA "Audit ""Trail"""`);
    await db.query(createVersionTable(`"Audit ""Trail"""."Weird Version.Table"`, 'weird_pk'));
    await db.query(`INSERT INTO "Audit ""Trail"""."Weird Version.Table" VALUES ('cccc00000003')`);
    const contents = await readVersionTable(client, { table: 'Weird Version.Table', schema: 'Audit "Trail"' });
    assert.deepEqual(contents.rows, ['cccc00000003']);
    // Same names without the schema: not found on the search path, so not initialised.
    assert.equal((await readVersionTable(client, { table: 'Weird Version.Table' })).exists, false);
    // A schema that does not exist is "not initialised", not an error.
    assert.equal((await readVersionTable(client, { table: 'alembic_version', schema: 'nope' })).exists, false);
  });

  it('a hostile table name is an identifier, never SQL', async () => {
    await db.query(`CREATE TABLE canary (id int)`);
    const contents = await readVersionTable(client, { table: `alembic_version"; DROP TABLE canary; --` });
    assert.equal(contents.exists, false);
    assert.deepEqual(await db.query(`SELECT to_regclass('canary') IS NOT NULL AS present`), [{ present: true }]);
  });

  it('a version table on the search path in another schema', async () => {
    await db.query(`CREATE SCHEMA app`);
    await db.query(createVersionTable('app.alembic_version', 'app_pk'));
    await db.query(`INSERT INTO app.alembic_version VALUES ('aaaa00000001')`);
    const searchPath = clientForUrl(`${db.sqlalchemyUrl}?options=-csearch_path%3Dapp`);
    try {
      assert.deepEqual((await readVersionTable(searchPath)).rows, ['aaaa00000001']);
    } finally {
      await searchPath.close();
    }
  });
});
