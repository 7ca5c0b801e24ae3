// Alembic: Upgrade to Head. The team guide's "apply all pending migrations":
// `docker compose exec backend alembic upgrade head`. No confirmation: it only applies what the
// project's files say, which is what every teammate runs.
import { upgradeTo } from '../editorRunner/migrationCommands';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const upgradeHeadCommand: CommandDefinition = {
  id: 'alembicWorkbench.upgradeHead',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    return project ? upgradeTo(workbench, project, 'head', `Upgrading ${project.label} to head`) : undefined;
  },
};
