// Composition only: build the Workbench context, register each feature, start discovery.
import * as vscode from 'vscode';
import { registerCommands } from './commands/commandTable';
import { registerRunnerFeatures } from './runner/registerRunnerFeatures';
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
}

export function activate(context: vscode.ExtensionContext): AlembicWorkbenchApi {
  const workbench = new Workbench(context);
  context.subscriptions.push(workbench);

  registerRunnerFeatures(workbench);
  registerCommands(workbench);

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

  return {
    get featureLevel() {
      return workbench.isTrusted ? 'full' : 'limited';
    },
    workbench,
  };
}

export function deactivate(): void {}
