// Real processes (node itself as the program, as GitLens tests its git runner): streaming,
// exit codes, start errors, cancellation of a whole process tree, the per-project lock.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CommandAlreadyRunningError,
  ExecutableNotFoundError,
  ExecutablePermissionError,
  ProjectCommandLock,
  runProcess,
  WorkingDirectoryNotFoundError,
} from '../../../src/core/runner/processRunner';

const node = process.execPath;

/** Pids of live (non-zombie) processes in a process group, from /proc. */
export function livingProcessesInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...; comm may contain spaces, so split after the last ")".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

describe('runProcess', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aw-process-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('streams stdout and stderr line by line and returns everything typed', async () => {
    const stdoutLines: string[] = [];
    const stderrLines: string[] = [];
    const script = `
      process.stdout.write('one\\ntw');
      setTimeout(() => { process.stdout.write('o\\r\\nthree'); process.stderr.write('err 1\\n'); process.exit(3); }, 50);
    `;
    const result = await runProcess({
      executable: node,
      args: ['-e', script],
      cwd: dir,
      onStdoutLine: (line) => stdoutLines.push(line),
      onStderrLine: (line) => stderrLines.push(line),
    });
    assert.deepEqual(stdoutLines, ['one', 'two', 'three']);
    assert.deepEqual(stderrLines, ['err 1']);
    assert.equal(result.stdout, 'one\ntwo\r\nthree');
    assert.equal(result.stderr, 'err 1\n');
    assert.equal(result.exitCode, 3);
    assert.equal(result.signal, null);
    assert.equal(result.cancelled, false);
    assert.ok(result.durationMs >= 40, `durationMs ${result.durationMs}`);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const lines: string[] = [];
    const script = `
      const bytes = Buffer.from('café ✓ 日本\\n');
      let i = 0;
      const next = () => { if (i < bytes.length) { process.stdout.write(bytes.subarray(i, i + 1)); i++; setTimeout(next, 1); } };
      next();
    `;
    const result = await runProcess({ executable: node, args: ['-e', script], cwd: dir, onStdoutLine: (line) => lines.push(line) });
    assert.deepEqual(lines, ['café ✓ 日本']);
    assert.equal(result.stdout, 'café ✓ 日本\n');
  });

  it('passes arguments untouched: no shell ever sees them', async () => {
    const marker = path.join(dir, 'pwned');
    const hostile = ['$(touch ' + marker + ')', '`touch ' + marker + '`', '; touch ' + marker, 'a\nb', "it's", '"q"', '*'];
    const result = await runProcess({ executable: node, args: ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...hostile], cwd: dir });
    assert.deepEqual(JSON.parse(result.stdout), hostile);
    assert.equal(existsSync(marker), false);
  });

  it('merges the environment and can remove variables', async () => {
    const result = await runProcess({
      executable: node,
      args: ['-e', 'console.log(JSON.stringify([process.env.AW_ADDED, process.env.HOME === undefined]))'],
      cwd: dir,
      env: { AW_ADDED: 'yes', HOME: undefined },
    });
    assert.deepEqual(JSON.parse(result.stdout), ['yes', true]);
  });

  it('throws typed errors when the process cannot start', async () => {
    await assert.rejects(runProcess({ executable: 'aw-no-such-program', args: [], cwd: dir }), ExecutableNotFoundError);
    const notExecutable = path.join(dir, 'not-executable.sh');
    writeFileSync(notExecutable, '#!/bin/sh\necho hi\n');
    chmodSync(notExecutable, 0o644);
    if (process.getuid?.() === 0) {
      // root may execute anything with an x bit; without one, even root gets EACCES.
      await assert.rejects(runProcess({ executable: notExecutable, args: [], cwd: dir }), ExecutablePermissionError);
    }
    await assert.rejects(runProcess({ executable: node, args: [], cwd: path.join(dir, 'missing') }), (error: unknown) => {
      assert.ok(error instanceof WorkingDirectoryNotFoundError);
      assert.match(error.message, /does not exist/);
      return true;
    });
  });

  it('cancels the whole process tree: SIGTERM, then SIGKILL for what ignores it', async function () {
    this.timeout(15_000);
    const childPidFile = path.join(dir, 'grandchild.pid');
    // The program starts a grandchild that ignores SIGTERM, then both wait forever.
    // It says "grandchild ready" only once its handler is set and its pid written, so the abort
    // never races its start (under load a fixed delay after the parent's start did).
    const grandchild = `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(childPidFile)}, String(process.pid)); console.log('grandchild ready'); setInterval(() => {}, 1000);`;
    const script = `
      const { spawn } = require('child_process');
      spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' });
      setInterval(() => {}, 1000);
    `;
    const controller = new AbortController();
    let pid = 0;
    const running = runProcess({
      executable: node,
      args: ['-e', script],
      cwd: dir,
      signal: controller.signal,
      killGraceMs: 300,
      onStart: (started) => {
        pid = started;
      },
      onStdoutLine: (line) => {
        if (line === 'grandchild ready') controller.abort();
      },
    });
    const result = await running;
    assert.equal(result.cancelled, true);
    assert.ok(pid > 0);
    assert.ok(existsSync(childPidFile), 'the grandchild ran');
    const grandchildPid = Number(readFileSync(childPidFile, 'utf8'));
    assert.deepEqual(livingProcessesInGroup(pid), [], 'nothing of the group is left');
    assert.equal(existsSync(`/proc/${grandchildPid}`) && !/\) Z /.test(readFileSync(`/proc/${grandchildPid}/stat`, 'utf8')), false);
  });

  it('does not start at all when already cancelled', async () => {
    const marker = path.join(dir, 'should-not-exist');
    const result = await runProcess({
      executable: node,
      args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`],
      cwd: dir,
      signal: AbortSignal.abort(),
    });
    assert.equal(result.cancelled, true);
    assert.equal(existsSync(marker), false);
  });

  it('keeps the newest output when a stream exceeds the cap', async () => {
    const result = await runProcess({
      executable: node,
      args: ['-e', "for (let i = 0; i < 2000; i++) process.stdout.write('line ' + i + '\\n')"],
      cwd: dir,
      maxCapturedChars: 1000,
    });
    assert.equal(result.truncated, true);
    assert.ok(result.stdout.endsWith('line 1999\n'));
    assert.ok(result.stdout.length <= 1000 + 20000);
  });
});

describe('ProjectCommandLock', () => {
  it('refuses a second command on the same project with a clear message, not on another', async () => {
    const lock = new ProjectCommandLock();
    const release = lock.acquire('/p/alembic.ini', 'alembic upgrade head');
    assert.throws(
      () => lock.acquire('/p/alembic.ini', 'alembic downgrade -1'),
      (error: unknown) => {
        assert.ok(error instanceof CommandAlreadyRunningError);
        assert.equal(error.running.description, 'alembic upgrade head');
        assert.match(error.message, /Not starting "alembic downgrade -1": "alembic upgrade head" is still running for \/p\/alembic\.ini/);
        return true;
      },
    );
    const other = lock.acquire('/q/alembic.ini', 'alembic current');
    other();
    release();
    release(); // releasing twice is harmless
    assert.equal(lock.current('/p/alembic.ini'), undefined);
    await lock.runExclusive('/p/alembic.ini', 'again', async () => {
      assert.equal(lock.current('/p/alembic.ini')?.description, 'again');
    });
    await assert.rejects(
      lock.runExclusive('/p/alembic.ini', 'fails', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(lock.current('/p/alembic.ini'), undefined, 'released after a failure too');
  });
});
