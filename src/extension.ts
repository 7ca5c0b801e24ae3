// Composition only: build the context, register features. (The features arrive with the extension issue.)
import * as vscode from 'vscode';

/** What `activate` returns to other extensions and to the extension tests. */
export interface AlembicWorkbenchApi {
  /**
   * 'limited' while the workspace is untrusted (Restricted Mode): files are read, but no Alembic
   * command runs and no database is contacted. Becomes 'full' when trust is granted.
   */
  readonly featureLevel: 'full' | 'limited';
}

export function activate(context: vscode.ExtensionContext): AlembicWorkbenchApi {
  const log = vscode.window.createOutputChannel('Alembic Workbench', { log: true });
  context.subscriptions.push(log);

  let featureLevel: AlembicWorkbenchApi['featureLevel'] = vscode.workspace.isTrusted ? 'full' : 'limited';
  log.info(
    featureLevel === 'full'
      ? 'Activated with all features.'
      : 'Activated in Restricted Mode with limited features: files are read, nothing is run and no database is contacted until the workspace is trusted.',
  );
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      featureLevel = 'full';
      log.info('Workspace trusted: all features enabled.');
    }),
    vscode.commands.registerCommand('alembicWorkbench.showOutput', () => log.show(true)),
  );

  return {
    get featureLevel() {
      return featureLevel;
    },
  };
}

export function deactivate(): void {}
