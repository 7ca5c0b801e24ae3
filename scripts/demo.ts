// `npm run demo`: a real VS Code (code-server, the one the tests use) on 127.0.0.1 with Alembic
// Workbench installed from the freshly packaged .vsix and a throw-away copy of
// examples/meeting-assistant open. No Docker, no database server: the copy runs Alembic locally
// against a SQLite file, upgraded half-way so the tree shows applied and pending revisions.
// Ctrl+C stops the server (its whole process group) and removes the copy. See docs/demo.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { codeServerDir, codeServerEntryScript, ensureCodeServer, missingPrerequisitePackages } from '../test/vscode/harness/codeServerInstall';
import { startCodeServer, type CodeServerHandle } from '../test/vscode/harness/codeServer';
import {
  copyExampleProject,
  DEFAULT_DEMO_PORT,
  DEMO_START_MESSAGE,
  DEMO_START_REVISION,
  DEMO_USAGE,
  DemoError,
  DemoUsageError,
  findAlembic,
  INSTALL_ALEMBIC_HINT,
  parseDemoArguments,
  portIsFree,
  postgresDemoDatabase,
  REPO_ROOT,
  runAlembic,
  sqliteDemoDatabase,
  writeDemoSettings,
  type DemoDatabase,
  type DemoOptions,
  type DemoWorkspace,
} from './lib/demoSetup';

const say = (line = '') => process.stdout.write(`${line}\n`);
const done = (line: string) => say(`  ✓ ${line}`);
const warn = (line: string) => say(`  ! ${line}`);

/** Everything the demo made, so one shutdown path can undo it whatever point it reached. */
const made: { workspace?: DemoWorkspace; database?: DemoDatabase; server?: CodeServerHandle; keep: boolean } = { keep: false };
let shuttingDown: Promise<void> | undefined;

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${Math.round(bytes / 1024)} kB`;
}

function packageVsix(): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(REPO_ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`);
  const packaged = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), '--out', vsix], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (packaged.status !== 0 || !existsSync(vsix)) throw new DemoError(`npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
  return vsix;
}

/**
 * code-server is installed on first use and needs a few apt packages for that (a compiler for its
 * native modules, ripgrep...). As root they are installed, like `npm test` does; otherwise the
 * install stops and names them.
 */
function installCodeServerPrerequisites(): void {
  if (existsSync(codeServerEntryScript(codeServerDir()))) return;
  const packages = missingPrerequisitePackages();
  if (packages.length === 0 || process.getuid?.() !== 0) return;
  say(`    code-server's first install needs: ${packages.join(' ')} (apt-get, as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new DemoError(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.error?.message}).`);
  }
}

async function startServer(options: DemoOptions, workspace: DemoWorkspace, database: DemoDatabase, vsix: string): Promise<CodeServerHandle> {
  installCodeServerPrerequisites();
  const installation = await ensureCodeServer({ log: (line) => say(`    ${line}`) });
  done(`code-server ${installation.version} (VS Code 1.100)${installation.installedNow ? `, installed in ${(installation.installMs / 1000).toFixed(0)} s` : ''}`);
  if (options.port !== undefined && !(await portIsFree(options.port))) {
    throw new DemoError(`port ${options.port} on 127.0.0.1 is in use: pick another with --port, or leave it out to take a free one.`);
  }
  const port = options.port ?? ((await portIsFree(DEFAULT_DEMO_PORT)) ? DEFAULT_DEMO_PORT : undefined);
  const start = (chosenPort: number | undefined) =>
    startCodeServer({
      workspaceFolder: workspace.folder,
      installVsix: vsix,
      installation,
      trusted: true,
      port: chosenPort,
      // The extension host inherits this: the local runner's Alembic reads it in env.py, and the
      // database state is read from it (the PostgreSQL password never touches a file).
      env: { DATABASE_URL: database.url },
      // The harness's quiet defaults (no Welcome page: on a first start VS Code would show its own
      // "Setup VS Code Web" walkthrough in front of ours); the demo copy is no git repository.
      userSettings: { 'git.enabled': false },
      keepTempDir: options.keep,
      handleSignals: false,
    });
  try {
    return await start(port);
  } catch (error) {
    // 8080 was free a moment ago but someone took it first: any free port will do.
    if (options.port === undefined && port !== undefined && /EADDRINUSE/.test((error as Error).message)) return start(undefined);
    throw error;
  }
}

function prepareDatabase(alembic: ReturnType<typeof findAlembic>, workspace: DemoWorkspace, database: DemoDatabase): void {
  if (!alembic.found) {
    warn(`database: ${database.display}, not initialised (Alembic is needed to upgrade it; the tree shows the revisions without their state)`);
    return;
  }
  if (!database.fresh) {
    done(`database: ${database.display} (existing: left as it is)`);
    return;
  }
  const upgrade = runAlembic(alembic.command, workspace.backend, ['upgrade', DEMO_START_REVISION], database.url);
  if (upgrade.ok) {
    done(`database: ${database.display}, upgraded to ${DEMO_START_REVISION} (${DEMO_START_MESSAGE}); the later revisions are pending`);
  } else {
    warn(`database: alembic upgrade ${DEMO_START_REVISION} failed, the demo runs without it:\n${upgrade.output.split('\n').slice(-8).map((line) => `      ${line}`).join('\n')}`);
  }
}

async function run(options: DemoOptions): Promise<void> {
  made.keep = options.keep;
  say('Alembic Workbench demo');

  // A PostgreSQL server that is down or refuses the login fails the demo before anything is built.
  const postgres = options.postgres ? await postgresDemoDatabase(options.postgres) : undefined;
  made.database = postgres;

  const vsix = packageVsix();
  done(`packaged ${path.relative(process.cwd(), vsix) || vsix} (${formatBytes(statSync(vsix).size)})`);

  const workspace = copyExampleProject();
  made.workspace = workspace;
  done(`workspace: ${workspace.folder} (a fresh copy of examples/meeting-assistant)`);

  const alembic = findAlembic(options.alembic);
  if (alembic.found) {
    done(`Alembic ${alembic.version}: ${alembic.command} (local runner)`);
  } else {
    warn(`Alembic is not available: ${alembic.reason}.`);
    warn('The revision tree and lint work without it; Alembic commands will say how to install it:');
    warn(`  ${INSTALL_ALEMBIC_HINT}`);
  }

  const database = postgres ?? sqliteDemoDatabase(workspace);
  made.database = database;
  prepareDatabase(alembic, workspace, database);

  const settingsFile = writeDemoSettings(workspace, {
    alembicCommand: [alembic.command],
    databaseUrl: database.kind === 'sqlite' ? database.url : undefined,
  });
  done(`settings: ${path.relative(workspace.folder, settingsFile)} (local runner, ${database.kind === 'sqlite' ? 'SQLite file' : 'DATABASE_URL'})`);

  const server = await startServer(options, workspace, database, vsix);
  made.server = server;
  // The extension is installed, not loaded for development: the URL needs only the folder (kept
  // readable, unlike URLSearchParams' %2F).
  const url = `${server.url}?folder=${encodeURI(workspace.folder).replace(/[?#&]/g, encodeURIComponent)}`;
  say('');
  say('  Alembic Workbench is running in VS Code. Open this in your browser:');
  say('');
  say(`      ${url}`);
  say('');
  say('  Click the Alembic icon in the activity bar (left) to see the revisions. For a tour: F1,');
  say('  "Welcome: Open Walkthrough...", "Get started with Alembic Workbench".');
  say(`  Press Ctrl+C to stop${options.keep ? '.' : ' (the workspace copy is removed).'}`);
  say('');

  const code = await server.exited;
  if (!shuttingDown) {
    say(`code-server stopped by itself (exit ${code}). Its last output:\n${server.output().slice(-3000)}`);
    await shutDown();
    process.exit(1);
  }
}

/** Stops the server, then removes what the demo made (unless --keep). Safe to call more than once. */
function shutDown(): Promise<void> {
  shuttingDown ??= (async () => {
    if (!made.server && !made.workspace && !made.database) return;
    const problems: string[] = [];
    if (made.server) {
      say('Stopping VS Code...');
      await made.server.stop().catch((error: Error) => problems.push(`stopping code-server: ${error.message}`));
    }
    if (made.keep) {
      if (made.workspace) say(`Kept the workspace copy: ${made.workspace.folder}`);
      if (made.database?.fresh && made.database.kind === 'postgresql') say(`Kept the database: ${made.database.display}`);
    } else {
      await made.database?.dispose().catch((error: Error) => problems.push(`dropping the demo database: ${error.message}`));
      if (made.workspace) rmSync(made.workspace.root, { recursive: true, force: true });
    }
    for (const problem of problems) say(`  ! ${problem}`);
    say('Stopped.');
  })();
  return shuttingDown;
}

// The synchronous part of the clean-up also runs when the process ends some other way.
process.on('exit', () => {
  if (!made.keep && made.workspace) rmSync(made.workspace.root, { recursive: true, force: true });
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    const exitCode = signal === 'SIGINT' ? 130 : 143;
    // A second Ctrl+C while stopping: stop waiting (the exit handlers still kill the server group).
    if (shuttingDown) process.exit(exitCode);
    say('');
    void shutDown().finally(() => process.exit(exitCode));
  });
}

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    options = parseDemoArguments(process.argv.slice(2));
  } catch (error) {
    if (error instanceof DemoUsageError) {
      process.stderr.write(`npm run demo: ${error.message}\n\n${DEMO_USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (options.help) {
    say(DEMO_USAGE);
    return;
  }
  try {
    await run(options);
  } catch (error) {
    process.stderr.write(`\nThe demo could not start: ${error instanceof DemoError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    await shutDown();
    process.exit(1);
  }
}

void main();
