// Reads Alembic's version table (`alembic_version` with one `version_num` column, one row per
// applied head) through kysely, which quotes the configured table and schema names, so odd
// identifiers (`"weird ""name"`, mixed case, spaces) are read safely and never spliced into SQL.
import { sql } from 'kysely';
import type { AnyKysely, DatabaseClient, RunOptions } from './databaseClient';

export interface VersionTableName {
  /** `version_table` in env.py; Alembic's default is `alembic_version`. */
  table: string;
  /** `version_table_schema` in env.py; undefined = the search path (PostgreSQL) / main (SQLite). */
  schema?: string;
}

export const DEFAULT_VERSION_TABLE: VersionTableName = { table: 'alembic_version' };

export interface VersionTableContents {
  table: VersionTableName;
  /** False when the table (or its schema) does not exist: the database is not initialised (base). */
  exists: boolean;
  /** The revision ids in the table, sorted; empty = base. */
  rows: string[];
}

export async function readVersionTable(
  client: DatabaseClient,
  table: VersionTableName = DEFAULT_VERSION_TABLE,
  options: RunOptions = {},
): Promise<VersionTableContents> {
  const name = normaliseVersionTableName(table);
  return client.run(async (db) => {
    try {
      const rows = await selectVersionRows(db, name);
      return { table: name, exists: true, rows };
    } catch (error) {
      if (isMissingTable(error)) return { table: name, exists: false, rows: [] };
      throw error;
    }
  }, options);
}

export function normaliseVersionTableName(table: VersionTableName): VersionTableName {
  const trimmed = table.table.trim();
  const schema = table.schema?.trim();
  return { table: trimmed || DEFAULT_VERSION_TABLE.table, ...(schema ? { schema } : {}) };
}

/** "alembic_version" or "audit.alembic_version", for messages. */
export function describeVersionTable(table: VersionTableName): string {
  return table.schema ? `${table.schema}.${table.table}` : table.table;
}

async function selectVersionRows(db: AnyKysely, table: VersionTableName): Promise<string[]> {
  // sql.id quotes each part as one identifier; `selectFrom('a.b')` would split a dotted table name.
  const name = table.schema ? sql.id(table.schema, table.table) : sql.id(table.table);
  const result = await sql<{ version_num: unknown }>`select version_num from ${name}`.execute(db);
  return result.rows
    .map((row) => row.version_num)
    .filter((value): value is string => typeof value === 'string' && value.length > 0)
    .sort();
}

function isMissingTable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  // PostgreSQL: undefined_table, invalid_schema_name. SQLite: "no such table" / unknown database.
  if (code === '42P01' || code === '3F000') return true;
  return /no such table|unknown database/i.test(String((error as Error)?.message ?? ''));
}
