// `npm test` (and `npm test -- --only vscode`) runs this: every real-VS-Code suite, each in a
// fresh code-server on a fresh copy of the workspace.
//   0. the harness's self-tests (loopback only, own folders, nothing left after stop or Ctrl+C)
//   1. the extension test module, trusted workspace, extension loaded from the repo
//   2. the same module in an untrusted workspace (Restricted Mode)
//   3. the Playwright UI walks (test/vscode/ui/*.walk.ts), screenshots under test/artifacts/
//   4. the same module against the packaged .vsix (`npm run package`) installed into code-server
//   5. the same module through @vscode/test-cli's own runner, with exactly the options .vscode-test.mjs
//      gives it (read with `vscode-test --list-configuration`): proves the contributors' path offline
//   6. `npm run demo` as a newcomer runs it (test/vscode/demo/): URL, the tree in Chromium, Ctrl+C
// Options: --only harness|trusted|untrusted|ui|vsix|test-cli|demo (repeatable), --keep (keep servers' temp folders).
// Env: AW_VSCODE_TEST_GREP=<pattern> narrows the extension tests; AW_UI_WALK=<name> runs one UI walk; AW_CODE_SERVER_DIR moves the cache.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { copyToTemp } from '../../support/realAlembic';
import { TEST_ENVIRONMENT_VARIABLES, testEnvironmentVariables, type InstallMode, type TrustMode } from '../suite/testEnvironment';
import { ARTIFACTS_ROOT } from './browser';
import { startCodeServer, type CodeServerHandle, type StopReport } from './codeServer';
import { ensureCodeServer, REPO_ROOT, type CodeServerInstallation } from './codeServerInstall';
import { runExtensionTests } from './extensionTests';
import { runUiWalk, type UiWalkDefinition } from './uiWalk';

const EXTENSION_TESTS_PATH = path.join(REPO_ROOT, 'dist', 'test', 'vscode', 'suite', 'index.js');
const EXAMPLE_WORKSPACE = path.join(REPO_ROOT, 'examples', 'meeting-assistant');
const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'vscode-workspace');
const UI_WALKS_DIR = path.join(REPO_ROOT, 'test', 'vscode', 'ui');
/**
 * VS Code runs an extensionTestsPath only in a development session. For the VSIX run the
 * development extension is this empty one, so Alembic Workbench itself loads from the installed
 * .vsix exactly as it would for a user.
 */
const VSIX_TEST_HOST = path.join(REPO_ROOT, 'test', 'vscode', 'vsix-test-host');

/** Settings for test runs on top of the harness's quiet defaults: fewer moving parts, same product. */
const TEST_USER_SETTINGS = {
  // The built-in Git extension would scan the workspace copy and spawn git; nothing here needs it.
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
};

type Phase = 'harness' | 'trusted' | 'untrusted' | 'ui' | 'vsix' | 'test-cli' | 'demo';

interface Outcome {
  name: string;
  ok: boolean;
  seconds: number;
  detail?: string;
  artifacts?: string;
  screenshots?: string[];
}

const log = (line: string) => console.log(line);

function parsePhases(argv: string[]): Set<Phase> {
  const all: Phase[] = ['harness', 'trusted', 'untrusted', 'ui', 'vsix', 'test-cli', 'demo'];
  const chosen = argv.flatMap((argument, index) => (argument === '--only' ? [argv[index + 1]] : []));
  for (const phase of chosen) {
    if (!all.includes(phase as Phase)) throw new Error(`--only takes ${all.join('|')}, not ${phase}`);
  }
  return new Set(chosen.length > 0 ? (chosen as Phase[]) : all);
}

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((child) => newestMtime(path.join(entry, child))));
}

/** The suites run the bundles: rebuild when one is missing or older than what it is built from. */
function ensureFreshBuild(): void {
  const bundles = ['dist/extension.js', 'dist/sqlite.js', EXTENSION_TESTS_PATH].map((file) => path.resolve(REPO_ROOT, file));
  const sources = ['src', 'test/vscode/suite', 'package.json', 'esbuild.mjs', 'scripts/lib/bundles.mjs'].map((entry) => path.join(REPO_ROOT, entry));
  const oldestBundle = Math.min(...bundles.map((bundle) => (existsSync(bundle) ? statSync(bundle).mtimeMs : 0)));
  if (oldestBundle >= Math.max(...sources.map(newestMtime))) {
    log('Build check: bundles are up to date.');
    return;
  }
  log('Build check: bundles missing or older than their sources; building (node esbuild.mjs)...');
  buildBundles();
}

function buildBundles(): void {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`The build failed; the VS Code suites need dist/extension.js and the test bundle:\n${build.stderr}`);
}

function workspaceSource(): string {
  // The example project is the real thing once it lands; until then a small committed fixture.
  return existsSync(path.join(EXAMPLE_WORKSPACE)) ? EXAMPLE_WORKSPACE : FIXTURE_WORKSPACE;
}

interface ServerRunOptions {
  trust: TrustMode;
  install: InstallMode;
  installation: CodeServerInstallation;
  keep: boolean;
  vsix?: string;
  /** Replaces the harness's own test environment variables (the test-cli phase brings its own). */
  env?: (workspace: string) => Record<string, string>;
  /** Folder copied as the workspace; default: the example project, else the fixture. */
  workspaceSource?: string;
}

/** Workspace copies still on disk: removed on any exit, Ctrl+C included (codeServer stops the servers). */
const workspaceCopies = new Set<string>();
process.on('exit', () => {
  for (const workspace of workspaceCopies) rmSync(workspace, { recursive: true, force: true });
});

/** Fresh workspace copy + fresh server for one run; always stopped and cleaned, whatever happens inside. */
async function withServer<T>(options: ServerRunOptions, work: (server: CodeServerHandle) => Promise<T>): Promise<{ value: T; stop: StopReport }> {
  const workspace = copyToTemp(options.workspaceSource ?? workspaceSource(), 'aw-vscode-workspace-');
  workspaceCopies.add(workspace);
  let server: CodeServerHandle | undefined;
  let database: ScratchDatabase | undefined;
  try {
    // Every server gets its own empty database: the example's env.py reads DATABASE_URL, so the
    // suites and walks run Alembic against real PostgreSQL, and the database state store reads it.
    database = await createScratchDatabase('vscode');
    const databaseEnv = { DATABASE_URL: database.sqlalchemyUrl, [TEST_ENVIRONMENT_VARIABLES.database]: database.url };
    server = await startCodeServer({
      workspaceFolder: workspace,
      trusted: options.trust === 'trusted',
      extensionDevelopmentPath: options.install === 'development' ? REPO_ROOT : VSIX_TEST_HOST,
      installVsix: options.vsix,
      installation: options.installation,
      userSettings: TEST_USER_SETTINGS,
      keepTempDir: options.keep,
      log,
      env: {
        ...(options.env?.(workspace) ??
          testEnvironmentVariables({
            trust: options.trust,
            install: options.install,
            extensionRoot: options.install === 'development' ? REPO_ROOT : undefined,
            workspace,
            grep: process.env.AW_VSCODE_TEST_GREP,
          })),
        ...databaseEnv,
      },
    });
    const value = await work(server);
    const stop = await server.stop();
    server = undefined;
    if (stop.leftoversKilled.length > 0) {
      log(`  note: ${stop.leftoversKilled.length} process(es) outlived SIGTERM to the group and were killed: ${stop.leftoversKilled.map((info) => info.commandLine.slice(0, 80)).join('; ')}`);
    }
    return { value, stop };
  } finally {
    if (server) await server.stop().catch((error) => log(`  could not stop code-server: ${error.message}`));
    await database?.drop().catch((error: Error) => log(`  could not drop the scratch database ${database?.name}: ${error.message}`));
    rmSync(workspace, { recursive: true, force: true });
    workspaceCopies.delete(workspace);
  }
}

async function extensionTestPhase(name: string, label: string, options: ServerRunOptions, extensionTestsPath = EXTENSION_TESTS_PATH): Promise<Outcome> {
  const started = Date.now();
  log(`\n--- ${name} ---`);
  try {
    const { value: result } = await withServer(options, (server) => runExtensionTests({ server, extensionTestsPath, label }));
    const ok = result.exitCode === 0 && !result.problem;
    return {
      name,
      ok,
      seconds: (Date.now() - started) / 1000,
      detail: result.problem ?? (ok ? undefined : [`extension host exit code ${result.exitCode}`, ...result.failedTests].join('\n      ')),
      artifacts: result.artifactsDir,
      screenshots: result.failureScreenshot ? [result.failureScreenshot] : [],
    };
  } catch (error) {
    return { name, ok: false, seconds: (Date.now() - started) / 1000, detail: (error as Error).message };
  }
}

/** A phase that is one mocha run in this process's terminal (no extension host of its own). */
function mochaPhase(name: string, specs: string, timeoutMs: number): Outcome {
  log(`\n--- ${name} ---`);
  const started = Date.now();
  // A process a failed test left running keeps mocha alive after its report: end the phase
  // (and say so) instead of letting the whole CI run hang.
  const phaseLimitMs = 20 * 60_000;
  const mocha = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'mocha'), ['--config', '.mocharc.json', '--timeout', String(timeoutMs), specs], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    timeout: phaseLimitMs,
    killSignal: 'SIGINT',
  });
  const detail = mocha.error ? `mocha did not exit within ${phaseLimitMs / 60_000} min (a process left running?)` : mocha.status === 0 ? undefined : `mocha exit ${mocha.status}`;
  return { name, ok: mocha.status === 0 && !mocha.error, seconds: (Date.now() - started) / 1000, detail };
}

function harnessSelfTestPhase(): Outcome {
  return mochaPhase('harness self-tests (loopback, own folders, clean stop and Ctrl+C)', 'test/vscode/harness/*.test.ts', 180_000);
}

/**
 * `npm run demo` end to end (test/vscode/demo/*.test.ts): the script packages the VSIX and starts
 * its own code-server, so this phase only runs mocha; the screenshots land in test/artifacts/demo*.
 */
function demoPhase(): Outcome {
  const outcome = mochaPhase('npm run demo (URL, the tree in Chromium, Ctrl+C leaves nothing)', 'test/vscode/demo/*.test.ts', 420_000);
  const screenshots = existsSync(ARTIFACTS_ROOT)
    ? readdirSync(ARTIFACTS_ROOT)
        .filter((folder) => /^demo(-|$)/.test(folder))
        .flatMap((folder) => readdirSync(path.join(ARTIFACTS_ROOT, folder)).filter((file) => file.endsWith('.png')).sort().map((file) => path.join(ARTIFACTS_ROOT, folder, file)))
    : [];
  // The demo packaged a minified bundle into dist/; put the development build (source maps) back.
  buildBundles();
  return { ...outcome, screenshots };
}

async function loadUiWalks(folder = UI_WALKS_DIR): Promise<UiWalkDefinition[]> {
  if (!existsSync(folder)) return [];
  const walks: UiWalkDefinition[] = [];
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.walk.ts')).sort()) {
    const module = (await import(path.join(folder, file))) as { walk?: UiWalkDefinition };
    if (!module.walk) throw new Error(`${file} exports no \`walk\` (a UiWalkDefinition)`);
    walks.push(module.walk);
  }
  return walks;
}

async function uiWalkPhase(walk: UiWalkDefinition, installation: CodeServerInstallation, keep: boolean, workspaceSourceOverride?: string): Promise<Outcome> {
  const name = `UI walk: ${walk.name} (${walk.description})`;
  const started = Date.now();
  log(`\n--- ${name} ---`);
  try {
    const trust: TrustMode = walk.trusted === false ? 'untrusted' : 'trusted';
    const { value: result } = await withServer({ trust, install: 'development', installation, keep, workspaceSource: workspaceSourceOverride }, (server) =>
      runUiWalk({ server, definition: walk }),
    );
    if (result.error) log(`  ${result.error.message}`);
    return {
      name,
      ok: result.ok,
      seconds: (Date.now() - started) / 1000,
      detail: result.error?.message.split('\n')[0],
      artifacts: result.artifactsDir,
      screenshots: result.screenshots,
    };
  } catch (error) {
    return { name, ok: false, seconds: (Date.now() - started) / 1000, detail: (error as Error).message };
  }
}

function packageVsix(): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(REPO_ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`);
  const packaged = spawnSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { cwd: REPO_ROOT, encoding: 'utf8' });
  const sizeLine = (packaged.stdout ?? '').split('\n').find((line) => line.startsWith('VSIX:'));
  if (packaged.status !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
  log(sizeLine ?? `VSIX: ${vsix}`);
  // The package step leaves a minified bundle in dist/; put the development build (source maps) back.
  buildBundles();
  return vsix;
}

interface TestCliConfiguration {
  extensionTestsPath: string;
  extensionDevelopmentPath: string[];
  env: Record<string, string>;
}

/**
 * What @vscode/test-cli would hand to VS Code for .vscode-test.mjs: its runner module and the
 * environment (VSCODE_TEST_OPTIONS names our bundle as the test file). Only the download is skipped.
 */
async function testCliPhase(installation: CodeServerInstallation, keep: boolean): Promise<Outcome> {
  const name = 'extension tests through @vscode/test-cli (its runner, .vscode-test.mjs options)';
  const listed = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vscode-test'), ['--list-configuration'], { cwd: REPO_ROOT, encoding: 'utf8' });
  let configuration: TestCliConfiguration | undefined;
  try {
    configuration = (JSON.parse(listed.stdout) as TestCliConfiguration[])[0];
  } catch {
    // Reported below.
  }
  if (listed.status !== 0 || !configuration) {
    return { name, ok: false, seconds: 0, detail: `vscode-test --list-configuration failed: ${listed.stderr || listed.stdout}` };
  }
  const testCli = configuration;
  const outcome = await extensionTestPhase(
    name,
    'extension-tests-test-cli',
    // The config's own temp workspace is removed when vscode-test exits: point at this run's copy.
    { trust: 'trusted', install: 'development', installation, keep, env: (workspace) => ({ ...testCli.env, AW_VSCODE_TEST_WORKSPACE: workspace }) },
    testCli.extensionTestsPath,
  );
  // test-cli's runner reports through plain console.log (not our marked lines): show its verdict from the log.
  if (outcome.artifacts) {
    const consoleLog = readFileSync(path.join(outcome.artifacts, 'workbench-console.log'), 'utf8');
    for (const line of consoleLog.split('\n').filter((entry) => /\d+ (passing|failing|pending)/.test(entry))) log(`  test-cli runner: ${line.replace(/^\[\w+\]\s*INFO\s*/, '').trim()}`);
    if (!outcome.ok) log(`  mocha's report is in ${path.relative(REPO_ROOT, path.join(outcome.artifacts, 'workbench-console.log'))}`);
  }
  return outcome;
}

function writeArtifactsIndex(outcomes: Outcome[]): string {
  mkdirSync(ARTIFACTS_ROOT, { recursive: true });
  const lines = ['# Real-VS-Code test artifacts', '', `Written by test/vscode/harness/runAll.ts on ${new Date().toISOString()}.`, ''];
  for (const outcome of outcomes) {
    lines.push(`## ${outcome.ok ? 'PASS' : 'FAIL'} ${outcome.name} (${outcome.seconds.toFixed(1)} s)`, '');
    if (outcome.detail) lines.push(`${outcome.detail}`, '');
    if (outcome.artifacts) lines.push(`Logs: \`${path.relative(ARTIFACTS_ROOT, outcome.artifacts)}/\``, '');
    for (const shot of outcome.screenshots ?? []) {
      const relative = path.relative(ARTIFACTS_ROOT, shot);
      lines.push(`![${path.basename(shot, '.png')}](${relative})`, '');
    }
  }
  const index = path.join(ARTIFACTS_ROOT, 'README.md');
  writeFileSync(index, lines.join('\n'));
  return index;
}

async function main(): Promise<number> {
  const started = Date.now();
  const phases = parsePhases(process.argv.slice(2));
  const keep = process.argv.includes('--keep');
  ensureFreshBuild();
  const installation = await ensureCodeServer({ log });
  log(`code-server ${installation.version} (${installation.installedNow ? `installed in ${(installation.installMs / 1000).toFixed(1)} s` : 'cached'}) at ${installation.dir}`);
  log(`Workspace: copies of ${path.relative(REPO_ROOT, workspaceSource())}`);

  const outcomes: Outcome[] = [];
  if (phases.has('harness')) {
    outcomes.push(harnessSelfTestPhase());
    // The UI helpers, proven on VS Code's built-ins before the product walks rely on them.
    // They run on the committed fixture, whatever the product walks use: they test the harness.
    for (const walk of await loadUiWalks(path.join(REPO_ROOT, 'test', 'vscode', 'harness', 'selftest'))) {
      outcomes.push(await uiWalkPhase(walk, installation, keep, FIXTURE_WORKSPACE));
    }
  }
  if (phases.has('trusted')) {
    outcomes.push(await extensionTestPhase('extension tests, trusted workspace (development install)', 'extension-tests-trusted', { trust: 'trusted', install: 'development', installation, keep }));
  }
  if (phases.has('untrusted')) {
    outcomes.push(await extensionTestPhase('extension tests, untrusted workspace (Restricted Mode)', 'extension-tests-untrusted', { trust: 'untrusted', install: 'development', installation, keep }));
  }
  if (phases.has('ui')) {
    for (const walk of await loadUiWalks()) {
      if (process.env.AW_UI_WALK && walk.name !== process.env.AW_UI_WALK) continue;
      outcomes.push(await uiWalkPhase(walk, installation, keep));
    }
  }
  if (phases.has('vsix')) {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    if (manifest.scripts?.package) {
      const phaseStarted = Date.now();
      try {
        log('\n--- packaging the VSIX (npm run package) ---');
        const vsix = packageVsix();
        outcomes.push(await extensionTestPhase('extension tests, trusted workspace, installed from the VSIX', 'extension-tests-vsix', { trust: 'trusted', install: 'vsix', vsix, installation, keep }));
      } catch (error) {
        outcomes.push({ name: 'extension tests from the VSIX', ok: false, seconds: (Date.now() - phaseStarted) / 1000, detail: (error as Error).message });
      }
    } else {
      log('\n(no `npm run package` script yet: skipping the VSIX run)');
    }
  }

  if (phases.has('test-cli')) outcomes.push(await testCliPhase(installation, keep));
  if (phases.has('demo')) outcomes.push(demoPhase());

  const index = writeArtifactsIndex(outcomes);
  log('\n=== VS Code suites ===');
  for (const outcome of outcomes) {
    log(`${outcome.ok ? 'PASS' : 'FAIL'}  ${outcome.name}  (${outcome.seconds.toFixed(1)} s)${outcome.detail ? `\n      ${outcome.detail}` : ''}`);
  }
  log(`Screenshots and logs: ${path.relative(process.cwd(), index)}  (total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return outcomes.length > 0 && outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nVS Code suites could not run: ${error.message}`);
    process.exit(1);
  },
);
