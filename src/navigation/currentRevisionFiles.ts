// Revision headers of open documents, parsed from their current text (not from disk) and cached per
// document version, so navigation ranges match what is on screen before the file is saved.
import * as vscode from 'vscode';
import { parseRevisionFile, type RevisionFile } from '../core/revisions/revisionFile';
import type { CurrentFile } from '../core/revisions/revisionNavigation';

export class CurrentRevisionFiles implements vscode.Disposable {
  private readonly parsed = new Map<string, { version: number; file: RevisionFile }>();
  private readonly closing: vscode.Disposable;

  constructor() {
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => this.parsed.delete(document.uri.toString()));
  }

  fileFor(document: vscode.TextDocument): RevisionFile {
    const key = document.uri.toString();
    const cached = this.parsed.get(key);
    if (cached && cached.version === document.version) return cached.file;
    const file = parseRevisionFile(document.getText(), document.uri.fsPath);
    this.parsed.set(key, { version: document.version, file });
    return file;
  }

  /** For the core's navigation: the open document's header, or undefined to use the disk copy. */
  readonly currentFile: CurrentFile = (filePath) => {
    const key = vscode.Uri.file(filePath).toString();
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === key);
    // Open text wins even when saved: the registry re-reads a saved file only when its watcher fires.
    return document ? this.fileFor(document) : undefined;
  };

  dispose(): void {
    this.closing.dispose();
    this.parsed.clear();
  }
}
