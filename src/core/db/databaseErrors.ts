// Typed errors of the database layer. Every message is already safe to show: passwords are masked
// before an error is built, so callers can print `error.message` as it is.

export type DatabaseUrlErrorKind =
  | 'empty'
  | 'placeholder'
  | 'not-a-url'
  | 'unsupported-dialect'
  | 'invalid-port'
  | 'in-memory'
  | 'invalid-option';

/** A URL we cannot turn into a connection (or that names a database we cannot read directly). */
export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
  constructor(
    readonly kind: DatabaseUrlErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export type DatabaseUnreachableKind =
  /** Nothing listens at host:port. */
  | 'refused'
  /** No answer within the timeout: a firewall, a blackholed address, a stopped VM, a hung server. */
  | 'timeout'
  /** The host name does not resolve (often a compose service name seen from outside its network). */
  | 'host-not-found'
  /** The server answered and refused the credentials (also: no pg_hba.conf entry). */
  | 'authentication-failed'
  /** The server wants a password and the URL has none: the editor can ask for one. */
  | 'password-required'
  /** The server is up but the database in the URL does not exist. */
  | 'database-missing'
  /** TLS could not be negotiated as the URL's sslmode demands. */
  | 'tls'
  /** The SQLite file is not there or is not a database. */
  | 'file-missing'
  /** The connection worked but the query did not finish within the statement timeout. */
  | 'query-timeout'
  | 'cancelled'
  | 'other';

/** The database could not be read. `message` reads "unreachable: <reason>" for connection failures. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
  constructor(
    readonly kind: DatabaseUnreachableKind,
    message: string,
    /** The driver's code (`ECONNREFUSED`, SQLSTATE `28P01`...), for logs and tests. */
    readonly code?: string,
  ) {
    super(message);
  }

  /** True when the server could not be reached at all (the case where `alembic current` may still work). */
  get isNetworkFailure(): boolean {
    return this.kind === 'refused' || this.kind === 'timeout' || this.kind === 'host-not-found';
  }
}
