// Starts one process from an argv array (never a shell), streams its output line by line, and can
// cancel it: the process gets its own process group, so cancelling reaches everything it started
// (docker compose -> docker CLI, python -> its children), first politely, then for sure.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { isDirectory } from '../util/fileKinds';

export interface ProcessRunOptions {
  executable: string;
  args: string[];
  cwd: string;
  /** Merged over this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Called once the process exists, with its pid (also its process group id on POSIX). */
  onStart?: (pid: number) => void;
  /** Time between SIGTERM and SIGKILL when cancelled. Default 2000 ms. */
  killGraceMs?: number;
  /** Per stream; beyond it the oldest output is dropped (`truncated`). Default 64 MiB. */
  maxCapturedChars?: number;
}

export interface ProcessResult {
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Ended because the AbortSignal fired. */
  cancelled: boolean;
  truncated: boolean;
}

/** The process could not be started at all. */
export class ProcessStartError extends Error {
  constructor(
    message: string,
    readonly executable: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProcessStartError';
  }
}

export class ExecutableNotFoundError extends ProcessStartError {
  constructor(executable: string) {
    super(`"${executable}" was not found (not installed, or not on PATH).`, executable, 'ENOENT');
    this.name = 'ExecutableNotFoundError';
  }
}

export class ExecutablePermissionError extends ProcessStartError {
  constructor(executable: string) {
    super(`"${executable}" cannot be executed (permission denied).`, executable, 'EACCES');
    this.name = 'ExecutablePermissionError';
  }
}

export class WorkingDirectoryNotFoundError extends ProcessStartError {
  constructor(
    executable: string,
    readonly cwd: string,
  ) {
    super(`Cannot run "${executable}": the folder ${cwd} does not exist.`, executable, 'ENOENT');
    this.name = 'WorkingDirectoryNotFoundError';
  }
}

const DEFAULT_GRACE_MS = 2000;
const DEFAULT_MAX_CHARS = 64 * 1024 * 1024;
const isWindows = process.platform === 'win32';

export function runProcess(options: ProcessRunOptions): Promise<ProcessResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  if (!isDirectory(options.cwd)) return Promise.reject(new WorkingDirectoryNotFoundError(options.executable, options.cwd));
  if (options.signal?.aborted) {
    return Promise.resolve({ exitCode: null, signal: null, stdout: '', stderr: '', durationMs: 0, cancelled: true, truncated: false });
  }

  return new Promise<ProcessResult>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(options.executable, options.args, {
        cwd: options.cwd,
        env: mergedEnvironment(options.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group (setsid), so a cancel can signal the whole tree at once.
        detached: !isWindows,
        windowsHide: true,
      });
    } catch (error) {
      reject(startError(options.executable, error));
      return;
    }

    child.once('spawn', () => {
      if (child.pid !== undefined) options.onStart?.(child.pid);
    });

    const maxChars = options.maxCapturedChars ?? DEFAULT_MAX_CHARS;
    const stdout = new LineCollector(maxChars, options.onStdoutLine);
    const stderr = new LineCollector(maxChars, options.onStderrLine);
    child.stdout?.on('data', (chunk: Buffer) => stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk));

    let cancelled = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const grace = options.killGraceMs ?? DEFAULT_GRACE_MS;

    const onAbort = () => {
      if (settled || cancelled) return;
      cancelled = true;
      signalTree(child, 'SIGTERM');
      killTimer = setTimeout(() => signalTree(child, 'SIGKILL'), grace);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = () => {
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    };

    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      finish();
      reject(startError(options.executable, error));
    });

    child.on('close', (exitCode, signal) => {
      if (settled) return;
      settled = true;
      stdout.end();
      stderr.end();
      const done = () => {
        finish();
        resolve({
          exitCode,
          signal,
          stdout: stdout.text(),
          stderr: stderr.text(),
          durationMs: elapsed(),
          cancelled,
          truncated: stdout.truncated || stderr.truncated,
        });
      };
      // The leader is gone; after a cancel, make sure nothing it started outlives it.
      if (cancelled && child.pid !== undefined && !isWindows) {
        void reapGroup(child.pid, grace).then(done);
      } else {
        done();
      }
    });
  });
}

function mergedEnvironment(extra: Record<string, string | undefined> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}


function startError(executable: string, error: unknown): ProcessStartError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ExecutableNotFoundError(executable);
  if (code === 'EACCES') return new ExecutablePermissionError(executable);
  return new ProcessStartError(`Cannot start "${executable}": ${(error as Error).message}`, executable, code);
}

function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (isWindows) {
    // No process groups: taskkill /T walks the tree.
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => {});
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM means it exists but belongs to someone else (it changed user): still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process stays a zombie until its new parent reaps it, and some PID 1s never do;
  // on Linux, look past zombies so a cancel does not wait for them.
  return hasLivingMember(pgid) ?? true;
}

/** Whether /proc lists a non-zombie process in the group; undefined without /proc. */
function hasLivingMember(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
    } catch {
      // ended while we looked
    }
  }
  return false;
}

async function reapGroup(pgid: number, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await delay(25);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    const hardDeadline = Date.now() + 1000;
    while (groupAlive(pgid) && Date.now() < hardDeadline) await delay(10);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Decodes UTF-8 across chunk boundaries, calls back per complete line, keeps the text. */
class LineCollector {
  private readonly decoder = new StringDecoder('utf8');
  private readonly parts: string[] = [];
  private size = 0;
  private pending = '';
  truncated = false;

  constructor(
    private readonly maxChars: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  write(chunk: Buffer): void {
    this.accept(this.decoder.write(chunk));
  }

  end(): void {
    this.accept(this.decoder.end());
    if (this.pending) {
      this.onLine?.(this.pending);
      this.pending = '';
    }
  }

  text(): string {
    return this.parts.join('');
  }

  private accept(text: string): void {
    if (!text) return;
    this.keep(text);
    if (!this.onLine) return;
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  private keep(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    while (this.size > this.maxChars && this.parts.length > 1) {
      this.size -= this.parts.shift()!.length;
      this.truncated = true;
    }
  }
}

// ------------------------------------------------------------------------------------------------
// One command at a time per project
// ------------------------------------------------------------------------------------------------

export interface RunningCommand {
  description: string;
  startedAt: number;
}

export class CommandAlreadyRunningError extends Error {
  constructor(
    readonly projectKey: string,
    readonly running: RunningCommand,
    readonly refused: string,
  ) {
    const seconds = Math.max(0, Math.round((Date.now() - running.startedAt) / 1000));
    super(
      `Not starting "${refused}": "${running.description}" is still running for ${projectKey} ` +
        `(started ${seconds} s ago). Wait for it to finish or cancel it.`,
    );
    this.name = 'CommandAlreadyRunningError';
  }
}

/**
 * Alembic commands on one project must not overlap (two upgrades racing on alembic_version, a
 * revision generated while a downgrade runs). A second command is refused, not queued: the user
 * asked for it against a state that is about to change.
 */
export class ProjectCommandLock {
  private readonly running = new Map<string, RunningCommand>();

  /** Takes the project's lock or throws CommandAlreadyRunningError; call the returned release. */
  acquire(projectKey: string, description: string): () => void {
    const current = this.running.get(projectKey);
    if (current) throw new CommandAlreadyRunningError(projectKey, current, description);
    const entry = { description, startedAt: Date.now() };
    this.running.set(projectKey, entry);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.running.get(projectKey) === entry) this.running.delete(projectKey);
    };
  }

  async runExclusive<T>(projectKey: string, description: string, work: () => Promise<T>): Promise<T> {
    const release = this.acquire(projectKey, description);
    try {
      return await work();
    } finally {
      release();
    }
  }

  current(projectKey: string): RunningCommand | undefined {
    return this.running.get(projectKey);
  }
}
