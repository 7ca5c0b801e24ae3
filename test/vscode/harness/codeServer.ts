// Starts one fresh code-server (VS Code 1.100 in the browser, with the real Node extension host)
// per run: loopback only, a free port, its own user-data, extensions and XDG folders in a temp
// directory, in its own process group so `stop()` can end everything it started. Used by the
// test harness and by `npm run demo`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_ENVIRONMENT_VARIABLES } from '../suite/testEnvironment';
import { ensureCodeServer, type CodeServerInstallation } from './codeServerInstall';
import { processesOfRun, type ProcessInfo, type RunMembership } from './processes';

export interface StartCodeServerOptions {
  /** The folder the workbench opens (absolute). */
  workspaceFolder: string;
  /**
   * An extension folder to load in development mode. The code-server CLI rejects
   * `--extensionDevelopmentPath`, so it travels in the workbench URL (see `workbenchUrl`).
   */
  extensionDevelopmentPath?: string;
  /** A .vsix installed into this run's extensions folder before the server starts. */
  installVsix?: string;
  /** False: leave Workspace Trust on, so the folder opens in Restricted Mode. */
  trusted: boolean;
  /** Extra environment for the server; the extension host inherits it. */
  env?: Record<string, string>;
  /** Fixed port (the demo may want one); default: a free port picked at start. */
  port?: number;
  /** Merged over the harness's quiet defaults into the user settings.json. */
  userSettings?: Record<string, unknown>;
  installation?: CodeServerInstallation;
  log?: (line: string) => void;
  /** Keep the temp folder after stop() (logs, user data) for a post-mortem. */
  keepTempDir?: boolean;
  /** How long to wait for the server to answer (ms, default 60 s). */
  startTimeoutMs?: number;
  /**
   * Let the workbench query an extension marketplace (code-server's default is open-vsx.org).
   * Off by default: runs stay offline and deterministic, with no failed lookups in the logs.
   */
  extensionGallery?: boolean;
  /**
   * Default true: Ctrl+C (SIGINT), SIGTERM and SIGHUP stop every server and exit the process. False
   * leaves signals to the caller, which then must call stop() itself (the demo does, to clean up
   * its own things first). The servers are killed on process exit either way.
   */
  handleSignals?: boolean;
}

export interface WorkbenchUrlOptions {
  /** Compiled extension test module (its `run()` is called inside the extension host). */
  extensionTestsPath?: string;
}

/** The parts of the workbench page configuration the harness reads. */
export interface WorkbenchConfiguration {
  remoteAuthority?: string;
  enableWorkspaceTrust?: boolean;
  folderUri?: unknown;
  [key: string]: unknown;
}

export interface StopReport {
  /** Processes still alive after the group was terminated, killed one by one. */
  leftoversKilled: ProcessInfo[];
  durationMs: number;
}

export interface CodeServerHandle {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  pid: number;
  workspaceFolder: string;
  extensionDevelopmentPath?: string;
  trusted: boolean;
  tempRoot: string;
  userDataDir: string;
  extensionsDir: string;
  /** The workbench's `remoteAuthority` (read from the page configuration). */
  remoteAuthority(): Promise<string>;
  /** The whole page configuration (remoteAuthority, enableWorkspaceTrust, ...). */
  workbenchConfiguration(): Promise<WorkbenchConfiguration>;
  /** Which processes belong to this run (for leak checks). */
  membership: RunMembership;
  /** The URL that opens the workspace, with the development extension and test module when given. */
  workbenchUrl(options?: WorkbenchUrlOptions): Promise<string>;
  /** Everything the server printed so far. */
  output(): string;
  /** Resolves when the server process exits (for whatever reason). */
  exited: Promise<number | null>;
  /** Terminates the whole process group, verifies nothing of the run is left, removes the temp folder. */
  stop(): Promise<StopReport>;
}

export class CodeServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodeServerStartError';
  }
}

/** Set on the server process; every descendant inherits it, which is how leftovers are found. */
const RUN_MARKER_VARIABLE = 'AW_CODE_SERVER_RUN';

/**
 * The harness keeps the workbench quiet and deterministic: no welcome page, tips, update or
 * telemetry calls, no trust prompt (an untrusted folder opens straight into Restricted Mode).
 */
const QUIET_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'chat.commandCenter.enabled': false,
};

/** A port nobody listens on right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment code-server runs in: ours, minus what would confuse it or leak into the extension host. */
function serverEnvironment(tempRoot: string, dirs: { userDataDir: string; extensionsDir: string }, port: number, galleryOff: boolean, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // VSCODE_*: when the harness itself runs in a VS Code terminal, code-server would hand the
    // folder to that VS Code instead of serving it. NODE_OPTIONS: our tsx loader is not theirs.
    // PASSWORD/HASHED_PASSWORD: code-server would read them; we run with --auth none.
    if (/^VSCODE_|^ELECTRON_/.test(name) || ['NODE_OPTIONS', 'PASSWORD', 'HASHED_PASSWORD'].includes(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    XDG_CONFIG_HOME: path.join(tempRoot, 'xdg-config'),
    XDG_DATA_HOME: path.join(tempRoot, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tempRoot, 'xdg-cache'),
    XDG_STATE_HOME: path.join(tempRoot, 'xdg-state'),
    [RUN_MARKER_VARIABLE]: tempRoot,
    // An empty gallery configuration turns the marketplace off (unless the caller turns it back on).
    ...(galleryOff ? { EXTENSIONS_GALLERY: '{}' } : {}),
    // Suites in the extension host find the run's folders here (e.g. where a VSIX was installed).
    [TEST_ENVIRONMENT_VARIABLES.extensionsDir]: dirs.extensionsDir,
    [TEST_ENVIRONMENT_VARIABLES.userDataDir]: dirs.userDataDir,
    [TEST_ENVIRONMENT_VARIABLES.serverPort]: String(port),
    ...extra,
  };
}

function installVsixInto(installation: CodeServerInstallation, vsix: string, dirs: { userDataDir: string; extensionsDir: string }, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(
    process.execPath,
    [installation.entryScript, '--config', '/dev/null', '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--force', '--install-extension', vsix],
    { encoding: 'utf8', env, timeout: 120_000 },
  );
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout)) {
    throw new CodeServerStartError(`Installing ${vsix} into code-server failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

const live = new Set<RunningServer>();
let exitHandlerInstalled = false;
let signalHandlersInstalled = false;

/** A crash or a plain exit of the harness must not leave a server running. */
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const server of live) server.killGroupNow('SIGKILL');
  });
}

/** Ctrl+C or kill of the harness stops its servers cleanly before it exits. */
function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (live.size === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
      console.error(`\n${signal}: stopping ${live.size} code-server run(s)...`);
      Promise.allSettled([...live].map((server) => server.stop())).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

class RunningServer {
  private stopping: Promise<StopReport> | undefined;
  private outputChunks: string[] = [];
  private outputLength = 0;
  private cachedAuthority: string | undefined;
  readonly exited: Promise<number | null>;
  readonly membership: RunMembership;

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly options: StartCodeServerOptions,
    readonly dirs: { tempRoot: string; userDataDir: string; extensionsDir: string },
  ) {
    this.membership = { processGroup: child.pid ?? -1, marker: dirs.tempRoot, markerVariable: RUN_MARKER_VARIABLE };
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.outputChunks.push(text);
      this.outputLength += text.length;
      // Keep the last ~200 kB: enough for a post-mortem, bounded for long demo sessions.
      while (this.outputLength > 200_000 && this.outputChunks.length > 1) this.outputLength -= this.outputChunks.shift()!.length;
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  output(): string {
    return this.outputChunks.join('');
  }

  killGroupNow(signal: NodeJS.Signals): void {
    // Never signal a group we did not create (a missing pid would turn -pid into init's group).
    if (!(this.membership.processGroup > 1)) return;
    try {
      process.kill(-this.membership.processGroup, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /** The JSON the workbench page carries in `<meta id="vscode-workbench-web-configuration" data-settings>`. */
  async workbenchConfiguration(): Promise<WorkbenchConfiguration> {
    const response = await fetch(`${this.url}?folder=${encodeURIComponent(this.options.workspaceFolder)}`);
    const html = await response.text();
    const match = /<meta\s+id="vscode-workbench-web-configuration"\s+data-settings="([^"]*)"/.exec(html);
    if (!match) throw new CodeServerStartError(`The workbench page at ${this.url} has no web configuration (HTTP ${response.status}).`);
    return JSON.parse(decodeHtmlAttribute(match[1])) as WorkbenchConfiguration;
  }

  async remoteAuthority(): Promise<string> {
    // code-server 4.100 answers "remote"; newer ones or a proxy may differ, so read it, never assume.
    if (this.cachedAuthority) return this.cachedAuthority;
    const { remoteAuthority } = await this.workbenchConfiguration();
    if (!remoteAuthority) throw new CodeServerStartError('The workbench configuration names no remoteAuthority.');
    this.cachedAuthority = remoteAuthority;
    return remoteAuthority;
  }

  async workbenchUrl(options: WorkbenchUrlOptions = {}): Promise<string> {
    const query = new URLSearchParams({ folder: this.options.workspaceFolder });
    const payload: [string, string][] = [];
    if (this.options.extensionDevelopmentPath || options.extensionTestsPath) {
      const authority = await this.remoteAuthority();
      if (this.options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${this.options.extensionDevelopmentPath}`]);
      if (options.extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${options.extensionTestsPath}`]);
    }
    if (payload.length > 0) query.set('payload', JSON.stringify(payload));
    return `${this.url}?${query.toString()}`;
  }

  stop(): Promise<StopReport> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<StopReport> {
    const started = Date.now();
    this.killGroupNow('SIGTERM');
    let remaining = await waitUntilGone(this.membership, 5000);
    const leftoversKilled = remaining;
    if (remaining.length > 0) {
      // Something outlived SIGTERM or escaped the group: end it by pid, it is ours.
      this.killGroupNow('SIGKILL');
      for (const info of remaining) {
        try {
          process.kill(info.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      remaining = await waitUntilGone(this.membership, 3000);
    }
    live.delete(this);
    if (remaining.length > 0) {
      throw new CodeServerStartError(
        `code-server run ${this.dirs.tempRoot} left processes that would not die:\n` + remaining.map((info) => `  ${info.pid} ${info.commandLine}`).join('\n'),
      );
    }
    if (!this.options.keepTempDir) rmSync(this.dirs.tempRoot, { recursive: true, force: true });
    return { leftoversKilled, durationMs: Date.now() - started };
  }
}

async function waitUntilGone(membership: RunMembership, timeoutMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = processesOfRun(membership);
    if (remaining.length === 0 || Date.now() >= deadline) return remaining;
    await delay(100);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function decodeHtmlAttribute(value: string): string {
  return value.replace(/&(quot|amp|lt|gt|#39|#x27|apos);/g, (_entity, name: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'", '#x27': "'", apos: "'" })[name] ?? '');
}

async function waitUntilAnswering(server: RunningServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new CodeServerStartError(`code-server exited (code ${exitCode}) before answering on port ${server.port}:\n${server.output().slice(-4000)}`);
    }
    try {
      const response = await fetch(`${server.url}healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(150);
  }
  throw new CodeServerStartError(`code-server did not answer on ${server.url} within ${timeoutMs / 1000} s:\n${server.output().slice(-4000)}`);
}

/**
 * Starts a fresh code-server for one run. Always pair with `stop()` (try/finally); Ctrl+C and
 * process exit stop it as well.
 */
export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServerHandle> {
  const log = options.log ?? (() => {});
  const installation = options.installation ?? (await ensureCodeServer({ log }));
  const workspaceFolder = realpathSync(options.workspaceFolder);
  const extensionDevelopmentPath = options.extensionDevelopmentPath ? realpathSync(options.extensionDevelopmentPath) : undefined;
  installExitHandler();
  if (options.handleSignals !== false) installSignalHandlers();

  for (let attempt = 1; ; attempt++) {
    const tempRoot = realpathSync(mkdtempSync(path.join(tmpdir(), 'aw-code-server-')));
    const userDataDir = path.join(tempRoot, 'user-data');
    const extensionsDir = path.join(tempRoot, 'extensions');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_USER_SETTINGS, ...options.userSettings }, null, 2));
    const port = options.port ?? (await findFreePort());
    const env = serverEnvironment(tempRoot, { userDataDir, extensionsDir }, port, !options.extensionGallery, options.env ?? {});
    try {
      if (options.installVsix) installVsixInto(installation, path.resolve(options.installVsix), { userDataDir, extensionsDir }, env);
    } catch (error) {
      rmSync(tempRoot, { recursive: true, force: true });
      throw error;
    }

    const args = [
      installation.entryScript,
      '--config', '/dev/null',
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.trusted ? ['--disable-workspace-trust'] : []),
      workspaceFolder,
    ];
    // detached: the server leads its own process group, so stop() reaches every descendant and
    // a Ctrl+C in our terminal reaches us (we then stop it) rather than racing us to it.
    const child = spawn(process.execPath, args, { cwd: workspaceFolder, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) {
      rmSync(tempRoot, { recursive: true, force: true });
      throw new CodeServerStartError(`Could not start code-server (${process.execPath} ${installation.entryScript}).`);
    }
    const server = new RunningServer(child, port, { ...options, workspaceFolder, extensionDevelopmentPath }, { tempRoot, userDataDir, extensionsDir });
    live.add(server);
    log(`code-server ${installation.version}: ${server.url} (pid ${child.pid}, ${options.trusted ? 'trusted' : 'untrusted'} workspace ${workspaceFolder})`);
    try {
      await waitUntilAnswering(server, options.startTimeoutMs ?? 60_000);
    } catch (error) {
      await server.stop().catch(() => {});
      // Another process took the port between picking and binding: try a new one.
      if (options.port === undefined && attempt < 3 && /EADDRINUSE/.test(server.output())) continue;
      throw error;
    }
    return {
      url: server.url,
      port,
      pid: child.pid ?? -1,
      workspaceFolder,
      extensionDevelopmentPath,
      trusted: options.trusted,
      tempRoot,
      userDataDir,
      extensionsDir,
      remoteAuthority: () => server.remoteAuthority(),
      workbenchConfiguration: () => server.workbenchConfiguration(),
      membership: server.membership,
      workbenchUrl: (urlOptions) => server.workbenchUrl(urlOptions),
      output: () => server.output(),
      exited: server.exited,
      stop: () => server.stop(),
    };
  }
}

/** Stops every server this process started (e.g. from a demo's own shutdown path). */
export async function stopAllCodeServers(): Promise<void> {
  await Promise.allSettled([...live].map((server) => server.stop()));
}
