// The Revision Graph: one webview editor per project. The picture is computed in the core
// (graphScene.ts) and drawn by dist/graph-view.js; this file is the VS Code side: the panel and its
// security (strict CSP with a nonce, no remote content, resources only from the extension), the
// decorations (database state of the selected target, the editor's lint counts), and the card
// actions, which run our existing commands (with their confirmations) after checking the message.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { buildGraphScene, type GraphScene } from '../core/revisions/graphScene';
import { repointEdits } from '../core/revisions/revisionNavigation';
import { lintControllerFor } from '../diagnostics/lintController';
import { toWorkspaceEdit } from '../diagnostics/findingConversion';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { shortRevisionIds } from '../views/revisionTreeModel';
import type { Workbench } from '../workbench';
import {
  changedSceneRows,
  encodeScene,
  InvalidWebviewMessageError,
  parseWebviewMessage,
  WRITING_ACTIONS,
  type CardAction,
  type GraphDecorationsMessage,
  type GraphShownMessage,
  type GraphViewState,
  type HostMessage,
  type LintCounts,
  type WebviewMessage,
  type WireScene,
} from './graphProtocol';

export const REVISION_GRAPH_VIEW_TYPE = 'alembicWorkbench.revisionGraph';

const ACTION_COMMANDS: Record<Exclude<CardAction, 'repoint' | 'showFindings'>, string> = {
  open: 'alembicWorkbench.openRevision',
  upgrade: 'alembicWorkbench.upgradeToRevision',
  downgrade: 'alembicWorkbench.downgradeToRevision',
  showSql: 'alembicWorkbench.showSql',
  copyId: 'alembicWorkbench.copyRevisionId',
};

/** Diagnostics arrive file by file after a lint of the workspace: send one update for a burst. */
const DECORATION_COALESCE_MS = 100;

const panelsByWorkbench = new WeakMap<Workbench, RevisionGraphPanels>();

/** The graphs open for a workbench (the command and the tests reach them through here). */
export function revisionGraphsFor(workbench: Workbench): RevisionGraphPanels | undefined {
  return panelsByWorkbench.get(workbench);
}

export class RevisionGraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, RevisionGraphPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly workbench: Workbench) {
    panelsByWorkbench.set(workbench, this);
    this.disposables.push(
      workbench.projects.onDidChangeProjects(() => {
        for (const [projectId, panel] of this.panels) {
          const project = workbench.projects.get(projectId);
          if (project) panel.projectChanged(project);
          else panel.dispose();
        }
      }),
      workbench.projects.onDidChangeProject(({ project }) => {
        this.panels.get(project.id)?.projectChanged(project);
      }),
      workbench.database.onDidChange((projectId) => this.panels.get(projectId)?.queueDecorations()),
      vscode.languages.onDidChangeDiagnostics(() => {
        for (const panel of this.panels.values()) panel.queueDecorations();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.followEditor(editor)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const panel of this.panels.values()) panel.sendScene({ whole: true });
      }),
      // After a window reload VS Code hands back the graph tabs that were open, with the webview's state.
      vscode.window.registerWebviewPanelSerializer(REVISION_GRAPH_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => this.restore(panel, state).then(() => undefined) }),
    );
  }

  /** The open graph of a project, if any. */
  panelFor(projectId: string): RevisionGraphPanel | undefined {
    return this.panels.get(projectId);
  }

  /** Opens (or reveals) the graph of a project. */
  open(project: WorkspaceProject): RevisionGraphPanel {
    const existing = this.panels.get(project.id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new RevisionGraphPanel(this.workbench, project, () => this.panels.delete(project.id));
    this.panels.set(project.id, panel);
    return panel;
  }

  /**
   * Takes over a graph tab VS Code restored after a reload: `state` is what the webview saved
   * (graphProtocol's GraphViewState); a tab whose project is gone, or already shown, is closed.
   */
  async restore(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<RevisionGraphPanel | undefined> {
    await this.workbench.projects.ready();
    const projectId = restoredProjectId(state);
    const project = projectId === undefined ? undefined : this.workbench.projects.get(projectId);
    if (!project || this.panels.has(project.id)) {
      webviewPanel.dispose();
      return undefined;
    }
    const panel = new RevisionGraphPanel(this.workbench, project, () => this.panels.delete(project.id), webviewPanel);
    this.panels.set(project.id, panel);
    return panel;
  }

  private followEditor(editor: vscode.TextEditor | undefined): void {
    const uri = editor?.document.uri;
    if (uri?.scheme !== 'file') return;
    const project = this.workbench.projects.projectForFile(uri.fsPath);
    const panel = project && this.panels.get(project.id);
    const revision = project?.model.fileAt(uri.fsPath)?.revision;
    if (panel && revision) panel.post({ type: 'focus', revision });
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export class RevisionGraphPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  /** The scene last sent (for the tests and the export). */
  scene: GraphScene | undefined;
  /** What the panel sent last: the whole scene, or only the rows whose texts changed (for the tests). */
  lastSent: { type: 'scene' | 'sceneRows'; version: number; rows: number } | undefined;
  /** What the webview reported drawing last: the version, the selection and the scroll position. */
  shown: GraphShownMessage | undefined;
  /** The scene as last sent to the webview, which the next change is compared with. */
  private wire: WireScene | undefined;
  private version = 0;
  /** Messages the webview sent that were refused, newest last (for the tests). */
  readonly refusedMessages: string[] = [];
  private project: WorkspaceProject;
  private ready = false;
  private decorationTimer: NodeJS.Timeout | undefined;
  private lastRepoint: { uri: vscode.Uri; before: string; after: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly received = new vscode.EventEmitter<WebviewMessage>();
  /** Fires after each valid message from the webview was handled (for the tests). */
  readonly onDidHandleMessage = this.received.event;
  private readonly readied = new vscode.EventEmitter<void>();
  /** Fires when the webview script has started and asked for the scene. */
  readonly onDidBecomeReady = this.readied.event;

  constructor(
    private readonly workbench: Workbench,
    project: WorkspaceProject,
    private readonly onDispose: () => void,
    /** A tab VS Code restored after a reload, else a new one is opened. */
    restored?: vscode.WebviewPanel,
  ) {
    this.project = project;
    const extensionUri = workbench.extensionContext.extensionUri;
    const options: vscode.WebviewOptions = {
      enableScripts: true,
      enableCommandUris: false,
      // Only our own script and style sheet; nothing from the workspace, nothing remote.
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media', 'graph')],
    };
    const title = `Revision Graph: ${project.label}`;
    this.panel = restored ?? vscode.window.createWebviewPanel(REVISION_GRAPH_VIEW_TYPE, title, vscode.ViewColumn.Active, options);
    if (restored) {
      restored.webview.options = options;
      restored.title = title;
    }
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'alembic.svg');
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.received,
      this.readied,
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  get projectId(): string {
    return this.project.id;
  }

  private html(): string {
    const webview = this.panel.webview;
    const extensionUri = this.workbench.extensionContext.extensionUri;
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'graph-view.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'graph', 'revisionGraph.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource}`, `font-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Revision Graph: ${escapeHtml(this.project.label)}</title>
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  post(message: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  projectChanged(project: WorkspaceProject): void {
    this.project = project;
    this.sendScene();
  }

  /**
   * Sends the picture of the history. When only texts changed since the last one (an edited message
   * or label), only those rows go, so the webview keeps its rows, scroll position and selection.
   */
  sendScene(options: { whole?: boolean } = {}): void {
    if (!this.ready) return;
    this.scene = buildGraphScene(this.project.model.graph);
    const wire = encodeScene(this.scene, shortRevisionIds(this.scene.nodes.map((node) => node.id)));
    const changedRows = options.whole || !this.wire ? undefined : changedSceneRows(this.wire, wire);
    this.wire = wire;
    if (!changedRows) this.postCounted({ type: 'scene', version: ++this.version, projectId: this.project.id, projectLabel: this.project.label, scene: wire, readOnly: !this.workbench.isTrusted }, wire.ids.length);
    else if (changedRows.length > 0) this.postCounted({ type: 'sceneRows', version: ++this.version, rows: changedRows }, changedRows.length);
    this.sendDecorations();
  }

  private postCounted(message: Extract<HostMessage, { type: 'scene' | 'sceneRows' }>, rows: number): void {
    this.lastSent = { type: message.type, version: message.version, rows };
    this.post(message);
  }

  queueDecorations(): void {
    if (!this.ready || this.decorationTimer) return;
    this.decorationTimer = setTimeout(() => {
      this.decorationTimer = undefined;
      this.sendDecorations();
    }, DECORATION_COALESCE_MS);
  }

  /** The database state and lint counts the cards show now. */
  decorations(): GraphDecorationsMessage {
    const status = this.workbench.database.statusFor(this.project.id);
    const lint: Record<string, LintCounts> = {};
    const controller = lintControllerFor(this.workbench);
    const model = this.project.model;
    const collect = (uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]) => {
      if (uri.scheme !== 'file' || diagnostics.length === 0) return;
      const revision = model.fileAt(uri.fsPath)?.revision;
      if (!revision) return;
      const counts = (lint[revision] ??= { error: 0, warning: 0 });
      for (const diagnostic of diagnostics) {
        if (diagnostic.severity === vscode.DiagnosticSeverity.Error) counts.error++;
        else if (diagnostic.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
      }
    };
    // The editor's findings as published (open files, and every file after Lint Workspace).
    controller?.lintDiagnostics.forEach(collect);
    return {
      type: 'decorations',
      database: status && { targetName: status.targetName, message: status.message, states: status.states },
      lint,
    };
  }

  private sendDecorations(): void {
    this.post(this.decorations());
  }

  /** Every message from the webview goes through here: checked, then handled (public for the extension tests). */
  async receive(raw: unknown): Promise<void> {
    let message: WebviewMessage;
    try {
      message = parseWebviewMessage(raw);
    } catch (error) {
      if (!(error instanceof InvalidWebviewMessageError)) throw error;
      this.refuse(error.message);
      return;
    }
    try {
      await this.handle(message);
    } finally {
      this.received.fire(message);
    }
  }

  private refuse(reason: string): void {
    this.refusedMessages.push(reason);
    this.workbench.log.warn(reason);
  }

  /** Runs what a (valid) message asks, as the same command the tree would run. */
  async handle(message: WebviewMessage): Promise<unknown> {
    if (message.type === 'ready') {
      this.ready = true;
      this.sendScene({ whole: true });
      this.readied.fire();
      return undefined;
    }
    if (message.type === 'shown') {
      this.shown = message;
      return undefined;
    }
    const trusted = this.workbench.isTrusted;
    if (message.type === 'mergeHeads') {
      if (!trusted) return this.refuse('Ignored a message from the Revision Graph: merging heads is not available in Restricted Mode');
      return vscode.commands.executeCommand('alembicWorkbench.mergeHeads', { projectId: this.project.id });
    }
    const { action, revision } = message;
    if (!trusted && WRITING_ACTIONS.has(action)) return this.refuse(`Ignored a message from the Revision Graph: ${action} is not available in Restricted Mode`);
    const node = this.project.model.graph.get(revision);
    if (!node) return this.refuse(`Ignored a message from the Revision Graph: ${this.project.label} has no revision ${JSON.stringify(revision.slice(0, 60))}`);
    const reference = { projectId: this.project.id, revision };
    switch (action) {
      case 'showFindings':
        await vscode.commands.executeCommand(ACTION_COMMANDS.open, reference);
        return vscode.commands.executeCommand('workbench.actions.view.problems');
      case 'repoint':
        return this.repoint(revision, message.missing as string);
      case 'open':
        return vscode.commands.executeCommand(ACTION_COMMANDS.open, reference, { preview: false });
      default:
        return vscode.commands.executeCommand(ACTION_COMMANDS[action], reference);
    }
  }

  /**
   * Makes `revision`'s file name a picked revision instead of the missing one: one undoable
   * WorkspaceEdit (saved so the graph updates; the notification's Undo reverts and saves again).
   */
  private async repoint(revision: string, missing: string): Promise<boolean> {
    const graph = this.project.model.graph;
    const node = graph.get(revision);
    if (!node || (!node.missingParents.includes(missing) && !node.missingDependencies.includes(missing))) {
      this.refuse(`Ignored a message from the Revision Graph: ${revision} does not name a missing revision ${JSON.stringify(missing.slice(0, 60))}`);
      return false;
    }
    const prompts = this.workbench.runners.prompts;
    // Anything above the revision would make a cycle.
    const above = graph.descendantsOf([revision], { includeDependencies: true });
    const candidates = graph
      .history()
      .filter((candidate) => !above.has(candidate.id))
      .map((candidate) => ({
        label: candidate.id,
        description: [candidate.isHead ? 'head' : '', ...candidate.branchLabels].filter(Boolean).join(' · '),
        detail: candidate.file.message,
        revision: candidate.id,
      }));
    const picked = await prompts.pickOne(candidates, { placeHolder: `${revision} names ${missing}, which does not exist. Point it at which revision?`, matchOnDetail: true });
    if (!picked) return false;
    const uri = vscode.Uri.file(node.file.filePath);
    const document = await vscode.workspace.openTextDocument(uri);
    const current = this.project.model.fileAt(uri.fsPath) ?? node.file;
    const edits = repointEdits(current, missing, picked.revision);
    if (edits.length === 0) return false;
    const before = document.getText();
    const applied = await vscode.workspace.applyEdit(toWorkspaceEdit(uri, edits));
    if (!applied) return false;
    await document.save();
    this.lastRepoint = { uri, before, after: document.getText() };
    void prompts.message('info', `${node.id} now names ${picked.revision} instead of ${missing}.`, {}, 'Undo').then((choice) => {
      if (choice === 'Undo') void this.undoLastRepoint();
    });
    return true;
  }

  /** Puts back the file text before the last re-point, if the file was not changed since. */
  async undoLastRepoint(): Promise<boolean> {
    const last = this.lastRepoint;
    if (!last) return false;
    this.lastRepoint = undefined;
    const document = await vscode.workspace.openTextDocument(last.uri);
    if (document.getText() !== last.after) {
      void this.workbench.runners.prompts.message('warning', `${vscode.workspace.asRelativePath(last.uri)} changed since; not undoing the re-point.`, {});
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(last.uri, new vscode.Range(document.positionAt(0), document.positionAt(last.after.length)), last.before);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    return document.save();
  }

  dispose(): void {
    clearTimeout(this.decorationTimer);
    this.onDispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.panel.dispose();
  }
}

function restoredProjectId(state: unknown): string | undefined {
  const projectId = typeof state === 'object' && state !== null ? (state as Partial<GraphViewState>).projectId : undefined;
  return typeof projectId === 'string' ? projectId : undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
