// dropDatabase (src/core/db/dropDatabase.ts) against the real PostgreSQL 15, with a session of
// another role inside the database, as an autovacuum worker is after a bulk insert: WITH (FORCE)
// is refused then, and the drop must still happen once that session ends. The other role is the
// server's superuser, reached through the OS account `postgres` (the suite runs as root).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { dropDatabase } from '../../../src/core/db/dropDatabase';
import { createScratchDatabase, testPostgresConnection } from '../../support/postgres';

describe('dropDatabase with a session of another role inside', function () {
  this.timeout(60_000);

  before(function () {
    const probe = spawnSync('runuser', ['-u', 'postgres', '--', 'psql', '-p', String(testPostgresConnection().port), '-Atc', 'select 1'], { encoding: 'utf8' });
    if (probe.status !== 0) this.skip(); // Not root, or no local superuser: nothing to stand in for autovacuum.
  });

  it('drops the database once the other session ends, where WITH (FORCE) alone is refused', async () => {
    const database = await createScratchDatabase('drop_other_role');
    const connection = testPostgresConnection();
    // A superuser session that stays for a second and a half.
    const other = spawn('runuser', ['-u', 'postgres', '--', 'psql', '-p', String(connection.port), '-d', database.name, '-Atc', 'select pg_sleep(1.5)'], { stdio: 'ignore' });
    const admin = new pg.Client({ ...connection, database: 'postgres' });
    await admin.connect();
    try {
      const inside = async () => (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database.name])).rows[0].n as number;
      for (let tries = 0; (await inside()) === 0 && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok((await inside()) > 0, 'the other session did not start');
      await assert.rejects(admin.query(`DROP DATABASE "${database.name}" WITH (FORCE)`), /must be a superuser|must be a member of the role/);
      await dropDatabase(admin, database.name);
      const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database.name]);
      assert.equal(left.rowCount, 0);
    } finally {
      other.kill();
      await admin.end();
    }
  });
});
