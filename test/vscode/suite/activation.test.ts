// Runs inside the real extension host (code-server = VS Code 1.100): the extension is installed
// from the place the harness says, activates by itself on a workspace holding alembic.ini, and
// reports limited features exactly when the workspace is untrusted.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();

function ourExtension(): vscode.Extension<AlembicWorkbenchApi> {
  const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

suite(`Activation (${environment.trust} workspace, ${environment.install} install)`, () => {
  test('the extension is loaded from the expected place', () => {
    const extensionPath = realpathSync(ourExtension().extensionPath);
    if (environment.install === 'development') {
      assert.ok(environment.extensionRoot, 'a development run must say which folder it loads');
      assert.equal(extensionPath, realpathSync(environment.extensionRoot));
    } else {
      // The packaged artifact is what runs: installed into this run's extensions folder, not the repo.
      assert.ok(environment.extensionsDir, 'a VSIX run must say where extensions are installed');
      const installedUnder = path.relative(realpathSync(environment.extensionsDir), extensionPath);
      assert.ok(!installedUnder.startsWith('..') && installedUnder !== '', `loaded from ${extensionPath}, not from the VSIX install folder ${environment.extensionsDir}`);
      // The allowlist in .vscodeignore shipped the bundle and nothing of the sources or dev tooling.
      const shipped = readdirSync(extensionPath);
      assert.ok(existsSync(path.join(extensionPath, 'dist', 'extension.js')), 'the VSIX has no dist/extension.js');
      for (const unwanted of ['src', 'test', 'node_modules', 'tsconfig.json', '.cache']) assert.ok(!shipped.includes(unwanted), `the VSIX ships ${unwanted}`);
    }
  });

  test('the workbench opened the workspace copy with an alembic.ini', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    if (environment.workspace) assert.equal(realpathSync(folders[0].uri.fsPath), realpathSync(environment.workspace));
    const found = await vscode.workspace.findFiles('**/alembic.ini', '**/node_modules/**', 5);
    assert.ok(found.length > 0, 'the fixture workspace has no alembic.ini');
  });

  test('activates by itself from workspaceContains:**/alembic.ini', async () => {
    // Nothing in this suite has touched the extension yet: only the activation event can have activated it.
    const extension = ourExtension();
    assert.ok(extension.packageJSON.activationEvents.includes('workspaceContains:**/alembic.ini'));
    await waitFor('the extension to activate', () => extension.isActive, { timeoutMs: 15_000 });
    assert.ok(extension.exports, 'activate() returned no API');
  });

  test(`reports ${environment.trust === 'trusted' ? 'full' : 'limited'} features to match Workspace Trust`, () => {
    assert.equal(vscode.workspace.isTrusted, environment.trust === 'trusted');
    assert.equal(ourExtension().exports.featureLevel, environment.trust === 'trusted' ? 'full' : 'limited');
  });

  test('declares limited support for untrusted workspaces', () => {
    const untrusted = ourExtension().packageJSON.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok(Array.isArray(untrusted.restrictedConfigurations));
    assert.ok(typeof untrusted.description === 'string' && untrusted.description.length > 0);
  });

  test('contributes the Alembic view container and its Revisions view', async () => {
    const commands = await vscode.commands.getCommands(true);
    // VS Code derives these commands from the contributions: they exist only if the container and view were registered.
    assert.ok(commands.includes('workbench.view.extension.alembicWorkbench'), 'no Alembic activity-bar container');
    assert.ok(commands.includes('alembicWorkbench.revisions.focus'), 'no Revisions view');
    await vscode.commands.executeCommand('alembicWorkbench.revisions.focus');
  });

  test('alembicWorkbench.showOutput is registered and runs in both trust modes', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('alembicWorkbench.showOutput'));
    await vscode.commands.executeCommand('alembicWorkbench.showOutput');
  });
});
