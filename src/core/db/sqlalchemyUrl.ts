// SQLAlchemy database URLs -> connection settings for `pg` (PostgreSQL) or a SQLite file.
//
// The URL grammar follows SQLAlchemy 1.4's `make_url` (the version Alembic 1.8.1 runs on here):
// `dialect+driver://user:password@host:port/database?key=value`, user and password percent-decoded,
// `[...]` for IPv6 hosts, the database part taken as written, repeated query keys kept as lists.
// Query options are read the way each driver reads them: psycopg2/psycopg hand them to libpq
// (`sslmode`, `host=/var/run/postgresql`...), asyncpg spells TLS `ssl=`, pg8000 has `unix_sock`.
import path from 'node:path';
import type { ClientConfig } from 'pg';
import { maskUrlPassword } from '../util/maskSecrets';
import { DatabaseUrlError } from './databaseErrors';

export interface SqlalchemyUrl {
  /** `postgresql+psycopg2` as written. */
  drivername: string;
  /** The dialect part, lower-cased: `postgresql`, `postgres`, `sqlite`, `mysql`... */
  backend: string;
  /** The driver part, lower-cased, when the URL names one. */
  driver?: string;
  username?: string;
  password?: string;
  host?: string;
  port?: number;
  database?: string;
  /** Query options; a key given several times keeps every value in order. */
  query: Record<string, string[]>;
  /** Things SQLAlchemy itself would read differently or refuse; shown as notes. */
  warnings: string[];
}

/** libpq's sslmode values; `prefer` and `allow` try TLS and fall back to a plain connection. */
export type TlsMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface TlsSettings {
  mode: TlsMode;
  /** File paths as written in the URL; read when the connection is made. */
  rootCertFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface PostgresConnectionSpec {
  dialect: 'postgresql';
  driver: string;
  /** host/port/user/password/database/options for `pg`, without TLS (see `tls`) and timeouts. */
  clientConfig: ClientConfig;
  tls: TlsSettings;
  /** `postgresql+psycopg2://app:***@db:5432/app`: for messages. */
  display: string;
  /** `db:5432/app` or `/var/run/postgresql (socket)/app`: short form for the status bar. */
  location: string;
  notes: string[];
  /** Values that must never appear in a message (the password). */
  secrets: string[];
}

export interface SqliteConnectionSpec {
  dialect: 'sqlite';
  driver: string;
  /** Absolute path of the database file. */
  file: string;
  display: string;
  location: string;
  notes: string[];
  secrets: string[];
}

export type DatabaseConnectionSpec = PostgresConnectionSpec | SqliteConnectionSpec;

export interface ConnectionSpecOptions {
  /** Folder a relative SQLite path is resolved against: where Alembic runs (the alembic.ini folder). */
  baseDirectory?: string;
}

// Alembic's `alembic init` template writes this into alembic.ini; it is not a database.
const TEMPLATE_PLACEHOLDER = 'driver://user:pass@localhost/dbname';

const POSTGRES_BACKENDS = new Set(['postgresql', 'postgres']);
const SQLITE_BACKENDS = new Set(['sqlite']);

export function parseSqlalchemyUrl(text: string): SqlalchemyUrl {
  const url = text.trim();
  if (url.length === 0) throw new DatabaseUrlError('empty', 'no database URL is configured');
  if (url === TEMPLATE_PLACEHOLDER) {
    throw new DatabaseUrlError(
      'placeholder',
      `the URL is still the alembic.ini template's placeholder (${TEMPLATE_PLACEHOLDER}): set sqlalchemy.url, ` +
        'DATABASE_URL or a database target',
    );
  }
  const scheme = /^([\w+]+):\/\//.exec(url);
  if (!scheme) {
    throw new DatabaseUrlError(
      'not-a-url',
      // The text itself is not repeated: it may be a secret pasted in the wrong place.
      `not a SQLAlchemy URL${/^[^\s:/]+:\/\//.test(url) ? ` (the scheme "${url.slice(0, url.indexOf(':'))}" is not dialect[+driver])` : ''}: ` +
        'expected dialect+driver://user:password@host:port/database',
    );
  }
  const drivername = scheme[1]!;
  const [backendPart, ...driverParts] = drivername.toLowerCase().split('+');
  const rest = url.slice(scheme[0].length);
  const warnings: string[] = [];

  // Credentials first, as SQLAlchemy's pattern does: a password may hold `/` or `?`.
  const { credentials, remainder } = splitCredentials(rest);
  let username: string | undefined;
  let password: string | undefined;
  if (credentials !== undefined) {
    const colon = credentials.indexOf(':');
    username = percentDecode(colon >= 0 ? credentials.slice(0, colon) : credentials);
    password = colon >= 0 ? percentDecode(credentials.slice(colon + 1)) : undefined;
    if (credentials.includes('@')) {
      warnings.push('the user or password contains a raw "@": percent-encode it as %40, SQLAlchemy splits the URL at the first "@"');
    }
  }
  const queryStart = remainder.indexOf('?');
  const beforeQuery = queryStart >= 0 ? remainder.slice(0, queryStart) : remainder;
  const queryText = queryStart >= 0 ? remainder.slice(queryStart + 1) : undefined;
  const slash = beforeQuery.indexOf('/');
  const hostPort = slash >= 0 ? beforeQuery.slice(0, slash) : beforeQuery;
  const databasePart = slash >= 0 ? beforeQuery.slice(slash + 1) : undefined;

  let host: string | undefined;
  let portText: string | undefined;
  const ipv6 = /^\[([^\]/?]+)\](?::(.*))?$/.exec(hostPort);
  if (ipv6) {
    host = ipv6[1];
    portText = ipv6[2];
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
  }
  const port = portText ? parsePort(portText, url) : undefined;

  const query: Record<string, string[]> = {};
  if (queryText !== undefined) {
    for (const [key, value] of new URLSearchParams(queryText)) (query[key] ??= []).push(value);
  }

  if (backendPart === 'postgres') {
    warnings.push('SQLAlchemy 1.4+ refuses the "postgres://" scheme ("Can\'t load plugin: sqlalchemy.dialects:postgres"): write "postgresql://"');
  }

  return {
    drivername,
    backend: backendPart!,
    driver: driverParts.length > 0 ? driverParts.join('+') : undefined,
    username: username || undefined,
    password,
    host: host || undefined,
    port,
    database: databasePart || undefined,
    query,
    warnings,
  };
}

/**
 * Converts a SQLAlchemy URL into what we need to read the database directly: `pg` settings for
 * PostgreSQL, a file path for SQLite. Throws DatabaseUrlError (message safe to show) otherwise.
 */
export function toDatabaseConnectionSpec(
  input: string | SqlalchemyUrl,
  options: ConnectionSpecOptions = {},
): DatabaseConnectionSpec {
  const url = typeof input === 'string' ? parseSqlalchemyUrl(input) : input;
  if (POSTGRES_BACKENDS.has(url.backend)) return toPostgresSpec(url);
  if (SQLITE_BACKENDS.has(url.backend)) return toSqliteSpec(url, options);
  throw new DatabaseUrlError(
    'unsupported-dialect',
    `not PostgreSQL: database state for ${url.backend} is read with \`alembic current\` through the runner ` +
      '(status source "auto" or "alembic"); reading the database directly supports PostgreSQL and SQLite',
  );
}

/** The `pg` settings of a PostgreSQL URL (TLS as `ssl`, certificate files not read). */
export function toPgClientConfig(input: string | SqlalchemyUrl): ClientConfig {
  const spec = toDatabaseConnectionSpec(input);
  if (spec.dialect !== 'postgresql') {
    throw new DatabaseUrlError('unsupported-dialect', `not PostgreSQL: ${spec.display}`);
  }
  return { ...spec.clientConfig, ssl: tlsToPgSsl(spec.tls) };
}

/** `pg`'s `ssl` option for a TLS mode; certificate contents are added by the caller that reads them. */
export function tlsToPgSsl(tls: TlsSettings, files: { ca?: string; cert?: string; key?: string } = {}): ClientConfig['ssl'] {
  switch (tls.mode) {
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
    case 'require':
      // libpq's require/prefer encrypt without checking the certificate.
      return { rejectUnauthorized: false, ...files };
    case 'verify-ca':
      // The chain must be trusted, the host name need not match.
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...files };
    case 'verify-full':
      return { rejectUnauthorized: true, ...files };
  }
}

/** The URL with its password masked, for messages. */
export function describeSqlalchemyUrl(url: string): string {
  return maskUrlPassword(url.trim());
}

// --- PostgreSQL -------------------------------------------------------------------------------

type DriverFamily = 'libpq' | 'asyncpg' | 'pg8000';

const LIBPQ_DRIVERS = new Set(['psycopg2', 'psycopg', 'psycopg_async', 'psycopg2cffi', 'pygresql']);

// libpq options that change nothing about reading one small table; accepted silently.
const HARMLESS_OPTIONS = new Set([
  'client_encoding',
  'target_session_attrs',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'gssencmode',
  'sslcompression',
  'sslpassword',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'channel_binding',
  'tcp_user_timeout',
  'load_balance_hosts',
  // asyncpg / SQLAlchemy asyncpg dialect
  'prepared_statement_cache_size',
  'prepared_statement_name_func',
  'command_timeout',
  'timeout',
  'server_settings',
  // SQLAlchemy-level options that are not connection parameters
  'async_fallback',
  'charset',
]);

function toPostgresSpec(url: SqlalchemyUrl): PostgresConnectionSpec {
  const driver = url.driver ?? 'psycopg2';
  const family: DriverFamily = driver === 'asyncpg' ? 'asyncpg' : driver === 'pg8000' ? 'pg8000' : 'libpq';
  const notes = [...url.warnings];
  if (family === 'libpq' && !LIBPQ_DRIVERS.has(driver)) {
    notes.push(`unknown PostgreSQL driver "${driver}": its query options are read as libpq's`);
  }
  const query = { ...url.query };
  const take = (key: string): string | undefined => {
    const values = query[key];
    delete query[key];
    return values?.[values.length - 1];
  };
  const takeAll = (key: string): string[] => {
    const values = query[key] ?? [];
    delete query[key];
    return values;
  };

  let host = url.host;
  let port = url.port;
  let user = url.username;
  let password = url.password;
  let database = url.database;

  // libpq connection keywords in the query win over the URL's own parts (psycopg2 merges the query
  // last); `host` may name a socket folder and may list several hosts.
  const queryHosts = takeAll('host').flatMap((value) => value.split(',')).filter(Boolean);
  if (queryHosts.length > 0) {
    if (queryHosts.length > 1) notes.push(`several hosts (${queryHosts.join(', ')}): reading from the first`);
    const first = queryHosts[0]!;
    // SQLAlchemy 2's multi-host form `host=h1:5432&host=h2:5433` carries ports; sockets never do.
    const hostWithPort = first.startsWith('/') ? undefined : /^(.*):(\d+)$/.exec(first);
    host = hostWithPort ? hostWithPort[1] : first;
    if (hostWithPort) port = parsePort(hostWithPort[2]!, first);
  }
  const queryPort = take('port');
  if (queryPort !== undefined) port = parsePort(queryPort.split(',')[0]!, queryPort);
  const queryUser = take('user');
  if (queryUser) user = queryUser;
  const queryPassword = take('password');
  if (queryPassword !== undefined) password = queryPassword;
  const queryDatabase = take('dbname') ?? take('database');
  if (queryDatabase) database = queryDatabase;

  if (family === 'pg8000') {
    const socketPath = take('unix_sock');
    if (socketPath) {
      // pg8000 names the socket file itself; `pg` wants its folder and derives the file from the port.
      const socket = /^(.*)\/\.s\.PGSQL\.(\d+)$/.exec(socketPath);
      host = socket ? socket[1] : socketPath;
      if (socket) port = Number(socket[2]);
    }
  }

  const tls = readTlsOptions(family, take, notes);
  const isSocket = host?.startsWith('/') ?? false;
  if (isSocket && tls.mode !== 'disable') tls.mode = 'disable'; // libpq never uses TLS on a socket

  const clientConfig: ClientConfig = {};
  if (host) clientConfig.host = host;
  else notes.push('the URL names no host: libpq would use its local socket; reading from localhost');
  clientConfig.port = port ?? 5432;
  if (user) clientConfig.user = user;
  if (password !== undefined) clientConfig.password = password;
  if (database) clientConfig.database = database;
  const applicationName = take('application_name');
  if (applicationName) clientConfig.application_name = applicationName;
  const options = take('options');
  if (options) clientConfig.options = options;
  const connectTimeout = take('connect_timeout');
  if (connectTimeout !== undefined && !/^\d+$/.test(connectTimeout)) {
    throw new DatabaseUrlError('invalid-option', `connect_timeout must be whole seconds, got "${connectTimeout}"`);
  }
  if (connectTimeout !== undefined) {
    clientConfig.connectionTimeoutMillis = Number(connectTimeout) * 1000;
  }

  for (const key of Object.keys(query)) {
    if (!HARMLESS_OPTIONS.has(key)) notes.push(`query option "${key}" is not used to read the version table`);
  }

  const display = renderDisplayUrl(url);
  const location = `${isSocket ? `${host} (socket)` : `${formatHost(host ?? 'localhost')}:${clientConfig.port}`}/${database ?? user ?? ''}`;
  return {
    dialect: 'postgresql',
    driver,
    clientConfig,
    tls,
    display,
    location,
    notes,
    secrets: password ? [password] : [],
  };
}

function readTlsOptions(
  family: DriverFamily,
  take: (key: string) => string | undefined,
  notes: string[],
): TlsSettings {
  // psycopg2/psycopg use libpq, whose default is `prefer`; asyncpg's default is also `prefer`;
  // pg8000 connects in plain text unless told otherwise.
  let mode: TlsMode = family === 'pg8000' ? 'disable' : 'prefer';
  const sslmode = take('sslmode');
  const ssl = take('ssl');
  if (sslmode !== undefined) {
    mode = parseTlsMode(sslmode, 'sslmode');
    if (family === 'asyncpg') notes.push('asyncpg spells TLS "ssl=" (e.g. ?ssl=require); Alembic may reject "sslmode" with asyncpg');
  }
  if (ssl !== undefined) {
    const lowered = ssl.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lowered)) mode = 'require';
    else if (['false', '0', 'no', 'off'].includes(lowered)) mode = 'disable';
    else mode = parseTlsMode(ssl, 'ssl');
  }
  const tls: TlsSettings = { mode };
  const rootCert = take('sslrootcert');
  if (rootCert && rootCert !== 'system') tls.rootCertFile = rootCert;
  const cert = take('sslcert');
  if (cert) tls.certFile = cert;
  const key = take('sslkey');
  if (key) tls.keyFile = key;
  // libpq: a root certificate given with `require` means the chain is checked (verify-ca).
  if (tls.mode === 'require' && tls.rootCertFile) tls.mode = 'verify-ca';
  return tls;
}

function parseTlsMode(value: string, key: string): TlsMode {
  const mode = value.toLowerCase();
  if (['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(mode)) return mode as TlsMode;
  throw new DatabaseUrlError(
    'invalid-option',
    `${key}="${value}" is not a TLS mode (disable, allow, prefer, require, verify-ca, verify-full)`,
  );
}

// --- SQLite -----------------------------------------------------------------------------------

function toSqliteSpec(url: SqlalchemyUrl, options: ConnectionSpecOptions): SqliteConnectionSpec {
  // sqlite:///relative.db -> database "relative.db"; sqlite:////abs.db -> database "/abs.db".
  let file = url.database;
  const notes = [...url.warnings];
  if (!file || file === ':memory:') {
    throw new DatabaseUrlError('in-memory', 'in-memory SQLite database (sqlite://): it lives only inside the process that opened it, there is nothing to read');
  }
  // `?uri=true` with `file:path?mode=ro`: the path is the part after `file:`.
  if (url.query.uri?.some((value) => value.toLowerCase() === 'true') && file.startsWith('file:')) {
    file = file.slice('file:'.length);
  }
  const absolute = path.isAbsolute(file) ? file : path.resolve(options.baseDirectory ?? process.cwd(), file);
  if (!path.isAbsolute(file) && options.baseDirectory === undefined) {
    notes.push('relative SQLite path resolved against the current folder (Alembic resolves it against where it runs)');
  }
  return {
    dialect: 'sqlite',
    driver: url.driver ?? 'pysqlite',
    file: absolute,
    display: renderDisplayUrl(url),
    location: absolute,
    notes,
    secrets: [],
  };
}

// --- helpers ----------------------------------------------------------------------------------

// `user:password@` at the start of what follows `scheme://`. The user name has no `:`, `/` or `@`;
// the password runs to the last `@` before the path, so a raw `@` inside it is kept (SQLAlchemy 1.4
// would cut it at the first one: we warn). No `:` or `@` right after the user name: no credentials.
function splitCredentials(text: string): { credentials?: string; remainder: string } {
  const user = /^[^:/@]*/.exec(text)![0];
  const next = text[user.length];
  if (next === '@') return { credentials: user, remainder: text.slice(user.length + 1) };
  if (next !== ':') return { remainder: text };
  const firstAt = text.indexOf('@', user.length);
  if (firstAt < 0) return { remainder: text };
  const slashAfter = text.indexOf('/', firstAt);
  const lastAt = text.lastIndexOf('@', (slashAfter < 0 ? text.length : slashAfter) - 1);
  return { credentials: text.slice(0, lastAt), remainder: text.slice(lastAt + 1) };
}

function parsePort(text: string, context: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new DatabaseUrlError('invalid-port', `invalid port "${text}" in ${describeForError(context)}`);
  }
  return Number(text);
}

function percentDecode(text: string): string {
  // Python's unquote: decode valid %XX sequences (as UTF-8), leave anything else as written.
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (sequence) => {
    try {
      return decodeURIComponent(sequence);
    } catch {
      return sequence;
    }
  });
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function renderDisplayUrl(url: SqlalchemyUrl): string {
  const credentials = url.username !== undefined ? `${url.username}${url.password !== undefined ? ':***' : ''}@` : '';
  const host = url.host ? formatHost(url.host) : '';
  const port = url.port !== undefined ? `:${url.port}` : '';
  const database = url.database !== undefined ? `/${url.database}` : '';
  const query = Object.entries(url.query)
    .flatMap(([key, values]) => values.map((value) => `${key}=${key === 'password' ? '***' : value}`))
    .join('&');
  return `${url.drivername}://${credentials}${host}${port}${database}${query ? `?${query}` : ''}`;
}

function describeForError(text: string): string {
  const masked = maskUrlPassword(text);
  return JSON.stringify(masked.length > 120 ? `${masked.slice(0, 117)}...` : masked);
}
