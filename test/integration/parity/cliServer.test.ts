// `alembic-workbench server`: the built CLI's resident server as real processes. Every answer it
// gives must be the answer a fresh process gives (and Alembic's, where Alembic answers), right after
// files change, and the CLI must never depend on it: a stopped, killed or untrusted server just
// means the command runs on its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_CLI, ensureCliBuilt } from '../../support/builtCli';
import { runRealAlembic } from '../../support/realAlembic';
import { generateProject, GeneratedProject } from './support/alembicBatch';
import { normalize } from './support/parityProbe';
import { waitFor } from '../../support/waitFor';

const CLI = BUILT_CLI;

describe('the resident server (alembic-workbench server)', function () {
  this.timeout(120_000);
  let project: GeneratedProject;
  let cacheDir: string;

  function runOurs(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      cwd: project.root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir, ...env },
      timeout: 30_000,
    });
    if (result.error) throw result.error;
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }
  const alone = (args: string[]) => runOurs(args, { ALEMBIC_WORKBENCH_NO_SERVER: '1' });
  /** How many commands the server says it has answered (undefined: none running). */
  function answered(): number | undefined {
    const status = runOurs(['server', 'status']);
    if (status.code !== 0) return undefined;
    return Number(/answered (\d+) command/.exec(status.stdout)?.[1]);
  }
  const socketFolder = () => path.join(cacheDir, 'server');

  before(() => {
    ensureCliBuilt();
    project = generateProject(
      [
        { kind: 'revision', id: '5e5e00000001', message: 'create meetings' },
        { kind: 'revision', id: '5e5e00000002', message: 'add location', branchLabel: 'rooms' },
        { kind: 'revision', id: '5e5e00000003', message: 'recording url', head: '5e5e00000001', splice: true },
        { kind: 'merge', id: '5e5e00000004', message: 'merge branches', revisions: ['heads'] },
      ],
      { prefix: 'aw-server-' },
    );
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'aw-srv-'));
  });
  afterEach(() => {
    runOurs(['server', 'stop']);
    rmSync(cacheDir, { recursive: true, force: true });
  });
  after(() => project.cleanup());

  it('answers heads, history, show, check and graph exactly as a fresh process does', () => {
    const started = runOurs(['server', 'start']);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /^Started: heads, history, show, check, graph, status now answer from it\.\nServer running \(pid \d+/);
    assert.equal(answered(), 0);
    const commands = [['heads'], ['heads', '--json'], ['history'], ['history', '--verbose'], ['show', 'rooms@head'], ['check'], ['graph'], ['show', 'nope'], ['history', '--bogus']];
    for (const args of commands) {
      const served = runOurs(args);
      const fresh = alone(args);
      assert.deepEqual(served, fresh, args.join(' '));
    }
    assert.equal(answered(), commands.length, 'every one of them came from the server');
    for (const args of [['heads'], ['history']]) assert.equal(normalize(runOurs(args).stdout), normalize(runRealAlembic(project.root, args).stdout));
    // Not served: lint reads more than the history, and runs on its own.
    assert.equal(runOurs(['lint']).code, alone(['lint']).code);
    assert.equal(answered(), commands.length + 2);
    assert.match(runOurs(['server', 'start']).stdout, /^Already running\. Server running \(pid/);
  });

  it('sees a file written a moment ago, and one edited in place', () => {
    assert.equal(runOurs(['server', 'start']).code, 0);
    assert.deepEqual(JSON.parse(runOurs(['heads', '--json']).stdout).heads, ['5e5e00000004']);
    runRealAlembic(project.root, ['revision', '-m', 'add notes', '--rev-id', '5e5e00000005']);
    assert.equal(normalize(runOurs(['heads']).stdout), normalize(runRealAlembic(project.root, ['heads']).stdout));
    assert.deepEqual(JSON.parse(runOurs(['heads', '--json']).stdout).heads, ['5e5e00000005']);
    // Once it is old enough to be kept in memory (a file changed in the last two seconds never is),
    // point it at an older revision in place (same inode, same size), as an editor saves.
    const file = readdirSync(project.versions).find((name) => name.startsWith('5e5e00000005')) as string;
    const full = path.join(project.versions, file);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(full, minuteAgo, minuteAgo);
    assert.deepEqual(JSON.parse(runOurs(['heads', '--json']).stdout).heads, ['5e5e00000005']);
    const sizeBefore = statSync(full).size;
    writeFileSync(full, readFileSync(full, 'utf8').replace("down_revision = '5e5e00000004'", "down_revision = '5e5e00000002'"));
    assert.equal(statSync(full).size, sizeBefore);
    assert.equal(normalize(runOurs(['heads']).stdout), normalize(runRealAlembic(project.root, ['heads']).stdout));
    assert.deepEqual(JSON.parse(runOurs(['heads', '--json']).stdout).heads.sort(), ['5e5e00000004', '5e5e00000005']);
    rmSync(full);
    assert.deepEqual(JSON.parse(runOurs(['heads', '--json']).stdout).heads, ['5e5e00000004']);
    assert.ok((answered() ?? 0) >= 5);
  });

  it('is never needed: stopped, killed or in an open folder, the command runs on its own', () => {
    assert.equal(runOurs(['server', 'start']).code, 0);
    const expected = alone(['history']);
    // A folder other users can enter: the client won't talk to it, the server won't listen there.
    chmodSync(socketFolder(), 0o755);
    const before = Number(/answered (\d+)/.exec(alone(['server', 'status']).stdout)?.[1] ?? -1);
    assert.deepEqual(runOurs(['history']), expected);
    chmodSync(socketFolder(), 0o700);
    assert.equal(answered(), before, 'the open folder was not used');
    chmodSync(socketFolder(), 0o755);
    const refused = spawnSync(process.execPath, [CLI, 'server', 'run'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir }, timeout: 10_000 });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Not listening: .* is open to other users \(mode 755\)/);
    chmodSync(socketFolder(), 0o700);
    const blocked = path.join(cacheDir, 'a-file');
    writeFileSync(blocked, '');
    const unmakeable = spawnSync(process.execPath, [CLI, 'server', 'start'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: path.join(blocked, 'cache') }, timeout: 20_000 });
    assert.equal(unmakeable.status, 1);
    assert.match(unmakeable.stderr, /the server stopped at once \(exit code 1\); run `alembic-workbench server run` to see why/);
    const why = spawnSync(process.execPath, [CLI, 'server', 'run'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: path.join(blocked, 'cache') }, timeout: 20_000 });
    assert.match(why.stderr, /^error: Cannot make .*a-file\/cache\/server: ENOTDIR.*Set ALEMBIC_WORKBENCH_CACHE_DIR/);

    // Killed: its socket stays behind; the next command runs alone and removes it.
    const pid = Number(/pid (\d+)/.exec(runOurs(['server', 'status']).stdout)?.[1]);
    process.kill(pid, 'SIGKILL');
    const socket = readdirSync(socketFolder()).find((name) => name.endsWith('.sock'));
    assert.ok(socket, 'the killed server left its socket');
    assert.deepEqual(runOurs(['history']), expected);
    assert.equal(readdirSync(socketFolder()).length, 0, 'the stale socket was removed');

    // Stopped.
    assert.equal(runOurs(['server', 'start']).code, 0);
    assert.match(runOurs(['server', 'stop']).stdout, /^Stopped the server/);
    assert.equal(answered(), undefined);
    assert.equal(runOurs(['server', 'status']).code, 1);
    assert.deepEqual(runOurs(['history']), expected);
  });

  it('stops by itself after the idle time', async function () {
    this.timeout(90_000);
    // The idle time as status reports it, on a server that surely outlives the check.
    assert.equal(runOurs(['server', 'start', '--idle-minutes', '10']).code, 0);
    assert.match(runOurs(['server', 'status']).stdout, /Stops after 10 min without a command/);
    assert.match(runOurs(['server', 'stop']).stdout, /^Stopped the server/);
    // A second of idle time: watching the socket folder is no command, so it does not keep it alive.
    assert.equal(runOurs(['server', 'start', '--idle-minutes', '0.01']).code, 0);
    await waitFor('the idle server to remove its socket', () => !existsSync(socketFolder()) || readdirSync(socketFolder()).length === 0, { timeoutMs: 60_000 });
    assert.equal(answered(), undefined);
    assert.equal(runOurs(['server', 'start', '--idle-minutes', 'soon']).code, 2);
  });
});
