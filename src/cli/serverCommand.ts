// `alembic-workbench server`: starts, stops and reports on the resident server
// (src/cli/server/residentServer.ts) of this build.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CliCommand, CliIO, CliProgram, CliUsageError, ExitCode } from './cliTypes';
import { parseCommandArgs } from './projectArgs';
import { startResidentServer, ResidentServerError } from './server/residentServer';
import { askServer } from './server/serverClient';
import { SERVED_COMMANDS, ServerReply, serverSocketPath } from './server/serverProtocol';

const DEFAULT_IDLE_MINUTES = 15;
const START_TIMEOUT_MS = 10_000;

const usage = `Usage: alembic-workbench server <start|stop|status|run> [--idle-minutes N]

Keeps a resident process that answers ${[...SERVED_COMMANDS].join(', ')} from the revision
headers it holds in memory (still checking every file's size, times and inode on each command),
so a command skips starting the program over. For editors and scripts that ask often, like
dmypy or eslint_d. Nothing starts it but this command.

  start               start it in the background; returns once it answers
  stop                stop it
  status              whether it runs (exit 1 when not), and what it has answered
  run                 run it in the foreground (Ctrl+C stops it)
  --idle-minutes N    stop after N minutes without a command (default ${DEFAULT_IDLE_MINUTES})

The server belongs to this build of the CLI and to the cache folder
($ALEMBIC_WORKBENCH_CACHE_DIR or ~/.cache/alembic-workbench). ALEMBIC_WORKBENCH_NO_SERVER=1
makes a command run on its own even while a server is up.
`;

/** Whether the process exists and has not exited (a zombie nobody reaped yet counts as exited). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: /proc/<pid>/stat's third field is the state; Z is a zombie (in a container whose
    // first process reaps nothing, an exited server stays one).
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function printReply(reply: ServerReply, io: CliIO): number {
  for (const [descriptor, text] of reply.output) (descriptor === 1 ? io.stdout : io.stderr)(text);
  return reply.code;
}

export const serverCommand: CliCommand = {
  name: 'server',
  summary: 'keep a resident process that answers heads/history/show/check/graph faster',
  usage,
  async run(args: string[], io: CliIO, program?: CliProgram): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { 'idle-minutes': { type: 'string' } });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    const action = positionals[0];
    if (positionals.length === 0) throw new CliUsageError('server needs one of start, stop, status, run');
    if (positionals.length !== 1 || !['start', 'stop', 'status', 'run'].includes(action)) {
      throw new CliUsageError(`server takes one of start, stop, status, run (got '${positionals.join(' ')}')`);
    }
    const idleMinutes = values['idle-minutes'] === undefined ? DEFAULT_IDLE_MINUTES : Number(values['idle-minutes']);
    if (!(idleMinutes > 0)) throw new CliUsageError(`--idle-minutes must be a positive number (got '${values['idle-minutes']}')`);
    if (process.platform === 'win32') {
      io.stderr('error: the resident server needs Unix sockets; on Windows every command runs on its own.\n');
      return ExitCode.usage;
    }
    if (!io.program) {
      io.stderr('error: the server runs from the built CLI (node dist/cli.js server ...).\n');
      return ExitCode.usage;
    }
    const socketPath = serverSocketPath(io.env, io.program.buildId());
    const status = async (timeoutMs = 2000) => (existsSync(socketPath) ? askServer(socketPath, { kind: 'status' }, timeoutMs) : undefined);

    if (action === 'status') {
      const reply = await status();
      if (reply) return printReply(reply, io);
      io.stdout('No server running for this build and cache folder.\n');
      return ExitCode.problemsFound;
    }
    if (action === 'stop') {
      const reply = existsSync(socketPath) ? await askServer(socketPath, { kind: 'stop' }, 5000) : undefined;
      if (reply) {
        // It replies first and exits right after: "stopped" means the process is gone.
        const deadline = Date.now() + 5000;
        while ((existsSync(socketPath) || (reply.pid !== undefined && isRunning(reply.pid))) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return printReply(reply, io);
      }
      io.stdout('No server running for this build and cache folder.\n');
      return ExitCode.ok;
    }
    if (action === 'run') {
      // main hands itself in; a caller that runs this command alone has no program to serve.
      if (!program) throw new Error('server run needs the program it serves (run it through main)');
      try {
        const server = await startResidentServer({ socketPath, idleMs: idleMinutes * 60_000, runCommand: program });
        io.stdout(`Listening on ${socketPath} (pid ${process.pid}); stops after ${idleMinutes} min without a command.\n`);
        const stop = () => server.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await server.stopped;
        return ExitCode.ok;
      } catch (error) {
        if (!(error instanceof ResidentServerError)) throw error;
        io.stderr(`error: ${error.message}\n`);
        return ExitCode.problemsFound;
      }
    }
    // start
    const running = await status();
    if (running) {
      io.stdout('Already running. ');
      return printReply(running, io);
    }
    const child = spawn(process.execPath, [io.program.launcher, 'server', 'run', '--idle-minutes', String(idleMinutes)], {
      cwd: io.cwd,
      env: io.env,
      detached: true,
      stdio: 'ignore',
    });
    let exited: number | null | undefined;
    child.once('exit', (code) => {
      exited = code;
    });
    child.unref();
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && exited === undefined) {
      const reply = await status(1000);
      if (reply) {
        io.stdout(`Started: ${[...SERVED_COMMANDS].join(', ')} now answer from it.\n`);
        return printReply(reply, io);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    io.stderr(
      exited === undefined
        ? `error: the server did not answer within ${START_TIMEOUT_MS / 1000} s; run \`alembic-workbench server run\` to see why.\n`
        : `error: the server stopped at once (exit code ${exited}); run \`alembic-workbench server run\` to see why.\n`,
    );
    return ExitCode.problemsFound;
  },
};
