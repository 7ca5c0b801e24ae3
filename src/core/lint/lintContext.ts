// What the rules need to know about the project's database: the dialect (from sqlalchemy.url,
// overridable by the pyproject config or the caller) and the PostgreSQL major version where a
// rule's advice depends on it (fast column defaults since 11, NOT NULL via a CHECK since 12).
import type { LintConfig } from './lintConfig';
import type { NamingConvention } from './namingConvention';

export const DIALECTS = ['postgresql', 'mysql', 'sqlite', 'mssql', 'oracle'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const DEFAULT_POSTGRES_VERSION = 15;
/** Our users run PostgreSQL beside their backend; an unreadable URL (env var, placeholder) means that. */
export const DEFAULT_DIALECT: Dialect = 'postgresql';

export type DialectSource = 'option' | 'config' | 'url' | 'default';

export interface LintContext {
  dialect: Dialect;
  /** Where the dialect came from, so tools can say "assumed postgresql (no sqlalchemy.url)". */
  dialectSource: DialectSource;
  /** PostgreSQL major version (only meaningful for postgresql). */
  postgresVersion: number;
  /** The project's MetaData naming convention, when one was found (names in fixes follow it). */
  namingConvention?: NamingConvention;
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

export interface LintContextInput {
  /** Explicit choice (CLI `--dialect`, editor setting); wins over everything. */
  dialect?: Dialect;
  postgresVersion?: number;
  sqlalchemyUrl?: string;
  config?: LintConfig;
  namingConvention?: NamingConvention;
}

export function createLintContext(input: LintContextInput = {}): LintContext {
  let dialect: Dialect = DEFAULT_DIALECT;
  let dialectSource: DialectSource = 'default';
  const fromUrl = dialectFromSqlalchemyUrl(input.sqlalchemyUrl);
  if (input.dialect) {
    dialect = input.dialect;
    dialectSource = 'option';
  } else if (input.config?.dialect) {
    dialect = input.config.dialect;
    dialectSource = 'config';
  } else if (fromUrl) {
    dialect = fromUrl;
    dialectSource = 'url';
  }
  return {
    dialect,
    dialectSource,
    postgresVersion: input.postgresVersion ?? input.config?.postgresVersion ?? DEFAULT_POSTGRES_VERSION,
    ...(input.namingConvention ? { namingConvention: input.namingConvention } : {}),
  };
}
