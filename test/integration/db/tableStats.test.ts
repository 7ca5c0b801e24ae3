// Estimated rows and sizes from PostgreSQL's catalog, on real tables.
import assert from 'node:assert/strict';
import type { DatabaseClient } from '../../../src/core/db/databaseClient';
import { fetchTableStats, formatTableSize, referenceKey, TableStatsCache } from '../../../src/core/db/tableStats';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { clientForUrl, closedPort, timed } from './dbTestKit';

// Autovacuum off on every table: a worker arriving after the bulk inserts would add free-space
// and visibility maps, so sizes would change between the lookup and the check of a test.
const NO_AUTOVACUUM = 'WITH (autovacuum_enabled = false)';

describe('table statistics on PostgreSQL', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let client: DatabaseClient;

  before(async () => {
    db = await createScratchDatabase('table_stats');
    await db.query(`CREATE TABLE meetings (id bigserial PRIMARY KEY, title text NOT NULL, created_at timestamptz DEFAULT now()) ${NO_AUTOVACUUM}`);
    await db.query(`INSERT INTO meetings (title) SELECT 'meeting ' || g FROM generate_series(1, 200000) AS g`);
    await db.query(`CREATE SCHEMA archive`);
    await db.query(`CREATE TABLE archive.meetings (id int) ${NO_AUTOVACUUM}`);
    await db.query(`INSERT INTO archive.meetings SELECT g FROM generate_series(1, 1000) AS g`);
    await db.query(`CREATE TABLE "Odd.Name" (id int) ${NO_AUTOVACUUM}`);
    await db.query(`INSERT INTO "Odd.Name" SELECT g FROM generate_series(1, 10) AS g`);
    await db.query(`CREATE TABLE never_analysed (id int) ${NO_AUTOVACUUM}`);
    await db.query(`CREATE TABLE events (id int, at date) PARTITION BY RANGE (at)`);
    await db.query(`CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') ${NO_AUTOVACUUM}`);
    await db.query(`CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') ${NO_AUTOVACUUM}`);
    await db.query(`INSERT INTO events SELECT g, DATE '2025-01-01' + (g % 700) FROM generate_series(1, 30000) AS g`);
    await db.query(`ANALYZE meetings, archive.meetings, "Odd.Name", events`);
    client = clientForUrl(db.sqlalchemyUrl);
  });
  after(async () => {
    await client?.close();
    await db?.drop();
  });

  it('reads reltuples and total size after ANALYZE, in one batch, schema-aware', async () => {
    const references = [
      { table: 'meetings' },
      { table: 'meetings', schema: 'archive' },
      { table: 'Odd.Name' },
      { table: 'missing_table' },
      { table: 'never_analysed' },
      { table: 'events' },
    ];
    const stats = await fetchTableStats(client, references);
    const [{ size: realSize }] = await db.query<{ size: string }>(`SELECT pg_total_relation_size('meetings')::text AS size`);
    const meetings = stats.get(referenceKey(references[0]!))!;
    assert.equal(meetings.schema, 'public');
    assert.equal(meetings.totalBytes, Number(realSize));
    assert.ok(Math.abs(meetings.estimatedRows! - 200_000) < 10_000, `estimated ${meetings.estimatedRows}`);
    assert.match(formatTableSize(meetings), /^~\d+(\.\d)?k rows, \d+(\.\d)? MB$/);
    const archived = stats.get(referenceKey(references[1]!))!;
    assert.equal(archived.schema, 'archive');
    assert.equal(archived.estimatedRows, 1000);
    assert.equal(stats.get(referenceKey(references[2]!))?.estimatedRows, 10);
    assert.equal(stats.get(referenceKey(references[3]!)), null);
    const never = stats.get(referenceKey(references[4]!))!;
    assert.equal(never.estimatedRows, undefined);
    assert.match(formatTableSize(never), /rows unknown \(never analysed\)/);
    const events = stats.get(referenceKey(references[5]!))!;
    assert.ok(Math.abs(events.estimatedRows! - 30_000) < 1_500, `partitioned estimate ${events.estimatedRows}`);
    const [{ size: partitions }] = await db.query<{ size: string }>(`SELECT (pg_total_relation_size('events_2025') + pg_total_relation_size('events_2026'))::text AS size`);
    assert.equal(events.totalBytes, Number(partitions));
  });

  it('caches answers for the TTL and batches concurrent lookups', async () => {
    let now = 1_000;
    const cache = new TableStatsCache(client, { ttlMs: 60_000, now: () => now });
    assert.equal(cache.peek({ table: 'meetings' }), undefined);
    const [one, two] = await Promise.all([cache.lookupOne({ table: 'meetings' }), cache.lookupOne({ table: 'meetings', schema: 'archive' })]);
    assert.ok(one && two);
    assert.equal(cache.peek({ table: 'meetings' })?.totalBytes, one.totalBytes);
    // Grow the table: the cached answer stays until the TTL runs out.
    await db.query(`INSERT INTO archive.meetings SELECT g FROM generate_series(1, 5000) AS g`);
    await db.query(`ANALYZE archive.meetings`);
    assert.equal((await cache.lookupOne({ table: 'meetings', schema: 'archive' }))?.estimatedRows, 1000);
    now += 60_001;
    assert.equal(cache.peek({ table: 'meetings', schema: 'archive' }), undefined);
    assert.equal((await cache.lookupOne({ table: 'meetings', schema: 'archive' }))?.estimatedRows, 6000);
    const many = await cache.lookup([{ table: 'meetings' }, { table: 'missing_table' }]);
    assert.equal(many.get(referenceKey({ table: 'missing_table' })), undefined);
  });

  it('never throws into the caller: a down database gives undefined, quickly', async () => {
    const down = clientForUrl(`postgresql://app:pw@127.0.0.1:${await closedPort()}/app`);
    try {
      const cache = new TableStatsCache(down);
      const { value, error, ms } = await timed(() => cache.lookupOne({ table: 'meetings' }));
      assert.equal(error, undefined);
      assert.equal(value, undefined);
      // Well before the 3 s connect timeout: a refused port is answered at once.
      assert.ok(ms < 2500, `waited for the connect timeout: ${ms} ms`);
    } finally {
      await down.close();
    }
  });
});
