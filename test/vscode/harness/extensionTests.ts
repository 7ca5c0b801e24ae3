// Runs the extension test module inside the real extension host of a running code-server, the way
// @vscode/test-electron does on the desktop: the workbench is opened with `extensionTestsPath`
// (in its URL, as code-server's CLI rejects the flag), the host calls the module's `run()`, and the
// workbench reports the exit code through `window.codeAutomationExit`, which Playwright exposes.
import { cpSync, createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { HARNESS_LINE_MARKER } from '../suite/testEnvironment';
import { ARTIFACTS_ROOT, launchChromium, newWorkbenchPage, plainConsoleText, saveScreenshot } from './browser';
import type { CodeServerHandle } from './codeServer';

export interface ExtensionTestRunOptions {
  server: CodeServerHandle;
  /** The compiled test module (dist/test/vscode/suite/index.js). */
  extensionTestsPath: string;
  /** Names the artifacts folder: test/artifacts/<label>/. */
  label: string;
  /** Default 5 minutes. */
  timeoutMs?: number;
  /** Reuse a browser; by default one is launched and closed. */
  browser?: Browser;
  /** Where the suite's own lines (mocha's report) go; default stdout. */
  print?: (line: string) => void;
}

export interface ExtensionTestRunResult {
  /** 0 when every test passed. */
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  artifactsDir: string;
  failureScreenshot?: string;
  /** Set when the run could not complete (server died, page crashed, timeout). */
  problem?: string;
}

interface AutomationLog {
  relativePath: string;
  contents: string;
}

/**
 * Console text of a message as the extension host meant it. The workbench logs forwarded lines as
 * `console.log('%c INFO', 'color: ...', format, ...args)`: drop the styled prefix's CSS and apply
 * the format (mocha's `%s`/`%d`), which the browser's own text() leaves unapplied.
 */
export async function consoleText(message: ConsoleMessage): Promise<string> {
  const text = message.text();
  if (!text.includes('%c')) return text;
  const values = await Promise.all(message.args().map((handle) => handle.jsonValue().catch(() => undefined)));
  const [prefix, ...rest] = values;
  if (typeof prefix !== 'string') return plainConsoleText(text);
  const styleCount = prefix.split('%c').length - 1;
  const styles = rest.slice(0, styleCount).map(String);
  const payload = rest.slice(styleCount);
  if (payload.length === 0) return plainConsoleText(prefix, styles);
  return `${plainConsoleText(prefix)} ${format(...payload)}`;
}

export async function runExtensionTests(options: ExtensionTestRunOptions): Promise<ExtensionTestRunResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const artifactsDir = path.join(ARTIFACTS_ROOT, options.label);
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  const workbenchConsole = createWriteStream(path.join(artifactsDir, 'workbench-console.log'));

  if (!existsSync(options.extensionTestsPath)) {
    throw new Error(`No extension test module at ${options.extensionTestsPath}: run \`node esbuild.mjs\` first.`);
  }

  const browser = options.browser ?? (await launchChromium());
  const page = await newWorkbenchPage(browser);
  let timer: NodeJS.Timeout | undefined;
  const result: ExtensionTestRunResult = { exitCode: 1, timedOut: false, durationMs: 0, artifactsDir };
  try {
    // Console events arrive in order; resolving their arguments is async, so chain them to keep it.
    let consoleChain = Promise.resolve();
    page.on('console', (message) => {
      consoleChain = consoleChain
        .then(async () => {
          const text = await consoleText(message);
          const markerAt = text.indexOf(HARNESS_LINE_MARKER);
          if (markerAt >= 0) {
            for (const line of text.slice(markerAt + HARNESS_LINE_MARKER.length).split('\n')) print(`  ${line}`);
          } else {
            workbenchConsole.write(`[${message.type()}] ${text}\n`);
          }
        })
        // A message whose page went away cannot be read; the next ones still can.
        .catch(() => {});
    });
    page.on('pageerror', (error) => workbenchConsole.write(`[pageerror] ${error.stack ?? error.message}\n`));

    let reportExit: (code: number) => void = () => {};
    // Registered before the page loads: the workbench looks for it when the tests end.
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: AutomationLog[]) => {
      saveAutomationLogs(artifactsDir, logs);
      reportExit(Number(code));
    });
    const outcome = new Promise<{ code: number } | { problem: string }>((resolve) => {
      reportExit = (code) => resolve({ code });
      page.on('crash', () => resolve({ problem: 'the workbench page crashed' }));
      void options.server.exited.then((code) => resolve({ problem: `code-server exited (code ${code}) while the tests ran` }));
      timer = setTimeout(() => resolve({ problem: `timed out after ${Math.round(timeoutMs / 1000)} s: the extension host never reported an exit code (see ${artifactsDir})` }), timeoutMs);
    });

    // Bounded by the run's own timeout, not Playwright's 30 s page load: on a loaded 2-core machine
    // the workbench page took longer than that to fire `load`, which failed whole phases.
    await page.goto(await options.server.workbenchUrl({ extensionTestsPath: options.extensionTestsPath }), { waitUntil: 'commit', timeout: timeoutMs });
    const settled = await outcome;
    await consoleChain;
    if ('code' in settled) {
      result.exitCode = settled.code;
    } else {
      result.problem = settled.problem;
      result.timedOut = settled.problem.startsWith('timed out');
    }
    if (result.exitCode !== 0 || result.problem) {
      result.failureScreenshot = await saveScreenshot(page, path.join(artifactsDir, 'failure.png'));
    }
  } finally {
    clearTimeout(timer);
    await page.context().close().catch(() => {});
    if (!options.browser) await browser.close().catch(() => {});
    await new Promise((resolve) => workbenchConsole.end(resolve));
    saveServerLogs(options.server, artifactsDir);
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** The workbench hands over its own log files with the exit code; keep them next to the screenshots. */
function saveAutomationLogs(artifactsDir: string, logs: AutomationLog[] | undefined): void {
  if (!Array.isArray(logs)) return;
  for (const log of logs) {
    if (typeof log?.relativePath !== 'string' || typeof log.contents !== 'string') continue;
    const target = path.resolve(artifactsDir, 'workbench-logs', log.relativePath);
    // The path comes from the page: keep it inside the artifacts folder.
    if (!target.startsWith(path.join(artifactsDir, 'workbench-logs') + path.sep)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, log.contents);
  }
}

/** The server's temp folder goes away on stop(): copy its logs (extension host, server) first. */
export function saveServerLogs(server: CodeServerHandle, artifactsDir: string): void {
  try {
    writeFileSync(path.join(artifactsDir, 'code-server-output.log'), server.output());
    const logs = path.join(server.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, path.join(artifactsDir, 'code-server-logs'), { recursive: true });
  } catch {
    // Logs are a convenience; never let them mask the run's outcome.
  }
}
