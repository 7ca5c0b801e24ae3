import type { CommandDefinition } from './commandTable';

export const showOutputCommand: CommandDefinition = {
  id: 'alembicWorkbench.showOutput',
  create: (workbench) => () => workbench.log.show(false),
};
