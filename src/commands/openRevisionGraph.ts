// Alembic: Open Revision Graph: the project's history as a picture (src/graph/revisionGraphPanel.ts),
// from the Revisions view's title bar, the status bar (several heads) or the palette.
import { revisionGraphsFor } from '../graph/revisionGraphPanel';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const openRevisionGraphCommand: CommandDefinition = {
  id: 'alembicWorkbench.openRevisionGraph',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    const graphs = revisionGraphsFor(workbench);
    if (!project || !graphs) return undefined;
    return graphs.open(project);
  },
};
