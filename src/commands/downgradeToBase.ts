// Alembic: Downgrade to Base: `alembic downgrade base` undoes every migration, after confirmation
// (typing the database's name when it matches protectedEnvironments).
import { downgradeTo } from '../editorRunner/migrationCommands';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const downgradeToBaseCommand: CommandDefinition = {
  id: 'alembicWorkbench.downgradeToBase',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    return downgradeTo(workbench, project, 'base', {
      question: `Downgrade ${project.label} to base, undoing every migration?`,
      confirmLabel: 'Downgrade to Base',
      title: `Downgrading ${project.label} to base`,
    });
  },
};
