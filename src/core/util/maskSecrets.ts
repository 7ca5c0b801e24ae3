// Passwords must never reach a log, a notification or a test report. Alembic, SQLAlchemy, psycopg2
// and Compose all print database URLs now and then (tracebacks, `current --verbose`, our own
// command lines), so every line we keep or show goes through here first.

export const MASK = '***';

// scheme://user:password@ — the password runs to the LAST "@" of the whitespace-free token,
// as URL parsers read it, so an unencoded "@" in a password is masked whole, not half. Quotes end a
// token because URLs are often printed inside quotes in tracebacks and repr() output.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/'"`]*):([^\s'"`]*)@/gi;

// libpq key/value strings (`host=db password=secret`), `POSTGRES_PASSWORD: secret` and the like.
const PASSWORD_SETTING = /\b(\w*(?:password|passwd|pwd))(\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s,;'"]+)/gi;

/** Masks the password of every `scheme://user:password@` in `text`; the user stays readable. */
export function maskUrlPassword(text: string): string {
  return text.replace(URL_CREDENTIALS, (_match, scheme: string, user: string, password: string) =>
    password === '' ? `${scheme}${user}:@` : `${scheme}${user}:${MASK}@`,
  );
}

/** `maskUrlPassword` plus `password=...` settings (libpq DSNs, env dumps). */
export function maskSecrets(text: string): string {
  return maskUrlPassword(text).replace(PASSWORD_SETTING, (_match, key: string, separator: string, value: string) =>
    value === MASK ? `${key}${separator}${value}` : `${key}${separator}${MASK}`,
  );
}
