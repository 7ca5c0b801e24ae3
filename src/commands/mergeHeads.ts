// Alembic: Merge Heads. The team guide's "merge conflicts in migration files":
// `alembic merge <rev1> <rev2> -m "..."` for all heads or the picked ones; then opens the merge file.
import { refuseUnlessTrusted, runAlembicCommand } from '../editorRunner/commandExecution';
import { presentCreatedRevision } from '../editorRunner/createdRevision';
import { validateRevisionMessage } from '../editorRunner/revisionMessageInput';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const mergeHeadsCommand: CommandDefinition = {
  id: 'alembicWorkbench.mergeHeads',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    if (!refuseUnlessTrusted(workbench, 'alembic merge')) return undefined;
    const prompts = workbench.runners.prompts;
    const graph = project.model.graph;
    const heads = graph.heads;
    if (heads.length < 2) {
      void prompts.message('info', `${project.label} has ${heads.length === 1 ? `one head (${heads[0]})` : 'no revisions'}: nothing to merge.`, {});
      return undefined;
    }
    const items = heads.map((id) => {
      const node = graph.get(id);
      return { label: id, description: node?.branchLabels.join(', '), detail: node?.file.message, picked: true, revision: id };
    });
    const picked = await prompts.pickMany(items, { placeHolder: `Merge which heads of ${project.label}? (at least two)`, matchOnDetail: true });
    if (!picked) return undefined;
    if (picked.length < 2) {
      void prompts.message('info', 'Pick at least two heads to merge.', {});
      return undefined;
    }
    const revisions = picked.map((item) => item.revision);
    const message = await prompts.inputBox({
      title: `Merge ${revisions.join(', ')}`,
      prompt: 'Message of the merge revision',
      value: `merge ${revisions.join(' and ')}`,
      validateInput: validateRevisionMessage,
    });
    if (message === undefined) return undefined;
    const result = await runAlembicCommand(workbench, { project, command: { kind: 'merge', revisions, message }, title: `Merging ${revisions.join(', ')}` });
    if (!result?.ok) return result && { result };
    return { result, created: await presentCreatedRevision(workbench, project, result, 'merge') };
  },
};
