// The resident server's request handling over a real Unix socket, with a stand-in for the CLI's
// main() (the built CLI end to end is in test/integration/parity/cliServer.test.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResidentServer, startResidentServer } from '../../../src/cli/server/residentServer';
import { askServer } from '../../../src/cli/server/serverClient';
import type { CliIO } from '../../../src/cli/cliTypes';

describe('startResidentServer', () => {
  let folder: string;
  let socketPath: string;
  let server: ResidentServer | undefined;
  const seen: Array<{ argv: string[]; cwd: string; isTTY: boolean }> = [];

  let probeDuringCommand: Array<string | undefined> = [];
  async function runCommand(argv: string[], io: CliIO): Promise<number> {
    seen.push({ argv, cwd: io.cwd, isTTY: io.isTTY });
    probeDuringCommand = [process.env.AW_SERVER_PROBE, process.env.AW_CLIENT_PROBE];
    if (argv.includes('--boom')) throw new Error('boom inside a command');
    io.stdout(`answer to ${argv.join(' ')}\n`);
    io.stderr('a warning in between\n');
    io.stdout('the rest\n');
    return argv.includes('--fail') ? 4 : 0;
  }
  const run = (argv: string[]) => askServer(socketPath, { kind: 'run', argv, cwd: folder, env: {}, isTTY: true }, 5000);

  beforeEach(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'aw-server-unit-'));
    socketPath = path.join(folder, 'server', 'test.sock');
    seen.length = 0;
    server = await startResidentServer({ socketPath, idleMs: 60_000, runCommand });
  });
  // The server runs each command in the client's folder (process.chdir): come back afterwards.
  const originalCwd = process.cwd();
  afterEach(async () => {
    process.chdir(originalCwd);
    server?.stop();
    await server?.stopped;
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs a served command in the client folder and returns stdout and stderr in order, with the exit code', async () => {
    assert.deepEqual(await run(['heads', '-v']), {
      output: [
        [1, 'answer to heads -v\n'],
        [2, 'a warning in between\n'],
        [1, 'the rest\n'],
      ],
      code: 0,
    });
    assert.equal((await run(['show', 'x', '--fail']))?.code, 4);
    assert.deepEqual(seen[0], { argv: ['heads', '-v'], cwd: folder, isTTY: true });
  });

  it('runs the command with the client environment in process.env (libraries like pg read it there), then restores its own', async () => {
    process.env.AW_SERVER_PROBE = 'server';
    try {
      const reply = await askServer(socketPath, { kind: 'run', argv: ['status'], cwd: folder, env: { AW_CLIENT_PROBE: 'client' }, isTTY: false }, 5000);
      assert.equal(reply?.code, 0);
      assert.deepEqual(probeDuringCommand, [undefined, 'client']);
      assert.equal(process.env.AW_SERVER_PROBE, 'server');
      assert.equal(process.env.AW_CLIENT_PROBE, undefined);
      // Also when the command throws.
      await askServer(socketPath, { kind: 'run', argv: ['status', '--boom'], cwd: folder, env: { AW_CLIENT_PROBE: 'client' }, isTTY: false }, 5000);
      assert.equal(process.env.AW_SERVER_PROBE, 'server');
      assert.equal(process.env.AW_CLIENT_PROBE, undefined);
    } finally {
      delete process.env.AW_SERVER_PROBE;
    }
  });

  it('answers a command that throws with exit 70 and goes on answering', async () => {
    const failed = await run(['check', '--boom']);
    assert.equal(failed?.code, 70);
    assert.match(failed?.output[0][1] ?? '', /^error: Error: boom inside a command/);
    assert.equal((await run(['heads']))?.code, 0);
  });

  it('refuses what it does not serve and what it cannot read', async () => {
    const lint = await run(['lint']);
    assert.equal(lint?.code, 2);
    assert.match(lint?.output[0][1] ?? '', /only answers heads, history, show, check, graph, status/);
    assert.equal(seen.length, 0);
    const garbled = await new Promise<string>((resolve) => {
      const socket = net.createConnection(socketPath, () => socket.end('not json\n'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    assert.equal(JSON.parse(garbled).code, 2);
  });

  it('refuses to start twice on one socket, and removes its socket when stopped', async () => {
    await assert.rejects(startResidentServer({ socketPath, idleMs: 60_000, runCommand }), /already answers/);
    const stopped = await askServer(socketPath, { kind: 'stop' }, 5000);
    assert.equal(stopped?.pid, process.pid);
    await server?.stopped;
    assert.ok(!existsSync(socketPath));
    server = undefined;
  });
});
