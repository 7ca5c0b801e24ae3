// Alembic: Show SQL of Revision: the offline SQL (`alembic upgrade <parent>:<revision> --sql`) of one
// revision, or of a picked range, in a read-only SQL editor. What `<parent>` means for a base or a
// merge revision is decided in core/runner/offlineSql.ts; the document's header says what was run.
import * as vscode from 'vscode';
import { extractRevisionSteps, OfflineSqlPlanError, planRangeSql, planRevisionSql, type OfflineSqlPlan } from '../core/runner/offlineSql';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { runAlembicCommand } from '../editorRunner/commandExecution';
import type { Workbench } from '../workbench';
import { isRevisionArgument, resolveProject, resolveRevision } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const showSqlCommand: CommandDefinition = {
  id: 'alembicWorkbench.showSql',
  create: (workbench) => async (argument?: unknown) => {
    const chosen = await choosePlan(workbench, argument);
    if (!chosen) return undefined;
    const { project, plan, name } = chosen;
    const result = await runAlembicCommand(workbench, { project, command: plan.command, title: `Offline SQL of ${name}` });
    if (!result?.ok) return result && { result };
    const sql = plan.onlyStepsOf ? extractRevisionSteps(result.stdout, plan.onlyStepsOf).text : result.stdout;
    const message = plan.onlyStepsOf ? project.model.graph.get(plan.to)?.file.message?.split('\n')[0] : undefined;
    const header = [
      `-- Offline SQL of ${name}${message ? `: ${message}` : ''} (${project.label})`,
      `-- Alembic ran: ${result.commandLine}`,
      ...plan.notes.map((note) => `-- ${note}`),
    ];
    const body = sql.trim() ? sql : '-- Alembic printed no SQL for this.\n';
    const documents = workbench.runners.documents;
    const fileName = plan.onlyStepsOf ? `${plan.to}.sql` : `${plan.from}_to_${plan.to}.sql`;
    const editor = await documents.show(documents.uriFor(project.label, fileName), `${header.join('\n')}\n\n${body}`, 'sql');
    return { result, uri: editor.document.uri, text: editor.document.getText() };
  },
};

interface ChosenPlan {
  project: WorkspaceProject;
  plan: OfflineSqlPlan;
  /** "revision a64b9c0e2f57", "e91f4c6b0a38 to b5e2a7d9c3f8" */
  name: string;
}

async function choosePlan(workbench: Workbench, argument: unknown): Promise<ChosenPlan | undefined> {
  const prompts = workbench.runners.prompts;
  const namesRevision =
    argument instanceof vscode.Uri || isRevisionArgument(argument) || isRevisionArgument((argument as { revisionReference?: unknown } | undefined)?.revisionReference);
  try {
    if (!namesRevision) {
      const project = await resolveProject(workbench, argument);
      if (!project) return undefined;
      const kind = await prompts.pickOne(
        [
          { label: 'One revision', detail: 'What applying just that revision runs (upgrade <parent>:<revision> --sql).', range: false },
          { label: 'A range of revisions', detail: 'Everything upgrading from one revision to a later one runs (upgrade <from>:<to> --sql).', range: true },
        ],
        { placeHolder: 'Show the offline SQL of…' },
      );
      if (!kind) return undefined;
      if (kind.range) return chooseRange(workbench, project);
      const resolved = await resolveRevision(workbench, { projectId: project.id }, 'SQL of which revision?');
      return resolved && { project: resolved.project, plan: planRevisionSql(resolved.project.model.graph, resolved.node.id), name: `revision ${resolved.node.id}` };
    }
    const resolved = await resolveRevision(workbench, argument, 'SQL of which revision?');
    return resolved && { project: resolved.project, plan: planRevisionSql(resolved.project.model.graph, resolved.node.id), name: `revision ${resolved.node.id}` };
  } catch (error) {
    if (!(error instanceof OfflineSqlPlanError)) throw error;
    void prompts.message('warning', error.message, {});
    return undefined;
  }
}

async function chooseRange(workbench: Workbench, project: WorkspaceProject): Promise<ChosenPlan | undefined> {
  const prompts = workbench.runners.prompts;
  const history = project.model.graph.history();
  const toItem = await prompts.pickOne(
    history.map((node) => ({ label: node.id, description: node.isHead ? 'head' : '', detail: node.file.message, revision: node.id })),
    { placeHolder: 'Up to (and including) which revision?', matchOnDetail: true },
  );
  if (!toItem) return undefined;
  const ancestors = project.model.graph.ancestorsOf([toItem.revision], { includeDependencies: true });
  const fromItem = await prompts.pickOne(
    [
      { label: 'base', description: 'an empty database', detail: 'Includes creating the version table.', revision: 'base' },
      ...history
        .filter((node) => node.id !== toItem.revision && ancestors.has(node.id))
        .map((node) => ({ label: node.id, description: 'already applied', detail: node.file.message, revision: node.id })),
    ],
    { placeHolder: `From which revision (already applied; not included) up to ${toItem.revision}?`, matchOnDetail: true },
  );
  if (!fromItem) return undefined;
  return { project, plan: planRangeSql(project.model.graph, fromItem.revision, toItem.revision), name: `${fromItem.revision} to ${toItem.revision}` };
}
