// Revisions view: group by branch (segments between branch points and merges). The setting
// `alembicWorkbench.tree.groupByBranch` keeps the choice; the view follows the setting.
import { writeGroupByBranch } from '../settings';
import type { CommandDefinition } from './commandTable';

export const groupByBranchCommand: CommandDefinition = {
  id: 'alembicWorkbench.groupByBranch',
  create: () => () => writeGroupByBranch(true),
};
