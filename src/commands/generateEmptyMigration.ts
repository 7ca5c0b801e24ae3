// Alembic: Generate Empty Migration: `alembic revision -m "..."` for a data migration or anything
// autogenerate can't see; opens the new file to be written.
import { generateRevision } from '../editorRunner/migrationCommands';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const generateEmptyMigrationCommand: CommandDefinition = {
  id: 'alembicWorkbench.generateEmptyMigration',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    return project ? generateRevision(workbench, project, { autogenerate: false }) : undefined;
  },
};
