// Alembic: Downgrade -1. The team guide's "rollback one migration": `alembic downgrade -1`, after a
// confirmation that shows the command line, the database and what it undoes.
import { downgradeTo } from '../editorRunner/migrationCommands';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const downgradeOneCommand: CommandDefinition = {
  id: 'alembicWorkbench.downgradeOne',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    return downgradeTo(workbench, project, '-1', {
      question: `Downgrade ${project.label} by one revision?`,
      confirmLabel: 'Downgrade',
      title: `Downgrading ${project.label} by one revision`,
    });
  },
};
