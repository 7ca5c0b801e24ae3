// Composition only: build the Workbench context, register each feature, start discovery.
import * as vscode from 'vscode';
import { registerCommands } from './commands/commandTable';
import { registerRevisionTree, type RevisionTree } from './views/revisionTreeProvider';
import { registerStatusBar, type AlembicStatusBar } from './views/statusBar';
import type { LintController } from './diagnostics/lintController';
import { registerDiagnostics } from './diagnostics/registerDiagnostics';
import { RevisionGraphPanels } from './graph/revisionGraphPanel';
import { registerNavigation } from './navigation/registerNavigation';
import { registerRunnerFeatures } from './editorRunner/registerRunnerFeatures';
import { Workbench } from './workbench';

/** What `activate` returns to other extensions and to the extension tests. */
export interface AlembicWorkbenchApi {
  /**
   * 'limited' while the workspace is untrusted (Restricted Mode): files are read, but no Alembic
   * command runs and no database is contacted. Becomes 'full' when trust is granted.
   */
  readonly featureLevel: 'full' | 'limited';
  /** The live context, for the extension tests (not a stable API for other extensions). */
  readonly workbench: Workbench;
  /** The Revisions view and the status bar item, for the extension tests. */
  readonly revisionTree: RevisionTree;
  readonly statusBar: AlembicStatusBar;
  /** How long `activate()` took (ms), for the speed figures. */
  readonly activationMs: number;
  /** The editor's lint, for the extension tests (same caveat). */
  readonly lintController: LintController;
  /** The open Revision Graphs, for the extension tests (same caveat). */
  readonly revisionGraphs: RevisionGraphPanels;
}

export function activate(context: vscode.ExtensionContext): AlembicWorkbenchApi {
  const started = performance.now();
  const workbench = new Workbench(context);
  context.subscriptions.push(workbench);

  registerRunnerFeatures(workbench);
  registerCommands(workbench);
  const revisionTree = registerRevisionTree(workbench);
  const statusBar = registerStatusBar(workbench);
  const lintController = registerDiagnostics(workbench);
  registerNavigation(workbench);
  const revisionGraphs = new RevisionGraphPanels(workbench);
  context.subscriptions.push(revisionGraphs);

  workbench.log.info(
    workbench.isTrusted
      ? 'Activated with all features.'
      : 'Activated in Restricted Mode with limited features: files are read, nothing is run and no database is contacted until the workspace is trusted.',
  );
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      workbench.log.info('Workspace trusted: all features enabled.');
      void workbench.database.refresh();
    }),
  );

  // Discovery reads files only; the database is read once projects are known (trusted only).
  void workbench.projects.ready().then(() => workbench.database.refresh());

  const activationMs = performance.now() - started;
  workbench.log.info(`activate() took ${activationMs.toFixed(1)} ms.`);
  return {
    get featureLevel() {
      return workbench.isTrusted ? 'full' : 'limited';
    },
    workbench,
    revisionTree,
    statusBar,
    activationMs,
    lintController,
    revisionGraphs,
  };
}

export function deactivate(): void {}
