// Turns settings into the core runner's configuration for a project, and keeps one command lock for
// the whole window, so the tree, the palette and CodeLens can't start two commands on one project.
// It also knows which command is running for each project (to cancel it), asks the Python extension
// for the local interpreter, and holds what the Alembic commands share: their prompts (replaceable
// by the extension tests) and the read-only documents they open.
import path from 'node:path';
import * as vscode from 'vscode';
import { AlembicRunner, type AlembicRunResult } from '../core/runner/alembicRunner';
import { ComposeCommandDetector } from '../core/runner/composeCommand';
import { findComposeFiles, readComposeProject } from '../core/compose/composeProject';
import { PathMapper } from '../core/compose/pathMapper';
import { currentHostIdentity } from '../core/runner/createdFiles';
import { ProjectCommandLock } from '../core/runner/processRunner';
import { flaskDbTarget, type RunnerConfig, type RunnerTarget } from '../core/runner/runnerModes';
import type { Log } from '../log';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { readSettings, type WorkbenchSettings } from '../settings';
import { chooseLocalCommand, type LocalCommandChoice } from './localCommand';
import { projectVirtualenvPython } from '../core/project/packageRoots';
import { PythonInterpreterLookup } from './pythonEnvironment';
import { ReadOnlyDocuments } from './readOnlyDocuments';
import { type CommandPrompts, VsCodePrompts } from './userPrompts';
import type { FailureFollowUps } from './failureActions';

/** A command started through commandExecution, as long as it runs. */
export interface RunningAlembicCommand {
  commandLine: string;
  startedAt: number;
  pid?: number;
  cancel(): void;
}

export interface AlembicFailureReport {
  project: WorkspaceProject;
  result: AlembicRunResult;
  followUps: FailureFollowUps;
}

export class RunnerService implements vscode.Disposable {
  readonly lock = new ProjectCommandLock();
  readonly documents = new ReadOnlyDocuments();
  /** How commands ask and tell; the extension tests swap in scripted answers. */
  prompts: CommandPrompts = new VsCodePrompts();
  private readonly python: PythonInterpreterLookup;
  private readonly running = new Map<string, RunningAlembicCommand>();
  private readonly composeCommand: ComposeCommandDetector;
  /**
   * Ends a cancelled run's database sessions (set by the Workbench to the database store's, which
   * holds the connections; the store needs this service first, hence not a constructor argument).
   */
  endRunSessions?: (project: WorkspaceProject, applicationName: string) => Promise<number[]>;

  private readonly failed = new vscode.EventEmitter<AlembicFailureReport>();
  /**
   * A command run by commandExecution failed: failureActions shows it with its buttons (which run
   * more commands). An event rather than an import, so running and presenting don't import each other.
   */
  readonly onDidFail = this.failed.event;

  constructor(private readonly log?: Log) {
    this.python = new PythonInterpreterLookup(log);
    this.composeCommand = new ComposeCommandDetector((choice) => (choice.command ? log?.info(choice.message) : log?.warn(choice.message)));
  }

  /**
   * The runner for a project, built from the settings that apply to its folder. Synchronous, for
   * callers that can't wait: the local runner uses the Python interpreter last asked for.
   */
  runnerFor(project: WorkspaceProject): AlembicRunner {
    const settings = readSettings(vscode.Uri.file(project.config.here));
    const interpreter = this.python.cachedFor(project.workspaceFolder.uri);
    return this.buildRunner(project, settings, chooseLocalCommand(settings.runner.local.command, settings.runner.local.usePythonExtension, interpreter, virtualenvOf(project)));
  }

  /** The runner for a command about to start: asks the Python extension first when that applies. */
  async prepareRunner(project: WorkspaceProject): Promise<{ runner: AlembicRunner; settings: WorkbenchSettings; localCommand: LocalCommandChoice }> {
    const settings = readSettings(vscode.Uri.file(project.config.here));
    const wantsInterpreter = settings.runner.mode === 'local' && settings.runner.local.usePythonExtension;
    const interpreter = wantsInterpreter ? await this.python.interpreterFor(project.workspaceFolder.uri) : undefined;
    if (settings.runner.mode === 'dockerCompose' && settings.runner.dockerCompose.command.length === 0) await this.composeCommand.detect();
    const localCommand = chooseLocalCommand(settings.runner.local.command, settings.runner.local.usePythonExtension, interpreter, virtualenvOf(project));
    if (settings.runner.mode === 'local' && localCommand.source === 'virtualenv') {
      this.log?.info(`${project.label}: no interpreter chosen in the Python extension; using the project's virtualenv ${localCommand.command[0]}`);
    }
    return { runner: this.buildRunner(project, settings, localCommand), settings, localCommand };
  }

  /** The Python extension's interpreter for a folder (Configure Runner offers it). */
  pythonInterpreterFor(folder: vscode.Uri): Promise<string | undefined> {
    return this.python.interpreterFor(folder);
  }

  private buildRunner(project: WorkspaceProject, settings: WorkbenchSettings, localCommand: LocalCommandChoice): AlembicRunner {
    return new AlembicRunner({
      runner: runnerConfigFrom(settings, localCommand.command, this.composeCommand.current),
      target: this.targetFor(project, settings),
      lock: this.lock,
      // Read at every start, not captured: trust can be granted while the window is open.
      isTrusted: () => vscode.workspace.isTrusted,
      endRunSessions: this.endRunSessions && ((applicationName) => this.endRunSessions!(project, applicationName)),
    });
  }

  targetFor(project: WorkspaceProject, settings = readSettings(vscode.Uri.file(project.config.here))): RunnerTarget {
    const iniPath = project.config.configFile ?? path.join(project.config.here, 'alembic.ini');
    const workspaceFolder = project.workspaceFolder.uri.fsPath;
    return {
      iniPath,
      workspaceFolder,
      configName: project.config.section !== 'alembic' ? project.config.section : undefined,
      xArguments: settings.alembic.extraArguments,
      pathMapper: settings.runner.mode === 'dockerCompose' ? pathMapperFor(project, settings) : undefined,
      // `${hostUser}` in the Compose user setting, and whose files count as the user's own: the
      // user running VS Code's extension host (on a remote, the remote user, where Docker runs too).
      hostUser: currentHostIdentity(),
      flaskDb: usesFlaskDb(project, settings) ? flaskDbTarget(project.config.scriptLocation, settings.runner.flaskApp) : undefined,
      environmentFile: settings.runner.envFile ? path.resolve(workspaceFolder, settings.runner.envFile) : undefined,
    };
  }

  /** Whether a command is running for this project (to disable buttons, refuse a second one). */
  isBusy(project: WorkspaceProject): boolean {
    return this.lock.current(this.runnerFor(project).projectKey) !== undefined;
  }

  /** What runs for a project right now, if it was started through commandExecution. */
  runningCommand(project: WorkspaceProject): RunningAlembicCommand | undefined {
    return this.running.get(project.id);
  }

  /** Cancels the project's running command (kills its process tree); false when nothing runs. */
  cancelRunning(project: WorkspaceProject): boolean {
    const running = this.running.get(project.id);
    running?.cancel();
    return running !== undefined;
  }

  /** Called by commandExecution around every run; returns the function that forgets it. */
  trackRunning(project: WorkspaceProject, command: RunningAlembicCommand): () => void {
    this.running.set(project.id, command);
    return () => {
      if (this.running.get(project.id) === command) this.running.delete(project.id);
    };
  }

  reportFailure(report: AlembicFailureReport): void {
    this.failed.fire(report);
  }

  dispose(): void {
    this.failed.dispose();
    for (const command of this.running.values()) command.cancel();
    this.running.clear();
    this.python.dispose();
    this.documents.dispose();
  }
}

export function runnerConfigFrom(
  settings: WorkbenchSettings,
  localCommand: readonly string[] = settings.runner.local.command,
  detectedComposeCommand?: readonly string[],
): RunnerConfig {
  const runner = settings.runner;
  switch (runner.mode) {
    case 'local':
      return { mode: 'local', command: [...localCommand] };
    case 'custom':
      return { mode: 'custom', template: runner.custom.command, service: runner.dockerCompose.service };
    default:
      return {
        mode: 'dockerCompose',
        service: runner.dockerCompose.service,
        files: runner.dockerCompose.files.length ? runner.dockerCompose.files : undefined,
        projectDirectory: runner.dockerCompose.projectDirectory || undefined,
        workdir: runner.dockerCompose.workdir || undefined,
        user: runner.dockerCompose.user || undefined,
        // The setting wins; else the detected one; else `docker compose` (whose failure says why).
        composeCommand: runner.dockerCompose.command.length ? [...runner.dockerCompose.command] : detectedComposeCommand && [...detectedComposeCommand],
      };
  }
}

/** The Python of a virtualenv beside alembic.ini or above it up to the workspace folder. */
function virtualenvOf(project: WorkspaceProject): string | undefined {
  return projectVirtualenvPython(project.config.here, project.workspaceFolder.uri.fsPath);
}

/** Whether the project's commands run as `flask db` (the invocation setting, `auto`: Flask-Migrate projects). */
export function usesFlaskDb(project: WorkspaceProject, settings: WorkbenchSettings): boolean {
  const invocation = settings.runner.invocation;
  return invocation === 'flask db' || (invocation === 'auto' && project.config.flavor === 'flask-migrate');
}

/** Container <-> host paths: the setting when given, else the service's bind mounts. */
export function pathMapperFor(project: WorkspaceProject, settings: WorkbenchSettings): PathMapper | undefined {
  const workspaceFolder = project.workspaceFolder.uri.fsPath;
  const configured = settings.runner.dockerCompose.pathMappings;
  if (Object.keys(configured).length > 0) return PathMapper.fromSetting(configured, workspaceFolder);
  try {
    const files = composeFilesFor(project, settings);
    if (files.length === 0) return undefined;
    const service = readComposeProject(files).services.get(settings.runner.dockerCompose.service);
    return service ? PathMapper.fromService(service) : undefined;
  } catch {
    // A broken compose file is reported when a command runs (docker compose says why); mapping
    // just stays unknown until then.
    return undefined;
  }
}

/** The compose files Docker Compose would read for this project: the setting's, else the one it finds. */
export function composeFilesFor(project: WorkspaceProject, settings: WorkbenchSettings): string[] {
  const workspaceFolder = project.workspaceFolder.uri.fsPath;
  return settings.runner.dockerCompose.files.length
    ? settings.runner.dockerCompose.files.map((file) => path.resolve(workspaceFolder, file))
    : findComposeFiles(project.config.here, workspaceFolder);
}
