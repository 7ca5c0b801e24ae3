// `npm run demo` end to end, as a newcomer runs it: the script starts as its own process group
// (like a command in a terminal), packages the VSIX, starts code-server and prints a URL; Chromium
// opens that URL, the Alembic view lists the example's revisions with their database state; then
// Ctrl+C (SIGINT to the group) must stop everything: no process of the run left (checked in
// /proc through an environment marker every descendant inherits), the workspace copy removed, a
// scratch database dropped. Screenshots: test/artifacts/demo/.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createScratchDatabase, testPostgresConnection } from '../../support/postgres';
import { REPO_ROOT, runRealAlembic } from '../../support/realAlembic';
import { ARTIFACTS_ROOT, launchChromium, newWorkbenchPage } from '../harness/browser';
import { environmentOf, processesOfRun, type ProcessInfo } from '../harness/processes';
import { UiWalk } from '../harness/uiWalk';
import pg from 'pg';
import { dropDatabase } from '../../../src/core/db/dropDatabase';

const MARKER_VARIABLE = 'AW_DEMO_TEST_RUN';
/** The example's history, oldest first along the main line (see examples/meeting-assistant/README.md). */
const APPLIED = ['4b1d3f0a9c21', '8e7c2a6d5f10', 'c3a9e1b27d44'];
const CURRENT = '17f05d8e3b92';
const PENDING = ['a64b9c0e2f57', '5d2e8f1a7c03', 'e91f4c6b0a38', '2c8d7e9f1b60', '9f3b6a2d4e15', '6a0e5b3c8d29', 'd7c1f8e4a2b6', 'b5e2a7d9c3f8'];
const ALL_REVISIONS = [...APPLIED, CURRENT, ...PENDING];

class DemoRun {
  readonly child: ChildProcess;
  readonly marker = randomBytes(8).toString('hex');
  private text = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string> = {}) {
    // Own process group, like the foreground job of a terminal: Ctrl+C there signals the group.
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'demo.ts'), ...args], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, [MARKER_VARIABLE]: this.marker },
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.text += chunk.toString('utf8')));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.text += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  get output(): string {
    return this.text;
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    for (;;) {
      const match = pattern.exec(this.text);
      if (match) return match;
      if (exitCode !== undefined) throw new Error(`npm run demo exited (${exitCode}) before printing ${pattern}:\n${this.text}`);
      if (Date.now() > deadline) throw new Error(`npm run demo printed no ${pattern} within ${timeoutMs / 1000} s:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Every live process of this run: the script's group, and anything carrying the marker (code-server's group too). */
  processes(): ProcessInfo[] {
    return processesOfRun({ processGroup: this.child.pid ?? -1, marker: this.marker, markerVariable: MARKER_VARIABLE });
  }

  /** Ctrl+C in the terminal: SIGINT to the whole foreground group. */
  async interrupt(timeoutMs = 60_000): Promise<number | null> {
    process.kill(-(this.child.pid ?? -1), 'SIGINT');
    return Promise.race([
      this.exited,
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`npm run demo did not stop within ${timeoutMs / 1000} s of Ctrl+C:\n${this.text}`)), timeoutMs)),
    ]);
  }

  /**
   * After a failed test: Ctrl+C first (the demo cleans up after itself), then, if it does not stop,
   * SIGKILL to every process of the run and removal of the folders it made.
   */
  async cleanUp(): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    await new Promise((resolve) => setImmediate(resolve));
    if (!exited) await this.interrupt(30_000).catch(() => undefined);
    const leftovers = this.processes();
    const folders = new Set<string>();
    for (const info of leftovers) {
      const runFolder = environmentOf(info.pid).split('\0').find((entry) => entry.startsWith('AW_CODE_SERVER_RUN='))?.split('=')[1];
      if (runFolder?.startsWith(tmpdir())) folders.add(runFolder);
      try {
        process.kill(info.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    const workspace = /http:\/\/127\.0\.0\.1:\d+\/\?folder=(\S+)/.exec(this.text)?.[1];
    if (workspace) folders.add(path.dirname(decodeURI(workspace)));
    for (const folder of folders) if (folder.startsWith(tmpdir()) && folder !== tmpdir()) rmSync(folder, { recursive: true, force: true });
  }
}

interface Started {
  url: string;
  workspace: string;
  workspaceRoot: string;
}

async function waitForStart(demo: DemoRun): Promise<Started> {
  // First run on a machine installs code-server (1-2 minutes); later runs take seconds.
  const [, url] = await demo.waitForOutput(/^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)\s*$/m, 240_000);
  const workspace = new URL(url).searchParams.get('folder') ?? '';
  return { url, workspace, workspaceRoot: path.dirname(workspace) };
}

/** The extension folders code-server installed: read from its own environment in /proc. */
function installedExtensions(demo: DemoRun): string[] {
  for (const info of demo.processes()) {
    const variables = environmentOf(info.pid).split('\0');
    const folder = variables.find((entry) => entry.startsWith('AW_CODE_SERVER_EXTENSIONS_DIR='))?.split('=')[1];
    if (folder && existsSync(folder)) return readdirSync(folder).filter((entry) => !entry.startsWith('.') && entry !== 'extensions.json');
  }
  return [];
}

/** Opens the URL, clicks the Alembic icon and returns the Revisions rows' accessible labels by revision id. */
async function revisionRows(browser: Browser, started: Started, walkName: string, expectedRows: number): Promise<Map<string, string>> {
  const page = await newWorkbenchPage(browser);
  const artifactsDir = path.join(ARTIFACTS_ROOT, walkName);
  rmSync(artifactsDir, { recursive: true, force: true });
  const ui = new UiWalk(page, walkName, artifactsDir, started.workspace, (line) => console.log(line));
  try {
    await page.goto(started.url);
    await ui.waitForWorkbench();
    await ui.openActivityBarContainer('Alembic');
    return await ui.step('the Revisions view lists every revision with its state', async () => {
      const deadline = Date.now() + 60_000;
      let rows = new Map<string, string>();
      while (Date.now() < deadline) {
        rows = new Map();
        for (const row of await ui.treeRows()) {
          const id = ALL_REVISIONS.find((revision) => row.ariaLabel.includes(revision) || row.label.includes(revision.slice(0, 7)));
          if (id) rows.set(id, `${row.ariaLabel} | ${row.label} | ${row.description}`);
        }
        // Every row, and each with its database state: the state is read after the tree first
        // shows the files, and a row says "database state unknown" until then.
        if (rows.size >= expectedRows && ![...rows.values()].some((row) => row.includes('database state unknown'))) return rows;
        await page.waitForTimeout(250);
      }
      throw new Error(`the Revisions view shows ${rows.size} of ${expectedRows} revisions:\n${[...rows.values()].join('\n')}`);
    });
  } finally {
    await page.context().close().catch(() => {});
  }
}

function assertStopped(demo: DemoRun, started: Started, exitCode: number | null): void {
  assert.equal(exitCode, 130, `npm run demo should exit 130 after Ctrl+C:\n${demo.output}`);
  assert.match(demo.output, /Stopped\.\s*$/);
  assert.deepEqual(
    demo.processes().map((info) => `${info.pid} ${info.commandLine.slice(0, 120)}`),
    [],
    'processes of the demo survived Ctrl+C',
  );
  assert.ok(!existsSync(started.workspaceRoot), `the workspace copy ${started.workspaceRoot} survived Ctrl+C`);
}

describe('npm run demo', function () {
  this.timeout(420_000);
  let browser: Browser;
  const runs: DemoRun[] = [];

  before(async () => {
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const run of runs.splice(0)) await run.cleanUp();
  });

  after(async () => {
    await browser?.close();
  });

  it('serves VS Code with the packaged extension on a SQLite copy of the example, half upgraded, and stops cleanly on Ctrl+C', async () => {
    const demo = new DemoRun([]);
    runs.push(demo);
    const started = await waitForStart(demo);

    // A fresh copy under the temp folder, never the repository's example.
    assert.ok(started.workspace.startsWith(tmpdir()), `workspace ${started.workspace} is not a temp copy`);
    assert.equal(path.basename(started.workspace), 'meeting-assistant');
    const settings = readFileSync(path.join(started.workspace, '.vscode', 'settings.json'), 'utf8');
    assert.match(settings, /"alembicWorkbench\.runner\.mode": "local"/);
    const databaseUrl = /"alembicWorkbench\.database\.url": "(sqlite:\/\/\/[^"]+)"/.exec(settings)?.[1];
    assert.ok(databaseUrl, `no SQLite URL in the demo settings:\n${settings}`);
    assert.ok(databaseUrl.startsWith(`sqlite:///${started.workspace}/`), 'the SQLite file is not inside the copy');
    assert.ok(!existsSync(path.join(REPO_ROOT, 'examples', 'meeting-assistant', '.vscode')), 'the demo wrote into the repository copy');

    // The database stands where the demo says, as the real Alembic reads it.
    const current = runRealAlembic(path.join(started.workspace, 'backend'), ['current'], { DATABASE_URL: databaseUrl });
    assert.equal(current.code, 0, current.stdout + current.stderr);
    assert.match(current.stdout, new RegExp(`^${CURRENT}\\b`, 'm'));

    // The extension came from the VSIX, installed into this run's own extensions folder.
    assert.ok(installedExtensions(demo).some((entry) => entry.startsWith('alembic-workbench.alembic-workbench-')), `installed: ${installedExtensions(demo).join(', ')}`);

    const rows = await revisionRows(browser, started, 'demo', ALL_REVISIONS.length);
    for (const id of APPLIED) assert.match(rows.get(id) ?? '', /\bapplied\b/, `${id} should show as applied: ${rows.get(id)}`);
    assert.match(rows.get(CURRENT) ?? '', /\bcurrent\b/, `${CURRENT} should show as the current revision: ${rows.get(CURRENT)}`);
    for (const id of PENDING) assert.match(rows.get(id) ?? '', /\bpending\b/, `${id} should show as pending: ${rows.get(id)}`);

    assertStopped(demo, started, await demo.interrupt());
  });

  it('without Alembic: says how to install it, and the tree still lists the revisions', async () => {
    const demo = new DemoRun(['--alembic', '/nonexistent/bin/alembic']);
    runs.push(demo);
    const started = await waitForStart(demo);
    assert.match(demo.output, /Alembic is not available: "\/nonexistent\/bin\/alembic" was not found/);
    assert.match(demo.output, /apt-get install alembic/);
    assert.ok(!existsSync(path.join(started.workspace, 'backend', 'meeting_assistant.db')), 'a database was made without Alembic');
    const rows = await revisionRows(browser, started, 'demo-without-alembic', ALL_REVISIONS.length);
    // No file yet is an empty database to Alembic (it creates it on the first upgrade): all pending,
    // nothing applied, and reading it did not create the file.
    for (const [id, row] of rows) {
      assert.match(row, /\bpending\b/, `${id} should be pending on a database not created yet: ${row}`);
      assert.doesNotMatch(row, /\b(applied|current)\b/, `${id} claims to be applied without a database: ${row}`);
    }
    assert.ok(!existsSync(path.join(started.workspace, 'backend', 'meeting_assistant.db')), 'reading the state created the database file');
    assertStopped(demo, started, await demo.interrupt());
  });

  it('with PostgreSQL (AW_DEMO_DATABASE_URL naming a new database): creates it, upgrades it, drops it on Ctrl+C', async () => {
    // A name from the test run (npm test drops leftovers of its run); made by the demo, not by us.
    const probe = await createScratchDatabase('demo_name');
    const name = `${probe.name}_demo`.slice(0, 63);
    await probe.drop();
    const connection = testPostgresConnection();
    const url = `postgresql+psycopg2://${connection.user}:${connection.password}@${connection.host}:${connection.port}/${name}`;
    const exists = async () => {
      const client = new pg.Client({ ...connection, database: 'postgres' });
      await client.connect();
      try {
        return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
      } finally {
        await client.end();
      }
    };

    const demo = new DemoRun([], { AW_DEMO_DATABASE_URL: url });
    runs.push(demo);
    try {
      const started = await waitForStart(demo);
      assert.ok(await exists(), `the demo did not create ${name}`);
      assert.ok(!demo.output.includes(`:${connection.password}@`), 'the demo printed the password');
      const settings = readFileSync(path.join(started.workspace, '.vscode', 'settings.json'), 'utf8');
      assert.ok(!settings.includes(connection.password), 'the password was written into settings.json');
      const current = runRealAlembic(path.join(started.workspace, 'backend'), ['current'], { DATABASE_URL: url });
      assert.match(current.stdout, new RegExp(`^${CURRENT}\\b`, 'm'), current.stdout + current.stderr);

      const rows = await revisionRows(browser, started, 'demo-postgres', ALL_REVISIONS.length);
      assert.match(rows.get(CURRENT) ?? '', /\bcurrent\b/);
      assert.match(rows.get('b5e2a7d9c3f8') ?? '', /\bpending\b/);

      assertStopped(demo, started, await demo.interrupt());
      assert.ok(!(await exists()), `the demo left its database ${name} behind`);
    } finally {
      const client = new pg.Client({ ...connection, database: 'postgres' });
      await client.connect();
      await dropDatabase(client, name).finally(() => client.end());
    }
  });
});
