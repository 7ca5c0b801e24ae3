// What the CLI and its resident server (`alembic-workbench server`) say to each other, and where
// they meet. Node built-ins only: the launcher imports this before the program is loaded.
//
// One connection carries one request, a line of JSON, and one reply, a line of JSON. The socket's
// name holds the build's identity, so a client only ever reaches a server of its own build.
import { lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cacheDirectory, fnv1a64 } from '../../core/util/cacheDirectory';

/**
 * Commands the server answers from the headers it keeps: those that only read the history, and
 * `status`, which also reads the database's version table (asked often by deploy gates and health checks).
 */
export const SERVED_COMMANDS: ReadonlySet<string> = new Set(['heads', 'history', 'show', 'check', 'graph', 'status']);

export type ServerRequest =
  | { kind: 'run'; argv: string[]; cwd: string; env: Record<string, string | undefined>; isTTY: boolean }
  | { kind: 'status' }
  | { kind: 'stop' };

export interface ServerReply {
  /** What the command printed, in order: [1, text] for stdout, [2, text] for stderr. */
  output: Array<[1 | 2, string]>;
  code: number;
  /** The server's process id (status and stop replies). */
  pid?: number;
}

// A Unix socket's path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS).
const MAX_SOCKET_PATH = 100;

/** Where the server of this build listens for this cache directory. */
export function serverSocketPath(env: Record<string, string | undefined>, buildId: string): string {
  const preferred = path.join(cacheDirectory(env), 'server', `${buildId}.sock`);
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH) return preferred;
  const user = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(tmpdir(), `alembic-workbench-${user}`, `${fnv1a64(preferred)}.sock`);
}

/**
 * Why the socket's folder can't be trusted, or undefined when it can: it must be a real folder
 * (not a link) owned by this user and closed to everyone else, or another user could answer in
 * the server's place or ask it to read files as this user.
 */
export function untrustedSocketFolder(socketPath: string): string | undefined {
  const folder = path.dirname(socketPath);
  let stats;
  try {
    stats = lstatSync(folder);
  } catch {
    return `${folder} does not exist`;
  }
  if (!stats.isDirectory()) return `${folder} is not a folder`;
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return `${folder} belongs to another user`;
  if ((stats.mode & 0o077) !== 0) return `${folder} is open to other users (mode ${(stats.mode & 0o777).toString(8)})`;
  return undefined;
}
