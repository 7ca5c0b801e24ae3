// The contributed Python snippets in the real VS Code: each inserted by its contributed name with
// `editor.action.insertSnippet` into a new revision of the example project (the health check into an
// app module) expands to the text its defaults give, the revision parses as Alembic reads it, and
// the live lint publishes nothing for it. The SQLite batch snippet is the exception this PostgreSQL
// project makes: the lint publishes exactly what the core engine says of it on PostgreSQL (its type
// change is a table rewrite there, AW101).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { parseRevisionFile } from '../../../src/core/revisions/revisionFile';
import { expandSnippetDefaults } from '../../support/snippetExpansion';
import { codeOf, exampleLintContext, extensionApi, openLinted, ourDiagnostics, revisionText, versionsFolder, waitForLint, withTemporaryFile, workspaceFolder } from './revisionWorkspace';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();

interface Snippet {
  body: string[];
}

const SQLITE_SNIPPET = 'Alembic: batch_alter_table for SQLite';

/** What the live lint must publish for a snippet's revision in this PostgreSQL project. */
async function expectedCodes(name: string, text: string): Promise<string[]> {
  if (name !== SQLITE_SNIPPET) return [];
  const codes = lintMigration(text, { filePath: 'snippet.py', context: await exampleLintContext('postgresql') }).findings.map((finding) => finding.code);
  assert.ok(codes.includes('AW101'), `the engine no longer sees the rewrite: ${codes.join(', ')}`);
  return codes.sort();
}

function contributedSnippets(): Record<string, Snippet> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, 'the extension is installed');
  const contributed = (extension.packageJSON as { contributes: { snippets: Array<{ language: string; path: string }> } }).contributes.snippets;
  assert.equal(contributed[0]?.language, 'python');
  return JSON.parse(readFileSync(path.join(extension.extensionPath, contributed[0].path), 'utf8')) as Record<string, Snippet>;
}

/** The text up to `def upgrade`: the header Alembic writes, which each revision snippet completes. */
function revisionHeader(id: string): string {
  const text = revisionText(id, 'snippet', 'pass', undefined);
  return text.slice(0, text.indexOf('def upgrade'));
}

async function insertAtEnd(editor: vscode.TextEditor, name: string): Promise<void> {
  const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  const version = editor.document.version;
  await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'python', name });
  assert.ok(editor.document.version > version, `inserting "${name}" changed nothing`);
  // Leave snippet mode so the next keystroke-free steps see the final text.
  await vscode.commands.executeCommand('leaveSnippet');
}

suite(`Snippets (${environment.trust} workspace)`, () => {
  const snippets = contributedSnippets();
  let counter = 0;

  for (const [name, snippet] of Object.entries(snippets)) {
    const expanded = expandSnippetDefaults(snippet.body.join('\n'));
    if (name.includes('health check')) {
      test(`${name}: expands in an app module`, async () => {
        const file = path.join(workspaceFolder(), 'backend', 'app', 'migration_health.py');
        await withTemporaryFile(file, '', async (uri) => {
          const document = await vscode.workspace.openTextDocument(uri);
          const editor = await vscode.window.showTextDocument(document, { preview: false });
          await insertAtEnd(editor, name);
          assert.equal(document.getText(), expanded);
          await document.save();
        });
      });
      continue;
    }
    test(`${name}: expands into a revision that parses and lints as the engine says`, async () => {
      const api = await extensionApi();
      // The previous test's revision (same parent) must have left the project first, or the history
      // has two heads and the new file gets AW605: wait for the file watcher's update, not for time.
      const heads = () => api.workbench.projects.projects.find((project) => project.config.configFile?.endsWith(path.join('backend', 'alembic.ini')))?.model.graph.heads ?? [];
      await waitFor('the example project to have one head again', () => heads().length === 1, { timeoutMs: 15_000 });
      counter += 1;
      const id = `5a1e${String(counter).padStart(8, '0')}`;
      const header = revisionHeader(id);
      const file = path.join(versionsFolder(), `2026_11_26_1000-${id}_snippet.py`);
      await withTemporaryFile(file, header, async (uri) => {
        const { document, editor } = await openLinted(uri.fsPath);
        await insertAtEnd(editor, name);
        assert.equal(document.getText(), `${header}${expanded}`);
        const parsed = parseRevisionFile(document.getText(), uri.fsPath);
        assert.equal(parsed.revision, id);
        assert.deepEqual(parsed.headerIssues, []);
        await waitForLint(document);
        const codes = ourDiagnostics(uri).map(codeOf).sort();
        // In Restricted Mode the lint still runs (files are only read).
        assert.deepEqual(codes, await expectedCodes(name, document.getText()), ourDiagnostics(uri).map((diagnostic) => diagnostic.message).join('\n'));
        await document.save();
      });
    });
  }
});
