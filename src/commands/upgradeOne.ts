// Alembic: Upgrade +1: applies the next revision only (`alembic upgrade +1`).
import { upgradeTo } from '../editorRunner/migrationCommands';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const upgradeOneCommand: CommandDefinition = {
  id: 'alembicWorkbench.upgradeOne',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    return project ? upgradeTo(workbench, project, '+1', `Upgrading ${project.label} by one revision`) : undefined;
  },
};
