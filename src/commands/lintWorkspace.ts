// Lints every revision file of every project into the Problems panel, closed files included (the
// editor otherwise lints only what is open). Afterwards closed files keep their findings and follow
// changes on disk.
import * as vscode from 'vscode';
import { lintControllerFor } from '../diagnostics/lintController';
import type { CommandDefinition } from './commandTable';

export const lintWorkspaceCommand: CommandDefinition = {
  id: 'alembicWorkbench.lintWorkspace',
  create: (workbench) => async () => {
    const controller = lintControllerFor(workbench);
    if (!controller) throw new Error('Lint is not running in this window.');
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Alembic: linting migrations', cancellable: true },
      (progress, token) => controller.lintWorkspace(progress, token),
    );
    const { error, warning, info } = summary.counts;
    const found = [error ? `${error} error${error === 1 ? '' : 's'}` : '', warning ? `${warning} warning${warning === 1 ? '' : 's'}` : '', info ? `${info} info` : '']
      .filter(Boolean)
      .join(', ');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showInformationMessage(`Alembic: linted ${summary.files} revision file${summary.files === 1 ? '' : 's'}: ${found || 'no findings'}.`);
    return summary;
  },
};
