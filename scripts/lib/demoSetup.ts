// The pieces `npm run demo` is made of, as plain functions (no VS Code, no code-server): its
// options, the workspace copy and its settings, finding Alembic, and the demo database (a SQLite
// file in the copy, or PostgreSQL when asked). scripts/demo.ts puts them together.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { classifyDatabaseError } from '../../src/core/db/databaseClient';
import { describeSqlalchemyUrl, tlsToPgSsl, toDatabaseConnectionSpec, type PostgresConnectionSpec } from '../../src/core/db/sqlalchemyUrl';
import { maskSecrets } from '../../src/core/util/maskSecrets';
import { dropDatabase } from '../../src/core/db/dropDatabase';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_PROJECT = path.join(REPO_ROOT, 'examples', 'meeting-assistant');
/** Folder of alembic.ini inside the example. */
export const EXAMPLE_BACKEND = 'backend';
export const DEFAULT_DEMO_PORT = 8080;
/**
 * A fresh demo database is upgraded to here: the four safe revisions are applied and everything
 * risky (type changes, NOT NULL, a dropped column, an empty downgrade, the branches and their
 * merge) is still pending, which is where a reviewer wants to meet it.
 */
export const DEMO_START_REVISION = '17f05d8e3b92';
export const DEMO_START_MESSAGE = 'index meetings created_at';
/** The role `npm test` creates (scripts/lib/system.mjs): what `--postgres` uses when given no URL. */
export const LOCAL_TEST_ROLE_URL = 'postgresql+psycopg2://aw_test:aw_test@127.0.0.1:5432';
export const INSTALL_ALEMBIC_HINT = 'apt-get install alembic python3-sqlalchemy python3-psycopg2   (or: pip install alembic sqlalchemy psycopg2-binary)';

export class DemoError extends Error {
  override name = 'DemoError';
}

export class DemoUsageError extends DemoError {
  override name = 'DemoUsageError';
}

export interface DemoOptions {
  /** Fixed port; undefined = 8080 when free, else any free port. */
  port?: number;
  /** PostgreSQL instead of SQLite: a SQLAlchemy URL, or 'local-test-role' for a scratch database of the test role. */
  postgres?: string;
  /** The Alembic executable for the local runner; undefined = /usr/bin/alembic, else `alembic` on PATH. */
  alembic?: string;
  /** Keep the workspace copy (and a scratch PostgreSQL database) after stopping. */
  keep: boolean;
  help: boolean;
}

export const DEMO_USAGE = `npm run demo -- [options]

Starts VS Code (code-server, in your browser) on 127.0.0.1 with Alembic Workbench installed from
its packaged .vsix and a fresh copy of examples/meeting-assistant open. Ctrl+C stops it and
removes the copy. No Docker and no database server needed: the copy uses Alembic on this machine
and a SQLite file.

Options:
  --port <n>          port to listen on (default 8080, or a free one when 8080 is taken)
  --postgres [<url>]  use PostgreSQL instead of SQLite: a SQLAlchemy URL
                      (postgresql+psycopg2://user:password@host:5432/db), or without a URL a
                      scratch database of the test role aw_test on 127.0.0.1 (created, and
                      dropped on exit). A database the URL names that does not exist yet is
                      created and upgraded; an existing one is left as it is.
  --alembic <path>    the Alembic executable (default /usr/bin/alembic, else alembic on PATH)
  --keep              keep the workspace copy (and a scratch database) after stopping
  --help              this text

Environment:
  AW_DEMO_DATABASE_URL  same as --postgres <url>
  AW_CODE_SERVER_DIR    where code-server is installed on first use (default .cache/)`;

export function parseDemoArguments(argv: readonly string[], env: Record<string, string | undefined> = process.env): DemoOptions {
  const options: DemoOptions = { keep: false, help: false };
  const environmentUrl = env.AW_DEMO_DATABASE_URL?.trim();
  if (environmentUrl) options.postgres = environmentUrl;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new DemoUsageError(`${argument} needs a value`);
      index++;
      return next;
    };
    switch (argument) {
      case '--port': {
        const text = value();
        const port = Number(text);
        if (!Number.isInteger(port) || port < 1 || port > 65535) throw new DemoUsageError(`--port takes a port number (1-65535), not ${text}`);
        options.port = port;
        break;
      }
      case '--postgres': {
        const next = argv[index + 1];
        if (next !== undefined && !next.startsWith('--')) {
          if (!/^postgres(?:ql)?(?:\+\w+)?:\/\//i.test(next)) throw new DemoUsageError(`--postgres takes a PostgreSQL URL (postgresql+psycopg2://...), not ${describeSqlalchemyUrl(next)}`);
          options.postgres = next;
          index++;
        } else {
          options.postgres ??= 'local-test-role';
        }
        break;
      }
      case '--alembic':
        options.alembic = value();
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new DemoUsageError(`unknown option ${argument}`);
    }
  }
  return options;
}

// --- port ---------------------------------------------------------------------------------------

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// --- workspace ----------------------------------------------------------------------------------

export interface DemoWorkspace {
  /** Temp folder holding the copy; removed on stop unless --keep. */
  root: string;
  /** The copy of the example project (the folder VS Code opens). */
  folder: string;
  /** Where alembic.ini is: Alembic runs here. */
  backend: string;
}

/** A fresh copy of the example project under the OS temp folder, named like the original. */
export function copyExampleProject(source = EXAMPLE_PROJECT): DemoWorkspace {
  if (!existsSync(path.join(source, EXAMPLE_BACKEND, 'alembic.ini'))) throw new DemoError(`The example project is missing: no ${path.join(source, EXAMPLE_BACKEND, 'alembic.ini')}.`);
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'aw-demo-')));
  const folder = path.join(root, path.basename(source));
  // Python caches and any database someone made in the repo copy stay behind.
  cpSync(source, folder, { recursive: true, filter: (file) => !/(^|[\\/])(__pycache__|\.vscode)$|\.pyc$|\.db$/.test(file) });
  return { root, folder, backend: path.join(folder, EXAMPLE_BACKEND) };
}

export interface DemoSettingsInput {
  alembicCommand: string[];
  /** Set for SQLite (no secret in it); PostgreSQL URLs travel in DATABASE_URL only. */
  databaseUrl?: string;
}

/** The copy's .vscode/settings.json (JSON with comments, as VS Code reads it). */
export function demoSettingsText(input: DemoSettingsInput): string {
  const lines = [
    '// Written by `npm run demo` for this copy of the example project.',
    '{',
    '  // Alembic runs on this machine: the demo needs no Docker. In your own project the default,',
    '  // "dockerCompose", runs `docker compose exec backend alembic ...` instead.',
    '  "alembicWorkbench.runner.mode": "local",',
    `  "alembicWorkbench.runner.local.command": ${JSON.stringify(input.alembicCommand)},`,
  ];
  if (input.databaseUrl) {
    lines.push('  // The demo database; Alembic gets the same URL from DATABASE_URL (see backend/alembic/env.py).');
    lines.push(`  "alembicWorkbench.database.url": ${JSON.stringify(input.databaseUrl)},`);
  } else {
    lines.push('  // The database URL (with its password) is in DATABASE_URL, never in this file.');
  }
  lines.push('  // The app runs on PostgreSQL in production: lint for it, whatever the demo database is.');
  lines.push('  "alembicWorkbench.lint.dialect": "postgresql"');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function writeDemoSettings(workspace: DemoWorkspace, input: DemoSettingsInput): string {
  const file = path.join(workspace.folder, '.vscode', 'settings.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, demoSettingsText(input));
  return file;
}

// --- Alembic ------------------------------------------------------------------------------------

export type AlembicProbe = { found: true; command: string; version: string } | { found: false; command: string; reason: string };

function onPath(name: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  for (const directory of pathVariable.split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Alembic the demo's local runner will use, and whether it runs. Debian's /usr/bin/alembic
 * first: a `python3` earlier on PATH (pyenv) may lack Alembic or SQLAlchemy.
 */
export function findAlembic(requested?: string): AlembicProbe {
  const command = requested ?? (existsSync('/usr/bin/alembic') ? '/usr/bin/alembic' : (onPath('alembic') ?? 'alembic'));
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) {
    const code = (probe.error as NodeJS.ErrnoException).code;
    return { found: false, command, reason: code === 'ENOENT' ? `"${command}" was not found` : probe.error.message };
  }
  const output = `${probe.stdout}${probe.stderr}`.trim();
  if (probe.status !== 0) return { found: false, command, reason: `"${command} --version" failed (exit ${probe.status}): ${output.split('\n').pop() ?? ''}` };
  return { found: true, command, version: /alembic\s+(\S+)/i.exec(output)?.[1] ?? output };
}

export interface AlembicRunResult {
  ok: boolean;
  output: string;
}

/** `alembic <args>` in the backend folder with the demo database, as the local runner will run it. */
export function runAlembic(command: string, cwd: string, args: string[], databaseUrl: string): AlembicRunResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DATABASE_URL: databaseUrl } });
  const output = maskSecrets(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`.trim(), [databaseUrl]);
  return { ok: result.status === 0, output };
}

// --- database -----------------------------------------------------------------------------------

export interface DemoDatabase {
  kind: 'sqlite' | 'postgresql';
  /** SQLAlchemy URL: DATABASE_URL for Alembic and the extension. May hold a password: print `display`. */
  url: string;
  display: string;
  /** True when the demo made it just now (then it is upgraded to the start revision). */
  fresh: boolean;
  /** Drops what the demo created (a PostgreSQL scratch database); nothing for SQLite (its file goes with the copy). */
  dispose(): Promise<void>;
}

export function sqliteDemoDatabase(workspace: DemoWorkspace): DemoDatabase {
  const file = path.join(workspace.backend, 'meeting_assistant.db');
  // sqlite:/// + an absolute path: four slashes in all, the form SQLAlchemy documents.
  const url = `sqlite:///${file}`;
  return { kind: 'sqlite', url, display: `SQLite ${file}`, fresh: true, dispose: async () => {} };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withClient<T>(config: pg.ClientConfig, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 5000 });
  // An idle client whose server goes away emits 'error'; unhandled, it would crash the demo.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL database named by `requested` ('local-test-role': a new scratch database of the
 * test role). A database that does not exist is created (and dropped again by dispose, unless
 * kept); one that exists is used as it is.
 */
export async function postgresDemoDatabase(requested: string): Promise<DemoDatabase> {
  const url = requested === 'local-test-role' ? `${LOCAL_TEST_ROLE_URL}/aw_demo_${randomBytes(3).toString('hex')}` : requested;
  let spec: PostgresConnectionSpec;
  try {
    const parsed = toDatabaseConnectionSpec(url);
    if (parsed.dialect !== 'postgresql') throw new DemoError(`not a PostgreSQL URL: ${describeSqlalchemyUrl(url)}`);
    spec = parsed;
  } catch (error) {
    if (error instanceof DemoError) throw error;
    throw new DemoError(`cannot use ${describeSqlalchemyUrl(url)}: ${(error as Error).message}`);
  }
  // libpq's `prefer`/`allow` fall back to plain text; the demo's two short connections start plain.
  const plainFirst = spec.tls.mode === 'disable' || spec.tls.mode === 'prefer' || spec.tls.mode === 'allow';
  const config: pg.ClientConfig = { ...spec.clientConfig, ssl: plainFirst ? false : tlsToPgSsl(spec.tls) };
  const name = config.database;
  if (!name) throw new DemoError(`${describeSqlalchemyUrl(url)} names no database.`);
  const unreachable = (error: unknown) =>
    new DemoError(`PostgreSQL ${spec.location}: ${classifyDatabaseError(error, spec, 5000).message}. Start it, fix the URL, or leave out --postgres to use SQLite.`);

  let exists: boolean;
  try {
    await withClient(config, async () => undefined);
    exists = true;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw unreachable(error);
    exists = false;
  }
  if (exists) return { kind: 'postgresql', url, display: `PostgreSQL ${spec.display}`, fresh: false, dispose: async () => {} };

  // Created through the server's maintenance database with the same role (it needs CREATEDB).
  const maintenance = { ...config, database: 'postgres' };
  try {
    await withClient(maintenance, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  } catch (error) {
    throw new DemoError(`could not create the database "${name}" at ${spec.location}: ${maskSecrets((error as Error).message, spec.secrets)}`);
  }
  return {
    kind: 'postgresql',
    url,
    display: `PostgreSQL ${spec.display} (created for the demo)`,
    fresh: true,
    dispose: async () => {
      await withClient(maintenance, (client) => dropDatabase(client, name));
    },
  };
}
