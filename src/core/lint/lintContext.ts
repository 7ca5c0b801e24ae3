// What the rules need to know about the project's database: the dialects (inferred from the
// project, see projectDialects.ts; overridable by the pyproject config or the caller) and the PostgreSQL major version where a
// rule's advice depends on it (fast column defaults since 11, NOT NULL via a CHECK since 12).
import type { LintConfig } from './lintConfig';
import type { NamingConvention } from './namingConvention';

export const DIALECTS = ['postgresql', 'mysql', 'sqlite', 'mssql', 'oracle'] as const;
export type Dialect = (typeof DIALECTS)[number];

const DIALECT_LABELS: Record<Dialect, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', mssql: 'SQL Server', oracle: 'Oracle' };

/** The dialect as people write it in prose: `PostgreSQL`, `SQL Server`. */
export function dialectLabel(dialect: Dialect): string {
  return DIALECT_LABELS[dialect];
}

export const DEFAULT_POSTGRES_VERSION = 15;
/** Our users run PostgreSQL beside their backend; an unreadable URL (env var, placeholder) means that. */
export const DEFAULT_DIALECT: Dialect = 'postgresql';

export type DialectSource = 'option' | 'config' | 'inferred' | 'url' | 'default';

export interface LintContext {
  /** The dialect a rule is checked for: the engine runs dialect-specific rules once per dialect of `dialects`. */
  dialect: Dialect;
  /** Every dialect the project runs on (first = `dialect` until the engine picks another). */
  dialects: readonly Dialect[];
  /** Where the dialects came from, so tools can say "assumed postgresql (no sqlalchemy.url)". */
  dialectSource: DialectSource;
  /** Why each inferred dialect was chosen (`psycopg2 in requirements.txt`). */
  dialectEvidence?: readonly DialectEvidenceItem[];
  /** PostgreSQL major version (only meaningful for postgresql). */
  postgresVersion: number;
  /** The project's MetaData naming convention, when one was found (names in fixes follow it). */
  namingConvention?: NamingConvention;
  /** env.py (or the URL's `options=-c lock_timeout=...`) sets a lock or statement timeout on the migrations' connection: AW110 is satisfied. */
  connectionSetsLockTimeout?: boolean;
}

const DIALECT_ALIASES: Record<string, Dialect> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  pg: 'postgresql',
  psql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  mssql: 'mssql',
  sqlserver: 'mssql',
  oracle: 'oracle',
};

/** A dialect name as people write it (`postgres`, `mariadb`...), or undefined. */
export function parseDialectName(name: string): Dialect | undefined {
  return DIALECT_ALIASES[name.trim().toLowerCase()];
}

/**
 * The dialect of a SQLAlchemy URL: `postgresql+asyncpg://...` -> postgresql, `sqlite:///x.db` ->
 * sqlite. Undefined for placeholders (`driver://user:pass@localhost/dbname`), interpolations and
 * unknown backends.
 */
export function dialectFromSqlalchemyUrl(url: string | undefined): Dialect | undefined {
  if (!url) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9_]*)(?:\+[A-Za-z0-9_]+)?:\/\//.exec(url);
  if (!match) return undefined;
  const backend = match[1].toLowerCase();
  // Only the names SQLAlchemy's dialect registry uses; `pg`/`psql` are not URL schemes.
  if (backend === 'pg' || backend === 'psql' || backend === 'sqlserver') return undefined;
  return DIALECT_ALIASES[backend];
}

/** One reason a dialect was inferred (projectDialects.ts fills these in). */
export interface DialectEvidenceItem {
  dialect: Dialect;
  reason: string;
}

export interface LintContextInput {
  /** Explicit choice (CLI `--dialect`, editor setting); wins over everything. */
  dialect?: Dialect;
  postgresVersion?: number;
  sqlalchemyUrl?: string;
  /** What inferProjectDialects found; wins over sqlalchemyUrl alone (often a placeholder env.py replaces). */
  inferredDialects?: { dialects: readonly Dialect[]; evidence: readonly DialectEvidenceItem[]; envPySetsLockTimeout?: boolean };
  config?: LintConfig;
  namingConvention?: NamingConvention;
}

export function createLintContext(input: LintContextInput = {}): LintContext {
  let dialects: readonly Dialect[] = [DEFAULT_DIALECT];
  let dialectSource: DialectSource = 'default';
  const fromUrl = dialectFromSqlalchemyUrl(input.sqlalchemyUrl);
  const inferred = input.inferredDialects;
  if (input.dialect) {
    dialects = [input.dialect];
    dialectSource = 'option';
  } else if (input.config?.dialect) {
    dialects = [input.config.dialect];
    dialectSource = 'config';
  } else if (inferred && inferred.evidence.length > 0 && inferred.dialects.length > 0) {
    dialects = inferred.dialects;
    dialectSource = 'inferred';
  } else if (fromUrl) {
    dialects = [fromUrl];
    dialectSource = 'url';
  }
  return {
    dialect: dialects[0],
    dialects,
    dialectSource,
    ...(dialectSource === 'inferred' && inferred ? { dialectEvidence: inferred.evidence } : {}),
    postgresVersion: input.postgresVersion ?? input.config?.postgresVersion ?? DEFAULT_POSTGRES_VERSION,
    ...(input.namingConvention ? { namingConvention: input.namingConvention } : {}),
    ...(inferred?.envPySetsLockTimeout || urlSetsLockTimeout(input.sqlalchemyUrl) ? { connectionSetsLockTimeout: true } : {}),
  };
}

/** A URL whose libpq options set a timeout (`?options=-c%20lock_timeout%3D5s`). */
function urlSetsLockTimeout(url: string | undefined): boolean {
  if (!url) return false;
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: test the URL as written.
  }
  return /\b(lock_timeout|statement_timeout)\s*=/.test(decoded);
}
