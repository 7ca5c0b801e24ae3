// What a developer sees reviewing a risky migration: squiggles on the type changes, the Problems
// panel, the hover on a squiggle, the Ctrl+. menu, a quick fix applied (the empty downgrade written
// for them), Go to Definition from down_revision, and the CodeLens above `revision = ...`.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

function revisionFileName(workspaceFolder: string, id: string): string {
  const name = readdirSync(path.join(workspaceFolder, 'backend', 'alembic', 'versions')).find((file) => file.includes(id));
  assert.ok(name, `no revision file for ${id}`);
  return name;
}

/** The editor text, as Monaco renders it (no-break spaces made plain). */
async function editorText(ui: UiWalk): Promise<string> {
  return (await ui.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** Puts the mouse (and the cursor, with `click`) on the middle of an element of the editor. */
async function pointAt(ui: UiWalk, target: Locator, click: boolean): Promise<void> {
  const box = await target.boundingBox();
  assert.ok(box, 'the element has no box on screen');
  const x = box.x + Math.min(box.width / 2, 40);
  const y = box.y + box.height / 2;
  if (click) await ui.page.mouse.click(x, y);
  else await ui.page.mouse.move(x, y);
}

export const walk: UiWalkDefinition = {
  name: 'diagnostics',
  description: 'squiggles, Problems panel, hover, Ctrl+. quick fixes, a fix applied, Go to Definition from down_revision, CodeLens',
  async run(ui: UiWalk) {
    await ui.waitForWorkbench();

    const risky = revisionFileName(ui.workspaceFolder, 'a64b9c0e2f57');
    await ui.openFile(risky);
    const warnings = await ui.waitForSquiggles('warning');
    assert.ok(warnings >= 1, 'the type change on meetings is underlined');
    await ui.waitForSquiggles('error');

    const problems = await ui.openProblemsPanel();
    const labels = problems.map((problem) => problem.ariaLabel).join('\n');
    assert.match(labels, /Changing the type of meetings\.duration_seconds from INTEGER to BIGINT/);
    assert.match(labels, /transcripts\.language: VARCHAR\(50\) to VARCHAR\(20\)/);
    assert.match(labels, /alembic-workbench/);

    const hover = await ui.step('hover over the narrowing squiggle', async () => {
      await ui.page.keyboard.press('Control+Shift+M');
      await pointAt(ui, ui.page.locator('.editor-instance .squiggly-error').first(), false);
      const shown = await ui.expectVisible(ui.page.locator('.monaco-hover:not(.hidden)', { hasText: 'AW204' }), 'the hover with the AW204 finding');
      return (await shown.innerText()).trim();
    });
    assert.match(hover, /fails \(or truncates, on MySQL\) on values longer than 20 characters/);
    assert.match(hover, /alembic-workbench\s*\(?AW204/);

    const fixes = await ui.step('open the quick-fix menu on the squiggle (Ctrl+.)', async () => {
      await ui.page.mouse.move(5, 5);
      await ui.page.keyboard.press('Escape');
      await pointAt(ui, ui.page.locator('.editor-instance .squiggly-error').first(), true);
      await ui.page.keyboard.press('Control+.');
      await ui.expectVisible('.action-widget', 'the quick-fix menu');
      return (await ui.page.locator('.action-widget .monaco-list-row.action').allInnerTexts()).map((text) => text.trim());
    });
    for (const expected of ['Ignore AW204 for this line', 'Ignore AW204 in this file', 'Show documentation for AW204 (narrowing-column-type)']) {
      assert.ok(fixes.some((fix) => fix.includes(expected)), `quick fixes: ${JSON.stringify(fixes)}`);
    }
    await ui.press('Escape');

    const emptyDowngrade = revisionFileName(ui.workspaceFolder, 'd7c1f8e4a2b6');
    await ui.openFile(emptyDowngrade);
    await ui.waitForSquiggles('warning');
    await ui.step('apply the quick fix "Write a downgrade() that reverses the upgrade"', async () => {
      await pointAt(ui, ui.page.locator('.editor-instance .squiggly-warning').first(), true);
      await ui.page.keyboard.press('Control+.');
      // The preferred fix is the one the menu focuses; Enter applies it, as from the keyboard.
      await ui.expectVisible(ui.page.locator('.action-widget .monaco-list-row.action.focused', { hasText: 'Write a downgrade() that reverses the upgrade' }), 'the downgrade fix, focused in the menu');
      await ui.page.keyboard.press('Enter');
      await ui.expectVisible(ui.page.locator('.editor-instance .view-lines', { hasText: /op\.drop_column\('user_mappings',\s*'display_name'\)/ }), 'the written downgrade');
      await ui.page.locator('.editor-instance .squiggly-warning').first().waitFor({ state: 'detached', timeout: 10_000 });
    });
    assert.match(await editorText(ui), /def downgrade\(\) -> None:\s+op\.drop_column\('user_mappings', 'display_name'\)/);

    await ui.step('Go to Definition (F12) on the down_revision id', async () => {
      const id = ui.page.locator('.editor-instance .view-line', { hasText: /^down_revision\s*=/ }).locator('span', { hasText: '6a0e5b3c8d29' }).last();
      await pointAt(ui, await ui.expectVisible(id, 'the down_revision id'), true);
      await ui.page.keyboard.press('F12');
      await ui.expectVisible(ui.page.locator('.tabs-container .tab.active', { hasText: '6a0e5b3c8d29' }), 'the parent revision opened');
    });
    assert.match(await editorText(ui), /revision = '6a0e5b3c8d29'/);

    const lenses = await ui.step('see the CodeLens above revision = ...', async () => {
      const lens = await ui.expectVisible(ui.page.locator('.codelens-decoration', { hasText: 'Upgrade to here' }), 'the CodeLens');
      return (await lens.innerText()).replace(/\s+/g, ' ');
    });
    assert.match(lenses, /Upgrade to here \| Downgrade to here \| Show SQL/);
  },
};
