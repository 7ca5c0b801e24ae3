// Revisions view: back to one history list, newest first (the opposite of groupByBranch).
import { writeGroupByBranch } from '../settings';
import type { CommandDefinition } from './commandTable';

export const showFlatHistoryCommand: CommandDefinition = {
  id: 'alembicWorkbench.showFlatHistory',
  create: () => () => writeGroupByBranch(false),
};
