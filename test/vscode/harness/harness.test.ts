// Self-tests of the real-VS-Code harness, against the real code-server and Chromium: it binds to
// loopback only, keeps to its own folders, honours the trust switch, and leaves no process behind
// when stopped, when interrupted with Ctrl+C, or when the workbench has started its extension host.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Browser } from 'playwright-core';
import { launchChromium, newWorkbenchPage, plainConsoleText } from './browser';
import { startCodeServer, type CodeServerHandle } from './codeServer';
import { checkInstallPrerequisites, CodeServerInstallError, ensureCodeServer, REPO_ROOT } from './codeServerInstall';
import { processesOfRun, type RunMembership } from './processes';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'vscode-workspace');

/** Local addresses on which something listens on `port` (from /proc/net/tcp and tcp6). */
function listenersOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 3 && fields[3] === '0A' && fields[1].endsWith(`:${hexPort}`)) found.push(fields[1].split(':')[0]);
    }
  }
  return found;
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens the workbench so code-server starts the extension host and its file watcher too. */
async function openWorkbench(browser: Browser, url: string, membership: RunMembership): Promise<void> {
  const page = await newWorkbenchPage(browser);
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await waitUntil('the extension host to start', () => processesOfRun(membership).some((info) => info.commandLine.includes('extensionHost')));
  await page.context().close();
}

describe('code-server harness', function () {
  this.timeout(180_000);
  let browser: Browser;
  const workspaces: string[] = [];

  function workspaceCopy(): string {
    const folder = mkdtempSync(path.join(tmpdir(), 'aw-harness-test-'));
    writeFileSync(path.join(folder, 'alembic.ini'), readFileSync(path.join(FIXTURE, 'backend', 'alembic.ini')));
    workspaces.push(folder);
    return folder;
  }

  before(async () => {
    await ensureCodeServer({ log: () => {} });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    for (const folder of workspaces) rmSync(folder, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, keeps to its temp folders, and stop() leaves no process or folder', async () => {
    const servers: CodeServerHandle[] = [];
    try {
      servers.push(await startCodeServer({ workspaceFolder: workspaceCopy(), trusted: true }));
      servers.push(await startCodeServer({ workspaceFolder: workspaceCopy(), trusted: true }));
      const [first, second] = servers;
      assert.notEqual(first.port, second.port, 'two runs share a port');
      for (const server of servers) {
        assert.deepEqual(listenersOn(server.port), ['0100007F'], `port ${server.port} must be bound to 127.0.0.1 only`);
        assert.equal((await fetch(`${server.url}healthz`)).status, 200);
        assert.ok(server.userDataDir.startsWith(server.tempRoot) && server.extensionsDir.startsWith(server.tempRoot));
        // XDG_DATA_HOME points into the run: code-server's own logs land there, not in ~/.local/share.
        assert.ok(existsSync(path.join(server.tempRoot, 'xdg-data', 'code-server')), 'code-server did not use the redirected XDG_DATA_HOME');
      }
      await openWorkbench(browser, await first.workbenchUrl(), first.membership);
      assert.ok(processesOfRun(first.membership).length >= 3, 'expected server, its child and the extension host');

      const report = await first.stop();
      assert.deepEqual(processesOfRun(first.membership), []);
      assert.ok(!existsSync(first.tempRoot), 'the temp folder is still there');
      await assert.rejects(fetch(`${first.url}healthz`), 'the port still answers after stop()');
      assert.ok(report.durationMs < 8000, `stopping took ${report.durationMs} ms`);
      // Stopping one run leaves the other alone.
      assert.equal((await fetch(`${second.url}healthz`)).status, 200);
    } finally {
      for (const server of servers) await server.stop();
    }
  });

  it('opens the workspace trusted or untrusted as asked', async () => {
    const trusted = await startCodeServer({ workspaceFolder: workspaceCopy(), trusted: true });
    const untrusted = await startCodeServer({ workspaceFolder: workspaceCopy(), trusted: false });
    try {
      assert.equal((await trusted.workbenchConfiguration()).enableWorkspaceTrust, false);
      assert.equal((await untrusted.workbenchConfiguration()).enableWorkspaceTrust, true);
      assert.ok((await trusted.remoteAuthority()).length > 0);
    } finally {
      await trusted.stop();
      await untrusted.stop();
    }
  });

  it('Ctrl+C on the process that started the server stops the whole run', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'selftest', 'serveUntilSignal.ts'), workspaceCopy()], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      await waitUntil('the helper to report its server', () => stdout.includes('\n') || child.exitCode !== null, 90_000);
      const { url, membership, tempRoot } = JSON.parse(stdout.split('\n')[0]) as { url: string; membership: RunMembership; tempRoot: string };
      await openWorkbench(browser, url, membership);

      child.kill('SIGINT');
      const [code] = await exited;
      assert.equal(code, 130);
      assert.deepEqual(processesOfRun(membership), [], 'processes of the run survived Ctrl+C');
      assert.ok(!existsSync(tempRoot), 'the temp folder survived Ctrl+C');
    } finally {
      // A failure above must not leave the helper and its code-server running: they would keep
      // mocha (and so the whole CI run) alive.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await exited;
      }
    }
  });

  it('refuses to install into a folder it did not make, and touches nothing in it', async () => {
    const foreign = mkdtempSync(path.join(tmpdir(), 'aw-harness-foreign-'));
    workspaces.push(foreign);
    mkdirSync(path.join(foreign, 'keep'));
    writeFileSync(path.join(foreign, 'keep', 'notes.txt'), 'precious');
    await assert.rejects(ensureCodeServer({ dir: foreign, log: () => {} }), (error: Error) => error instanceof CodeServerInstallError && /holds no working code-server/.test(error.message));
    assert.equal(readFileSync(path.join(foreign, 'keep', 'notes.txt'), 'utf8'), 'precious');
  });

  it('names the apt packages when a build prerequisite is missing', () => {
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      assert.throws(checkInstallPrerequisites, (error: Error) => error instanceof CodeServerInstallError && /apt-get install -y g\+\+ make python3 tar/.test(error.message));
    } finally {
      process.env.PATH = savedPath;
    }
    assert.doesNotThrow(checkInstallPrerequisites);
  });

  it('strips the workbench console styling from forwarded lines', () => {
    assert.equal(plainConsoleText('%c INFO color: #33f   ✔ works', ['color: #33f']), ' INFO    ✔ works');
    assert.equal(plainConsoleText('%c  ERR color: #f33 boom  ', ['color: #f33']), '  ERR  boom');
  });
});
