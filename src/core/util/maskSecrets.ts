// Passwords reach us inside database URLs (alembic.ini, DATABASE_URL, compose files) and come back
// inside texts we did not write (Alembic tracebacks, `current --verbose`, driver errors, our own
// command lines). Every text we show, log or return passes through here first. Over-masking is
// acceptable; leaking half a password is not.

export const MASK = '***';

// scheme://user:password@host — the scheme allows SQLAlchemy's `dialect+driver` form. The password
// may hold anything but white space (SQLAlchemy accepts raw `/`, `?`, even `@`): it runs to the `@`
// after which a host follows, so a raw `@` inside it can't leave its tail visible. Quotes end a host
// because URLs are printed inside quotes in tracebacks and repr() output. Bounded repetitions keep
// the scan linear on hostile text.
const URL_CREDENTIALS =
  /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:/?#@'"`]{0,256}):(\S{0,1024}?)@(?=[^\s@/?#'"`]*(?:[/?#\s'"`]|$))/g;

// `?password=...` in a URL's query (libpq style).
const QUERY_PASSWORD = /([?&;](?:password|passwd|pwd)=)([^&;\s'"`]+)/gi;

// libpq key/value strings (`host=db password=secret`), `POSTGRES_PASSWORD: secret` and the like.
const PASSWORD_SETTING = /\b(\w*(?:password|passwd|pwd))(\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s,;'"]+)/gi;

/**
 * Masks the password of every `scheme://user:password@` (and `?password=` query parameter) in a
 * text: `postgresql://app:s3cret@db/x` becomes `postgresql://app:***@db/x`. Works on a single URL
 * and on longer texts alike; text without credentials comes back unchanged.
 */
export function maskUrlPassword(text: string): string {
  return text
    .replace(URL_CREDENTIALS, (_match, scheme: string, user: string, password: string) =>
      password.length === 0 ? `${scheme}${user}:@` : `${scheme}${user}:${MASK}@`,
    )
    .replace(QUERY_PASSWORD, (_match, key: string) => `${key}${MASK}`);
}

/**
 * `maskUrlPassword` plus `password=...` settings (libpq DSNs, env dumps) and every literal occurrence
 * of the given secrets and their percent-encoded forms: drivers sometimes repeat a password outside
 * any URL.
 */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let masked = maskUrlPassword(text).replace(
    PASSWORD_SETTING,
    (_match, key: string, separator: string, value: string) =>
      value === MASK ? `${key}${separator}${value}` : `${key}${separator}${MASK}`,
  );
  for (const secret of secrets) {
    // Very short secrets would mask ordinary words; they are still masked inside URLs above.
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) masked = masked.split(form).join(MASK);
  }
  return masked;
}

/** The same as `maskSecrets(text)`: kept for callers that only have a text. */
export function maskSecretsInText(text: string): string {
  return maskSecrets(text);
}
