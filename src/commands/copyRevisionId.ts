// Copies a revision's full id (what `alembic upgrade <id>` and `down_revision = '<id>'` want).
import * as vscode from 'vscode';
import { resolveRevision } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const copyRevisionIdCommand: CommandDefinition = {
  id: 'alembicWorkbench.copyRevisionId',
  create: (workbench) => async (argument?: unknown) => {
    const resolved = await resolveRevision(workbench, argument, 'Copy the id of which revision?');
    if (!resolved) return undefined;
    await vscode.env.clipboard.writeText(resolved.node.id);
    vscode.window.setStatusBarMessage(`$(copy) Copied revision id ${resolved.node.id}`, 3000);
    return resolved.node.id;
  },
};
