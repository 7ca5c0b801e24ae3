// Which databases a project's migrations run on, from all the evidence rather than alembic.ini's
// URL alone (often a placeholder that env.py replaces): env.py, the drivers the project depends on,
// the database services of its compose files, and the dialects its own migrations branch on.
// Several at once are normal (SQLite in tests, PostgreSQL in production). Explicit choices
// (--dialect, the lint.dialect setting, [tool.alembic-workbench] dialect) win over all of it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { fileStamp } from '../project/headerCache';
import { dialectsNamedByGuards } from './dialectGuards';
import { parseMigrationTree } from './fastMigrationParser';
import { DEFAULT_DIALECT, DIALECTS, dialectFromSqlalchemyUrl, type Dialect, type DialectEvidenceItem } from './lintContext';

export interface ProjectDialects {
  /** At least one, in DIALECTS order; DEFAULT_DIALECT when nothing said anything. */
  dialects: Dialect[];
  evidence: DialectEvidenceItem[];
  /** env.py sets the URL itself, so alembic.ini's sqlalchemy.url is not what runs. */
  iniUrlOverridden: boolean;
  /** env.py sets lock_timeout / statement_timeout for the migrations' connection (read with the rest of env.py). */
  envPySetsLockTimeout: boolean;
  /** Every file read, so a cache can tell when to look again. */
  scannedFiles: string[];
}

export interface ProjectDialectsRequest {
  /** alembic.ini's folder. */
  projectFolder: string;
  /** The folder holding env.py. */
  scriptLocation: string;
  sqlalchemyUrl?: string;
  versionsFolders: readonly string[];
  /** The highest folder to look in (workspace folder, repository root); the search also stops at a `.git`. */
  stopAt?: string;
}

/** Database drivers a project installs for its own database (pyodbc, oracledb... are as often a data source). */
const DRIVERS: Record<string, Dialect> = {
  psycopg: 'postgresql',
  'psycopg-binary': 'postgresql',
  'psycopg-c': 'postgresql',
  psycopg2: 'postgresql',
  'psycopg2-binary': 'postgresql',
  psycopg2cffi: 'postgresql',
  asyncpg: 'postgresql',
  pg8000: 'postgresql',
  pymysql: 'mysql',
  mysqlclient: 'mysql',
  'mysql-connector-python': 'mysql',
  aiomysql: 'mysql',
  asyncmy: 'mysql',
  aiosqlite: 'sqlite',
  pysqlite3: 'sqlite',
  'pysqlite3-binary': 'sqlite',
};
/** Dependency groups of data-source connectors (Redash's `all_ds`), not the app's own database. */
const CONNECTOR_GROUP = /(^|[_-])(ds|datasources?|data[_-]sources?|connectors?|query[_-]runners?|integrations?)($|[_-])/i;
const URL_SCHEME = /\b(postgresql|postgres|mysql|mariadb|sqlite|mssql|oracle)(\+\w+)?:\/\//gi;
const ENV_URL_OVERRIDE = [
  /set_main_option\(\s*["']sqlalchemy\.url["']/,
  /set_section_option\([^)]*["']sqlalchemy\.url["']/,
  /\[\s*["']sqlalchemy\.url["']\s*\]\s*=/,
  /\[\s*["']url["']\s*\]\s*=/,
  /\bcreate_(async_)?engine\(/,
  /\b(async_)?engine_from_config\(\s*(?!config\.get_section\b)[A-Za-z_]/,
];
const COMPOSE_FILE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/;
const GUARD_HINT = /\.dialect\.name|\bdialect_name\b|\bengine\.name|\.url\b|\bis_(postgres|pg|mysql|sqlite)\w*\(/;

function readText(file: string, scanned: string[]): string | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    scanned.push(file);
    return text;
  } catch {
    return undefined;
  }
}

function listFolder(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function isFolder(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}

/** Python code without comments (a commented-out URL is no evidence). */
function withoutComments(text: string): string {
  return text.replace(/^\s*#.*$/gm, '');
}

function driverDialect(requirement: string): { name: string; dialect: Dialect } | undefined {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
  if (!match) return undefined;
  const name = match[1].toLowerCase().replace(/[_.]/g, '-');
  const dialect = DRIVERS[name];
  return dialect ? { name, dialect } : undefined;
}

function requirementsEvidence(text: string, label: string, into: DialectEvidenceItem[]): void {
  for (const line of text.split('\n')) {
    if (/^\s*(#|-)/.test(line)) continue;
    const driver = driverDialect(line);
    if (driver) into.push({ dialect: driver.dialect, reason: `${driver.name} in ${label}` });
  }
}

function pyprojectEvidence(text: string, label: string, into: DialectEvidenceItem[]): void {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch {
    return;
  }
  const lists: Array<[string, unknown]> = [];
  const project = document.project as Record<string, unknown> | undefined;
  lists.push(['dependencies', project?.dependencies]);
  for (const [group, items] of Object.entries((project?.['optional-dependencies'] as Record<string, unknown>) ?? {})) lists.push([group, items]);
  for (const [group, items] of Object.entries((document['dependency-groups'] as Record<string, unknown>) ?? {})) lists.push([group, items]);
  const poetry = (document.tool as Record<string, Record<string, unknown>> | undefined)?.poetry;
  if (poetry) {
    lists.push(['dependencies', Object.keys((poetry.dependencies as object) ?? {})]);
    lists.push(['dev-dependencies', Object.keys((poetry['dev-dependencies'] as object) ?? {})]);
    for (const [group, body] of Object.entries((poetry.group as Record<string, { dependencies?: object }>) ?? {})) lists.push([group, Object.keys(body?.dependencies ?? {})]);
  }
  for (const [group, items] of lists) {
    if (!Array.isArray(items) || CONNECTOR_GROUP.test(group)) continue;
    for (const item of items) {
      const driver = typeof item === 'string' ? driverDialect(item) : undefined;
      if (driver) into.push({ dialect: driver.dialect, reason: `${driver.name} in ${label}` });
    }
  }
}

function composeEvidence(text: string, label: string, into: DialectEvidenceItem[]): void {
  for (const match of text.matchAll(/^\s*image:\s*["']?([^\s"']+)/gm)) {
    const image = match[1].toLowerCase().replace(/:[^/]*$/, '');
    const name = image.split('/').pop() ?? image;
    let dialect: Dialect | undefined;
    if (/postgres|postgis|timescale/.test(name)) dialect = 'postgresql';
    else if (/mysql|mariadb|percona/.test(name)) dialect = 'mysql';
    else if (/mssql|sqlserver/.test(image)) dialect = 'mssql';
    else if (/^oracle|oracle-(free|xe)/.test(name)) dialect = 'oracle';
    if (dialect) into.push({ dialect, reason: `image ${match[1]} in ${label}` });
  }
  urlEvidence(text, label, into);
}

function urlEvidence(text: string, label: string, into: DialectEvidenceItem[]): void {
  for (const match of text.matchAll(URL_SCHEME)) {
    const dialect = dialectFromSqlalchemyUrl(match[0]);
    if (dialect) into.push({ dialect, reason: `a ${match[1]}:// URL in ${label}` });
  }
}

/** The folders from the project up to the repository root (a `.git`) or `stopAt`, nearest first. */
function foldersUpwards(start: string, stopAt: string | undefined): string[] {
  const folders: string[] = [];
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  for (let folder = path.resolve(start); folders.length < 8; folder = path.dirname(folder)) {
    folders.push(folder);
    if (folder === stop || listFolder(folder).includes('.git') || path.dirname(folder) === folder) break;
    // Never climb out of stopAt when the project lies below it.
    if (stop && !path.dirname(folder).startsWith(stop)) break;
  }
  return folders;
}

function migrationFiles(folders: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (folder: string, depth: number) => {
    for (const name of listFolder(folder)) {
      const full = path.join(folder, name);
      if (name.endsWith('.py') && name !== '__init__.py') files.push(full);
      else if (depth < 4 && !name.startsWith('.') && name !== '__pycache__' && isFolder(full)) visit(full, depth + 1);
    }
  };
  folders.forEach((folder) => visit(folder, 0));
  return files;
}

/** Every dialect the project's migrations run on, and why. */
export function inferProjectDialects(request: ProjectDialectsRequest): ProjectDialects {
  const scannedFiles: string[] = [];
  const evidence: DialectEvidenceItem[] = [];
  const relative = (file: string) => path.relative(request.projectFolder, file) || path.basename(file);

  const envPath = path.join(request.scriptLocation, 'env.py');
  const envText = readText(envPath, scannedFiles);
  const envCode = envText === undefined ? '' : withoutComments(envText);
  const iniUrlOverridden = ENV_URL_OVERRIDE.some((pattern) => pattern.test(envCode));
  const iniDialect = dialectFromSqlalchemyUrl(request.sqlalchemyUrl);
  if (iniDialect && !iniUrlOverridden) evidence.push({ dialect: iniDialect, reason: 'sqlalchemy.url in alembic.ini' });
  if (envText !== undefined) {
    urlEvidence(envCode, relative(envPath), evidence);
    for (const match of envCode.matchAll(/["']([A-Za-z0-9_-]+)["']/g)) {
      const driver = driverDialect(match[1]);
      if (driver && driver.name === match[1].toLowerCase()) evidence.push({ dialect: driver.dialect, reason: `"${match[1]}" in ${relative(envPath)}` });
    }
    if (/\bmysql_(engine|charset)\b/.test(envCode)) evidence.push({ dialect: 'mysql', reason: `MySQL table options in ${relative(envPath)}` });
  }

  const folders = foldersUpwards(request.projectFolder, request.stopAt);
  const top = folders[folders.length - 1];
  const composeFolders = [...folders, ...listFolder(top).map((name) => path.join(top, name)).filter((full) => !/node_modules|__pycache__|^\.git$/.test(path.basename(full)) && isFolder(full))];
  for (const folder of folders) {
    for (const name of listFolder(folder)) {
      const full = path.join(folder, name);
      if (name === 'pyproject.toml') {
        const text = readText(full, scannedFiles);
        if (text !== undefined) pyprojectEvidence(text, relative(full), evidence);
      } else if (/^requirements.*\.txt$/.test(name) || name === 'setup.cfg') {
        const text = readText(full, scannedFiles);
        // setup.cfg lists install_requires one a line, like a requirements file.
        if (text !== undefined) requirementsEvidence(name === 'setup.cfg' ? text.replace(/^\s*[\w.-]+\s*=\s*/gm, '') : text, relative(full), evidence);
      }
    }
  }
  for (const folder of new Set(composeFolders)) {
    for (const name of listFolder(folder)) {
      if (!COMPOSE_FILE.test(name)) continue;
      const full = path.join(folder, name);
      const text = readText(full, scannedFiles);
      if (text !== undefined) composeEvidence(text, relative(full), evidence);
    }
  }

  const guarded = new Set<Dialect>();
  for (const file of migrationFiles(request.versionsFolders)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!GUARD_HINT.test(text)) continue;
    for (const dialect of dialectsNamedByGuards(text, parseMigrationTree(text))) {
      if (!guarded.has(dialect)) evidence.push({ dialect, reason: `${relative(file)} branches on ${dialect}` });
      guarded.add(dialect);
    }
  }

  const found = new Set(evidence.map((item) => item.dialect));
  // Migrations that set one dialect apart run on another too; say which one we assume.
  if (found.size === 1 && guarded.size === 1 && !found.has(DEFAULT_DIALECT)) {
    evidence.push({ dialect: DEFAULT_DIALECT, reason: `the migrations branch on ${[...guarded][0]} and something else: assumed ${DEFAULT_DIALECT}` });
    found.add(DEFAULT_DIALECT);
  }
  const dialects = DIALECTS.filter((dialect) => found.has(dialect));
  // connect_args / `options=-c lock_timeout=...`, a SET run on the connection, context.configure(...): any mention in code counts.
  const envPySetsLockTimeout = /\b(lock_timeout|statement_timeout)\b/.test(envCode);
  return { dialects: dialects.length ? dialects : [DEFAULT_DIALECT], evidence, iniUrlOverridden, envPySetsLockTimeout, scannedFiles };
}

/**
 * Remembers each project's dialects and looks again when a file it read changed or when told to
 * (projects changed, a Python file was saved): the editor asks on every lint.
 */
export class ProjectDialectsCache {
  private readonly entries = new Map<string, { result: ProjectDialects; stamps: string[] }>();

  get(key: string, request: ProjectDialectsRequest): ProjectDialects {
    const entry = this.entries.get(key);
    if (entry && entry.result.scannedFiles.every((file, index) => stampText(file) === entry.stamps[index])) return entry.result;
    const result = inferProjectDialects(request);
    this.entries.set(key, { result, stamps: result.scannedFiles.map(stampText) });
    return result;
  }

  invalidate(): void {
    this.entries.clear();
  }
}

function stampText(file: string): string {
  try {
    return fileStamp(statSync(file)).join(':');
  } catch {
    return 'missing';
  }
}

/** The parts of a loaded project (AlembicProjectConfig) the inference reads. */
export interface ProjectDialectsSource {
  here: string;
  scriptLocation: string;
  sqlalchemyUrl?: string;
  versionLocations: readonly string[];
}

/** The request for a loaded project, looking no higher than `stopAt` (the workspace folder). */
export function projectDialectsRequest(config: ProjectDialectsSource, stopAt?: string): ProjectDialectsRequest {
  return { projectFolder: config.here, scriptLocation: config.scriptLocation, sqlalchemyUrl: config.sqlalchemyUrl, versionsFolders: config.versionLocations, stopAt };
}
