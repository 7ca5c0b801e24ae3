// Secrets must never reach a log, a terminal or a test report. Every part of the product that shows a
// database URL (the CLI, the extension's output channel, error messages from Alembic or psql) goes
// through these helpers first.

export const MASK = '***';

/**
 * `postgresql+psycopg2://user:secret@host/db` -> `postgresql+psycopg2://user:***@host/db`.
 *
 * Over-masks rather than leaks: the password is everything between the first `:` of the user info
 * and the LAST `@` before the path, because people paste passwords with unescaped `@`, `/` or `:`
 * (SQLAlchemy itself would mis-split those). `password=` query parameters (libpq style) are masked
 * too. Strings that are not URLs come back unchanged.
 */
export function maskUrlPassword(url: string): string {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return maskQueryPasswords(url);
  const authorityStart = schemeEnd + 3;
  const queryStart = url.indexOf('?', authorityStart);
  const beforeQuery = queryStart < 0 ? url.length : queryStart;
  const at = url.lastIndexOf('@', beforeQuery - 1);
  let masked = url;
  if (at >= authorityStart) {
    const userInfo = url.slice(authorityStart, at);
    const colon = userInfo.indexOf(':');
    if (colon >= 0 && colon < userInfo.length - 1) {
      masked = `${url.slice(0, authorityStart)}${userInfo.slice(0, colon + 1)}${MASK}${url.slice(at)}`;
    }
  }
  return maskQueryPasswords(masked);
}

function maskQueryPasswords(text: string): string {
  return text.replace(/([?&;\s](?:password|passwd|pwd)=)([^&;\s]*)/gi, (_whole, key: string, value: string) =>
    value ? `${key}${MASK}` : key,
  );
}

// A URL embedded in free text (an error message, Alembic's stderr, a docker compose file): the
// password ends at the last `@` before whitespace or a quote.
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s'"`<>/@:]*):([^\s'"`<>]*)@/gi;

/** Masks the passwords of every URL found in a longer text. */
export function maskSecretsInText(text: string): string {
  return maskQueryPasswords(
    text.replace(URL_IN_TEXT, (_whole, scheme: string, user: string, password: string) =>
      password ? `${scheme}${user}:${MASK}@` : `${scheme}${user}:@`,
    ),
  );
}
