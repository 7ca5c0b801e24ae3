// Alembic: Show History (verbose). The team guide's `alembic history --verbose`, in a read-only
// editor instead of a terminal scroll-back.
import { runAlembicCommand } from '../editorRunner/commandExecution';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const showHistoryCommand: CommandDefinition = {
  id: 'alembicWorkbench.showHistory',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    const result = await runAlembicCommand(workbench, { project, command: { kind: 'history', verbose: true }, title: `Reading ${project.label}'s history` });
    if (!result?.ok) return result;
    const documents = workbench.runners.documents;
    const uri = documents.uriFor(project.label, 'history.txt');
    const text = result.stdout.trim() ? result.stdout : 'Alembic printed no history: this project has no revisions yet.\n';
    const editor = await documents.show(uri, text);
    return { result, uri: editor.document.uri };
  },
};
