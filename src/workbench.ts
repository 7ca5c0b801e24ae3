// The one context object `activate` builds and every feature receives: the log, the projects, the
// runner and the database state. Features register themselves against it; nothing else is global.
import * as vscode from 'vscode';
import { DatabaseStateStore } from './editorDb/databaseStateStore';
import { Log } from './log';
import { ProjectRegistry, type WorkspaceProject } from './editorProject/projectRegistry';
import { RunnerService } from './editorRunner/runnerService';
import { readSettings, type WorkbenchSettings } from './settings';

export class Workbench implements vscode.Disposable {
  readonly log: Log;
  readonly projects: ProjectRegistry;
  readonly runners: RunnerService;
  readonly database: DatabaseStateStore;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    this.log = new Log();
    this.projects = new ProjectRegistry(this.log);
    this.runners = new RunnerService(this.log);
    this.database = new DatabaseStateStore(this.projects, this.runners, extensionContext.secrets, extensionContext.workspaceState, this.log);
    this.runners.endRunSessions = (project, applicationName) => this.database.endRunSessions(project, applicationName);
    this.disposables.push(
      this.projects.onDidChangeProjects(() => this.updateContextKeys()),
      this.projects.onDidChangeProject(() => this.updateContextKeys()),
      this.database.onDidChange(() => this.updateContextKeys()),
    );
    this.updateContextKeys();
  }

  get isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The settings that apply to a project (its folder may override the workspace's). */
  settingsFor(project?: WorkspaceProject): WorkbenchSettings {
    return readSettings(project ? vscode.Uri.file(project.config.here) : undefined);
  }

  /** Adds disposables that live as long as the extension. */
  track(...disposables: vscode.Disposable[]): void {
    this.extensionContext.subscriptions.push(...disposables);
  }

  /** Context keys that menus and welcome views match on (see package.json `when` clauses). */
  updateContextKeys(): void {
    const projects = this.projects.projects;
    const multipleHeads = projects.some((project) => project.model.graph.heads.length > 1);
    const statuses = projects.map((project) => this.database.statusFor(project.id)).filter((status) => status !== undefined);
    const databaseState = statuses.length === 0 ? 'unknown' : statuses.some((status) => !status.reachable) ? 'unreachable' : 'reachable';
    void vscode.commands.executeCommand('setContext', 'alembicWorkbench.projectState', this.projects.projectState);
    void vscode.commands.executeCommand('setContext', 'alembicWorkbench.hasProject', projects.length > 0);
    void vscode.commands.executeCommand('setContext', 'alembicWorkbench.multipleHeads', multipleHeads);
    void vscode.commands.executeCommand('setContext', 'alembicWorkbench.databaseState', databaseState);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.database.dispose();
    this.projects.dispose();
    this.log.dispose();
  }
}
