// Re-reads every project from disk and the database state (when trusted). File watching keeps
// things current anyway; this is for changes watchers can't see (network drives, another
// process's database work).
import * as vscode from 'vscode';
import type { CommandDefinition } from './commandTable';

export const refreshCommand: CommandDefinition = {
  id: 'alembicWorkbench.refresh',
  create: (workbench) => async () => {
    await vscode.window.withProgress({ location: { viewId: 'alembicWorkbench.revisions' } }, async () => {
      await workbench.projects.reloadAll();
      await workbench.database.refresh();
    });
  },
};
