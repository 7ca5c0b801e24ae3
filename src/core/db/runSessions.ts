// The database sessions of one Alembic run, found by the application_name the runner gives the run
// (libpq's PGAPPNAME). Ending the process does not end its server-side work: PostgreSQL notices a
// vanished client only when it next talks to it, so a cancelled `CREATE INDEX` or `pg_sleep` keeps
// running and holding its locks. Terminating the session rolls its transaction back at once.
import { sql } from 'kysely';
import type { DatabaseClient } from './databaseClient';

/**
 * Terminates the PostgreSQL sessions named `applicationName` (their transactions roll back and their
 * locks are freed). Returns their pids; none on SQLite. A role may end its own sessions without
 * any privilege, which is the case here: the run connected as the same role.
 */
export async function endRunSessions(client: DatabaseClient, applicationName: string): Promise<number[]> {
  if (client.spec.dialect !== 'postgresql') return [];
  return client.run(async (db) => {
    // Two statements, not one WHERE: PostgreSQL may evaluate pg_terminate_backend() before the
    // application_name test, on every session of the server.
    const found = await sql<{ pid: number }>`
      select pid from pg_stat_activity where application_name = ${applicationName} and pid <> pg_backend_pid()
    `.execute(db);
    const pids = found.rows.map((row) => row.pid);
    if (pids.length === 0) return [];
    const ended = await sql<{ pid: number }>`
      select pid from unnest(${pids}::int[]) as pid where pg_terminate_backend(pid)
    `.execute(db);
    return ended.rows.map((row) => row.pid);
  });
}
