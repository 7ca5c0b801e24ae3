// The Revision Graph as a user meets it, on the example project: open it from the Revisions view, the
// lanes with the branch and the merge, click a card, open its menu, search; then a revision whose
// down_revision points at nothing: its ghost card, re-pointed to the branch point from the ghost's
// menu and a quick pick, and put back with the notification's Undo. A picture per step.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { revisionSource } from '../../support/revisionSource';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

const BRANCH_POINT = 'e91f4c6b0a38';
const MERGE = 'b5e2a7d9c3f8';
const DANGLING = 'deadbeef0000';
const ORPHAN = 'f00dcafe1234';

/** The graph's document: VS Code puts a webview in an iframe that holds another (the active frame). */
function graphFrame(ui: UiWalk): FrameLocator {
  return ui.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

function card(ui: UiWalk, id: string) {
  return graphFrame(ui).locator(`.card[aria-label*="${id}"]`).first();
}

export const walk: UiWalkDefinition = {
  name: 'graph',
  description: 'Revision Graph: open it, lanes and badges, click a card, its menu, search, a ghost card re-pointed and undone',
  async run(ui: UiWalk) {
    const versions = path.join(ui.workspaceFolder, 'backend', 'alembic', 'versions');
    const orphan = path.join(versions, `2026_12_01_0000-${ORPHAN}_orphan.py`);
    await ui.waitForWorkbench();
    await ui.openActivityBarContainer('Alembic');
    await ui.step("open the graph from the Revisions view's title bar", async () => {
      const action = await ui.expectVisible(ui.page.locator('.part.sidebar .actions-container .action-label[aria-label="Open Revision Graph"]'), 'the Open Revision Graph button');
      await action.click();
    });
    await ui.step('the graph shows the history with its branch and merge', async () => {
      await ui.expectVisible(card(ui, MERGE), 'the merge card', 30_000);
      await ui.expectVisible(card(ui, BRANCH_POINT), 'the branch point card');
      await ui.expectVisible(graphFrame(ui).locator('.badge', { hasText: 'MERGE' }), 'a MERGE badge');
      await ui.expectVisible(graphFrame(ui).locator('.badge', { hasText: 'HEAD' }), 'a HEAD badge');
      const paths = await graphFrame(ui).locator('svg.edges path').count();
      if (paths < 10) throw new Error(`only ${paths} edges drawn`);
    });
    await ui.step('click the branch point card: it is selected', async () => {
      await card(ui, BRANCH_POINT).click();
      await ui.expectVisible(graphFrame(ui).locator(`.card.selected[aria-label*="${BRANCH_POINT}"]`), 'the selected branch point');
    });
    await ui.step("open the card's menu", async () => {
      await card(ui, BRANCH_POINT).locator('button.more').click();
      const menu = await ui.expectVisible(graphFrame(ui).locator('.menu[role="menu"]'), 'the card menu');
      const items = (await menu.locator('[role="menuitem"]').allInnerTexts()).map((text) => text.trim());
      for (const wanted of ['Open File', 'Upgrade to Here', 'Downgrade to Here', 'Show SQL', 'Copy Revision Id']) {
        if (!items.includes(wanted)) throw new Error(`the menu lacks ${wanted}: ${items.join(', ')}`);
      }
      // The menu opens at the card's button, not somewhere else on the page.
      const [menuBox, cardBox] = await Promise.all([menu.boundingBox(), card(ui, BRANCH_POINT).boundingBox()]);
      if (!menuBox || !cardBox || menuBox.y < cardBox.y || menuBox.y > cardBox.y + cardBox.height + 10) {
        throw new Error(`the menu (${JSON.stringify(menuBox)}) is not at the card (${JSON.stringify(cardBox)})`);
      }
    });
    await ui.step('Escape closes the menu; arrow down moves to the next card', async () => {
      await ui.page.keyboard.press('Escape');
      await graphFrame(ui).locator('.menu[role="menu"]').waitFor({ state: 'hidden' });
      await ui.page.keyboard.press('ArrowDown');
      await ui.expectVisible(graphFrame(ui).locator('.card.selected:focus'), 'the focused next card');
    });
    await ui.step('search by message', async () => {
      const search = graphFrame(ui).locator('input[type="search"]');
      await search.fill('tag');
      await ui.expectVisible(graphFrame(ui).locator('.match-count', { hasText: /1 of [2-9]/ }), 'the match count');
      await search.fill('');
    });
    try {
      await ui.step('a revision whose down_revision names nothing gets a ghost card', async () => {
        writeFileSync(orphan, revisionSource({ id: ORPHAN, down: DANGLING, message: 'orphan revision' }));
        await ui.expectVisible(graphFrame(ui).locator(`.card.ghost[aria-label*="${DANGLING}"]`), 'the ghost card', 20_000);
        await ui.expectVisible(graphFrame(ui).locator('.banner', { hasText: '2 heads' }), 'the two-heads banner');
      });
      await ui.step("re-point it from the ghost's menu to the branch point", async () => {
        await graphFrame(ui).locator(`.card.ghost[aria-label*="${DANGLING}"] button.more`).click();
        await graphFrame(ui).locator('[role="menuitem"]', { hasText: 'Re-point' }).first().click();
        const input = await ui.expectVisible('.quick-input-widget .quick-input-box input', 'the revision picker');
        await input.fill(BRANCH_POINT);
        await ui.expectVisible(ui.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: BRANCH_POINT }), 'the branch point in the picker');
        await ui.page.keyboard.press('Enter');
        await graphFrame(ui).locator('.card.ghost').first().waitFor({ state: 'detached', timeout: 20_000 });
      });
      await ui.step('Undo in the notification brings the ghost back', async () => {
        const toast = await ui.expectVisible(ui.page.locator('.notification-toast', { hasText: `now names ${BRANCH_POINT}` }), 'the re-point notification');
        await toast.locator('.monaco-button', { hasText: 'Undo' }).click();
        await ui.expectVisible(graphFrame(ui).locator(`.card.ghost[aria-label*="${DANGLING}"]`), 'the ghost card again', 20_000);
      });
    } finally {
      rmSync(orphan, { force: true });
    }
  },
};
