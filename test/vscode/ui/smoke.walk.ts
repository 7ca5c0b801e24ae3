// The first minute of a user: open the workbench on an Alembic project, click the Alembic icon,
// see the Revisions view, run our command from the palette, open a revision file.
import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { discoverProjects } from '../../../src/core/project/projectDiscovery';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

/** The first revision `alembic history` prints for the workspace's project, read with the core. */
async function newestRevision(workspaceFolder: string): Promise<string> {
  const { projects } = await discoverProjects(workspaceFolder);
  const newest = projects[0] ? AlembicProjectModel.load(projects[0]).graph.history()[0] : undefined;
  if (!newest) throw new Error(`no revision in ${workspaceFolder}`);
  return newest.id;
}

/** The first revision file of the workspace (a `versions/` folder holding .py files). */
function firstRevisionFile(workspaceFolder: string): string {
  const pending = [workspaceFolder];
  while (pending.length > 0) {
    const folder = pending.shift()!;
    for (const entry of readdirSync(folder).sort()) {
      const full = path.join(folder, entry);
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      if (statSync(full).isDirectory()) pending.push(full);
      else if (path.basename(folder) === 'versions' && entry.endsWith('.py')) return full;
    }
  }
  throw new Error(`no versions/*.py in ${workspaceFolder}`);
}

export const walk: UiWalkDefinition = {
  name: 'smoke',
  description: 'Alembic icon -> Revisions view, Alembic: Show Output from the palette, a revision file via quick open',
  async run(ui: UiWalk) {
    await ui.waitForWorkbench();

    await ui.openActivityBarContainer('Alembic');
    await ui.step('see the Revisions view', async () => {
      // A container with a single view shows it under the container's title: "ALEMBIC: REVISIONS".
      await ui.expectVisible(ui.page.locator('.part.sidebar .composite.title', { hasText: /Revisions/i }), 'the Revisions view title');
    });
    await ui.step('see the revision history in the tree', async () => {
      // The newest revision of the workspace (what `alembic history` prints first) heads the tree.
      const newest = await newestRevision(ui.workspaceFolder);
      await ui.expectVisible(ui.page.locator('.part.sidebar .monaco-list-row[role="treeitem"] .label-name', { hasText: newest.slice(0, 7) }), `the tree row of ${newest}`);
      const rows = await ui.treeRows();
      assert.ok(rows.length >= 2, `expected the revision history, saw ${JSON.stringify(rows)}`);
      assert.ok(rows[0].label.startsWith(newest.slice(0, 7)), `the first row is ${rows[0].label}, not ${newest}`);
    });

    await ui.runCommand('Show Output', 'Alembic');
    await ui.step('see the Alembic Workbench log', async () => {
      await ui.expectVisible(ui.page.locator('.part.panel .view-lines', { hasText: 'Activated with all features' }), 'the "Activated" line in the Alembic Workbench output');
    });

    const revisionFile = path.basename(firstRevisionFile(ui.workspaceFolder));
    await ui.openFile(revisionFile);
    await ui.step('see the revision identifiers', async () => {
      // Monaco renders spaces as no-break spaces: \s matches both.
      await ui.expectVisible(ui.page.locator('.editor-instance .view-lines', { hasText: /revision\s*=\s*'[0-9a-f]+'/ }), 'the `revision = ...` line');
    });
  },
};
