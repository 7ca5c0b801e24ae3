// What each project's database has applied, for the tree, the status bar and lint messages. A thin
// layer over src/core/db: settings and Compose decide the target, SecretStorage holds passwords the
// user typed, the runner answers `alembic current` when the database is only reachable inside the
// Compose network. Nothing here runs in an untrusted workspace: reading the database means
// connecting to a host named by workspace files, and the fallback runs the workspace's env.py.
//
// When a revision file changes, the states are recomputed from the rows already read (no database
// round trip: the version table did not change because a file was edited). Settings that name the
// database re-read it; a timer re-reads it while the Revisions view is visible, if the user asked.
import path from 'node:path';
import * as vscode from 'vscode';
import { revisionGraphView } from '../core/db/databaseState';
import { DatabaseStatusService, restateDatabaseStatus, type DatabaseStatus } from '../core/db/databaseStatusService';
import { discoverDatabaseTargets, withPassword, type DatabaseTarget } from '../core/db/databaseTargets';
import type { TableStatsCache } from '../core/db/tableStats';
import { readEnvironmentFile, RunnerConfigurationError } from '../core/runner/runnerModes';
import type { Log } from '../log';
import type { ProjectRegistry, WorkspaceProject } from '../editorProject/projectRegistry';
import type { RunnerService } from '../editorRunner/runnerService';
import { affectsSettings, readSettings } from '../settings';

const SELECTED_TARGET_KEY = 'alembicWorkbench.selectedDatabaseTarget';
/** Settings changes come in bursts (a settings.json save, a sync): read the database once after them. */
const SETTINGS_REFRESH_DELAY_MS = 300;
/** A shorter interval would keep a connection busy for nothing (each read takes a round trip or a process). */
const MINIMUM_REFRESH_INTERVAL_SECONDS = 2;

export interface ProjectTargets {
  targets: DatabaseTarget[];
  selected?: DatabaseTarget;
  warnings: string[];
}

export interface RefreshStarted {
  projectId: string;
  done: Promise<unknown>;
}

export class DatabaseStateStore implements vscode.Disposable {
  private readonly service = new DatabaseStatusService();
  private readonly statuses = new Map<string, DatabaseStatus>();
  /** The graph each status was computed against: a newer graph means the states must be restated. */
  private readonly statusGraphs = new Map<string, unknown>();
  private readonly targetDisplays = new Map<string, string>();
  private readonly readTargetIds = new Map<string, string>();
  private readonly refreshing = new Map<string, Promise<DatabaseStatus | undefined>>();
  /** A read asked for while another runs: it starts when that one ends (settings, target or password may have changed). */
  private readonly queued = new Map<string, Promise<DatabaseStatus | undefined>>();
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly refreshStarted = new vscode.EventEmitter<RefreshStarted>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private settingsTimer: NodeJS.Timeout | undefined;
  private viewVisible = false;
  private disposed = false;

  /** Fires with a project id when its database status changed. */
  readonly onDidChange = this.changed.event;
  /** Fires when a read of a project's database starts (for progress indicators). */
  readonly onDidStartRefresh = this.refreshStarted.event;

  constructor(
    private readonly projects: ProjectRegistry,
    private readonly runners: RunnerService,
    private readonly secrets: vscode.SecretStorage,
    private readonly workspaceState: vscode.Memento,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.changed,
      this.refreshStarted,
      projects.onDidChangeProject(({ project }) => this.restate(project.id)),
      projects.onDidChangeProjects(() => this.projectsReloaded()),
      vscode.workspace.onDidChangeConfiguration((event) => this.settingsChanged(event)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.updateTimers()),
    );
  }

  /** The latest status, if one was read (undefined: unknown, e.g. untrusted or not read yet). */
  statusFor(projectId: string): DatabaseStatus | undefined {
    return this.statuses.get(projectId);
  }

  /** The selected target of the last read, as it may be shown (password masked). */
  targetDisplayFor(projectId: string): string | undefined {
    return this.targetDisplays.get(projectId);
  }

  isRefreshing(projectId: string): boolean {
    return this.refreshing.has(projectId) || this.queued.has(projectId);
  }

  /** Every target of a project (settings, Compose, alembic.ini) and the selected one. */
  async targetsFor(project: WorkspaceProject): Promise<ProjectTargets> {
    const settings = readSettings(vscode.Uri.file(project.config.here));
    const selectedTargetName = this.workspaceState.get<Record<string, string>>(SELECTED_TARGET_KEY, {})[project.id];
    const fileWarnings: string[] = [];
    const found = await discoverDatabaseTargets({
      projectId: project.id,
      baseDirectory: project.config.here,
      iniUrl: project.config.sqlalchemyUrl,
      iniFile: project.config.configFile,
      settings: {
        url: settings.database.url || undefined,
        urlEnvironmentVariable: settings.database.urlEnvironmentVariable || undefined,
        targets: settings.database.targets,
      },
      // The URL variable as Alembic's env.py sees it: the env file's value first.
      environment: { ...process.env, ...environmentFileVariables(project, settings.runner.envFile, fileWarnings) },
      composeService: settings.runner.dockerCompose.service,
      composeFiles: settings.runner.dockerCompose.files,
      searchComposeUpTo: project.workspaceFolder.uri.fsPath,
      selectedTargetName,
    });
    const withSecrets = await Promise.all(found.targets.map((target) => this.withStoredPassword(target)));
    const selected = withSecrets.find((target) => target.id === found.selected?.id);
    return { targets: withSecrets, selected, warnings: [...fileWarnings, ...found.warnings] };
  }

  /** Ends a cancelled run's sessions on the project's selected database (see core/db/runSessions). */
  async endRunSessions(project: WorkspaceProject, applicationName: string): Promise<number[]> {
    const { selected } = await this.targetsFor(project);
    if (!selected?.spec) throw new Error(selected?.error?.message ?? 'the project has no database URL');
    return this.service.endRunSessions(selected, applicationName);
  }

  async selectTarget(project: WorkspaceProject, targetName: string): Promise<void> {
    const selections = { ...this.workspaceState.get<Record<string, string>>(SELECTED_TARGET_KEY, {}), [project.id]: targetName };
    await this.workspaceState.update(SELECTED_TARGET_KEY, selections);
    await this.refresh(project.id);
  }

  /** Keeps a password the user typed for a target (never in settings, never logged). */
  async storePassword(target: DatabaseTarget, password: string): Promise<void> {
    await this.secrets.store(passwordKey(target), password);
  }

  async forgetPassword(target: DatabaseTarget): Promise<void> {
    await this.secrets.delete(passwordKey(target));
  }

  async hasStoredPassword(target: DatabaseTarget): Promise<boolean> {
    return (await this.secrets.get(passwordKey(target))) !== undefined;
  }

  private async withStoredPassword(target: DatabaseTarget): Promise<DatabaseTarget> {
    const password = await this.secrets.get(passwordKey(target));
    return password ? withPassword(target, password) : target;
  }

  /** Re-reads one project's (or every project's) database state. Concurrent calls share one read. */
  async refresh(projectId?: string, signal?: AbortSignal): Promise<void> {
    if (!vscode.workspace.isTrusted || this.disposed) return;
    const ids = projectId ? [projectId] : this.projects.projects.map((project) => project.id);
    await Promise.all(ids.map((id) => this.refreshOne(id, signal)));
  }

  /**
   * The Revisions view tells the store whether it is visible: the refresh timer
   * (`database.refreshInterval`) runs only then, so a hidden view costs no queries.
   */
  setViewVisible(visible: boolean): void {
    if (this.viewVisible === visible) return;
    this.viewVisible = visible;
    this.updateTimers();
  }

  /**
   * A request never joins a read already running: that read may have started before the change the
   * caller made (a password stored, a target picked, a setting written). It queues one more read
   * instead; further requests while it waits share it.
   */
  private refreshOne(projectId: string, signal?: AbortSignal): Promise<DatabaseStatus | undefined> {
    const running = this.refreshing.get(projectId);
    if (running) {
      let next = this.queued.get(projectId);
      if (!next) {
        next = running.then(
          () => this.startQueued(projectId, signal),
          () => this.startQueued(projectId, signal),
        );
        this.queued.set(projectId, next);
      }
      return next;
    }
    const read = this.read(projectId, signal).finally(() => this.refreshing.delete(projectId));
    this.refreshing.set(projectId, read);
    this.refreshStarted.fire({ projectId, done: read });
    return read;
  }

  private startQueued(projectId: string, signal?: AbortSignal): Promise<DatabaseStatus | undefined> {
    this.queued.delete(projectId);
    if (this.disposed) return Promise.resolve(undefined);
    return this.refreshOne(projectId, signal);
  }

  private async read(projectId: string, signal?: AbortSignal): Promise<DatabaseStatus | undefined> {
    const project = this.projects.get(projectId);
    if (!project) return undefined;
    const settings = readSettings(vscode.Uri.file(project.config.here));
    try {
      const { selected, warnings } = await this.targetsFor(project);
      for (const warning of warnings) this.log.warn(`${project.label}: ${warning}`);
      if (!selected) return undefined;
      const previousTarget = this.readTargetIds.get(projectId);
      if (previousTarget && previousTarget !== selected.id) void this.service.forgetTarget(previousTarget);
      this.readTargetIds.set(projectId, selected.id);
      const runner = this.runners.runnerFor(project);
      const graph = project.model.graph;
      let status = await this.service.readDatabaseStatus(
        {
          id: project.id,
          versionTable: { table: settings.database.versionTable, schema: settings.database.versionTableSchema || undefined },
          runAlembicCurrent: async (options) => {
            const result = await runner.run({ command: { kind: 'current', verbose: options?.verbose }, signal: options?.signal });
            return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
          },
        },
        selected,
        revisionGraphView(graph),
        { source: settings.database.statusSource, signal },
      );
      if (this.disposed || !this.projects.get(projectId)) return undefined;
      // A file changed while the database was read: the rows are fresh, the graph they were matched against is not.
      const current = this.projects.get(projectId)?.model.graph ?? graph;
      if (current !== graph) status = restateDatabaseStatus(status, revisionGraphView(current));
      this.statuses.set(projectId, status);
      this.statusGraphs.set(projectId, current);
      this.targetDisplays.set(projectId, selected.spec?.display ?? selected.originLabel);
      this.log.info(`${project.label}: database ${status.targetName}: ${status.message}`);
      this.changed.fire(projectId);
      return status;
    } catch (error) {
      // The core reports database failures as statuses; anything thrown here is our own bug or a
      // broken compose file: say so once, keep the last known state.
      this.log.error(`${project.label}: could not read the database state: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** A revision file was added, removed or re-parented: same rows, new graph, new states. */
  private restate(projectId: string): void {
    const status = this.statuses.get(projectId);
    const project = this.projects.get(projectId);
    if (!status || !project || !status.reachable) return;
    const graph = project.model.graph;
    if (this.statusGraphs.get(projectId) === graph) return;
    this.statuses.set(projectId, restateDatabaseStatus(status, revisionGraphView(graph)));
    this.statusGraphs.set(projectId, graph);
    this.changed.fire(projectId);
  }

  private projectsReloaded(): void {
    const known = new Set(this.projects.projects.map((project) => project.id));
    for (const projectId of [...this.statuses.keys()]) {
      if (known.has(projectId)) this.restate(projectId);
      else {
        this.statuses.delete(projectId);
        this.statusGraphs.delete(projectId);
        this.targetDisplays.delete(projectId);
        const targetId = this.readTargetIds.get(projectId);
        this.readTargetIds.delete(projectId);
        if (targetId) void this.service.forgetTarget(targetId);
        this.changed.fire(projectId);
      }
    }
    this.updateTimers();
  }

  private settingsChanged(event: vscode.ConfigurationChangeEvent): void {
    if (affectsSettings(event, 'database.refreshInterval')) this.updateTimers();
    const targetsMayDiffer =
      affectsSettings(event, 'database') || affectsSettings(event, 'runner.dockerCompose.service') || affectsSettings(event, 'runner.dockerCompose.files') || affectsSettings(event, 'runner.mode');
    if (!targetsMayDiffer) return;
    clearTimeout(this.settingsTimer);
    this.settingsTimer = setTimeout(() => {
      this.log.info('Database settings changed: reading the database state again.');
      void this.refresh();
    }, SETTINGS_REFRESH_DELAY_MS);
  }

  private updateTimers(): void {
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    if (!this.viewVisible || !vscode.workspace.isTrusted || this.disposed) return;
    for (const project of this.projects.projects) {
      const seconds = readSettings(vscode.Uri.file(project.config.here)).database.refreshIntervalSeconds;
      if (seconds <= 0) continue;
      const interval = Math.max(seconds, MINIMUM_REFRESH_INTERVAL_SECONDS) * 1000;
      this.timers.set(project.id, setInterval(() => void this.refreshOne(project.id), interval));
    }
  }

  /** Cached table sizes of the project's selected PostgreSQL target, for lint messages. */
  async tableStatsFor(project: WorkspaceProject): Promise<TableStatsCache | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const { selected } = await this.targetsFor(project);
    return selected ? this.service.tableStatsFor(selected) : undefined;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.settingsTimer);
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    for (const disposable of this.disposables) disposable.dispose();
    void this.service.dispose();
  }
}

function passwordKey(target: DatabaseTarget): string {
  return `alembicWorkbench.databasePassword:${target.id}`;
}

/** The variables of the envFile setting (relative to the workspace folder); a missing file is a warning here. */
function environmentFileVariables(project: WorkspaceProject, envFile: string, warnings: string[]): Record<string, string> {
  if (!envFile) return {};
  try {
    return readEnvironmentFile({ environmentFile: path.resolve(project.workspaceFolder.uri.fsPath, envFile) });
  } catch (error) {
    if (!(error instanceof RunnerConfigurationError)) throw error;
    warnings.push(error.message);
    return {};
  }
}
