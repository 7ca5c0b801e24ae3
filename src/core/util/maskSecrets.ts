// Passwords reach us inside database URLs (alembic.ini, DATABASE_URL, compose files) and can come
// back inside error texts (a driver that echoes its connection string, Alembic's own output). Every
// text we show or log passes through here first.

export const MASK = '***';

// scheme://user:password@host — the scheme allows SQLAlchemy's `dialect+driver` form. The password
// may hold anything but white space (SQLAlchemy accepts raw `/`, `?`, even `@`): it runs to the `@`
// after which a host follows, so a raw `@` inside it can't leave its tail visible.
const URL_CREDENTIALS = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:/?#@]{0,256}):(\S{0,1024}?)@(?=[^\s@/?#]*(?:[/?#\s]|$))/g;

/**
 * Masks the password of every `scheme://user:password@` in a text: `postgresql://app:s3cret@db/x`
 * becomes `postgresql://app:***@db/x`. Text without credentials is returned unchanged.
 */
export function maskUrlPassword(text: string): string {
  return text.replace(URL_CREDENTIALS, (_match, scheme: string, user: string, password: string) =>
    password.length === 0 ? `${scheme}${user}:@` : `${scheme}${user}:${MASK}@`,
  );
}

/**
 * Masks URL passwords and also every literal occurrence of the given secrets (and their
 * percent-encoded forms): drivers sometimes repeat a password outside any URL.
 */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let masked = maskUrlPassword(text);
  for (const secret of secrets) {
    // Very short secrets would mask ordinary words; they are still masked inside URLs above.
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) masked = masked.split(form).join(MASK);
  }
  return masked;
}
