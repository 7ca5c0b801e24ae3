// Opens a revision's file: what a click on a tree item does (a preview, focus kept in the tree, as
// the Explorer does), and what the palette offers through a quick pick of the history.
import * as vscode from 'vscode';
import { resolveRevision } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export interface OpenRevisionOptions {
  preview?: boolean;
  preserveFocus?: boolean;
}

export const openRevisionCommand: CommandDefinition = {
  id: 'alembicWorkbench.openRevision',
  create: (workbench) => async (argument?: unknown, rawOptions?: unknown) => {
    const options = (typeof rawOptions === 'object' && rawOptions !== null ? rawOptions : {}) as OpenRevisionOptions;
    const resolved = await resolveRevision(workbench, argument, 'Open which revision?');
    if (!resolved) return undefined;
    const opened = await vscode.window.showTextDocument(vscode.Uri.file(resolved.node.file.filePath), {
      preview: options.preview === true,
      preserveFocus: options.preserveFocus === true,
    });
    return opened.document.uri;
  },
};
