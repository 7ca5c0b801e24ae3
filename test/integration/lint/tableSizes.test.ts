// Table sizes in lint messages, end to end without the editor: the example project migrated by the
// real Alembic into a scratch PostgreSQL database, rows added and analysed, the project's target
// found the way the extension finds it (database.url setting), and the lint findings of the risky
// revision given the sizes the catalog reports. The lint itself never waits: before the background
// lookup the note is simply absent. (The same path runs in the real VS Code in
// test/vscode/suite/diagnostics.test.ts.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseStatusService } from '../../../src/core/db/databaseStatusService';
import { discoverDatabaseTargets } from '../../../src/core/db/databaseTargets';
import { describeTableSize, type TableStatsCache } from '../../../src/core/db/tableStats';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { tableReference, tablesToMeasure, tableSizeNote } from '../../../src/core/lint/tableSizeNotes';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { copyToTemp, EXAMPLE_PROJECT, realAlembicOk } from '../../support/realAlembic';

describe('table sizes in lint messages (real Alembic, real PostgreSQL)', function () {
  this.timeout(120_000);
  let database: ScratchDatabase;
  let workspace: string;
  let service: DatabaseStatusService;
  let cache: TableStatsCache;

  before(async () => {
    database = await createScratchDatabase('lint_table_sizes');
    workspace = copyToTemp(EXAMPLE_PROJECT, 'aw-table-sizes-');
    const backend = path.join(workspace, 'backend');
    realAlembicOk(backend, ['upgrade', 'head'], { DATABASE_URL: database.sqlalchemyUrl });
    await database.query(`INSERT INTO users (id, email, created_at) SELECT g, 'u' || g || '@example.com', now() FROM generate_series(1, 50) AS g`);
    await database.query(
      `INSERT INTO meetings (id, owner_id, title, created_at, duration_seconds) SELECT g, 1 + g % 50, 'meeting ' || g, now(), g FROM generate_series(1, 40000) AS g`,
    );
    // Vacuumed now and autovacuum kept off: a worker arriving later would add the free-space and
    // visibility maps and change the size between the lookup and the check below.
    await database.query(`ALTER TABLE meetings SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)`);
    await database.query(`ALTER TABLE users SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)`);
    await database.query(`VACUUM ANALYZE users, meetings`);
    const { selected } = await discoverDatabaseTargets({
      projectId: 'example',
      baseDirectory: backend,
      iniUrl: 'postgresql+psycopg2://meeting:meeting@localhost:5432/meeting_assistant',
      iniFile: path.join(backend, 'alembic.ini'),
      settings: { url: database.sqlalchemyUrl },
      environment: {},
      composeService: 'backend',
      searchComposeUpTo: workspace,
    });
    assert.ok(selected?.spec, 'the database.url setting gives a target');
    service = new DatabaseStatusService();
    const found = service.tableStatsFor(selected);
    assert.ok(found, 'a PostgreSQL target has table statistics');
    cache = found;
  });

  after(async () => {
    await service?.dispose();
    await database?.drop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('adds "Rewrites meetings: ~40k rows, <size>" to the type change once looked up, nothing before', async () => {
    const versions = path.join(workspace, 'backend', 'alembic', 'versions');
    const file = path.join(versions, readdirSync(versions).find((name) => name.includes('a64b9c0e2f57'))!);
    const { findings } = lintMigration(readFileSync(file, 'utf8'), { filePath: file, context: createLintContext({ dialect: 'postgresql' }) });
    const rewrite = findings.find((finding) => finding.code === 'AW101' && finding.severity === 'warning');
    assert.ok(rewrite, findings.map((finding) => finding.code).join(', '));
    assert.deepEqual(rewrite.tables, [{ name: 'meetings' }]);

    // The synchronous path the lint takes: nothing cached yet, so no note and no waiting.
    assert.equal(tableSizeNote(rewrite, (table) => cache.peek(table)), undefined);

    const tables = findings.flatMap(tablesToMeasure).map(tableReference);
    assert.deepEqual([...new Set(tables.map((table) => table.table))].sort(), ['meetings', 'transcripts']);
    await cache.lookup(tables);
    const meetings = cache.peek({ table: 'meetings' });
    assert.ok(meetings && meetings.estimatedRows !== undefined && Math.abs(meetings.estimatedRows - 40_000) < 2_000, JSON.stringify(meetings));
    const [{ size }] = await database.query<{ size: string }>(`SELECT pg_total_relation_size('meetings')::text AS size`);
    assert.equal(meetings.totalBytes, Number(size));
    assert.equal(tableSizeNote(rewrite, (table) => cache.peek(table)), `Rewrites ${describeTableSize(meetings)}.`);
    assert.match(tableSizeNote(rewrite, (table) => cache.peek(table))!, /^Rewrites meetings: ~4\dk rows, \d+(\.\d)? MB\.$/);

    // transcripts exists but was never analysed (no rows): its size is still given, rows unknown or 0.
    const widening = findings.find((finding) => finding.code === 'AW101' && finding.severity === 'info');
    assert.match(tableSizeNote(widening!, (table) => cache.peek(table)) ?? '', /^Locks transcripts: /);
  });
});
