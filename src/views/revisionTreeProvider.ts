// The Revisions view: a thin TreeDataProvider over the tree model (revisionTreeModel.ts). It keeps
// one built ProjectTree per project and rebuilds only the project that changed (a revision file, its
// database status, its lint counts); VS Code is told about that project's node alone when there are
// several. Elements are the model's plain node objects; each call resolves them by key against the
// current trees, so a node handed out before a rebuild still answers with fresh data.
import path from 'node:path';
import * as vscode from 'vscode';
import type { DatabaseStatus } from '../core/db/databaseStatusService';
import type { UnreadableConfig, WorkspaceProject } from '../editorProject/projectRegistry';
import { affectsSettings, readGroupByBranch } from '../settings';
import type { FindingCounts } from '../core/lint/findings';
import type { Workbench } from '../workbench';
import { DiagnosticFindingCounts } from './diagnosticFindings';
import {
  buildProjectTree,
  childrenOf,
  revisionTooltipMarkdown,
  treeRoots,
  unreadableConfigNode,
  type ProjectTree,
  type RevisionTreeNode,
  type RevisionTreeNodeData,
} from './revisionTreeModel';
import { BranchGroupTreeItem } from './treeNodes/branchGroupTreeItem';
import { MessageTreeItem } from './treeNodes/messageTreeItem';
import { ProjectTreeItem } from './treeNodes/projectTreeItem';
import { RevisionTreeItem } from './treeNodes/revisionTreeItem';

export const REVISIONS_VIEW_ID = 'alembicWorkbench.revisions';

/** What the provider reads; the Workbench supplies it (tests may build one over another project). */
export interface RevisionTreeSource {
  projects(): readonly WorkspaceProject[];
  statusFor(projectId: string): DatabaseStatus | undefined;
  isTrusted(): boolean;
  groupByBranch(): boolean;
  findingsFor(filePath: string): FindingCounts | undefined;
  /** Configs that could not be read as projects (shown as error nodes at the top). */
  unreadableConfigs?(): readonly UnreadableConfig[];
}

export class RevisionTreeProvider implements vscode.TreeDataProvider<RevisionTreeNode>, vscode.Disposable {
  private readonly trees = new Map<string, ProjectTree>();
  private readonly changed = new vscode.EventEmitter<RevisionTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Milliseconds of the last project tree build, for the log and the speed figures. */
  lastBuildMs = 0;

  constructor(private readonly source: RevisionTreeSource) {}

  /** Rebuilds one project's tree (or all) on next access and tells the view. */
  refresh(projectId?: string): void {
    const projects = this.source.projects();
    const previous = projectId ? this.trees.get(projectId) : undefined;
    if (projectId) this.trees.delete(projectId);
    else this.trees.clear();
    // With several projects only the changed project's node (the object VS Code holds) is re-read.
    if (previous && projects.length > 1 && projects.some((project) => project.id === projectId)) this.changed.fire(previous.project);
    else this.changed.fire(undefined);
  }

  /** The built tree of a project (built now if needed). */
  treeFor(projectId: string): ProjectTree | undefined {
    const cached = this.trees.get(projectId);
    if (cached) return cached;
    const project = this.source.projects().find((candidate) => candidate.id === projectId);
    if (!project) return undefined;
    const started = performance.now();
    const status = this.source.statusFor(projectId);
    const trusted = this.source.isTrusted();
    const tree = buildProjectTree(
      {
        projectId,
        label: project.label,
        graph: project.model.graph,
        displayRoot: project.workspaceFolder.uri.fsPath,
        configFile: project.config.configFile ?? project.config.pyprojectFile,
        database: trusted ? status : undefined,
        databaseUnavailable: !trusted ? 'untrusted' : status ? undefined : 'not-read',
        findingsFor: (filePath) => this.source.findingsFor(filePath),
        loadErrors: project.model.loadErrors,
        flaskMigrateEvidence: project.config.flavor === 'flask-migrate' ? (project.config.flavorEvidence ?? 'Flask-Migrate layout') : undefined,
      },
      { groupByBranch: this.source.groupByBranch(), locale: vscode.env.language },
    );
    this.lastBuildMs = performance.now() - started;
    this.trees.set(projectId, tree);
    return tree;
  }

  projectTrees(): ProjectTree[] {
    return this.source.projects().flatMap((project) => this.treeFor(project.id) ?? []);
  }

  private unreadableNodes() {
    return (this.source.unreadableConfigs?.() ?? []).map((config) => unreadableConfigNode(config, config.workspaceFolder.uri.fsPath));
  }

  /** The current version of a node handed out earlier (undefined when it is gone). */
  private current(node: RevisionTreeNode): RevisionTreeNode | undefined {
    return this.treeFor(node.projectId)?.byKey.get(node.key);
  }

  getChildren(element?: RevisionTreeNode): RevisionTreeNode[] {
    if (!element) return treeRoots(this.projectTrees(), this.unreadableNodes());
    const node = this.current(element);
    return node ? childrenOf(node) : [];
  }

  getTreeItem(element: RevisionTreeNode): vscode.TreeItem {
    const node = this.current(element) ?? element;
    switch (node.kind) {
      case 'revision':
        return new RevisionTreeItem(node);
      case 'branch':
        return new BranchGroupTreeItem(node);
      case 'message':
        return new MessageTreeItem(node);
      case 'project': {
        const tree = this.treeFor(node.projectId);
        return tree ? new ProjectTreeItem(tree) : new vscode.TreeItem(node.label);
      }
    }
  }

  resolveTreeItem(item: vscode.TreeItem, element: RevisionTreeNode): vscode.TreeItem {
    const node = this.current(element);
    const tree = this.treeFor(element.projectId);
    if (node?.kind === 'revision' && tree) {
      const tooltip = new vscode.MarkdownString(revisionTooltipMarkdown(node, tree), true);
      item.tooltip = tooltip;
    }
    return item;
  }

  getParent(element: RevisionTreeNode): RevisionTreeNode | undefined {
    const node = this.current(element);
    if (!node?.parentKey) return undefined;
    const parent = this.treeFor(node.projectId)?.byKey.get(node.parentKey);
    // A lone project's content sits at the top of the view: its node is not shown.
    if (parent?.kind === 'project' && this.source.projects().length === 1 && this.unreadableNodes().length === 0) return undefined;
    return parent;
  }

  /** The item of a revision file, for reveal. */
  nodeForFile(filePath: string): RevisionTreeNodeData | undefined {
    const absolute = path.resolve(filePath);
    for (const project of this.source.projects()) {
      if (!project.model.isRevisionFile(absolute)) continue;
      const node = this.treeFor(project.id)?.byFile.get(absolute);
      if (node) return node;
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function workbenchTreeSource(workbench: Workbench, findings: DiagnosticFindingCounts): RevisionTreeSource {
  return {
    projects: () => workbench.projects.projects,
    statusFor: (projectId) => workbench.database.statusFor(projectId),
    isTrusted: () => workbench.isTrusted,
    groupByBranch: () => readGroupByBranch(),
    findingsFor: (filePath) => findings.countsFor(filePath),
    unreadableConfigs: () => workbench.projects.unreadableConfigs,
  };
}

export interface RevisionTree {
  provider: RevisionTreeProvider;
  view: vscode.TreeView<RevisionTreeNode>;
}

/** Creates the Revisions view and keeps it current; returns it for the status bar and the tests. */
export function registerRevisionTree(workbench: Workbench): RevisionTree {
  const findings = new DiagnosticFindingCounts();
  const provider = new RevisionTreeProvider(workbenchTreeSource(workbench, findings));
  const view = vscode.window.createTreeView(REVISIONS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });

  const describeView = () => {
    view.message = viewMessage(workbench);
    const pending = workbench.isTrusted
      ? workbench.projects.projects.reduce((sum, project) => {
          const status = workbench.database.statusFor(project.id);
          return sum + (status?.reachable ? status.pending.length : 0);
        }, 0)
      : 0;
    view.badge = pending > 0 ? { value: pending, tooltip: `${pending} pending revision${pending === 1 ? '' : 's'}` } : undefined;
  };
  const setGroupingContext = () => void vscode.commands.executeCommand('setContext', 'alembicWorkbench.groupByBranch', readGroupByBranch());

  const revealActiveEditor = () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!view.visible || document?.uri.scheme !== 'file') return;
    const node = provider.nodeForFile(document.uri.fsPath);
    const selected = view.selection[0];
    if (!node || (selected && selected.key === node.key)) return;
    // Reveal failures (the view is being rebuilt) are harmless: the next editor change tries again.
    view.reveal(node, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
  };

  workbench.track(
    findings,
    provider,
    view,
    workbench.projects.onDidChangeProjects(() => provider.refresh()),
    workbench.projects.onDidChangeProject(({ project }) => provider.refresh(project.id)),
    workbench.database.onDidChange((projectId) => provider.refresh(projectId)),
    workbench.database.onDidStartRefresh(({ done }) => {
      void vscode.window.withProgress({ location: { viewId: REVISIONS_VIEW_ID } }, () => done);
    }),
    findings.onDidChange((files) => {
      const projectIds = new Set(files.flatMap((file) => workbench.projects.projectForFile(file)?.id ?? []));
      for (const projectId of projectIds) provider.refresh(projectId);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsSettings(event, 'tree.groupByBranch')) return;
      setGroupingContext();
      provider.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
    provider.onDidChangeTreeData(() => describeView()),
    view.onDidChangeVisibility(({ visible }) => {
      workbench.database.setViewVisible(visible);
      if (visible) revealActiveEditor();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => revealActiveEditor()),
  );
  setGroupingContext();
  workbench.database.setViewVisible(view.visible);
  describeView();
  return { provider, view };
}

/** A line above the tree for what the tree itself can't show: Restricted Mode, an unreachable database. */
function viewMessage(workbench: Workbench): string | undefined {
  const projects = workbench.projects.projects;
  if (projects.length === 0) return undefined;
  if (!workbench.isTrusted) return 'Restricted Mode: revisions are read from files; applied and pending states are unknown until you trust this workspace.';
  const lines: string[] = [];
  for (const project of projects) {
    const status = workbench.database.statusFor(project.id);
    if (!status || status.reachable) continue;
    // The first clause says what failed; the fallback's own failure and the notes are in the status bar tooltip and the log.
    const firstClause = status.message.split('; ')[0];
    const reason = /^unreachable\b/i.test(firstClause) ? `Database ${firstClause}` : `Database unreachable: ${firstClause}`;
    lines.push(projects.length > 1 ? `${project.label}: ${reason}` : reason);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
