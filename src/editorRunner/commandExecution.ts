// The one way an Alembic command runs in VS Code: a progress notification with Cancel (Cancel ->
// AbortSignal -> the runner kills the process tree), every output line in the "Alembic Workbench"
// log, the project's files and database state refreshed afterwards, and a failure turned into one
// clear sentence with buttons that run what fixes it. Refusals (untrusted workspace, a command
// already running for the project, an invalid argument, a broken runner setting) say why and start
// nothing.
import * as vscode from 'vscode';
import { alembicArgv, type AlembicCommand, InvalidAlembicArgumentError } from '../core/runner/alembicCommand';
import { type AlembicRunner, type AlembicRunRequest, type AlembicRunResult, UntrustedWorkspaceError } from '../core/runner/alembicRunner';
import { CommandAlreadyRunningError, ProcessStartError, runProcess } from '../core/runner/processRunner';
import { buildStartServiceInvocation, formatCommandLine, RunnerConfigurationError } from '../core/runner/runnerModes';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import type { WorkbenchSettings } from '../settings';
import type { Workbench } from '../workbench';
import { runnerConfigFrom } from './runnerService';

export interface AlembicCommandRequest {
  project: WorkspaceProject;
  command: AlembicCommand;
  /** What the progress notification says while it runs: "Upgrading backend to head". */
  title: string;
  /** dockerCompose: `docker compose run --rm` (the user chose it: the service is not running). */
  composeRun?: boolean;
  /** false: the caller presents a failure itself (it still goes to the log). */
  showFailure?: boolean;
}

/** `alembic upgrade head`: how people know the command, whatever runner runs it. */
export function describeAlembicCommand(command: AlembicCommand): string {
  try {
    return formatCommandLine(['alembic', ...alembicArgv(command)]);
  } catch {
    return `alembic ${command.kind}`;
  }
}

/**
 * Runs one command for a project. Resolves with the result (also when Alembic failed or the user
 * cancelled), or undefined when nothing was started (refused, see above).
 */
export async function runAlembicCommand(workbench: Workbench, request: AlembicCommandRequest): Promise<AlembicRunResult | undefined> {
  const description = describeAlembicCommand(request.command);
  if (!refuseUnlessTrusted(workbench, description)) return undefined;
  const { runner, settings } = await workbench.runners.prepareRunner(request.project);
  const results = await runUnderProgress(workbench, request.project, runner, request.title, description, [request.command], (hooks) =>
    runner.run({ command: request.command, composeRun: request.composeRun, ...hooks }).then((result) => [result]),
  );
  if (!results) return undefined;
  const [result] = results;
  await refreshAfter(workbench, request.project, results);
  if (result.cancelled) {
    announceCancelled(workbench, request.project, description, result);
    return result;
  }
  if (result.ok) announceSuccess(workbench, request.project, result);
  if (!result.ok) {
    const instead = await offerComposeAlternative(workbench, request, settings, result);
    if (instead) return instead;
    if (request.showFailure !== false) {
      workbench.runners.reportFailure({
        project: request.project,
        result,
        followUps: {
          retryWithComposeRun: () => runAlembicCommand(workbench, { ...request, composeRun: true }),
          retry: () => runAlembicCommand(workbench, request),
          allowComposeRun: settings.runner.dockerCompose.runWhenServiceStopped === 'ask',
        },
      });
    }
  }
  return result;
}

/**
 * Runs commands one after the other under one lock and one progress notification, stopping at the
 * first that fails (the round trip). Undefined when nothing was started.
 */
export async function runAlembicSequence(
  workbench: Workbench,
  project: WorkspaceProject,
  commands: AlembicCommand[],
  title: string,
  options: { showFailure?: boolean } = {},
): Promise<AlembicRunResult[] | undefined> {
  const description = commands.map(describeAlembicCommand).join(', then ');
  if (!refuseUnlessTrusted(workbench, description)) return undefined;
  const { runner } = await workbench.runners.prepareRunner(project);
  const results = await runUnderProgress(workbench, project, runner, title, description, commands, (hooks) =>
    runner.runSequence(
      commands.map((command) => ({ command, ...hooks })),
      description,
    ),
  );
  if (!results) return undefined;
  await refreshAfter(workbench, project, results);
  const last = results[results.length - 1];
  if (last && !last.ok && !last.cancelled && options.showFailure !== false) workbench.runners.reportFailure({ project, result: last, followUps: {} });
  return results;
}

type RunHooks = Pick<AlembicRunRequest, 'signal' | 'onOutput' | 'onStart'>;

async function runUnderProgress(
  workbench: Workbench,
  project: WorkspaceProject,
  runner: AlembicRunner,
  title: string,
  description: string,
  commands: AlembicCommand[],
  work: (hooks: RunHooks) => Promise<AlembicRunResult[]>,
): Promise<AlembicRunResult[] | undefined> {
  const log = workbench.log;
  let commandLines: string[];
  try {
    commandLines = commands.map((command) => runner.invocationFor(command).commandLine);
  } catch (error) {
    if (showRefusal(workbench, project, error)) return undefined;
    throw error;
  }
  const controller = new AbortController();
  const running = { commandLine: description, startedAt: Date.now(), pid: undefined as number | undefined, cancel: () => controller.abort() };
  let step = 0;
  const hooks: RunHooks = {
    signal: controller.signal,
    onStart: (pid) => {
      log.info(`${project.label}: $ ${commandLines[step] ?? description}   (pid ${pid})`);
      running.pid = pid;
      step++;
    },
    onOutput: (line) => log.appendProcessLine(line),
  };

  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Alembic: ${title}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => {
        log.warn(`${project.label}: cancelling "${description}"`);
        controller.abort();
      });
      const onOutput = hooks.onOutput!;
      const progressHooks: RunHooks = {
        ...hooks,
        onOutput: (line, stream) => {
          onOutput(line, stream);
          const message = progressMessage(line);
          if (message) progress.report({ message: commands.length > 1 ? `step ${step}/${commands.length}: ${message}` : message });
        },
      };
      // Checked and started in the same tick: nothing can take the lock in between.
      const busy = workbench.runners.lock.current(runner.projectKey);
      if (busy) {
        showBusy(workbench, project, busy.description, description);
        return undefined;
      }
      const untrack = workbench.runners.trackRunning(project, running);
      try {
        const results = await work(progressHooks);
        for (const result of results) {
          const outcome = result.cancelled ? 'cancelled' : result.ok ? 'done' : `failed (exit ${result.exitCode ?? result.signal ?? 'n/a'})`;
          log.info(`${project.label}: ${outcome}: ${result.commandLine} in ${(result.durationMs / 1000).toFixed(1)} s`);
          if (result.failure) log.warn(`${project.label}: ${result.failure.summary}`);
          const ended = result.endedSessions;
          if (ended && 'pids' in ended) log.info(`${project.label}: database sessions of "${result.applicationName}" ended: ${ended.pids.join(', ') || 'none open'}`);
          if (ended && 'error' in ended) log.warn(`${project.label}: could not end the database sessions of "${result.applicationName}": ${ended.error}`);
        }
        return results;
      } catch (error) {
        if (showRefusal(workbench, project, error)) return undefined;
        throw error;
      } finally {
        untrack();
      }
    },
  );
}

/**
 * A database change that worked says so in the status bar for a few seconds: the tree and the
 * status bar show the new state anyway, a notification would only be noise.
 */
/** Says what Cancel stopped: the process always, its database sessions when they could be ended. */
function announceCancelled(workbench: Workbench, project: WorkspaceProject, description: string, result: AlembicRunResult): void {
  const ended = result.endedSessions;
  if (ended && 'error' in ended) {
    void workbench.runners.prompts.message(
      'warning',
      `${project.label}: cancelled "${description}"; its processes were stopped, but the database may still run its last statement ` +
        `(its session "${result.applicationName}" could not be ended: ${ended.error}).`,
      {},
    );
    return;
  }
  const sessions = ended && ended.pids.length > 0 ? ` and its database session ended (its transaction rolled back)` : '';
  void workbench.runners.prompts.message('info', `${project.label}: cancelled "${description}"; its processes were stopped${sessions}.`, {});
}

function announceSuccess(workbench: Workbench, project: WorkspaceProject, result: AlembicRunResult): void {
  const command = result.command;
  const steps = (direction: string) => (result.stderr.match(new RegExp(`Running ${direction} `, 'g')) ?? []).length;
  const revisions = (count: number) => `${count} revision${count === 1 ? '' : 's'}`;
  let text: string | undefined;
  if (command.kind === 'upgrade' && !command.sql) {
    const count = steps('upgrade');
    text = count > 0 ? `${project.label} upgraded to ${command.target}: ${revisions(count)} applied` : `${project.label}: upgrade ${command.target} done`;
  } else if (command.kind === 'downgrade' && !command.sql) {
    const count = steps('downgrade');
    text = count > 0 ? `${project.label} downgraded to ${command.target}: ${revisions(count)} undone` : `${project.label}: downgrade ${command.target} done`;
  } else if (command.kind === 'stamp' && !command.sql) {
    text = `${project.label} stamped as ${command.revisions.join(', ')}`;
  }
  if (!text) return;
  workbench.log.info(text);
  // Disposes itself after the timeout: nothing to track.
  vscode.window.setStatusBarMessage(`$(check) Alembic: ${text}`, 8000);
}

/** What the progress notification shows of Alembic's output: the step it is on. */
function progressMessage(line: string): string | undefined {
  const running = /Running (upgrade|downgrade|stamp_revision) (.*)$/.exec(line);
  if (running) return `${running[1] === 'stamp_revision' ? 'stamp' : running[1]} ${running[2]}`;
  const generating = /^\s*Generating (.*?) \.\.\./.exec(line);
  if (generating) return `generating ${generating[1].split(/[\\/]/).pop()}`;
  return undefined;
}

/** Re-reads what a command changed: files it created, then the database state. */
async function refreshAfter(workbench: Workbench, project: WorkspaceProject, results: AlembicRunResult[]): Promise<void> {
  const created = results.flatMap((result) => result.createdFiles.flatMap((file) => (file.hostPath ? [file.hostPath] : [])));
  if (created.length > 0) workbench.projects.reloadFiles(project.id, created);
  if (results.some((result) => touchesDatabase(result.command))) await workbench.database.refresh(project.id);
}

function touchesDatabase(command: AlembicCommand): boolean {
  switch (command.kind) {
    case 'upgrade':
    case 'downgrade':
    case 'stamp':
      return !command.sql;
    case 'current':
    case 'check':
      return true;
    case 'revision':
      return command.autogenerate;
    default:
      return false;
  }
}

/** Untrusted: say why nothing runs (the package.json `enablement` hides the commands; this is for callers that invoke them anyway). */
export function refuseUnlessTrusted(workbench: Workbench, description: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  workbench.log.warn(`Not running "${description}": the workspace is not trusted (Restricted Mode).`);
  void workbench.runners.prompts
    .message(
      'warning',
      `Alembic Workbench runs no Alembic command in Restricted Mode: "${description}" would execute this workspace's env.py and settings. Trust the workspace to run it.`,
      {},
      'Manage Workspace Trust',
    )
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

function showBusy(workbench: Workbench, project: WorkspaceProject, lockDescription: string, refused: string): void {
  const running = workbench.runners.runningCommand(project);
  // Say it as the user knows it ("alembic upgrade head"), not as the runner spelled it out.
  const runningDescription = running?.commandLine ?? lockDescription;
  const seconds = running ? Math.round((Date.now() - running.startedAt) / 1000) : undefined;
  const text = `${project.label}: "${runningDescription}" is still running${seconds === undefined ? '' : ` (started ${seconds} s ago)`}, so "${refused}" was not started. One Alembic command runs per project at a time.`;
  workbench.log.warn(text);
  const buttons = running ? ['Cancel Running Command', 'Show Output'] : ['Show Output'];
  void workbench.runners.prompts.message('warning', text, {}, ...buttons).then((choice) => {
    if (choice === 'Cancel Running Command') workbench.runners.cancelRunning(project);
    if (choice === 'Show Output') workbench.log.show(false);
  });
}

/** Expected refusals thrown before anything starts; true when it was one (and was shown). */
function showRefusal(workbench: Workbench, project: WorkspaceProject, error: unknown): boolean {
  const prompts = workbench.runners.prompts;
  if (error instanceof CommandAlreadyRunningError) {
    showBusy(workbench, project, error.running.description, error.refused);
    return true;
  }
  if (error instanceof UntrustedWorkspaceError) {
    refuseUnlessTrusted(workbench, error.commandLine);
    return true;
  }
  if (error instanceof InvalidAlembicArgumentError) {
    workbench.log.warn(`${project.label}: ${error.message}`);
    void prompts.message('error', `Not running Alembic: ${error.message}.`, {});
    return true;
  }
  if (error instanceof RunnerConfigurationError) {
    workbench.log.warn(`${project.label}: ${error.message}`);
    void prompts.message('error', `${project.label}: ${error.message}`, {}, 'Configure Runner').then((choice) => {
      if (choice) void vscode.commands.executeCommand('alembicWorkbench.configureRunner', { projectId: project.id });
    });
    return true;
  }
  return false;
}

/**
 * The Compose service is not running: with `runWhenServiceStopped: ask`, offer a one-off container
 * (`docker compose run --rm`) or starting the service, then run the command again. Never silent:
 * a modal question, because the answer decides what runs next.
 */
async function offerComposeAlternative(
  workbench: Workbench,
  request: AlembicCommandRequest,
  settings: WorkbenchSettings,
  result: AlembicRunResult,
): Promise<AlembicRunResult | undefined> {
  if (result.failure?.kind !== 'composeServiceNotRunning' || request.composeRun || settings.runner.mode !== 'dockerCompose') return undefined;
  if (settings.runner.dockerCompose.runWhenServiceStopped !== 'ask') return undefined;
  const service = result.failure.subject ?? settings.runner.dockerCompose.service;
  const { runner } = await workbench.runners.prepareRunner(request.project);
  let oneOff: string;
  try {
    oneOff = runner.invocationFor(request.command, true).commandLine;
  } catch {
    return undefined;
  }
  const useOneOff = 'Run in a One-off Container';
  const start = `Start ${service}`;
  const choice = await workbench.runners.prompts.message(
    'warning',
    `The Compose service "${service}" is not running, so "${describeAlembicCommand(request.command)}" could not run in it.`,
    {
      modal: true,
      detail: `${useOneOff}: ${oneOff}\n(a new container of the service's image, removed afterwards)\n\n${start}: docker compose up -d ${service}, then run the command again.`,
    },
    useOneOff,
    start,
  );
  if (choice === useOneOff) return runAlembicCommand(workbench, { ...request, composeRun: true });
  if (choice === start && (await startComposeService(workbench, request.project))) return runAlembicCommand(workbench, request);
  return choice === undefined ? undefined : result;
}

/** `docker compose up -d <service>` with progress and log; true when it started. */
export async function startComposeService(workbench: Workbench, project: WorkspaceProject): Promise<boolean> {
  const settings = workbench.settingsFor(project);
  const config = runnerConfigFrom(settings);
  if (config.mode !== 'dockerCompose') return false;
  const invocation = buildStartServiceInvocation(config, workbench.runners.targetFor(project, settings));
  if (!refuseUnlessTrusted(workbench, invocation.commandLine)) return false;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Starting ${config.service ?? 'the service'}`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      workbench.log.info(`${project.label}: $ ${invocation.commandLine}`);
      try {
        return await runProcess({
          executable: invocation.executable,
          args: invocation.args,
          cwd: invocation.cwd,
          signal: controller.signal,
          onStdoutLine: (line) => workbench.log.appendProcessLine(line),
          onStderrLine: (line) => workbench.log.appendProcessLine(line),
        });
      } catch (error) {
        if (error instanceof ProcessStartError) return error;
        throw error;
      }
    },
  );
  if (outcome instanceof ProcessStartError || outcome.exitCode !== 0) {
    const reason = outcome instanceof ProcessStartError ? outcome.message : `exit code ${outcome.exitCode}`;
    workbench.log.error(`${project.label}: ${invocation.commandLine} failed: ${reason}`);
    void workbench.runners.prompts.message('error', `Could not start the Compose service (${reason}).`, {}, 'Show Output').then((choice) => {
      if (choice) workbench.log.show(false);
    });
    return false;
  }
  return true;
}
