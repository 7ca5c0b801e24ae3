// The Revisions view and the status bar inside the real extension host, on the example workspace:
// the items equal the core's graph; files created and deleted on disk come and go through the file
// watcher; several projects sit side by side; after a real `alembic upgrade` against a scratch
// PostgreSQL database the icons and the status bar show applied / current / pending; a file added
// later is restated without a database round trip; an unreachable database and a missing password
// say so. In Restricted Mode: every state unknown, no process, no socket.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { generateHistory } from '../../../bench/support/historyGenerator';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import type { RevisionNode } from '../../../src/core/revisions/revisionGraph';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import type { WorkspaceProject } from '../../../src/editorProject/projectRegistry';
import { revisionGraphView } from '../../../src/core/db/databaseState';
import { restateDatabaseStatus } from '../../../src/core/db/databaseStatusService';
import type { RevisionTreeNode, RevisionTreeNodeData } from '../../../src/views/revisionTreeModel';
import { RevisionTreeProvider } from '../../../src/views/revisionTreeProvider';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { revisionSource } from '../../support/revisionSource';
import type { Workbench } from '../../../src/workbench';
import { harnessLog } from './consoleBridge';
import { childProcessesOfThisProcess, networkSocketsOfThisProcess } from './extensionHostActivity';
import { scriptPromptsInSuite } from './scriptedPrompts';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();
const REAL_ALEMBIC = process.env.AW_REAL_ALEMBIC ?? '/usr/bin/alembic';
const MERGE = 'b5e2a7d9c3f8';
const BRANCH_POINT = 'e91f4c6b0a38';

async function api(): Promise<AlembicWorkbenchApi> {
  const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const exports = extension.isActive ? extension.exports : await extension.activate();
  await exports.workbench.projects.ready();
  return exports;
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return folder.uri.fsPath;
}

async function exampleProject(): Promise<WorkspaceProject> {
  const { workbench } = await api();
  return waitFor('the example project in the registry', () => workbench.projects.projects.find((project) => project.label === 'backend'));
}

/** The example project as the core reads it from disk right now, independent of the extension's registry. */
function coreGraph(project: WorkspaceProject) {
  return AlembicProjectModel.load(loadProjectConfig(project.config.configFile ?? project.config.here)).graph;
}

async function revisionRows(): Promise<Array<{ node: RevisionTreeNodeData; item: vscode.TreeItem }>> {
  const { revisionTree } = await api();
  const rows: Array<{ node: RevisionTreeNodeData; item: vscode.TreeItem }> = [];
  const visit = (nodes: RevisionTreeNode[]) => {
    for (const node of nodes) {
      if (node.kind === 'revision') rows.push({ node, item: revisionTree.provider.getTreeItem(node) });
      else visit(revisionTree.provider.getChildren(node));
    }
  };
  visit(revisionTree.provider.getChildren());
  return rows;
}

function expectedFlags(node: RevisionNode): string {
  const flags = [node.isHead && 'head', node.isBranchPoint && 'branchpoint', node.isMergePoint && 'mergepoint', node.isBase && 'base', node.branchLabels.length > 0 && 'labelled'];
  return flags.filter(Boolean).join(',');
}

function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

/** A revision file in Alembic 1.8.1's generic template, as `alembic revision` writes it. */
function revisionText(id: string, down: string, message: string): string {
  return revisionSource({
    id,
    down,
    message,
    createDate: '2026-11-26 09:30:00.000000',
    upgrade: "op.add_column('meetings', sa.Column('room', sa.String(length=50), nullable=True))",
    downgrade: "op.drop_column('meetings', 'room')",
  });
}

async function setWorkspaceSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('alembicWorkbench').update(key, value, vscode.ConfigurationTarget.Workspace);
}

suite(`Revision tree (${environment.trust} workspace)`, () => {
  suiteSetup(async () => {
    await api();
    await vscode.commands.executeCommand('alembicWorkbench.revisions.focus');
  });

  test('the items equal the core graph of the example workspace: ids, order, markers, contextValue, click', async () => {
    const project = await exampleProject();
    const graph = coreGraph(project);
    const history = graph.history();
    const rows = await revisionRows();
    // One head: Alembic's own history order, untouched.
    assert.deepEqual(rows.map((row) => row.node.revision), history.map((node) => node.id));
    assert.equal(rows[0].node.revision, MERGE);
    for (const [index, node] of history.entries()) {
      const { item } = rows[index];
      assert.equal(item.id, rows[index].node.key);
      assert.ok(String(item.label).startsWith(`${node.id.slice(0, 7)} ${node.file.message}`), `label ${String(item.label)} of ${node.id}`);
      assert.match(item.contextValue ?? '', new RegExp(`^revision:(applied|current|pending|unknown|problem):${expectedFlags(node)}(,(applied|current|pending|unknown))?$`), node.id);
      if (node.branchLabels.length > 0) assert.match(String(item.description), new RegExp(`\\(${node.branchLabels[0]}\\)`));
      assert.equal(item.command?.command, 'alembicWorkbench.openRevision');
      assert.deepEqual(item.command?.arguments?.[0], { projectId: project.id, revision: node.id });
    }
    assert.match(rows[0].item.contextValue ?? '', /:head,mergepoint,labelled/);
    assert.match(rows.find((row) => row.node.revision === BRANCH_POINT)?.item.contextValue ?? '', /:branchpoint$/);
    if (environment.trust === 'untrusted') assert.ok(rows.every((row) => row.node.state === 'unknown' && iconId(row.item) === 'circle-large-outline'));

    // A click opens the file.
    const branchPoint = rows.find((row) => row.node.revision === BRANCH_POINT)!;
    await vscode.commands.executeCommand(branchPoint.item.command!.command, ...(branchPoint.item.command!.arguments ?? []));
    // A preview that keeps the focus where it was (in the tree), as the Explorer's single click does.
    await waitFor('the revision file in an editor', () => vscode.window.visibleTextEditors.some((editor) => editor.document.uri.fsPath === graph.get(BRANCH_POINT)?.file.filePath));
    // The tooltip is built on demand.
    const { revisionTree } = await api();
    const resolved = revisionTree.provider.resolveTreeItem(branchPoint.item, branchPoint.node);
    assert.ok(resolved.tooltip instanceof vscode.MarkdownString);
    assert.match(resolved.tooltip.value, /\*\*e91f4c6b0a38\*\* · branch point/);
    assert.match(resolved.tooltip.value, /Revises: `5d2e8f1a7c03`/);
  });

  test('a revision file created on disk appears at the top as the new head; deleting it removes it', async () => {
    const project = await exampleProject();
    const versions = project.config.versionLocations[0];
    const file = path.join(versions, '2026_11_26_0930-ab12cd34ef56_add_meeting_room.py');
    writeFileSync(file, revisionText('ab12cd34ef56', MERGE, 'add meeting room'));
    try {
      const rows = await waitFor('the new revision in the tree', async () => {
        const current = await revisionRows();
        return current[0]?.node.revision === 'ab12cd34ef56' && current;
      });
      assert.equal(rows.length, 13);
      assert.match(rows[0].item.contextValue ?? '', /^revision:\w+:head/);
      assert.equal(rows[0].item.label, 'ab12cd3 add meeting room');
      assert.doesNotMatch(rows[1].item.contextValue ?? '', /head/, 'the merge is no longer a head');
      assert.equal(coreGraph(project).heads.join(), 'ab12cd34ef56');
    } finally {
      rmSync(file, { force: true });
    }
    const rows = await waitFor('the deleted revision to leave the tree', async () => {
      const current = await revisionRows();
      return current.every((row) => row.node.revision !== 'ab12cd34ef56') && current;
    });
    assert.equal(rows.length, 12);
    assert.match(rows[0].item.contextValue ?? '', /:head,/);
  });

  test('several projects in one folder are shown side by side, one node each', async () => {
    const { revisionTree, workbench } = await api();
    const generated = generateHistory(3, 'linear');
    const second = path.join(workspaceRoot(), 'reporting-service');
    try {
      cpSync(generated.root, second, { recursive: true });
      const roots = await waitFor('two project nodes', () => {
        const current = revisionTree.provider.getChildren();
        return current.length === 2 && current.every((node) => node.kind === 'project') && current;
      });
      const labels = roots.map((node) => (node.kind === 'project' ? node.label : ''));
      assert.deepEqual([...labels].sort(), ['backend', 'reporting-service']);
      const reporting = roots.find((node) => node.kind === 'project' && node.label === 'reporting-service')!;
      const children = revisionTree.provider.getChildren(reporting);
      const newestFirst = [...generated.files].reverse().map((file) => path.basename(file).slice(0, 12));
      assert.equal(newestFirst[0], generated.heads[0]);
      assert.deepEqual(children.map((node) => node.kind === 'revision' && node.revision), newestFirst);
      assert.equal(revisionTree.provider.getParent(children[0])?.key, reporting.key);
      const item = revisionTree.provider.getTreeItem(reporting);
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
      assert.match(String(item.description), /^3 revisions/);
    } finally {
      rmSync(second, { recursive: true, force: true });
      generated.cleanup();
    }
    await waitFor('one project again', () => workbench.projects.projects.length === 1 && revisionTree.provider.getChildren().every((node) => node.kind === 'revision'));
  });

  test('Group by Branch and Show Flat History switch the view and keep the choice in the setting', async () => {
    const { revisionTree } = await api();
    try {
      await vscode.commands.executeCommand('alembicWorkbench.groupByBranch');
      assert.equal(vscode.workspace.getConfiguration('alembicWorkbench').get('tree.groupByBranch'), true);
      const groups = await waitFor('branch groups', () => {
        const roots = revisionTree.provider.getChildren();
        return roots.length > 0 && roots.every((node) => node.kind === 'branch') && roots;
      });
      assert.deepEqual(
        groups.map((group) => group.kind === 'branch' && group.label),
        ['head b5e2a7d', 'tags', '6a0e5b3..d7c1f8e', '4b1d3f0..e91f4c6'],
      );
      const tags = groups[1];
      const tagItem = revisionTree.provider.getTreeItem(tags);
      assert.equal(tagItem.contextValue, 'branch:merge');
      assert.deepEqual(revisionTree.provider.getChildren(tags).map((node) => node.kind === 'revision' && node.revision), ['9f3b6a2d4e15', '2c8d7e9f1b60']);
      // Reveal works through the groups (getParent).
      const branchPoint = (await revisionRows()).find((row) => row.node.revision === BRANCH_POINT)!;
      assert.equal(revisionTree.provider.getParent(branchPoint.node)?.key, groups[3].key);
      // The selection event is the state itself: a tree refresh arriving after it (the grouping
      // setting, lint counts) empties `view.selection` until VS Code asks for the rows again.
      let selectedByReveal = false;
      const listener = revisionTree.view.onDidChangeSelection(({ selection }) => {
        if (selection[0]?.key === branchPoint.node.key) selectedByReveal = true;
      });
      try {
        const selected = () => selectedByReveal || revisionTree.view.selection[0]?.key === branchPoint.node.key;
        // VS Code drops a reveal without a word when a refresh (lint counts, database state) replaced
        // the rows between the request and its handling, as a user's click would be lost: ask again.
        await waitFor(
          'the branch point selected',
          async () => {
            if (selected()) return true;
            await revisionTree.view.reveal(branchPoint.node, { select: true, focus: false });
            return selected();
          },
          { intervalMs: 1000, timeoutMs: 20_000 },
        );
      } finally {
        listener.dispose();
      }
    } finally {
      await vscode.commands.executeCommand('alembicWorkbench.showFlatHistory');
    }
    assert.equal(vscode.workspace.getConfiguration('alembicWorkbench').get('tree.groupByBranch'), false);
    await waitFor('the flat history again', () => revisionTree.provider.getChildren().every((node) => node.kind === 'revision'));
  });

  test('Copy Revision ID copies the full id of the item', async () => {
    const rows = await revisionRows();
    const copied = await vscode.commands.executeCommand('alembicWorkbench.copyRevisionId', rows[5].node);
    assert.equal(copied, rows[5].node.revision);
    assert.equal(await vscode.env.clipboard.readText(), rows[5].node.revision);
  });

  if (environment.trust === 'trusted') {
    suite('database state (real Alembic, scratch PostgreSQL)', () => {
      let database: ScratchDatabase;
      let workbench: Workbench;

      suiteSetup(async () => {
        workbench = (await api()).workbench;
        database = await createScratchDatabase('tree');
        await setWorkspaceSetting('database.url', database.sqlalchemyUrl);
      });
      // Answers the target pick like a user (after the setup above: it needs the workbench).
      const prompts = scriptPromptsInSuite(() => workbench);

      suiteTeardown(async () => {
        await setWorkspaceSetting('database.url', undefined);
        await (await api()).workbench.database.refresh();
        await database?.drop();
      });

      async function upgradeTo(target: string): Promise<void> {
        const project = await exampleProject();
        const run = spawnSync(REAL_ALEMBIC, ['upgrade', target], { cwd: project.config.here, env: { ...process.env, DATABASE_URL: database.sqlalchemyUrl }, encoding: 'utf8' });
        assert.equal(run.status, 0, `alembic upgrade ${target} failed:\n${run.stdout}\n${run.stderr}`);
        await vscode.commands.executeCommand('alembicWorkbench.refresh');
      }

      test('after `alembic upgrade e91f4c6b0a38`: ancestors applied, the branch point current, the rest pending; the status bar agrees', async () => {
        const { workbench, statusBar, revisionTree } = await api();
        const project = await exampleProject();
        await upgradeTo(BRANCH_POINT);
        const status = await waitFor('the scratch database state', () => {
          const current = workbench.database.statusFor(project.id);
          return current?.reachable && current.current.join() === BRANCH_POINT && current;
        });
        const graph = coreGraph(project);
        const applied = graph.ancestorsOf([BRANCH_POINT]);
        const rows = await revisionRows();
        assert.equal(rows.length, 12);
        for (const { node, item } of rows) {
          const expected = node.revision === BRANCH_POINT ? 'current' : applied.has(node.revision) ? 'applied' : 'pending';
          assert.equal(node.state, expected, node.revision);
          assert.ok(item.contextValue?.startsWith(`revision:${expected}:`), `${node.revision}: ${item.contextValue}`);
          assert.equal(iconId(item), { applied: 'pass', current: 'debug-stackframe', pending: 'circle-outline' }[expected], node.revision);
        }
        assert.equal(status.pending.length, 5);
        assert.equal(statusBar.item.text, '$(database) Alembic: e91f4c6 (5 pending)');
        assert.equal(statusBar.item.command && typeof statusBar.item.command === 'object' ? statusBar.item.command.command : statusBar.item.command, 'alembicWorkbench.revisions.focus');
        assert.deepEqual(revisionTree.view.badge, { value: 5, tooltip: '5 pending revisions' });
        assert.equal(revisionTree.view.message, undefined);
        // The version table really says so (what Alembic wrote, read independently).
        assert.deepEqual((await database.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).map((row) => row.version_num), [BRANCH_POINT]);
      });

      test('after `alembic upgrade head`: up to date; a revision file added later is pending at once, without reading the database again', async () => {
        const { workbench, statusBar } = await api();
        const project = await exampleProject();
        await upgradeTo('head');
        const status = await waitFor('the database at head', () => {
          const current = workbench.database.statusFor(project.id);
          return current?.reachable && current.current.join() === MERGE && current;
        });
        assert.equal(statusBar.item.text, '$(database) Alembic: up to date');
        const rows = await revisionRows();
        assert.equal(rows[0].node.state, 'current');
        assert.ok(rows.slice(1).every((row) => row.node.state === 'applied'));

        const file = path.join(project.config.versionLocations[0], '2026_11_26_0930-cd34ef56ab12_add_meeting_room.py');
        writeFileSync(file, revisionText('cd34ef56ab12', MERGE, 'add meeting room'));
        try {
          const restated = await waitFor('the new revision pending', () => {
            const current = workbench.database.statusFor(project.id);
            return current?.pending.join() === 'cd34ef56ab12' && current;
          });
          assert.equal(restated.readAt, status.readAt, 'the database was read again');
          const newRows = await revisionRows();
          assert.equal(newRows[0].node.revision, 'cd34ef56ab12');
          assert.equal(newRows[0].node.state, 'pending');
          assert.equal(newRows[1].node.state, 'current');
          assert.equal(statusBar.item.text, '$(database) Alembic: b5e2a7d (1 pending)');
        } finally {
          rmSync(file, { force: true });
        }
        await waitFor('up to date again', () => workbench.database.statusFor(project.id)?.pending.length === 0);
      });

      test('a second head: one status bar item says "2 heads, 1 pending" and opens the Revision Graph', async function () {
        // A real upgrade, the file watcher and a webview: more than the suite's default on a loaded machine.
        this.timeout(90_000);
        const { workbench, statusBar, revisionGraphs } = await api();
        const project = await exampleProject();
        await upgradeTo('head');
        await waitFor('the database at head', () => workbench.database.statusFor(project.id)?.current.join() === MERGE);
        // A new revision on the branch point: a second head, pending in the database at the merge.
        const file = path.join(project.config.versionLocations[0], '2026_11_26_0940-ef56ab12cd34_add_room_notes.py');
        writeFileSync(file, revisionText('ef56ab12cd34', BRANCH_POINT, 'add room notes'));
        try {
          await waitFor('the status bar to show both heads and the pending revision', () => statusBar.item.text === '$(git-merge) Alembic: 2 heads, 1 pending');
          const command = statusBar.item.command as vscode.Command;
          assert.equal(command.command, 'alembicWorkbench.openRevisionGraph');
          assert.deepEqual(command.arguments, [{ projectId: project.id }]);
          assert.match(typeof statusBar.item.tooltip === 'object' ? statusBar.item.tooltip.value : '', /Revision Graph and merge them/);
          // The one click: the graph of this project opens and its webview asks for the scene.
          await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
          const panel = await waitFor('the graph panel of the project', () => revisionGraphs.panelFor(project.id));
          await waitFor('the graph webview ready', () => panel.isReady, { timeoutMs: 30_000 });
          assert.deepEqual([...(panel.scene?.nodes.filter((node) => node.isHead).map((node) => node.id) ?? [])].sort(), ['b5e2a7d9c3f8', 'ef56ab12cd34']);
          panel.dispose();
        } finally {
          rmSync(file, { force: true });
        }
        await waitFor('one head again', () => statusBar.item.text === '$(database) Alembic: up to date');
      });

      test('an unreachable database: the view and the status bar say so, within a bounded time', async () => {
        const { workbench, statusBar, revisionTree } = await api();
        const project = await exampleProject();
        try {
          // No refresh here: a changed database setting is enough for the store to read again.
          const started = Date.now();
          await setWorkspaceSetting('database.url', 'postgresql+psycopg2://aw_test:aw_test@127.0.0.1:1/nothing_here');
          const status = await waitFor('the unreachable state', () => {
            const current = workbench.database.statusFor(project.id);
            return current && !current.reachable && current;
          });
          assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
          assert.equal(status.error?.kind, 'refused');
          assert.equal(statusBar.item.text, '$(warning) Alembic: database unreachable');
          assert.match(revisionTree.view.message ?? '', /^Database unreachable: connection refused/);
          assert.doesNotMatch(revisionTree.view.message ?? '', /aw_test:aw_test/);
          assert.ok((await revisionRows()).every((row) => row.node.state === 'unknown'));
          assert.equal(revisionTree.view.badge, undefined);
        } finally {
          await setWorkspaceSetting('database.url', database.sqlalchemyUrl);
          // The next test starts from a readable database, not from this test's state.
          await waitFor('the database readable again', () => workbench.database.statusFor(project.id)?.reachable, { timeoutMs: 30_000 });
        }
      });

      test('Select Database Target: a named target picked in the quick pick is read', async () => {
        const { workbench, statusBar } = await api();
        const project = await exampleProject();
        // The pick's wording follows the last read; start from a readable database.
        await waitFor('the database readable', () => workbench.database.statusFor(project.id)?.reachable, { timeoutMs: 30_000 });
        try {
          await setWorkspaceSetting('database.targets', [{ name: 'scratch-copy', url: database.sqlalchemyUrl }]);
          prompts.answer('pickOne', /Read applied and pending revisions from which database\?/, 'scratch-copy');
          const picked = await vscode.commands.executeCommand('alembicWorkbench.selectDatabaseTarget', { projectId: project.id });
          assert.equal(picked, 'scratch-copy');
          assert.deepEqual(prompts.recorded[0].choices.slice(0, 2), ['$(check) project (default)', '$(database) scratch-copy'], 'the project\'s own target first, selected');
          const status = await waitFor('the named target read', () => {
            const current = workbench.database.statusFor(project.id);
            return current?.targetName === 'scratch-copy' && current.reachable && current;
          });
          assert.equal(status.current.join(), MERGE);
          assert.match(typeof statusBar.item.tooltip === 'object' ? statusBar.item.tooltip.value : '', /scratch-copy/);
          assert.doesNotMatch(typeof statusBar.item.tooltip === 'object' ? statusBar.item.tooltip.value : '', new RegExp(`:${database.connection.password}@`));
        } finally {
          await workbench.database.selectTarget(project, 'project');
          await setWorkspaceSetting('database.targets', undefined);
        }
      });

      test('the refresh timer reads the database while the view is visible, and stops when it is hidden', async function () {
        this.timeout(30_000);
        const { workbench, revisionTree } = await api();
        const project = await exampleProject();
        try {
          await vscode.commands.executeCommand('alembicWorkbench.revisions.focus');
          await waitFor('the view visible', () => revisionTree.view.visible);
          await setWorkspaceSetting('database.refreshInterval', 2);
          const first = workbench.database.statusFor(project.id)?.readAt ?? 0;
          await waitFor('a timed read', () => (workbench.database.statusFor(project.id)?.readAt ?? 0) > first + 1000, { timeoutMs: 8000 });
          const second = workbench.database.statusFor(project.id)!.readAt;
          await waitFor('another timed read', () => (workbench.database.statusFor(project.id)?.readAt ?? 0) > second, { timeoutMs: 8000 });

          await vscode.commands.executeCommand('workbench.view.explorer');
          await waitFor('the view hidden', () => !revisionTree.view.visible);
          // A read that started while the view was visible may still be running: let it end first.
          await waitFor('no read running', () => !workbench.database.isRefreshing(project.id));
          const hiddenAt = workbench.database.statusFor(project.id)!.readAt;
          // Two refresh intervals and more: a timer still running would have read twice.
          await new Promise((resolve) => setTimeout(resolve, 4500));
          assert.equal(workbench.database.statusFor(project.id)!.readAt, hiddenAt, 'the database was read while the view was hidden');
        } finally {
          await setWorkspaceSetting('database.refreshInterval', undefined);
          await vscode.commands.executeCommand('alembicWorkbench.revisions.focus');
        }
      });

      test('a URL without a password asks for one; the password kept in SecretStorage connects', async () => {
        const { workbench, statusBar } = await api();
        const project = await exampleProject();
        const connection = database.connection;
        try {
          await setWorkspaceSetting('database.url', `postgresql+psycopg2://${connection.user}@${connection.host}:${connection.port}/${connection.database}`);
          await vscode.commands.executeCommand('alembicWorkbench.refresh');
          await waitFor('the password-required state', () => workbench.database.statusFor(project.id)?.error?.kind === 'password-required');
          assert.equal(statusBar.item.text, '$(warning) Alembic: database unreachable');
          const command = statusBar.item.command as vscode.Command;
          assert.equal(command.command, 'alembicWorkbench.setDatabasePassword', 'the status bar offers the password prompt');
          const { selected } = await workbench.database.targetsFor(project);
          assert.ok(selected);
          await workbench.database.storePassword(selected, connection.password);
          await vscode.commands.executeCommand('alembicWorkbench.refresh');
          await waitFor('the database read with the stored password', () => workbench.database.statusFor(project.id)?.reachable);
          assert.equal(statusBar.item.text, '$(database) Alembic: up to date');
          await workbench.database.forgetPassword(selected);
        } finally {
          await setWorkspaceSetting('database.url', database.sqlalchemyUrl);
        }
      });
    });

    suite('speed (printed, not asserted)', () => {
      test('tree children of a 5000-revision project, and activation', async function () {
        this.timeout(120_000);
        const { workbench, activationMs } = await api();
        const lines: string[] = [`activate(): ${activationMs.toFixed(1)} ms (example workspace)`];
        for (const shape of ['linear', 'branched'] as const) {
          const history = generateHistory(5000, shape);
          try {
            let started = performance.now();
            const config = loadProjectConfig(path.join(history.root, 'alembic.ini'));
            const model = AlembicProjectModel.load(config);
            const loadMs = performance.now() - started;
            const project: WorkspaceProject = { id: config.id, config, model, workspaceFolder: vscode.workspace.workspaceFolders![0], label: `bench-${shape}` };
            started = performance.now();
            const graph = model.graph;
            graph.history();
            const graphMs = performance.now() - started;
            const rows = [...graph.revisions()][2500].id;
            const status = restateDatabaseStatus(
              { projectId: config.id, targetId: 't', targetName: 'project', source: 'database', reachable: true, initialised: true, rows: [rows], current: [], applied: [], pending: [], unknown: [], states: {}, upToDate: false, problems: [], message: '', notes: [], readAt: 0, durationMs: 0 },
              revisionGraphView(graph),
            );
            for (const grouped of [false, true]) {
              const provider = new RevisionTreeProvider({ projects: () => [project], statusFor: () => status, isTrusted: () => true, groupByBranch: () => grouped, findingsFor: () => undefined });
              const childrenWithItems = () => {
                const roots = provider.getChildren();
                const items = roots.map((node) => provider.getTreeItem(node));
                return { roots, items };
              };
              started = performance.now();
              const first = childrenWithItems();
              const coldMs = performance.now() - started;
              const samples: number[] = [];
              for (let run = 0; run < 5; run++) {
                provider.refresh(config.id);
                started = performance.now();
                childrenWithItems();
                samples.push(performance.now() - started);
              }
              samples.sort((a, b) => a - b);
              assert.equal(first.items.length, grouped ? first.roots.length : 5000);
              lines.push(
                `${shape} 5000, ${grouped ? 'grouped' : 'flat'}: getChildren + getTreeItem of ${first.roots.length} items: first call ${coldMs.toFixed(1)} ms, after a change ${samples[2].toFixed(1)} ms (median of 5); reading the files ${loadMs.toFixed(0)} ms, graph + history ${graphMs.toFixed(1)} ms`,
              );
              provider.dispose();
            }
          } finally {
            history.cleanup();
          }
        }
        for (const line of lines) harnessLog(`    speed: ${line}`);
        workbench.log.info(`Speed figures: ${lines.join(' | ')}`);
      });
    });
  }

  if (environment.trust === 'untrusted') {
    test('Restricted Mode: every state unknown, the status bar shows the head count, no process and no socket', async () => {
      const { statusBar, revisionTree } = await api();
      await vscode.commands.executeCommand('alembicWorkbench.refresh');
      const rows = await revisionRows();
      assert.equal(rows.length, 12);
      assert.ok(rows.every((row) => row.item.contextValue?.startsWith('revision:unknown:')));
      assert.equal(statusBar.item.text, '$(database) Alembic: 1 head');
      assert.match(revisionTree.view.message ?? '', /^Restricted Mode/);
      assert.equal(revisionTree.view.badge, undefined);
      const builtInExtensions = path.join(vscode.env.appRoot, 'extensions') + path.sep;
      assert.deepEqual(childProcessesOfThisProcess().filter((child) => !child.commandLine.includes(builtInExtensions)), []);
      const workbenchConnection = environment.serverPort ? `:${environment.serverPort}` : undefined;
      assert.deepEqual(networkSocketsOfThisProcess().filter((socket) => !(workbenchConnection && socket.local.endsWith(workbenchConnection))), []);
    });
  }
});
