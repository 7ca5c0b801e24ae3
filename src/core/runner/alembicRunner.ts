// The one entry point the extension and the CLI use to run Alembic: builds the invocation for the
// configured mode, holds the project's lock, streams masked output, and returns a typed result
// with the recognised failure, the files Alembic created (mapped to the host) and ownership problems.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AlembicCommand } from './alembicCommand';
import { type AlembicFailure, failureFromStartError, recogniseAlembicFailure } from './alembicFailures';
import { type GeneratedFile, parseGeneratedFiles } from './alembicOutput';
import { currentHostIdentity, type ForeignOwnedFile, findForeignOwnedFile } from './createdFiles';
import { ProcessStartError, ProjectCommandLock, runProcess } from './processRunner';
import {
  buildInvocation,
  buildDefinedServicesInvocation,
  buildRunningServicesInvocation,
  buildStopInContainerInvocation,
  DEFAULT_COMPOSE_SERVICE,
  type DockerComposeRunnerConfig,
  RUN_APPLICATION_NAME_VARIABLE,
  type ProcessInvocation,
  type RunnerConfig,
  type RunnerTarget,
} from './runnerModes';
import { maskSecrets, maskUrlPassword } from '../util/maskSecrets';

export type OutputStream = 'stdout' | 'stderr';

export interface AlembicRunRequest {
  command: AlembicCommand;
  signal?: AbortSignal;
  /** Each output line as it arrives, passwords masked. */
  onOutput?: (line: string, stream: OutputStream) => void;
  /** dockerCompose: use `docker compose run --rm` (the user agreed: the service is not running). */
  composeRun?: boolean;
  /** Extra environment for the process (e.g. DATABASE_URL for the local runner). */
  env?: Record<string, string>;
  /** The process's pid once it started (for diagnostics and tests). */
  onStart?: (pid: number) => void;
}

export interface AlembicRunResult {
  command: AlembicCommand;
  /** Masked, copy-pasteable. */
  commandLine: string;
  cwd: string;
  ok: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Passwords in URLs masked (the SQL of `--sql` stays otherwise as Alembic printed it). */
  stdout: string;
  /** Passwords masked. */
  stderr: string;
  durationMs: number;
  cancelled: boolean;
  failure?: AlembicFailure;
  /** `revision` / `merge`: the files Alembic reported, with host paths where they map. */
  createdFiles: GeneratedFile[];
  /** Created files the user doesn't own (written as root in the container). */
  foreignOwnedFiles: ForeignOwnedFile[];
  /** dockerCompose `exec` cancelled: the pids (in the container) of the Alembic processes stopped there. */
  stoppedInContainer?: number[];
  /** The `application_name` the run's database sessions carry (PGAPPNAME). */
  applicationName: string;
  /**
   * Cancelled: the server pids of the run's database sessions ended (their work rolled back), or
   * why they could not be looked for (no database connection, not PostgreSQL...).
   */
  endedSessions?: { pids: number[] } | { error: string };
}

export interface AlembicRunnerOptions {
  runner: RunnerConfig;
  target: RunnerTarget;
  /** Shared between runners so two views on the same project can't overlap. */
  lock?: ProjectCommandLock;
  /**
   * Asked before every start. An untrusted workspace must not make us run its env.py (arbitrary
   * Python) or a command its settings chose; the VS Code layer passes workspace trust here.
   */
  isTrusted?: () => boolean;
  /**
   * Ends the database sessions named `applicationName` and returns their pids (see
   * core/db/runSessions.ts). Called after a cancelled run: stopping the process does not stop
   * what PostgreSQL is doing for it. Without it, a cancelled statement runs on to its end.
   */
  endRunSessions?: (applicationName: string) => Promise<number[]>;
}

/** Thrown instead of starting any process in an untrusted workspace. */
export class UntrustedWorkspaceError extends Error {
  constructor(readonly commandLine: string) {
    super(`Not running "${commandLine}": the workspace is not trusted. Trust it to run Alembic commands.`);
    this.name = 'UntrustedWorkspaceError';
  }
}

export class AlembicRunner {
  private readonly lock: ProjectCommandLock;

  constructor(private readonly options: AlembicRunnerOptions) {
    this.lock = options.lock ?? new ProjectCommandLock();
  }

  /** One key per project (ini file and section): the unit of "one command at a time". */
  get projectKey(): string {
    const ini = path.resolve(this.options.target.iniPath);
    return this.options.target.configName ? `${ini} [${this.options.target.configName}]` : ini;
  }

  /** What would run, for confirmations ("This will run: docker compose exec ... downgrade -1"). */
  invocationFor(command: AlembicCommand, composeRun = false): ProcessInvocation {
    return buildInvocation(this.options.runner, command, this.options.target, { composeRun });
  }

  /**
   * Runs one command. A failed or cancelled run is a result (`ok: false`, `failure` / `cancelled`),
   * not an exception; it throws only before anything starts: CommandAlreadyRunningError (the
   * project is busy), UntrustedWorkspaceError, InvalidAlembicArgumentError (e.g. a message with
   * triple quotes) or RunnerConfigurationError (e.g. a custom template without ${args}).
   */
  async run(request: AlembicRunRequest): Promise<AlembicRunResult> {
    const invocation = this.invocationFor(request.command, request.composeRun);
    this.assertTrusted(invocation.commandLine);
    const release = this.lock.acquire(this.projectKey, invocation.commandLine);
    try {
      return await this.execute(request, invocation);
    } finally {
      release();
    }
  }

  /**
   * Runs commands one after the other under one lock (nothing can slip in between), stopping at the
   * first that fails or is cancelled. Returns the results of those that ran.
   */
  async runSequence(requests: AlembicRunRequest[], description: string): Promise<AlembicRunResult[]> {
    this.assertTrusted(description);
    const release = this.lock.acquire(this.projectKey, description);
    const results: AlembicRunResult[] = [];
    try {
      for (const request of requests) {
        const result = await this.execute(request, this.invocationFor(request.command, request.composeRun));
        results.push(result);
        if (!result.ok) break;
      }
      return results;
    } finally {
      release();
    }
  }

  /** The "test the downgrade" round trip of the team guide: `downgrade -1`, then `upgrade head`. */
  roundTrip(options: Omit<AlembicRunRequest, 'command'> = {}): Promise<AlembicRunResult[]> {
    return this.runSequence(
      [
        { ...options, command: { kind: 'downgrade', target: '-1' } },
        { ...options, command: { kind: 'upgrade', target: 'head' } },
      ],
      'round trip (downgrade -1, upgrade head)',
    );
  }

  private assertTrusted(commandLine: string): void {
    if (this.options.isTrusted && !this.options.isTrusted()) throw new UntrustedWorkspaceError(commandLine);
  }

  private async execute(request: AlembicRunRequest, invocation: ProcessInvocation): Promise<AlembicRunResult> {
    const { runner, target } = this.options;
    // Unique per run, so ending "its" sessions can't touch another run's or another user's.
    const applicationName = `alembic-workbench-${randomBytes(6).toString('hex')}`;
    const base = { command: request.command, commandLine: invocation.commandLine, cwd: invocation.cwd, applicationName };
    const maskFor = (stream: OutputStream) => (stream === 'stdout' ? maskUrlPassword : maskSecrets);
    let processResult;
    try {
      processResult = await runProcess({
        executable: invocation.executable,
        args: invocation.args,
        cwd: invocation.cwd,
        env: { ...invocation.env, [RUN_APPLICATION_NAME_VARIABLE]: applicationName, ...request.env },
        signal: request.signal,
        onStart: request.onStart,
        onStdoutLine: request.onOutput && ((line) => request.onOutput!(maskFor('stdout')(line), 'stdout')),
        onStderrLine: request.onOutput && ((line) => request.onOutput!(maskFor('stderr')(line), 'stderr')),
      });
    } catch (error) {
      if (!(error instanceof ProcessStartError)) throw error;
      return {
        ...base,
        ok: false,
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        durationMs: 0,
        cancelled: false,
        failure: failureFromStartError(error, runner.mode),
        createdFiles: [],
        foreignOwnedFiles: [],
      };
    }

    const stoppedInContainer =
      processResult.cancelled && runner.mode === 'dockerCompose' && !request.composeRun
        ? await stopInContainer(buildStopInContainerInvocation(runner, request.command, target))
        : undefined;
    const endedSessions = processResult.cancelled ? await this.endSessionsOf(applicationName) : undefined;
    const stdout = maskUrlPassword(processResult.stdout);
    const stderr = maskSecrets(processResult.stderr);
    const ok = processResult.exitCode === 0 && !processResult.cancelled;
    const recognised =
      ok || processResult.cancelled
        ? undefined
        : recogniseAlembicFailure({
            exitCode: processResult.exitCode,
            stdout,
            stderr,
            command: request.command,
            mode: runner.mode,
            service: runner.mode === 'dockerCompose' ? (runner.service ?? DEFAULT_COMPOSE_SERVICE) : undefined,
          });
    const failure =
      recognised?.kind === 'composeServiceNotRunning' && runner.mode === 'dockerCompose'
        ? await distinguishUndefinedService(recognised, runner, target)
        : recognised;
    const mapper = runner.mode === 'dockerCompose' ? target.pathMapper : undefined;
    const createdFiles =
      request.command.kind === 'revision' || request.command.kind === 'merge'
        ? parseGeneratedFiles(stdout, mapper).map((file) => ({
            ...file,
            hostPath: file.hostPath && path.resolve(invocation.cwd, file.hostPath),
          }))
        : [];
    const foreignOwnedFiles = createdFiles.flatMap((file) => {
      const problem = file.hostPath ? findForeignOwnedFile(file.hostPath, target.hostUser ?? currentHostIdentity()) : undefined;
      return problem ? [problem] : [];
    });
    return {
      ...base,
      ok,
      exitCode: processResult.exitCode,
      signal: processResult.signal,
      stdout,
      stderr,
      durationMs: processResult.durationMs,
      cancelled: processResult.cancelled,
      failure,
      createdFiles,
      foreignOwnedFiles,
      ...(stoppedInContainer ? { stoppedInContainer } : {}),
      ...(endedSessions ? { endedSessions } : {}),
    };
  }

  private async endSessionsOf(applicationName: string): Promise<{ pids: number[] } | { error: string }> {
    if (!this.options.endRunSessions) return { error: 'no database connection is available to end its sessions' };
    try {
      return { pids: await this.options.endRunSessions(applicationName) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/**
 * Compose v2 says `service "api" is not running` for a service the project does not define too;
 * starting it or `run --rm` can't help then, so ask Compose which services exist.
 */
async function distinguishUndefinedService(
  failure: AlembicFailure,
  runner: DockerComposeRunnerConfig,
  target: RunnerTarget,
): Promise<AlembicFailure> {
  const service = failure.subject;
  const invocation = buildDefinedServicesInvocation(runner, target);
  try {
    const result = await runProcess({ executable: invocation.executable, args: invocation.args, cwd: invocation.cwd });
    // Sorted: Compose lists them in no fixed order (seen both ways on one file).
    const defined = result.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
    if (result.exitCode !== 0 || !service || defined.includes(service)) return failure;
    return {
      ...failure,
      kind: 'composeNoSuchService',
      summary: `The Compose project has no service "${service}" (its services: ${defined.join(', ') || 'none'}); set the service that runs Alembic.`,
      suggestedActions: ['configureRunner'],
    };
  } catch (error) {
    if (error instanceof ProcessStartError) return failure;
    throw error;
  }
}

/** Runs the in-container stop; the pids it stopped (none when it could not run). */
async function stopInContainer(invocation: ProcessInvocation): Promise<number[]> {
  try {
    const result = await runProcess({ executable: invocation.executable, args: invocation.args, cwd: invocation.cwd });
    const pids: unknown = result.exitCode === 0 ? JSON.parse(result.stdout.trim().split('\n').pop() ?? '[]') : [];
    return Array.isArray(pids) ? pids.filter((pid): pid is number => typeof pid === 'number') : [];
  } catch (error) {
    if (error instanceof ProcessStartError || error instanceof SyntaxError) return [];
    throw error;
  }
}

/** The services `docker compose ps` reports as running (to offer `run --rm` or "start it"). */
export async function listRunningComposeServices(
  runner: DockerComposeRunnerConfig,
  target: RunnerTarget,
  signal?: AbortSignal,
): Promise<{ services: string[]; failure?: AlembicFailure }> {
  const invocation = buildRunningServicesInvocation(runner, target);
  try {
    const result = await runProcess({ executable: invocation.executable, args: invocation.args, cwd: invocation.cwd, signal });
    if (result.exitCode !== 0) {
      return {
        services: [],
        failure: recogniseAlembicFailure({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, mode: 'dockerCompose' }),
      };
    }
    return { services: result.stdout.split('\n').map((line) => line.trim()).filter(Boolean) };
  } catch (error) {
    if (error instanceof ProcessStartError) return { services: [], failure: failureFromStartError(error, 'dockerCompose') };
    throw error;
  }
}
