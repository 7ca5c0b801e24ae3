// Alembic: Downgrade to Here: `alembic downgrade <revision>` (the revision stays applied, everything
// above it is undone), after confirmation.
import { downgradeTo, freshDatabaseStatus } from '../editorRunner/migrationCommands';
import { resolveRevision } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const downgradeToRevisionCommand: CommandDefinition = {
  id: 'alembicWorkbench.downgradeToRevision',
  create: (workbench) => async (argument?: unknown) => {
    const resolved = await resolveRevision(workbench, argument, 'Downgrade the database to which revision (it stays applied)?');
    if (!resolved) return undefined;
    const { project, node } = resolved;
    const state = (await freshDatabaseStatus(workbench, project))?.states[node.id];
    if (state === 'pending') {
      void workbench.runners.prompts.message('info', `${project.label}: ${node.id} is not applied, so there is nothing above it to undo.`, {});
      return undefined;
    }
    return downgradeTo(workbench, project, node.id, {
      question: `Downgrade ${project.label} to ${node.id}?`,
      confirmLabel: 'Downgrade',
      title: `Downgrading ${project.label} to ${node.id}`,
    });
  },
};
