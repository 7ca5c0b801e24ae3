// What each project's database has applied, for the tree, the status bar and lint messages. A thin
// layer over src/core/db: settings and Compose decide the target, SecretStorage holds passwords the
// user typed, the runner answers `alembic current` when the database is only reachable inside the
// Compose network. Nothing here runs in an untrusted workspace: reading the database means
// connecting to a host named by workspace files, and the fallback runs the workspace's env.py.
import * as vscode from 'vscode';
import { revisionGraphView } from '../core/db/databaseState';
import { DatabaseStatusService, type DatabaseStatus } from '../core/db/databaseStatusService';
import { discoverDatabaseTargets, withPassword, type DatabaseTarget } from '../core/db/databaseTargets';
import type { TableStatsCache } from '../core/db/tableStats';
import type { Log } from '../log';
import type { ProjectRegistry, WorkspaceProject } from '../projects/projectRegistry';
import type { RunnerService } from '../runner/runnerService';
import { readSettings } from '../settings';

const SELECTED_TARGET_KEY = 'alembicWorkbench.selectedDatabaseTarget';

export interface ProjectTargets {
  targets: DatabaseTarget[];
  selected?: DatabaseTarget;
  warnings: string[];
}

export class DatabaseStateStore implements vscode.Disposable {
  private readonly service = new DatabaseStatusService();
  private readonly statuses = new Map<string, DatabaseStatus>();
  private readonly refreshing = new Map<string, Promise<DatabaseStatus | undefined>>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with a project id when its database status changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly projects: ProjectRegistry,
    private readonly runners: RunnerService,
    private readonly secrets: vscode.SecretStorage,
    private readonly workspaceState: vscode.Memento,
    private readonly log: Log,
  ) {}

  /** The latest status, if one was read (undefined: unknown, e.g. untrusted or not read yet). */
  statusFor(projectId: string): DatabaseStatus | undefined {
    return this.statuses.get(projectId);
  }

  /** Every target of a project (settings, Compose, alembic.ini) and the selected one. */
  async targetsFor(project: WorkspaceProject): Promise<ProjectTargets> {
    const settings = readSettings(vscode.Uri.file(project.config.here));
    const selectedTargetName = this.workspaceState.get<Record<string, string>>(SELECTED_TARGET_KEY, {})[project.id];
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
      environment: process.env,
      composeService: settings.runner.dockerCompose.service,
      composeFiles: settings.runner.dockerCompose.files,
      searchComposeUpTo: project.workspaceFolder.uri.fsPath,
      selectedTargetName,
    });
    const withSecrets = await Promise.all(found.targets.map((target) => this.withStoredPassword(target)));
    const selected = withSecrets.find((target) => target.id === found.selected?.id);
    return { targets: withSecrets, selected, warnings: found.warnings };
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

  private async withStoredPassword(target: DatabaseTarget): Promise<DatabaseTarget> {
    const password = await this.secrets.get(passwordKey(target));
    return password ? withPassword(target, password) : target;
  }

  /** Re-reads one project's (or every project's) database state. Concurrent calls share one read. */
  async refresh(projectId?: string, signal?: AbortSignal): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const ids = projectId ? [projectId] : this.projects.projects.map((project) => project.id);
    await Promise.all(ids.map((id) => this.refreshOne(id, signal)));
  }

  private refreshOne(projectId: string, signal?: AbortSignal): Promise<DatabaseStatus | undefined> {
    const running = this.refreshing.get(projectId);
    if (running) return running;
    const read = this.read(projectId, signal).finally(() => this.refreshing.delete(projectId));
    this.refreshing.set(projectId, read);
    return read;
  }

  private async read(projectId: string, signal?: AbortSignal): Promise<DatabaseStatus | undefined> {
    const project = this.projects.get(projectId);
    if (!project) return undefined;
    const settings = readSettings(vscode.Uri.file(project.config.here));
    try {
      const { selected, warnings } = await this.targetsFor(project);
      for (const warning of warnings) this.log.warn(`${project.label}: ${warning}`);
      if (!selected) return undefined;
      const runner = this.runners.runnerFor(project);
      const status = await this.service.readDatabaseStatus(
        {
          id: project.id,
          versionTable: { table: settings.database.versionTable, schema: settings.database.versionTableSchema || undefined },
          runAlembicCurrent: async (options) => {
            const result = await runner.run({ command: { kind: 'current', verbose: options?.verbose }, signal: options?.signal });
            return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
          },
        },
        selected,
        revisionGraphView(project.model.graph),
        { source: settings.database.statusSource, signal },
      );
      this.statuses.set(projectId, status);
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

  /** Cached table sizes of the project's selected PostgreSQL target, for lint messages. */
  async tableStatsFor(project: WorkspaceProject): Promise<TableStatsCache | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const { selected } = await this.targetsFor(project);
    return selected ? this.service.tableStatsFor(selected) : undefined;
  }

  dispose(): void {
    this.changed.dispose();
    void this.service.dispose();
  }
}

function passwordKey(target: DatabaseTarget): string {
  return `alembicWorkbench.databasePassword:${target.id}`;
}
