// Database state: our direct read (kysely + pg / sql.js) beside `alembic current`, the command
// users run today, on the same project and database. Also: how long a down database takes to
// answer, the state computation on a 5000-revision history, and a batched table-size lookup.
// Needs PostgreSQL as `npm test` sets it up (aw_test on 127.0.0.1:5432).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { computeDatabaseState, graphViewFromRevisions } from '../src/core/db/databaseState';
import { DatabaseStatusService } from '../src/core/db/databaseStatusService';
import { resolveDatabaseTargets } from '../src/core/db/databaseTargets';
import { fetchTableStats } from '../src/core/db/tableStats';
import { createDatabaseClient } from '../src/core/db/databaseClient';
import { toDatabaseConnectionSpec } from '../src/core/db/sqlalchemyUrl';
import { createScratchDatabase } from '../test/support/postgres';
import { REAL_ALEMBIC } from '../test/support/realAlembic';
import { generateBranchedProject, REV } from '../test/integration/db/alembicProjectKit';
import { blackholePort } from '../test/integration/db/dbTestKit';
import { formatMs, printTable, timeInProcess, timeProcess } from './benchKit';

export async function runBenchmark(): Promise<void> {
  const rows: string[][] = [];
  const db = await createScratchDatabase('bench_db_state');
  const pgProject = generateBranchedProject({ sqlalchemyUrl: db.sqlalchemyUrl });
  const sqliteProject = generateBranchedProject({ sqlalchemyUrl: 'sqlite:///app.db' });
  const service = new DatabaseStatusService();
  try {
    pgProject.alembicOk(['upgrade', REV.d]);
    sqliteProject.alembicOk(['upgrade', REV.d]);
    const targetOf = async (directory: string, iniUrl: string) =>
      (await resolveDatabaseTargets({ projectId: directory, baseDirectory: directory, iniUrl, settings: {}, environment: {} })).selected!;
    const pgTarget = await targetOf(pgProject.directory, db.sqlalchemyUrl);
    const sqliteTarget = await targetOf(sqliteProject.directory, 'sqlite:///app.db');

    const alembicPg = timeProcess([REAL_ALEMBIC, 'current'], { cwd: pgProject.directory });
    const oursPgWarm = await timeInProcess(() => service.readDatabaseStatus({ id: 'pg' }, pgTarget, pgProject.graph, { source: 'database' }), { runs: 21 });
    const oursPgCold = await timeInProcess(async () => {
      const cold = new DatabaseStatusService();
      await cold.readDatabaseStatus({ id: 'pg' }, pgTarget, pgProject.graph, { source: 'database' });
      await cold.dispose();
    });
    rows.push(['PostgreSQL, pool warm (refresh)', formatMs(oursPgWarm), formatMs(alembicPg), `${(alembicPg / oursPgWarm).toFixed(0)}x`]);
    rows.push(['PostgreSQL, new connection', formatMs(oursPgCold), formatMs(alembicPg), `${(alembicPg / oursPgCold).toFixed(0)}x`]);

    const alembicSqlite = timeProcess([REAL_ALEMBIC, 'current'], { cwd: sqliteProject.directory });
    const oursSqlite = await timeInProcess(() => service.readDatabaseStatus({ id: 'sqlite' }, sqliteTarget, sqliteProject.graph, { source: 'database' }), { runs: 21 });
    rows.push(['SQLite file (sql.js)', formatMs(oursSqlite), formatMs(alembicSqlite), `${(alembicSqlite / oursSqlite).toFixed(0)}x`]);

    // A database that never answers: we give up at the 3 s timeout; Alembic (psycopg2 has no
    // connect timeout by default) waits for the kernel's SYN retries. Cut at 15 s.
    const blackhole = await blackholePort();
    try {
      const url = `postgresql://app:pw@127.0.0.1:${blackhole.port}/app`;
      const downTarget = await targetOf(pgProject.directory, url);
      const started = performance.now();
      await service.readDatabaseStatus({ id: 'down' }, downTarget, pgProject.graph, { source: 'database' });
      const ours = performance.now() - started;
      const downProject = generateBranchedProject({ sqlalchemyUrl: url });
      const alembicStarted = performance.now();
      spawnSync(REAL_ALEMBIC, ['current'], { cwd: downProject.directory, timeout: 15_000, stdio: 'ignore' });
      const alembicMs = performance.now() - alembicStarted;
      rmSync(downProject.directory, { recursive: true, force: true });
      rows.push(['unreachable database (SYNs dropped)', formatMs(ours), alembicMs >= 14_900 ? '> 15 s (killed)' : formatMs(alembicMs), '']);
    } finally {
      blackhole.stop();
    }
  } finally {
    await service.dispose();
    await db.drop();
    rmSync(pgProject.directory, { recursive: true, force: true });
    rmSync(sqliteProject.directory, { recursive: true, force: true });
  }
  printTable('Database state: ours (in process) vs `alembic current` (whole process), median', ['case', 'ours', 'alembic current', 'ratio'], rows);

  const revisions = Array.from({ length: 5000 }, (_, index) => ({
    id: `r${index}`,
    parents: index === 0 ? [] : index % 500 === 250 ? [`r${index - 1}`, `r${index - 250}`] : [`r${index - 1}`],
  }));
  const graph = graphViewFromRevisions(revisions);
  const compute = await timeInProcess(() => computeDatabaseState(['r2500'], graph), { runs: 11 });
  printTable('State computation (applied/pending/current) in process', ['history', 'time'], [['5000 revisions, with merges', formatMs(compute)]]);

  const statsDb = await createScratchDatabase('bench_table_stats');
  try {
    await statsDb.query(Array.from({ length: 50 }, (_, index) => `CREATE TABLE t${index} (id int); INSERT INTO t${index} SELECT generate_series(1, ${index * 100});`).join('\n'));
    await statsDb.query('ANALYZE');
    const client = createDatabaseClient(toDatabaseConnectionSpec(statsDb.sqlalchemyUrl));
    const references = Array.from({ length: 50 }, (_, index) => ({ table: `t${index}` }));
    const batched = await timeInProcess(() => fetchTableStats(client, references));
    await client.close();
    printTable('Table statistics (catalog estimates, one query)', ['tables', 'time'], [['50 tables', formatMs(batched)]]);
  } finally {
    await statsDb.drop();
  }
}
