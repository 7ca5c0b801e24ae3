// The built CLI (dist/cli.js) as a real process beside the real `alembic` command: same output for
// heads and history, exit codes a shell script can rely on, and no password ever printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_CLI, ensureCliBuilt } from '../../support/builtCli';
import { REPO_ROOT, runRealAlembic } from '../../support/realAlembic';
import { generateProject, GeneratedProject } from './support/alembicBatch';
import { normalize } from './support/parityProbe';
import { TEST_CACHE_DIR } from '../../unit/cli/runCli';

const CLI = BUILT_CLI;

function runOurs(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR, ...env },
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('the built CLI as a process, beside the alembic command', function () {
  this.timeout(120_000);
  let project: GeneratedProject;

  before(() => {
    ensureCliBuilt();
    project = generateProject(
      [
        { kind: 'revision', id: '5a1e00000001', message: 'create meetings' },
        { kind: 'revision', id: '5a1e00000002', message: 'add location' },
        { kind: 'revision', id: '5a1e00000003', message: 'tags', branchLabel: 'tags' },
        { kind: 'revision', id: '5a1e00000004', message: 'recording url', head: '5a1e00000002', splice: true },
        { kind: 'merge', id: '5a1e00000005', message: 'merge branches', revisions: ['heads'] },
      ],
      { prefix: 'aw-cli-process-' },
    );
  });
  after(() => project.cleanup());

  it('prints what `alembic heads` and `alembic history` print', () => {
    for (const args of [['heads'], ['history'], ['history', '--verbose'], ['show', '5a1e00000003']]) {
      const alembic = runRealAlembic(project.root, args);
      const ours = runOurs(project.root, args);
      assert.equal(alembic.code, 0, alembic.stderr);
      assert.equal(ours.code, 0, ours.stderr);
      assert.equal(normalize(ours.stdout), normalize(alembic.stdout), args.join(' '));
    }
  });

  it('gives exit codes a script can rely on, and never prints the database password', () => {
    assert.equal(runOurs(project.root, ['check']).code, 0);
    assert.equal(runOurs(project.root, ['show', 'nope']).code, 4);
    assert.equal(runOurs(project.root, ['frobnicate']).code, 2);
    assert.equal(runOurs(path.dirname(project.root), ['-c', 'no/such/alembic.ini', 'heads']).code, 3);
    writeFileSync(project.ini, readFileSync(project.ini, 'utf8').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = postgresql://app:Sup3rSecret@db/app'));
    for (const args of [['heads', '-v'], ['history', '-v'], ['check'], ['graph'], ['check', '--json']]) {
      const run = runOurs(project.root, args);
      assert.ok(!(run.stdout + run.stderr).includes('Sup3rSecret'), `${args.join(' ')} printed the password`);
    }
  });

  it('survives a closed pipe (history | head -1)', () => {
    const result = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" history | head -1`], {
      cwd: project.root,
      encoding: 'utf8',
      env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR },
    });
    assert.equal(result.status, 0);
    assert.equal(result.stdout.split('\n').length, 2);
    assert.equal(result.stderr, '');
  });

  it('keeps its caches between runs, and answers the same from corrupt ones or none', () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'aw-cli-caches-'));
    try {
      const env = { ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir };
      const expected = normalize(runRealAlembic(project.root, ['history']).stdout);
      const answer = (extra: Record<string, string> = {}) => {
        const run = runOurs(project.root, ['history'], { ...env, ...extra });
        assert.equal(run.code, 0, run.stderr);
        return normalize(run.stdout);
      };
      assert.equal(answer(), expected);
      const stored = readdirSync(cacheDir).sort();
      assert.equal(stored.length, 2, stored.join());
      const [codeFile, headersFile] = stored.map((name) => path.join(cacheDir, name));
      assert.match(path.basename(codeFile), /^cli-code-[0-9a-f]{16}\.bin$/);
      assert.match(path.basename(headersFile), /^headers-[0-9a-f]{16}\.json$/);
      // Second run: V8 takes the stored code (a rejected cache would be written anew: a new inode).
      const codeInode = statSync(codeFile).ino;
      assert.equal(answer(), expected);
      assert.equal(statSync(codeFile).ino, codeInode, 'the code cache was rejected and rewritten');
      writeFileSync(codeFile, 'garbage, not V8 code');
      writeFileSync(headersFile, '{"format": 7, "files": [');
      assert.equal(answer(), expected);
      assert.ok(statSync(codeFile).size > 10_000, 'the corrupt code cache was replaced');
      // Turned off: nothing read or written.
      rmSync(cacheDir, { recursive: true, force: true });
      assert.equal(answer({ ALEMBIC_WORKBENCH_NO_CACHE: '1' }), expected);
      assert.ok(!existsSync(cacheDir));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('writes straight to files and pipes: the whole history, in order, no colour codes', () => {
    const outFolder = mkdtempSync(path.join(tmpdir(), 'aw-cli-out-'));
    try {
      const outFile = path.join(outFolder, 'history.txt');
      const result = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" history > "${outFile}"`], {
        cwd: project.root,
        encoding: 'utf8',
        env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR },
      });
      assert.equal(result.status, 0, result.stderr);
      const written = readFileSync(outFile, 'utf8');
      assert.ok(!written.includes('\u001b['), 'colour codes in a file');
      assert.equal(normalize(written), normalize(runRealAlembic(project.root, ['history']).stdout));
    } finally {
      rmSync(outFolder, { recursive: true, force: true });
    }
  });

  it('writes everything to a non-blocking pipe that is full when it starts', () => {
    // The CLI writes to its descriptors directly; one that would block (EAGAIN) hands the rest to
    // Node's stream. Python makes that pipe: non-blocking, shrunk to one page and filled up.
    const script = `
import fcntl, os, subprocess, sys
read_end, write_end = os.pipe()
fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ
fcntl.fcntl(write_end, fcntl.F_SETFL, fcntl.fcntl(write_end, fcntl.F_GETFL) | os.O_NONBLOCK)
filler = 0
try:
    while True:
        filler += os.write(write_end, b"#")
except BlockingIOError:
    pass
child = subprocess.Popen(sys.argv[1:], stdout=write_end)
os.close(write_end)
# Read only once the child has met the full pipe: it can't finish before that (it waits for room).
try:
    child.wait(timeout=2)
except subprocess.TimeoutExpired:
    pass
data = b""
while True:
    chunk = os.read(read_end, 65536)
    if not chunk:
        break
    data += chunk
sys.stdout.buffer.write(data[filler:])
sys.exit(child.wait())
`;
    const result = spawnSync('/usr/bin/python3', ['-c', script, process.execPath, CLI, 'history', '--verbose'], {
      cwd: project.root,
      encoding: 'utf8',
      env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR, NO_COLOR: '1' },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(normalize(result.stdout), normalize(runRealAlembic(project.root, ['history', '--verbose']).stdout));
  });

  it('runs the README quickstart on the example project (when it has landed)', function () {
    const backend = path.join(REPO_ROOT, 'examples', 'meeting-assistant', 'backend');
    if (!existsSync(path.join(backend, 'alembic.ini'))) this.skip();
    const ours = runOurs(REPO_ROOT, ['history', '-c', 'examples/meeting-assistant/backend']);
    assert.equal(ours.code, 0, ours.stderr);
    const alembic = runRealAlembic(backend, ['history']);
    assert.equal(normalize(ours.stdout), normalize(alembic.stdout));
  });
});
