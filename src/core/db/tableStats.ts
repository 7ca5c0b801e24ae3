// Estimated rows and on-disk size of tables, for lint findings that lock or rewrite a table
// ("rewrites meetings: ~2.3M rows, 1.1 GB"). Estimates come from the catalog (pg_class.reltuples,
// pg_total_relation_size): no table is scanned. Lookups are batched (one query for many tables),
// cached with a TTL, and never throw into the caller: a lint must not wait for, or fail on, a
// database. Only PostgreSQL has these statistics; other targets answer undefined.
import { sql } from 'kysely';
import type { DatabaseClient } from './databaseClient';

export interface TableReference {
  table: string;
  /** Undefined: resolved through the search path, like an unqualified name in a migration. */
  schema?: string;
}

export interface TableStats {
  schema: string;
  table: string;
  /** Estimated rows; undefined when the table was never analysed (reltuples = -1). */
  estimatedRows?: number;
  /** Table + indexes + TOAST, in bytes. Partitioned tables add up their partitions. */
  totalBytes: number;
}

export interface TableStatsCacheOptions {
  /** How long an answer (or a "no such table") is reused. */
  ttlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

type CacheEntry = { at: number; stats: TableStats | null };

/**
 * Table statistics of one database client, cached. `lookup` batches every table asked for in the
 * same tick into one query and de-duplicates tables already in flight.
 */
export class TableStatsCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<TableStats | null>>();
  private batch?: { references: Map<string, TableReference>; done: Promise<Map<string, TableStats | null>> };
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: DatabaseClient,
    options: TableStatsCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached answer if still fresh; never touches the database. For synchronous callers (lint). */
  peek(reference: TableReference): TableStats | undefined {
    const entry = this.entries.get(referenceKey(reference));
    return entry && this.now() - entry.at < this.ttlMs ? entry.stats ?? undefined : undefined;
  }

  /** Statistics for many tables; a table that does not exist or a failed lookup gives undefined. */
  async lookup(references: readonly TableReference[]): Promise<Map<string, TableStats | undefined>> {
    const answers = await Promise.all(references.map((reference) => this.lookupOne(reference)));
    return new Map(references.map((reference, index) => [referenceKey(reference), answers[index]]));
  }

  async lookupOne(reference: TableReference): Promise<TableStats | undefined> {
    const key = referenceKey(reference);
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.ttlMs) return entry.stats ?? undefined;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.enqueue(key, reference);
      this.inFlight.set(key, pending);
    }
    try {
      return (await pending) ?? undefined;
    } catch {
      return undefined;
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private enqueue(key: string, reference: TableReference): Promise<TableStats | null> {
    if (!this.batch) {
      const references = new Map<string, TableReference>();
      const done = Promise.resolve().then(async () => {
        this.batch = undefined;
        try {
          return await fetchTableStats(this.client, [...references.values()]);
        } finally {
          for (const batchedKey of references.keys()) this.inFlight.delete(batchedKey);
        }
      });
      this.batch = { references, done };
    }
    this.batch.references.set(key, reference);
    return this.batch.done.then(
      (results) => {
        const stats = results.get(key) ?? null;
        this.entries.set(key, { at: this.now(), stats });
        return stats;
      },
      // Failures are not cached: the next lint asks again (the database may be back).
      () => null,
    );
  }
}

/**
 * One catalog query for many tables. Throws DatabaseUnreachableError when the database can't be
 * read; the cache above turns that into undefined.
 */
export async function fetchTableStats(client: DatabaseClient, references: readonly TableReference[]): Promise<Map<string, TableStats | null>> {
  const results = new Map<string, TableStats | null>(references.map((reference) => [referenceKey(reference), null]));
  if (references.length === 0 || client.spec.dialect !== 'postgresql') return results;
  // Names go in as array parameters and are quoted by format('%I'), so to_regclass sees exactly the
  // identifier (mixed case, dots, quotes) and resolves unqualified ones through the search path.
  const keys = references.map(referenceKey);
  const rows = await client.run(async (db) => {
    const result = await sql<{ key: string; schema: string | null; table: string | null; reltuples: number | null; total_bytes: string | null }>`
      select w.key,
             n.nspname as schema,
             c.relname as table,
             case when c.relkind = 'p' then (
                    select case when bool_and(p.reltuples < 0) then -1 else sum(greatest(p.reltuples, 0)) end
                    from pg_partition_tree(c.oid) t join pg_class p on p.oid = t.relid where t.isleaf)
                  else c.reltuples end as reltuples,
             case when c.relkind = 'p' then (
                    select sum(pg_total_relation_size(t.relid)) from pg_partition_tree(c.oid) t where t.isleaf)
                  else pg_total_relation_size(c.oid) end::text as total_bytes
      from unnest(${keys}::text[], ${references.map((reference) => reference.schema ?? null)}::text[], ${references.map((reference) => reference.table)}::text[])
             as w(key, schema_name, table_name)
      left join pg_class c on c.oid = to_regclass(
             case when w.schema_name is null then format('%I', w.table_name)
                  else format('%I.%I', w.schema_name, w.table_name) end)
      left join pg_namespace n on n.oid = c.relnamespace
    `.execute(db);
    return result.rows;
  });
  for (const row of rows) {
    if (!row.table || row.schema === null || row.total_bytes === null) continue;
    const reltuples = row.reltuples === null ? -1 : Number(row.reltuples);
    results.set(row.key, {
      schema: row.schema,
      table: row.table,
      estimatedRows: reltuples < 0 ? undefined : Math.round(reltuples),
      totalBytes: Number(row.total_bytes),
    });
  }
  return results;
}

/** "meetings: ~2.3M rows, 1.1 GB" (schema shown when it is not public), for lint messages. */
export function describeTableSize(stats: TableStats): string {
  const name = stats.schema === 'public' ? stats.table : `${stats.schema}.${stats.table}`;
  return `${name}: ${formatTableSize(stats)}`;
}

/** "~2.3M rows, 1.1 GB"; "16 MB, rows unknown (never analysed)". */
export function formatTableSize(stats: Pick<TableStats, 'estimatedRows' | 'totalBytes'>): string {
  const size = formatBytes(stats.totalBytes);
  if (stats.estimatedRows === undefined) return `${size}, rows unknown (never analysed)`;
  return `~${formatCount(stats.estimatedRows)} rows, ${size}`;
}

export function formatCount(count: number): string {
  const units: Array<[number, string]> = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (count >= size * 0.9995) return `${trimNumber(count / size)}${suffix}`;
  }
  return String(Math.round(count));
}

/** Bytes in 1024 steps with PostgreSQL's unit names (pg_size_pretty): "8 kB", "1.1 GB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 * 0.9995 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${trimNumber(value)} ${units[unit]}`;
}

function trimNumber(value: number): string {
  // One decimal below 10 ("2.3M"), none above ("230M"), no trailing ".0".
  const rounded = value < 9.95 ? Math.round(value * 10) / 10 : Math.round(value);
  return String(rounded);
}

/** The key of a table in lookup results (unambiguous even for names that hold dots). */
export function referenceKey(reference: TableReference): string {
  return JSON.stringify([reference.schema ?? null, reference.table]);
}
