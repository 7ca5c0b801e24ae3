// The resident server behind `alembic-workbench server`: a process that keeps each project's parsed
// revision headers in memory and answers the commands that only read the history (and `status`),
// one at a time, exactly as a fresh process would (the same main(), the same checks of every file's stamp). What
// it saves is what every short command pays again: Node compiling the program and the header cache
// file being read and parsed.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { CliIO } from '../cliTypes';
import { commandIndexOf } from '../commandLine';
import { ResidentProjects } from './residentProjects';
import { askServer } from './serverClient';
import { SERVED_COMMANDS, ServerReply, ServerRequest, untrustedSocketFolder } from './serverProtocol';

export interface ResidentServerOptions {
  socketPath: string;
  /** Stops after this long without a request. */
  idleMs: number;
  /** Runs one command line (the CLI's main). */
  runCommand(argv: string[], io: CliIO): Promise<number>;
}

export class ResidentServerError extends Error {
  override name = 'ResidentServerError';
}

/** A running server; `stopped` settles when it has closed its socket. */
export interface ResidentServer {
  stopped: Promise<void>;
  stop(): void;
}

/**
 * Runs `work` with process.env holding the client's environment, then puts the server's back. What
 * libraries read from process.env themselves must be the client's, as in a fresh process: pg's
 * PGPASSWORD, PGHOST, PGSSLMODE and ~/.pgpass (HOME), git's GIT_* variables. Safe because the server
 * runs one command at a time.
 */
async function withProcessEnvironment<T>(environment: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const own = { ...process.env };
  const assign = (values: Record<string, string | undefined>) => {
    for (const name of Object.keys(process.env)) if (values[name] === undefined) delete process.env[name];
    for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
  };
  assign(environment);
  try {
    return await work();
  } finally {
    assign(own);
  }
}

/** Listens on `socketPath`; throws ResidentServerError when another server answers there or the folder is unsafe. */
export async function startResidentServer(options: ResidentServerOptions): Promise<ResidentServer> {
  const { socketPath } = options;
  try {
    mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ResidentServerError(`Cannot make ${path.dirname(socketPath)}: ${(error as Error).message}. Set ALEMBIC_WORKBENCH_CACHE_DIR to a folder of your own.`);
  }
  const unsafe = untrustedSocketFolder(socketPath);
  if (unsafe) throw new ResidentServerError(`Not listening: ${unsafe}. Make it private (chmod 700) or set ALEMBIC_WORKBENCH_CACHE_DIR to a folder of your own.`);
  if (existsSync(socketPath)) {
    if (await askServer(socketPath, { kind: 'status' }, 2000)) throw new ResidentServerError(`A server of this build already answers on ${socketPath}.`);
    rmSync(socketPath, { force: true });
  }

  const projects = new ResidentProjects();
  const startedAt = Date.now();
  let answered = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | undefined;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });

  const server = net.createServer({ allowHalfOpen: true }, (connection) => {
    const chunks: Buffer[] = [];
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.on('error', () => undefined);
    connection.on('end', () => {
      // One command at a time: each runs in the client's folder (process.chdir).
      queue = queue.then(async () => {
        let reply: ServerReply;
        try {
          reply = await answer(Buffer.concat(chunks).toString('utf8'));
        } catch (error) {
          // A bug of ours: this command fails (EX_SOFTWARE, as in a one-off run); the server goes on.
          reply = { output: [[2, `error: ${(error as Error).stack ?? String(error)}\n`]], code: 70 };
        }
        connection.end(`${JSON.stringify(reply)}\n`);
      });
    });
  });

  function stop(): void {
    if (idleTimer) clearTimeout(idleTimer);
    server.close(() => resolveStopped());
    rmSync(socketPath, { force: true });
  }

  function restartIdleTimer(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(stop, options.idleMs);
  }

  async function answer(text: string): Promise<ServerReply> {
    restartIdleTimer();
    let request: ServerRequest;
    try {
      request = JSON.parse(text) as ServerRequest;
    } catch {
      return { output: [[2, 'error: the server got a request it could not read\n']], code: 2 };
    }
    if (request.kind === 'stop') {
      setImmediate(stop);
      return { output: [[1, `Stopped the server (pid ${process.pid}).\n`]], code: 0, pid: process.pid };
    }
    if (request.kind === 'status') {
      const idle = options.idleMs < 60_000 ? `${Math.round(options.idleMs / 1000)} s` : `${Math.round(options.idleMs / 6000) / 10} min`;
      const reused = answered > 0 ? ` (${projects.reused} from an unchanged history)` : '';
      return {
        output: [
          [
            1,
            `Server running (pid ${process.pid}, up ${Math.round((Date.now() - startedAt) / 1000)} s): answered ${answered} command${answered === 1 ? '' : 's'}${reused}, ` +
              `${projects.projectCount} project${projects.projectCount === 1 ? '' : 's'} in memory.\n` +
              `Stops after ${idle} without a command. Socket: ${socketPath}\n`,
          ],
        ],
        code: 0,
        pid: process.pid,
      };
    }
    const commandIndex = commandIndexOf(request.argv);
    if (commandIndex < 0 || !SERVED_COMMANDS.has(request.argv[commandIndex])) {
      return { output: [[2, `error: the server only answers ${[...SERVED_COMMANDS].join(', ')}\n`]], code: 2 };
    }
    try {
      process.chdir(request.cwd);
    } catch (error) {
      return { output: [[2, `error: cannot run in ${request.cwd}: ${(error as Error).message}\n`]], code: 2 };
    }
    const output: ServerReply['output'] = [];
    const code = await withProcessEnvironment(request.env, () =>
      options.runCommand(request.argv, {
        stdout: (chunk) => output.push([1, chunk]),
        stderr: (chunk) => output.push([2, chunk]),
        cwd: request.cwd,
        env: request.env,
        isTTY: request.isTTY,
        projects,
      }),
    );
    answered++;
    return { output, code };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ResidentServerError(`Cannot listen on ${socketPath}: ${error.message}`)),
    );
    server.listen(socketPath, () => resolve());
  });
  restartIdleTimer();
  return { stopped, stop };
}
