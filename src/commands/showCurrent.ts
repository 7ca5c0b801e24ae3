// Alembic: Show Current Revision. The team guide's "view migration status": `alembic current`, said in
// one sentence with each revision's message and what is still pending.
import * as vscode from 'vscode';
import { parseCurrentOutput } from '../core/runner/alembicOutput';
import { runAlembicCommand } from '../editorRunner/commandExecution';
import { revisionLabel } from '../editorRunner/migrationCommands';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const showCurrentCommand: CommandDefinition = {
  id: 'alembicWorkbench.showCurrent',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    const result = await runAlembicCommand(workbench, { project, command: { kind: 'current' }, title: `Reading ${project.label}'s current revision` });
    if (!result?.ok) return result;
    const current = parseCurrentOutput(result.stdout).revisions;
    const graph = project.model.graph;
    const pending = workbench.database.statusFor(project.id)?.pending.length;
    const atHeads = current.length > 0 && current.every((entry) => graph.get(entry.revision)?.isHead) && current.length === graph.heads.length;
    let text: string;
    if (current.length === 0) {
      text = `${project.label}: the database has no revision applied (alembic_version is empty or missing).`;
    } else {
      const where = current.map((entry) => revisionLabel(project, entry.revision)).join(', ');
      text = `${project.label}: the database is at ${where}${atHeads ? ', the latest revision' : ''}.`;
    }
    if (!atHeads && pending) text += ` ${pending} revision${pending === 1 ? '' : 's'} pending.`;
    const buttons = atHeads ? ['Show History'] : ['Upgrade to Head', 'Show History'];
    void workbench.runners.prompts.message('info', text, {}, ...buttons).then((choice) => {
      if (choice === 'Upgrade to Head') void vscode.commands.executeCommand('alembicWorkbench.upgradeHead', { projectId: project.id });
      if (choice === 'Show History') void vscode.commands.executeCommand('alembicWorkbench.showHistory', { projectId: project.id });
    });
    return result;
  },
};
