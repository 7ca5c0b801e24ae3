// The first minute of a user: open the workbench on an Alembic project, click the Alembic icon,
// see the Revisions view, run our command from the palette, open a revision file.
import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

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
    const welcome = await ui.welcomeText();
    assert.match(welcome, /Alembic Workbench is active/, `unexpected welcome text: ${welcome}`);

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
