// A connection to one database target, for short reads (the version table, table sizes) through
// kysely. PostgreSQL goes through one small `pg` pool; SQLite files are read with sql.js (SQLite
// compiled to WebAssembly): no native module, so the same bundle loads in VS Code's Electron on
// every platform, and the file is only ever read, never written back.
//
// Every failure becomes a DatabaseUnreachableError whose message is safe to show (passwords masked)
// and reads "unreachable: <reason>" for connection failures. Nothing waits longer than the timeout
// (3 s by default): connect, statement and lock timeouts on the server side plus a deadline here
// for a server that stops answering altogether.
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import type { Database as SqlJsDatabase, SqlJsStatic, SqlValue } from 'sql.js';
import { maskSecrets } from '../util/maskSecrets';
import { DatabaseUnreachableError } from './databaseErrors';
import type { DatabaseConnectionSpec, PostgresConnectionSpec, SqliteConnectionSpec, TlsMode } from './sqlalchemyUrl';
import { tlsToPgSsl } from './sqlalchemyUrl';

export const DEFAULT_DATABASE_TIMEOUT_MS = 3000;

export interface DatabaseClientOptions {
  /** Upper bound for connecting and for each query, in milliseconds. */
  timeoutMs?: number;
  /** Shown in pg_stat_activity, so a DBA sees who is reading. */
  applicationName?: string;
  /** Connections per target; reads are tiny, two suffice. */
  maxConnections?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
}

// The database schema is not known statically: the version table's name is configurable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

export interface DatabaseClient {
  readonly spec: DatabaseConnectionSpec;
  readonly timeoutMs: number;
  /** Runs `work` with a kysely instance; any failure is a DatabaseUnreachableError. */
  run<T>(work: (db: AnyKysely) => Promise<T>, options?: RunOptions): Promise<T>;
  /** Notes from the last run (e.g. a SQLite write-ahead log that may hide recent changes). */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

export function createDatabaseClient(spec: DatabaseConnectionSpec, options: DatabaseClientOptions = {}): DatabaseClient {
  return spec.dialect === 'postgresql' ? new PostgresClient(spec, options) : new SqliteClient(spec, options);
}

// --- PostgreSQL -------------------------------------------------------------------------------

class PostgresClient implements DatabaseClient {
  readonly timeoutMs: number;
  notes: string[] = [];
  private kysely?: AnyKysely;
  private tlsMode: TlsMode;
  private serverTimeouts = true;
  private closed = false;

  constructor(
    readonly spec: PostgresConnectionSpec,
    private readonly options: DatabaseClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
    this.tlsMode = spec.tls.mode;
  }

  async run<T>(work: (db: AnyKysely) => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.closed) throw new DatabaseUnreachableError('cancelled', 'the connection was closed');
    // At most two retries, each for a setting the server turned down at connect time.
    for (let attempt = 0; ; attempt++) {
      try {
        return await withDeadline(work(this.database()), this.timeoutMs, options.signal);
      } catch (error) {
        const message = String((error as Error)?.message ?? '');
        if (attempt < 2 && (this.tlsMode === 'prefer' || this.tlsMode === 'allow') && /does not support SSL/i.test(message)) {
          // libpq's `prefer`/`allow`: TLS when the server offers it, plain text when it does not.
          this.tlsMode = 'disable';
        } else if (attempt < 2 && this.serverTimeouts && /unsupported startup parameter/i.test(message)) {
          // PgBouncer refuses timeouts sent at connect time; the client-side deadline still holds.
          this.serverTimeouts = false;
        } else {
          throw classifyDatabaseError(error, this.spec, this.timeoutMs);
        }
        await this.resetPool();
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.resetPool();
  }

  private database(): AnyKysely {
    if (this.kysely) return this.kysely;
    const timeout = this.timeoutMs;
    const configured = this.spec.clientConfig.connectionTimeoutMillis;
    const pool = new pg.Pool({
      ...this.spec.clientConfig,
      ssl: this.ssl(),
      connectionTimeoutMillis: configured ? Math.min(configured, timeout) : timeout,
      // Server side: a statement or a lock wait never outlives the timeout...
      ...(this.serverTimeouts ? { statement_timeout: timeout, lock_timeout: Math.max(250, timeout - 500) } : {}),
      // ...and client side, for a server that stops answering mid-query.
      query_timeout: timeout + 250,
      application_name: this.spec.clientConfig.application_name ?? this.options.applicationName ?? 'alembic-workbench',
      max: this.options.maxConnections ?? 2,
      idleTimeoutMillis: 30_000,
      // The CLI must exit when it is done, without an explicit close.
      allowExitOnIdle: true,
      Client: SocketClosingClient,
    });
    // An idle connection that the server drops (restart, failover) emits 'error' on the pool;
    // unhandled, Node would crash the extension host. The pool discards that client itself.
    pool.on('error', () => undefined);
    this.kysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return this.kysely;
  }

  private ssl(): pg.ClientConfig['ssl'] {
    const tls = { ...this.spec.tls, mode: this.tlsMode };
    if (tls.mode === 'disable') return false;
    const read = (file: string | undefined, what: string) => {
      if (!file) return undefined;
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new DatabaseUnreachableError('tls', `cannot read ${what} ${file}: ${(error as Error).message}`);
      }
    };
    return tlsToPgSsl(tls, {
      ca: read(tls.rootCertFile, 'sslrootcert'),
      cert: read(tls.certFile, 'sslcert'),
      key: read(tls.keyFile, 'sslkey'),
    });
  }

  private async resetPool(): Promise<void> {
    const kysely = this.kysely;
    this.kysely = undefined;
    if (kysely) await kysely.destroy().catch(() => undefined);
  }
}

/**
 * `pg` leaves the socket open when it gives up on a connection itself (e.g. the server asks for a
 * password and the URL has none): the server then holds a backend for up to its
 * authentication_timeout (60 s), which blocks DROP DATABASE and counts against max_connections.
 * This client closes the socket whenever connecting fails.
 */
class SocketClosingClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, client: pg.Client) => void)): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(callback?: (err: any, client?: any) => void): Promise<pg.Client> | void {
    const closeSocket = () => (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    if (!callback) {
      return super.connect().catch((error: unknown) => {
        closeSocket();
        throw error;
      });
    }
    super.connect((error: Error | null) => {
      if (error) closeSocket();
      callback(error, this);
    });
  }
}

// --- SQLite -----------------------------------------------------------------------------------

let sqlJs: Promise<SqlJsStatic> | undefined;

/**
 * Loaded on the first SQLite read only. In the shipped bundles this import is `dist/sqlite.js`, a
 * bundle of its own (scripts/lib/bundles.mjs), so PostgreSQL users never parse its ~1 MB.
 */
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= import('sql.js/dist/sql-wasm-inline.js').then((module) => {
    const init = (module as unknown as { default?: typeof module }).default ?? module;
    return (init as unknown as () => Promise<SqlJsStatic>)();
  });
  return sqlJs;
}

class SqliteClient implements DatabaseClient {
  readonly timeoutMs: number;
  notes: string[] = [];

  constructor(
    readonly spec: SqliteConnectionSpec,
    options: DatabaseClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
  }

  async run<T>(work: (db: AnyKysely) => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (options.signal?.aborted) throw new DatabaseUnreachableError('cancelled', 'cancelled');
    this.notes = [];
    let bytes: Uint8Array | undefined;
    try {
      // A fresh copy for every read: the file changes under us whenever Alembic runs.
      bytes = await readFile(this.spec.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new DatabaseUnreachableError('other', `unreachable: cannot read ${this.spec.file}: ${(error as Error).message}`, code);
      // No file yet is an empty database to Alembic (SQLite creates it on the first connect):
      // read it as one, without creating the file ourselves. A missing folder is a wrong path.
      if (!statSync(path.dirname(this.spec.file), { throwIfNoEntry: false })?.isDirectory()) {
        throw new DatabaseUnreachableError('file-missing', `unreachable: no SQLite database at ${this.spec.file}, and no folder ${path.dirname(this.spec.file)} for it`, code);
      }
      this.notes.push(`no SQLite file at ${this.spec.file} yet: an empty database, which Alembic creates on the first upgrade`);
    }
    try {
      if (statSync(`${this.spec.file}-wal`, { throwIfNoEntry: false })?.size) {
        this.notes.push('the SQLite database has a write-ahead log (-wal file) that is not checkpointed yet: changes made since the last checkpoint are not visible here');
      }
    } catch {
      // The note is a courtesy; a stat failure must not stop the read.
    }
    const SQL = await loadSqlJs();
    let database: SqlJsDatabase;
    try {
      database = new SQL.Database(bytes);
    } catch (error) {
      throw new DatabaseUnreachableError('other', `unreachable: ${this.spec.file} is not a SQLite database (${(error as Error).message})`);
    }
    const kysely: AnyKysely = new Kysely({ dialect: new SqliteDialect({ database: sqlJsAdapter(database) }) });
    try {
      return await withDeadline(work(kysely), this.timeoutMs, options.signal);
    } catch (error) {
      if (error instanceof DatabaseUnreachableError) throw error;
      const message = (error as Error)?.message ?? String(error);
      if (/file is not a database|malformed/i.test(message)) {
        throw new DatabaseUnreachableError('other', `unreachable: ${this.spec.file} is not a SQLite database (${message})`);
      }
      throw new DatabaseUnreachableError('other', `query failed on ${this.spec.file}: ${message}`);
    } finally {
      await kysely.destroy().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    // Nothing stays open between reads.
  }
}

/** kysely's SqliteDialect speaks better-sqlite3's interface; this maps it onto sql.js. */
function sqlJsAdapter(database: SqlJsDatabase): SqliteDatabase {
  const toSqlValues = (parameters: ReadonlyArray<unknown>): SqlValue[] =>
    parameters.map((value) =>
      typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'bigint' ? Number(value) : value === undefined ? null : (value as SqlValue),
    );
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const rowsOf = (parameters: ReadonlyArray<unknown>) => {
        const statement = database.prepare(sql);
        try {
          statement.bind(toSqlValues(parameters));
          const rows: unknown[] = [];
          while (statement.step()) rows.push(statement.getAsObject());
          return rows;
        } finally {
          statement.free();
        }
      };
      const probe = database.prepare(sql);
      const reader = probe.getColumnNames().length > 0;
      probe.free();
      return {
        reader,
        all: rowsOf,
        run(parameters) {
          database.run(sql, toSqlValues(parameters));
          return { changes: database.getRowsModified(), lastInsertRowid: 0 };
        },
        iterate: (parameters) => rowsOf(parameters)[Symbol.iterator]() as IterableIterator<unknown>,
      };
    },
  };
}

// --- deadlines and error texts ----------------------------------------------------------------

function withDeadline<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new DatabaseUnreachableError('cancelled', 'cancelled'));
  }
  return new Promise<T>((resolve, reject) => {
    // The driver's own timeouts fire first with a precise reason; this one catches the rest.
    const timer = setTimeout(() => {
      cleanup();
      reject(new DatabaseUnreachableError('timeout', '', 'DEADLINE'));
    }, timeoutMs + 500);
    const onAbort = () => {
      cleanup();
      reject(new DatabaseUnreachableError('cancelled', 'cancelled'));
    };
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

interface DriverError {
  message?: string;
  code?: string;
  errors?: DriverError[];
  cause?: DriverError;
}

/** Turns whatever `pg`, Node's net layer or TLS threw into a DatabaseUnreachableError. */
export function classifyDatabaseError(error: unknown, spec: PostgresConnectionSpec, timeoutMs: number): DatabaseUnreachableError {
  const mask = (text: string) => maskSecrets(text, spec.secrets);
  if (error instanceof DatabaseUnreachableError) {
    if (error.code === 'DEADLINE') return timeoutError(spec, timeoutMs);
    return new DatabaseUnreachableError(error.kind, mask(error.message), error.code);
  }
  const driverError = (error ?? {}) as DriverError;
  // Node 20 tries IPv6 and IPv4 in turn and reports an AggregateError; the first inner error speaks.
  const inner = driverError.errors?.[0] ?? driverError.cause;
  const code = driverError.code ?? inner?.code;
  const message = String(driverError.message || inner?.message || error);
  const host = spec.clientConfig.host ?? 'localhost';
  const where = host.startsWith('/') ? `${host}/.s.PGSQL.${spec.clientConfig.port ?? 5432}` : `${host}:${spec.clientConfig.port ?? 5432}`;
  const user = spec.clientConfig.user ?? '(default user)';
  const database = spec.clientConfig.database ?? user;
  const seconds = formatSeconds(timeoutMs);

  switch (code) {
    case 'ECONNREFUSED':
      return new DatabaseUnreachableError('refused', `unreachable: connection refused at ${where} (is PostgreSQL running there, and is its port published to this machine?)`, code);
    case 'ENOENT':
      return new DatabaseUnreachableError('refused', `unreachable: no PostgreSQL socket at ${where}`, code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new DatabaseUnreachableError('host-not-found', `unreachable: host "${host}" not found${code === 'EAI_AGAIN' ? ' (name resolution failed)' : ''}`, code);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new DatabaseUnreachableError('timeout', `unreachable: no route to ${where} (${code})`, code);
    case 'ECONNRESET':
    case 'EPIPE':
      return new DatabaseUnreachableError('refused', `unreachable: ${where} closed the connection (${code}); is it a PostgreSQL server?`, code);
    case '28P01':
      return new DatabaseUnreachableError('authentication-failed', `authentication failed: wrong password for user "${user}" at ${where}`, code);
    case '28000':
      return new DatabaseUnreachableError('authentication-failed', `authentication failed: ${mask(message)}`, code);
    case '3D000':
      return new DatabaseUnreachableError('database-missing', `database "${database}" does not exist at ${where}`, code);
    case '57014':
      return new DatabaseUnreachableError('query-timeout', `the query did not finish within ${seconds} (statement timeout)`, code);
    case '55P03':
      return new DatabaseUnreachableError('query-timeout', `the table is locked by another session (a migration may be running); gave up after ${seconds}`, code);
    case '57P03':
      return new DatabaseUnreachableError('refused', `unreachable: the server at ${where} is starting up or shutting down`, code);
    case '53300':
      return new DatabaseUnreachableError('other', `the server at ${where} has too many connections`, code);
  }
  if (/client password must be a string|no password supplied|password authentication failed.*no password/i.test(message)) {
    return new DatabaseUnreachableError('password-required', `a password is required for user "${user}" at ${where}, and the URL has none`, 'PASSWORD_REQUIRED');
  }
  if (/timeout|timed out/i.test(message)) return timeoutError(spec, timeoutMs);
  if (/does not support SSL/i.test(message)) {
    return new DatabaseUnreachableError('tls', `the server at ${where} does not support TLS, but sslmode is ${spec.tls.mode}`, code);
  }
  if (code && /CERT|SSL|TLS|ALTNAME|SELF_SIGNED/i.test(code)) {
    return new DatabaseUnreachableError('tls', `TLS failed with ${where}: ${mask(message)} (${code})`, code);
  }
  if (/Connection terminated/i.test(message)) {
    return new DatabaseUnreachableError('refused', `unreachable: ${where} closed the connection (${mask(message)})`, code);
  }
  return new DatabaseUnreachableError('other', mask(message), code);
}

function timeoutError(spec: PostgresConnectionSpec, timeoutMs: number): DatabaseUnreachableError {
  const host = spec.clientConfig.host ?? 'localhost';
  const where = host.startsWith('/') ? host : `${host}:${spec.clientConfig.port ?? 5432}`;
  return new DatabaseUnreachableError('timeout', `unreachable: no answer from ${where} within ${formatSeconds(timeoutMs)} (connection timed out)`, 'TIMEOUT');
}

function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
