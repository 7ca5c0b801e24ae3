// The status bar item: where the database stands ("Alembic: e91f4c6 (5 pending)"), or that the
// history has several heads ("Alembic: 2 heads, 3 pending", opens the Revision Graph), or that the
// database can't be read. One item for all of it. It follows the project of the
// active editor (else the first project) and is shown only when the workspace has a project.
import * as vscode from 'vscode';
import type { RevisionGraph } from '../core/revisions/revisionGraph';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import type { Workbench } from '../workbench';
import { REVISIONS_VIEW_ID } from './revisionTreeProvider';
import { shortRevisionIds } from './revisionTreeModel';
import { describeStatusBar, type StatusBarAction, type StatusBarPresentation } from './statusBarModel';

const ACTION_COMMANDS: Record<StatusBarAction, string> = {
  openRevisionGraph: 'alembicWorkbench.openRevisionGraph',
  focusRevisions: `${REVISIONS_VIEW_ID}.focus`,
  selectDatabaseTarget: 'alembicWorkbench.selectDatabaseTarget',
  setDatabasePassword: 'alembicWorkbench.setDatabasePassword',
};

export class AlembicStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  /** What the item shows now (for the tests). */
  presentation: StatusBarPresentation | undefined;
  private readonly shortIds = new WeakMap<RevisionGraph, Map<string, string>>();
  private readonly disposables: vscode.Disposable[] = [];
  private projectId: string | undefined;

  constructor(private readonly workbench: Workbench) {
    this.item = vscode.window.createStatusBarItem('alembicWorkbench.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Alembic Workbench';
    const update = () => this.update();
    this.disposables.push(
      this.item,
      workbench.projects.onDidChangeProjects(update),
      workbench.projects.onDidChangeProject(update),
      workbench.database.onDidChange(update),
      workbench.database.onDidStartRefresh(({ done }) => {
        update();
        void done.finally(update);
      }),
      vscode.window.onDidChangeActiveTextEditor(update),
      vscode.workspace.onDidGrantWorkspaceTrust(update),
    );
    this.update();
  }

  /** The project the item is about: the active editor's, else the one shown last, else the first. */
  private projectShown(): WorkspaceProject | undefined {
    const projects = this.workbench.projects.projects;
    const document = vscode.window.activeTextEditor?.document;
    const active = document?.uri.scheme === 'file' ? (this.workbench.projects.projectForFile(document.uri.fsPath) ?? this.workbench.projects.projectForConfigFile(document.uri.fsPath)) : undefined;
    return active ?? projects.find((project) => project.id === this.projectId) ?? projects[0];
  }

  update(): void {
    const project = this.projectShown();
    this.projectId = project?.id;
    if (!project) {
      this.presentation = undefined;
      this.item.hide();
      return;
    }
    const graph = project.model.graph;
    let shortIds = this.shortIds.get(graph);
    if (!shortIds) {
      shortIds = shortRevisionIds(graph.revisions().map((node) => node.id));
      this.shortIds.set(graph, shortIds);
    }
    const ids = shortIds;
    const presentation = describeStatusBar({
      trusted: this.workbench.isTrusted,
      projectLabel: this.workbench.projects.projects.length > 1 ? project.label : undefined,
      heads: graph.heads,
      revisionCount: graph.size,
      shortId: (id) => ids.get(id) ?? id,
      database: this.workbench.database.statusFor(project.id),
      targetDisplay: this.workbench.database.targetDisplayFor(project.id),
      refreshing: this.workbench.database.isRefreshing(project.id),
    });
    this.presentation = presentation;
    this.item.text = presentation.text;
    const tooltip = new vscode.MarkdownString(presentation.tooltip, true);
    this.item.tooltip = tooltip;
    this.item.command = { command: ACTION_COMMANDS[presentation.action], title: 'Alembic', arguments: presentation.action === 'focusRevisions' ? [] : [{ projectId: project.id }] };
    this.item.backgroundColor =
      presentation.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : presentation.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: presentation.text.replace(/\$\([^)]*\)\s*/g, '') };
    this.item.show();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export function registerStatusBar(workbench: Workbench): AlembicStatusBar {
  const statusBar = new AlembicStatusBar(workbench);
  workbench.track(statusBar);
  return statusBar;
}
