// The Revision Graph inside the real extension host, on the example workspace: the command opens a
// webview whose script really runs under our Content-Security-Policy (it asks for the scene), the
// scene is the core's picture of the history, malformed messages are refused without effect, card
// actions run our commands, and a dangling down_revision is re-pointed and put back. In Restricted
// Mode every action that runs Alembic or edits a file is refused.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import { REVISION_GRAPH_VIEW_TYPE, type RevisionGraphPanel } from '../../../src/graph/revisionGraphPanel';
import type { WorkspaceProject } from '../../../src/editorProject/projectRegistry';
import { revisionSource } from '../../support/revisionSource';
import { scriptPromptsInSuite } from './scriptedPrompts';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();
const BRANCH_POINT = 'e91f4c6b0a38';
const DANGLING = 'deadbeef0000';
const ORPHAN = 'f00dcafe1234';
const MERGE = 'b5e2a7d9c3f8';
const NOTE = 'c0ffee0000aa';

suite('Revision Graph', function () {
  this.timeout(60_000);
  let exports: AlembicWorkbenchApi;
  let project: WorkspaceProject;
  let panel: RevisionGraphPanel;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    exports = extension.isActive ? extension.exports : await extension.activate();
    await exports.workbench.projects.ready();
    project = await waitFor('the example project', () => exports.workbench.projects.projects.find((candidate) => candidate.label === 'backend'));
  });
  const prompts = scriptPromptsInSuite(() => exports.workbench);

  suiteTeardown(() => panel?.dispose());

  test('opens on the example: the webview script runs under the CSP and gets the scene of the history', async () => {
    panel = (await vscode.commands.executeCommand('alembicWorkbench.openRevisionGraph', { projectId: project.id })) as RevisionGraphPanel;
    assert.ok(panel, 'the command returns the panel');
    // Only the real script, loaded through its nonce from dist/, can post `ready`.
    await waitFor('the webview to ask for the scene', () => panel.isReady, { timeoutMs: 30_000 });
    const scene = await waitFor('the scene', () => panel.scene);
    assert.deepEqual(
      scene.nodes.map((node) => node.id),
      project.model.graph.history().map((node) => node.id),
    );
    assert.ok(scene.nodes.some((node) => node.id === BRANCH_POINT && node.isBranchPoint));
    const html = panel.panel.webview.html;
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-[A-Za-z0-9+/=]{24}'/);
    assert.doesNotMatch(html, /https?:\/\/(?!.*vscode-cdn)/, 'nothing remote but the webview resource origin');
    const roots = panel.panel.webview.options.localResourceRoots ?? [];
    const extensionRoot = vscode.extensions.getExtension(EXTENSION_ID)?.extensionUri.fsPath ?? '';
    assert.equal(roots.length, 2);
    for (const root of roots) assert.ok(root.fsPath.startsWith(extensionRoot), `${root.fsPath} is inside the extension`);
    // Opening again reveals the same panel.
    assert.equal(await vscode.commands.executeCommand('alembicWorkbench.openRevisionGraph', { projectId: project.id }), panel);
  });

  test('refuses malformed messages and revisions that do not exist, without doing anything', async () => {
    const before = panel.refusedMessages.length;
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const bad: unknown[] = [
      null,
      { type: 'cardAction', action: 'runShell', revision: BRANCH_POINT },
      { type: 'cardAction', action: 'open', revision: BRANCH_POINT, command: 'workbench.action.terminal.new' },
      { type: 'cardAction', action: 'open', revision: 'no_such_revision' },
      { type: 'cardAction', action: 'open', revision: 'a\nb' },
    ];
    for (const message of bad) await panel.receive(message);
    assert.equal(panel.refusedMessages.length - before, bad.length, panel.refusedMessages.slice(before).join('\n'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), active, 'no file was opened');
  });

  test('Copy Id and Open File run our commands for the card', async () => {
    await panel.receive({ type: 'cardAction', action: 'copyId', revision: BRANCH_POINT });
    assert.equal(await vscode.env.clipboard.readText(), BRANCH_POINT);
    await panel.receive({ type: 'cardAction', action: 'open', revision: BRANCH_POINT });
    const file = project.model.graph.get(BRANCH_POINT)?.file.filePath;
    await waitFor('the revision file in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === file);
  });

  test('an edited message goes as one row: the webview keeps its selection and scroll position', async () => {
    const versions = path.join(project.config.here, 'alembic', 'versions');
    const file = path.join(versions, `2026_12_02_0000-${NOTE}_note.py`);
    const write = (message: string) => writeFileSync(file, revisionSource({ id: NOTE, down: MERGE, message }));
    const drawn = (version: number) => panel.shown?.version === version;
    // A hidden webview draws nothing (the last test opened a file over it): bring the tab to the front.
    panel.panel.reveal();
    write('first words');
    try {
      await waitFor('the new revision on the graph', () => panel.scene?.nodes.some((node) => node.id === NOTE && node.message === 'first words'), { timeoutMs: 30_000 });
      await waitFor('the webview to draw the scene', () => panel.lastSent && drawn(panel.lastSent.version), { timeoutMs: 30_000 });
      panel.post({ type: 'focus', revision: BRANCH_POINT });
      const before = await waitFor('the webview to select the branch point', () => (panel.shown?.selected === BRANCH_POINT ? panel.shown : undefined));

      write('second words');
      const sent = await waitFor('the update for the edited message', () => (panel.lastSent && panel.lastSent.version > before.version ? panel.lastSent : undefined), { timeoutMs: 30_000 });
      assert.deepEqual({ type: sent.type, rows: sent.rows }, { type: 'sceneRows', rows: 1 }, 'only the edited row goes');
      await waitFor('the webview to draw the update', () => drawn(sent.version), { timeoutMs: 30_000 });
      assert.equal(panel.shown?.selected, BRANCH_POINT, 'the selection stays');
      assert.equal(panel.shown?.scrollTop, before.scrollTop, 'the scroll position stays');
      assert.equal(panel.scene?.nodes.find((node) => node.id === NOTE)?.message, 'second words');
    } finally {
      rmSync(file, { force: true });
      await waitFor('the note to leave the graph', () => !exports.workbench.projects.get(project.id)?.model.graph.has(NOTE), { timeoutMs: 30_000 });
    }
    // A revision gone changes the layout: the whole scene goes, and the selection still stays.
    const whole = await waitFor('the scene without the note', () => (panel.lastSent?.type === 'scene' && !panel.scene?.nodes.some((node) => node.id === NOTE) ? panel.lastSent : undefined));
    await waitFor('the webview to draw it', () => drawn(whole.version), { timeoutMs: 30_000 });
    assert.equal(panel.shown?.selected, BRANCH_POINT);
  });

  test('shows a ghost for a dangling down_revision; re-points it to a picked revision and undoes it', async function () {
    const versions = path.join(project.config.here, 'alembic', 'versions');
    const file = path.join(versions, `2026_12_01_0000-${ORPHAN}_orphan.py`);
    writeFileSync(file, revisionSource({ id: ORPHAN, down: DANGLING, message: 'orphan revision' }));
    try {
      await waitFor('the ghost of the missing parent', () => panel.scene?.nodes.some((node) => node.kind === 'ghost' && node.id === DANGLING));
      if (environment.trust === 'untrusted') {
        const before = panel.refusedMessages.length;
        await panel.receive({ type: 'cardAction', action: 'repoint', revision: ORPHAN, missing: DANGLING });
        await panel.receive({ type: 'cardAction', action: 'upgrade', revision: BRANCH_POINT });
        await panel.receive({ type: 'mergeHeads' });
        assert.deepEqual(
          panel.refusedMessages.slice(before).map((reason) => /Restricted Mode/.test(reason)),
          [true, true, true],
        );
        assert.match(readFileSync(file, 'utf8'), new RegExp(`down_revision = '${DANGLING}'`), 'the file is untouched');
        return;
      }
      prompts.answer('pickOne', new RegExp(`${ORPHAN} names ${DANGLING}`), BRANCH_POINT);
      await panel.receive({ type: 'cardAction', action: 'repoint', revision: ORPHAN, missing: DANGLING });
      const offered = prompts.recorded.find((prompt) => prompt.kind === 'pickOne')?.choices ?? [];
      assert.ok(!offered.includes(ORPHAN), 'the revision itself (it would make a cycle) is not offered');
      assert.match(readFileSync(file, 'utf8'), new RegExp(`down_revision = '${BRANCH_POINT}'`));
      assert.match(readFileSync(file, 'utf8'), new RegExp(`Revises: ${BRANCH_POINT}`));
      await waitFor('the ghost to go', () => panel.scene && !panel.scene.nodes.some((node) => node.kind === 'ghost'));
      await prompts.waitForMessage(new RegExp(`${ORPHAN} now names ${BRANCH_POINT} instead of ${DANGLING}`));

      assert.equal(await panel.undoLastRepoint(), true);
      assert.match(readFileSync(file, 'utf8'), new RegExp(`down_revision = '${DANGLING}'`));
      await waitFor('the ghost to come back', () => panel.scene?.nodes.some((node) => node.kind === 'ghost' && node.id === DANGLING));
    } finally {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.fsPath === file) await vscode.window.showTextDocument(document).then(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));
      }
      rmSync(file, { force: true });
      await waitFor('the orphan to leave the graph', () => !project.model.graph.has(ORPHAN) && !exports.workbench.projects.get(project.id)?.model.graph.has(ORPHAN));
    }
  });

  test('Restricted Mode makes the graph read-only; a trusted workspace runs the same commands', async function () {
    if (environment.trust === 'trusted') {
      // Show SQL runs the real Alembic offline (locally here: the example is set up for Compose):
      // the same command as the tree, the same read-only SQL document.
      const settings = vscode.workspace.getConfiguration('alembicWorkbench');
      await settings.update('runner.mode', 'local', vscode.ConfigurationTarget.Workspace);
      await settings.update('runner.local.command', [process.env.AW_REAL_ALEMBIC ?? '/usr/bin/alembic'], vscode.ConfigurationTarget.Workspace);
      try {
        await panel.receive({ type: 'cardAction', action: 'showSql', revision: BRANCH_POINT });
        const sql = await waitFor('the offline SQL document', () => (vscode.window.activeTextEditor?.document.languageId === 'sql' ? vscode.window.activeTextEditor.document.getText() : undefined), {
          timeoutMs: 30_000,
        });
        assert.match(sql, new RegExp(`^-- Offline SQL of revision ${BRANCH_POINT}`, 'm'));
        assert.match(sql, /ALTER TABLE meetings DROP COLUMN description;/);
      } finally {
        for (const key of ['runner.mode', 'runner.local.command']) await settings.update(key, undefined, vscode.ConfigurationTarget.Workspace);
      }
      return;
    }
    const before = panel.refusedMessages.length;
    for (const action of ['upgrade', 'downgrade', 'showSql']) await panel.receive({ type: 'cardAction', action, revision: BRANCH_POINT });
    assert.equal(panel.refusedMessages.length - before, 3);
  });
  test('a graph tab restored after a window reload finds its project again from the webview state', async () => {
    // What VS Code hands the serializer after a reload: a bare tab of our type and the state the webview saved.
    // (Only a real reload gives the new webview its saved zoom and selection back; that part is VS Code's.)
    const saved = { projectId: project.id, zoom: 1, scrollTop: 0 };
    panel.dispose();
    const bare = vscode.window.createWebviewPanel(REVISION_GRAPH_VIEW_TYPE, 'Revision Graph', vscode.ViewColumn.Active, {});
    const restored = await exports.revisionGraphs.restore(bare, saved);
    assert.ok(restored, 'the tab is taken over');
    panel = restored;
    assert.equal(exports.revisionGraphs.panelFor(project.id), restored);
    await waitFor('the restored webview to draw the scene', () => restored.lastSent && restored.shown?.version === restored.lastSent.version, { timeoutMs: 30_000 });
    assert.deepEqual(
      restored.scene?.nodes.map((node) => node.id),
      project.model.graph.history().map((node) => node.id),
    );
    assert.equal(restored.panel.title, `Revision Graph: ${project.label}`);

    // A tab of a project that is gone closes.
    const stale = vscode.window.createWebviewPanel(REVISION_GRAPH_VIEW_TYPE, 'Revision Graph', vscode.ViewColumn.Active, {});
    const closed = new Promise<void>((resolve) => stale.onDidDispose(() => resolve()));
    assert.equal(await exports.revisionGraphs.restore(stale, { projectId: 'no-such-project', zoom: 1, scrollTop: 0 }), undefined);
    await closed;
  });
});
