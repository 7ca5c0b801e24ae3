// Read-only editors for what Alembic prints: `history --verbose` and offline SQL. A virtual document
// (scheme `alembic-workbench`) can't be saved over anything and needs no temp file; showing a new
// text for the same URI updates an editor that is already open.
import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'alembic-workbench';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Registers the provider for the scheme (once, at activation, so restored tabs resolve). */
  register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, this);
  }

  /**
   * `alembic-workbench:/<project label>/<name>`: the name's extension picks the language (`.sql`
   * -> SQL), the path shows in the tab and the breadcrumbs.
   */
  uriFor(projectLabel: string, name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${projectLabel}/${name}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? `Alembic Workbench has nothing to show for ${uri.path} any more: run the command again.`;
  }

  /** Sets the text and opens (or refreshes and focuses) its editor. */
  async show(uri: vscode.Uri, text: string, languageId?: string): Promise<vscode.TextEditor> {
    const key = uri.toString();
    const known = this.contents.has(key);
    this.contents.set(key, text);
    const open = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === key);
    if (known && open && open.getText() !== text) {
      // VS Code re-reads an open virtual document asynchronously after the event: wait for it, so
      // whoever looks at the editor next sees the new text.
      const updated = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          resolve();
        }, 5000);
        const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
          if (event.document.uri.toString() !== key || event.document.getText() !== text) return;
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        });
      });
      this.changed.fire(uri);
      await updated;
    } else if (known) {
      this.changed.fire(uri);
    }
    let document = await vscode.workspace.openTextDocument(uri);
    if (languageId && document.languageId !== languageId) document = await vscode.languages.setTextDocumentLanguage(document, languageId);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
