// The launcher's side of the resident server: when one of this build is listening, send it the
// command line and print its reply; otherwise (none started, a stale socket, an untrusted folder, a
// command it doesn't answer) say so and let the launcher run the command itself.
import { existsSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { commandIndexOf } from '../commandLine';
import { SERVED_COMMANDS, ServerReply, ServerRequest, serverSocketPath, untrustedSocketFolder } from './serverProtocol';

// Longer than any answer takes; a server that hangs is left behind and the command runs here.
const REPLY_TIMEOUT_MS = 60_000;

/** Sends one request to the server at `socketPath`; undefined when no usable answer came. */
export function askServer(socketPath: string, request: ServerRequest, timeoutMs = REPLY_TIMEOUT_MS): Promise<ServerReply | undefined> {
  return new Promise((resolve) => {
    // Loaded only when a server exists: net pulls in Node's streams.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const net = require('node:net') as typeof import('node:net');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (reply: ServerReply | undefined) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(reply);
    };
    const socket: Socket = net.createConnection(socketPath);
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on('connect', () => socket.end(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      try {
        const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ServerReply;
        finish(typeof reply?.code === 'number' && Array.isArray(reply.output) ? reply : undefined);
      } catch {
        finish(undefined);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Nobody listens: a server that died without cleaning up. Remove its socket.
      if (error.code === 'ECONNREFUSED') rmSync(socketPath, { force: true });
      finish(undefined);
    });
  });
}

/**
 * The reply of this build's server to `argv`, or undefined when the command should run in this
 * process. Costs one stat when no server was started (`isTTY` is asked only when one answers).
 */
export function runThroughServer(argv: string[], env: NodeJS.ProcessEnv, buildId: string, cwd: string, isTTY: () => boolean): Promise<ServerReply | undefined> | undefined {
  if (process.platform === 'win32' || env.ALEMBIC_WORKBENCH_NO_SERVER) return undefined;
  const commandIndex = commandIndexOf(argv);
  if (commandIndex < 0 || !SERVED_COMMANDS.has(argv[commandIndex])) return undefined;
  const socketPath = serverSocketPath(env, buildId);
  if (!existsSync(socketPath) || untrustedSocketFolder(socketPath) !== undefined) return undefined;
  return askServer(socketPath, { kind: 'run', argv, cwd, env, isTTY: isTTY() });
}
