// Alembic: Generate Migration (autogenerate). The team guide's step 2:
// `docker compose exec backend alembic revision --autogenerate -m "..."`, then open, lint, review.
import { generateRevision } from '../editorRunner/migrationCommands';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const generateMigrationCommand: CommandDefinition = {
  id: 'alembicWorkbench.generateMigration',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    return project ? generateRevision(workbench, project, { autogenerate: true }) : undefined;
  },
};
