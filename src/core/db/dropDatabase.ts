// Dropping a database that something may still be using: the demo's own database on Ctrl+C, the
// test suites' scratch databases.
import type pg from 'pg';

const INSUFFICIENT_PRIVILEGE = '42501';
const OBJECT_IN_USE = '55006';

/**
 * DROP DATABASE IF EXISTS, ending other sessions first. WITH (FORCE) ends every session, but on
 * PostgreSQL 15 it refuses ("must be a member of the role whose process is being terminated") when
 * an autovacuum worker is in the database, which happens right after a bulk insert. A plain DROP
 * stops autovacuum workers by itself, so then: end this role's own sessions and drop without FORCE,
 * retrying while a session is still closing.
 */
export async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  const quoted = `"${name.replace(/"/g, '""')}"`;
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
  }
  for (let attempt = 1; ; attempt++) {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()', [name]);
    try {
      await client.query(`DROP DATABASE IF EXISTS ${quoted}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
