// Scratch PostgreSQL databases for tests. `npm test` (scripts/test.mjs) starts the server, creates
// the `aw_test` role and sets AW_TEST_* variables; each database made here carries the run's id so
// the runner drops them all at the end, even when a test forgets to.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase } from '../../src/core/db/dropDatabase';

export interface TestPostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function testPostgresConnection(): TestPostgresConnection {
  return {
    host: process.env.AW_TEST_PG_HOST ?? '127.0.0.1',
    port: Number(process.env.AW_TEST_PG_PORT ?? 5432),
    user: process.env.AW_TEST_PG_USER ?? 'aw_test',
    password: process.env.AW_TEST_PG_PASSWORD ?? 'aw_test',
  };
}

export interface ScratchDatabase {
  name: string;
  connection: TestPostgresConnection & { database: string };
  /** `postgresql+psycopg2://...` for alembic.ini / DATABASE_URL. */
  sqlalchemyUrl: string;
  /** `postgresql://...` for libpq-style clients. */
  url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const connection = testPostgresConnection();
  const client = new pg.Client({ ...connection, database: 'postgres', connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${connection.host}:${connection.port} as ${connection.user} ` +
        `(${(error as Error).message}). Run the suites through \`npm test\`, which starts it and creates the role.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database owned by the test role; `label` makes it recognisable in logs. */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const runId = process.env.AW_TEST_RUN_ID ?? 'aw_local';
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 20);
  const name = `${runId}_${safeLabel}_${randomBytes(3).toString('hex')}`.slice(0, 63);
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const connection = { ...testPostgresConnection(), database: name };
  const credentials = `${encodeURIComponent(connection.user)}:${encodeURIComponent(connection.password)}`;
  const hostPart = `${connection.host}:${connection.port}/${name}`;
  return {
    name,
    connection,
    sqlalchemyUrl: `postgresql+psycopg2://${credentials}@${hostPart}`,
    url: `postgresql://${credentials}@${hostPart}`,
    async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      const client = new pg.Client(connection);
      await client.connect();
      try {
        return (await client.query<T>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      await withAdminClient((client) => dropDatabase(client, name));
    },
  };
}
