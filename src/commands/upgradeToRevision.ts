// Alembic: Upgrade to Here: `alembic upgrade <revision>` for the revision of a tree item, a CodeLens,
// a revision file, or one picked from the history. An already applied revision is said so instead
// of running (Alembic would refuse: it is not a valid upgrade target from the current heads).
import * as vscode from 'vscode';
import { freshDatabaseStatus, upgradeTo } from '../editorRunner/migrationCommands';
import { resolveRevision } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const upgradeToRevisionCommand: CommandDefinition = {
  id: 'alembicWorkbench.upgradeToRevision',
  create: (workbench) => async (argument?: unknown) => {
    const resolved = await resolveRevision(workbench, argument, 'Upgrade the database to which revision?');
    if (!resolved) return undefined;
    const { project, node } = resolved;
    const state = (await freshDatabaseStatus(workbench, project))?.states[node.id];
    if (state === 'applied' || state === 'current') {
      const text = `${project.label}: ${node.id} is already applied${state === 'current' ? ' (the database is at it)' : ''}; nothing to upgrade.`;
      void workbench.runners.prompts.message('info', text, {}, ...(state === 'applied' ? ['Downgrade to Here'] : [])).then((choice) => {
        if (choice) void vscode.commands.executeCommand('alembicWorkbench.downgradeToRevision', { projectId: project.id, revision: node.id });
      });
      return undefined;
    }
    return upgradeTo(workbench, project, node.id, `Upgrading ${project.label} to ${node.id}`);
  },
};
