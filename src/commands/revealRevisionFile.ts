// Shows a revision's file in the Explorer (the files are named by date or id, hard to find by eye).
import * as vscode from 'vscode';
import { resolveRevision } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const revealRevisionFileCommand: CommandDefinition = {
  id: 'alembicWorkbench.revealRevisionFile',
  create: (workbench) => async (argument?: unknown) => {
    const resolved = await resolveRevision(workbench, argument, 'Reveal the file of which revision?');
    if (!resolved) return undefined;
    const uri = vscode.Uri.file(resolved.node.file.filePath);
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return uri;
  },
};
