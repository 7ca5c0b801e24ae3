// Helpers for the suites that work on the example project's revision files inside the real
// extension host: the live extension API, its files, documents opened and linted, and edits that
// are always undone so one test never leaks into the next.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { createLintContext, type Dialect, type LintContext } from '../../../src/core/lint/lintContext';
import { inferProjectDialects, projectDialectsRequest } from '../../../src/core/lint/projectDialects';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import type { WorkspaceProject } from '../../../src/editorProject/projectRegistry';
import { revisionSource } from '../../support/revisionSource';
import { EXTENSION_ID } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

export async function extensionApi(): Promise<AlembicWorkbenchApi> {
  const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  // ready() re-reads every project when no discovery is running: only wait for the first one.
  if (api.workbench.projects.projectState === 'loading') await api.workbench.projects.ready();
  await waitFor('the example project to be discovered', () => api.workbench.projects.projects.length > 0, { timeoutMs: 15_000 });
  return api;
}

export async function exampleProject(): Promise<WorkspaceProject> {
  const api = await extensionApi();
  const project = api.workbench.projects.projects.find((candidate) => candidate.config.configFile?.endsWith(path.join('backend', 'alembic.ini')));
  assert.ok(project, `no backend/alembic.ini project among ${api.workbench.projects.projects.map((candidate) => candidate.id).join(', ')}`);
  return project;
}

/**
 * The example project's lint context as the core reads it (its URL, and env.py's evidence such as
 * the lock_timeout it sets): the oracle the editor's diagnostics are compared with.
 */
export async function exampleLintContext(dialect?: Dialect): Promise<LintContext> {
  const project = await exampleProject();
  const inferredDialects = inferProjectDialects(projectDialectsRequest(project.config, project.workspaceFolder.uri.fsPath));
  return createLintContext({ dialect, sqlalchemyUrl: project.config.sqlalchemyUrl, inferredDialects });
}

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return folder.uri.fsPath;
}

export function versionsFolder(): string {
  return path.join(workspaceFolder(), 'backend', 'alembic', 'versions');
}

/** The revision file whose name holds this id. */
export function revisionFile(id: string): string {
  const name = readdirSync(versionsFolder()).find((file) => file.includes(id) && file.endsWith('.py'));
  assert.ok(name, `no revision file for ${id}`);
  return path.join(versionsFolder(), name);
}

/** Our diagnostics on a file (both collections), in position order. */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'alembic-workbench')
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/** Opens a file in an editor and waits until the lint of its current version is published. */
export async function openLinted(filePath: string): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
  const api = await extensionApi();
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(filePath));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  await waitForLint(document, api);
  return { document, editor };
}

export async function waitForLint(document: vscode.TextDocument, api?: AlembicWorkbenchApi): Promise<void> {
  const live = api ?? (await extensionApi());
  await waitFor(`lint of ${path.basename(document.uri.fsPath)} v${document.version}`, () => live.lintController.publishedVersion(document.uri) === document.version, {
    timeoutMs: 15_000,
  });
}

/** Replaces a document's whole text (as one edit, like a paste). */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was refused');
}

/** Runs `work` on a revision file and puts its text back (saved) afterwards, whatever happens. */
export async function withRestoredFile<T>(filePath: string, work: (document: vscode.TextDocument) => Promise<T>): Promise<T> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(filePath));
  const original = document.getText();
  try {
    return await work(document);
  } finally {
    if (document.getText() !== original) await setText(document, original);
    if (document.isDirty) await document.save();
  }
}

/** Creates a file for the duration of `work` (removed afterwards, its editor closed). */
export async function withTemporaryFile<T>(filePath: string, text: string, work: (uri: vscode.Uri) => Promise<T>): Promise<T> {
  const uri = vscode.Uri.file(filePath);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  try {
    return await work(uri);
  } finally {
    // Every open document of the file, shown or not: a dirty one left behind would be written back
    // by the next command's save-before-run, and real Alembic would see the revision again.
    for (const document of vscode.workspace.textDocuments.filter((candidate) => candidate.uri.toString() === uri.toString())) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await waitFor(`${path.basename(filePath)} to have no unsaved changes`, () => !vscode.workspace.textDocuments.some((candidate) => candidate.uri.toString() === uri.toString() && candidate.isDirty));
    if (existsSync(filePath)) rmSync(filePath);
    // The next test must not see this revision: wait for the file watcher to drop it from its project.
    const api = await extensionApi();
    await waitFor(`${path.basename(filePath)} to leave its project`, () =>
      api.workbench.projects.projects.every((project) => !project.model.files.some((file) => file.filePath === filePath)),
    );
  }
}

export async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('alembicWorkbench').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** A minimal revision file (Alembic's template) with the given bodies; its parent is the example's head. */
export function revisionText(id: string, message: string, upgrade: string, downgrade: string | undefined, downRevision = 'b5e2a7d9c3f8'): string {
  return revisionSource({ id, message, down: downRevision, createDate: '2026-11-26 10:00:00.000000', upgrade, downgrade: downgrade ?? null });
}
