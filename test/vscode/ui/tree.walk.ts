// The Revisions view as a user meets it: the database (a scratch PostgreSQL, upgraded by the real
// Alembic to the branch point) is configured without a password, so the status bar says it is
// unreachable; a click on it asks for the password; then the tree shows applied / current /
// pending, with the merge, the branch point and the head visible. Then: a tooltip, the item
// context menu, group by branch, an open revision file selected in the tree, a second head (the
// status bar says "2 heads", Merge Heads appears), and the status bar's tooltip.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { REAL_ALEMBIC } from '../../support/realAlembic';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

const ROWS = '.part.sidebar .pane-body .monaco-list-row[role="treeitem"]';
const STATUS_ITEM = '.part.statusbar .statusbar-item';

function row(ui: UiWalk, label: string | RegExp) {
  return ui.page.locator(ROWS, { has: ui.page.locator('.label-name', { hasText: label }) }).first();
}

function statusItem(ui: UiWalk, text: string | RegExp) {
  return ui.page.locator(STATUS_ITEM, { hasText: text }).first();
}

async function upgrade(backend: string, database: ScratchDatabase, target: string): Promise<void> {
  const run = spawnSync(REAL_ALEMBIC, ['upgrade', target], { cwd: backend, env: { ...process.env, DATABASE_URL: database.sqlalchemyUrl }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`alembic upgrade ${target} failed:\n${run.stdout}\n${run.stderr}`);
}

/** A "Create Date:" as Alembic writes it (local time). */
function createDate(time: number): string {
  const date = new Date(time);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.000000`;
}

export const walk: UiWalkDefinition = {
  name: 'tree',
  description: 'Revisions view: password from the status bar, applied/current/pending icons, tooltip, context menu, group by branch, reveal, two heads',
  async run(ui: UiWalk) {
    const backend = path.join(ui.workspaceFolder, 'backend');
    const database = await createScratchDatabase('tree_walk');
    try {
      await upgrade(backend, database, 'e91f4c6b0a38');
      await ui.waitForWorkbench();

      await ui.step('configure the database without its password', async () => {
        const { user, host, port, database: name } = database.connection;
        mkdirSync(path.join(ui.workspaceFolder, '.vscode'), { recursive: true });
        writeFileSync(
          path.join(ui.workspaceFolder, '.vscode', 'settings.json'),
          JSON.stringify(
            {
              'alembicWorkbench.database.url': `postgresql+psycopg2://${user}@${host}:${port}/${name}`,
              // Other servers on this machine would pop up "port forwarded" toasts over the pictures.
              'remote.autoForwardPorts': false,
            },
            null,
            2,
          ),
        );
      });

      await ui.openActivityBarContainer('Alembic');
      await ui.step('widen the sidebar to read the descriptions', async () => {
        const box = await ui.page.locator('.part.sidebar').boundingBox();
        assert.ok(box, 'no sidebar');
        const x = box.x + box.width;
        await ui.page.mouse.move(x - 1, 400);
        await ui.page.mouse.down();
        await ui.page.mouse.move(x + 260, 400, { steps: 8 });
        await ui.page.mouse.up();
        await ui.page.mouse.move(900, 600);
      });

      await ui.step('the status bar says the database is unreachable and offers the password', async () => {
        await ui.expectVisible(statusItem(ui, 'Alembic: database unreachable'), 'the "database unreachable" status bar item', 20_000);
        await ui.expectVisible(ui.page.locator('.part.sidebar .message', { hasText: /a password is required/ }), 'the view message about the password');
      });

      await ui.step('click the status bar item and type the password', async () => {
        await statusItem(ui, 'Alembic: database unreachable').click();
        const input = await ui.expectVisible('.quick-input-widget .quick-input-box input[type="password"]', 'the password input box');
        await input.fill(database.connection.password);
        await ui.press('Enter');
        await ui.expectVisible(statusItem(ui, 'Alembic: e91f4c6 (5 pending)'), 'the status bar with the current revision', 20_000);
      });

      await ui.step('see applied, current and pending revisions, the merge, the branch point and the head', async () => {
        await ui.expectVisible(row(ui, /^e91f4c6 drop meeting description/), 'the branch point row');
        const rows = await ui.treeRows();
        assert.equal(rows.length, 12, JSON.stringify(rows.map((entry) => entry.label)));
        assert.match(rows[0].label, /^b5e2a7d merge tags and user mappings branches/);
        assert.match(rows[0].description, /\(tags\) head, merge point/);
        const branchPoint = rows.find((entry) => entry.label.startsWith('e91f4c6'));
        assert.match(branchPoint?.description ?? '', /^branch point · current/);
        assert.match(branchPoint?.ariaLabel ?? '', /current database revision/);
        assert.match(rows.find((entry) => entry.label.startsWith('a64b9c0'))?.ariaLabel ?? '', /applied/);
        assert.match(rows[0].ariaLabel, /pending/);
        // Icons: the codicon class of each state.
        await ui.expectVisible(row(ui, /^e91f4c6/).locator('.codicon-debug-stackframe'), 'the current-revision icon');
        await ui.expectVisible(row(ui, /^a64b9c0/).locator('.codicon-pass'), 'the applied icon');
        await ui.expectVisible(row(ui, /^b5e2a7d/).locator('.codicon-circle-outline'), 'the pending icon');
        // The view's badge counts pending revisions.
        await ui.expectVisible(ui.page.locator('.part.activitybar .badge-content', { hasText: '5' }), 'the pending badge on the Alembic icon');
      });

      // Away from the status bar item clicked last, or its tooltip stays up.
      await ui.page.mouse.move(900, 300);
      await ui.page.keyboard.press('Escape');
      await ui.page.locator('.monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      await ui.step('hover a revision: its tooltip', async () => {
        await row(ui, /^e91f4c6/).hover();
        const hover = await ui.expectVisible(ui.page.locator('.monaco-hover', { hasText: 'Revises' }), 'the revision tooltip');
        const text = await hover.innerText();
        assert.match(text, /Revises: 5d2e8f1a7c03/);
        assert.match(text, /Database: current/);
        assert.match(text, /File: backend\/alembic\/versions\//);
      });
      await ui.page.mouse.move(900, 600);
      await ui.page.keyboard.press('Escape');

      await ui.step('right-click an applied revision: its context menu', async () => {
        await row(ui, /^a64b9c0/).click({ button: 'right' });
        const menu = await ui.expectVisible('.context-view .monaco-menu', 'the item context menu');
        const entries = (await menu.locator('.action-label').allInnerTexts()).map((entry) => entry.trim()).filter(Boolean);
        for (const expected of ['Downgrade to Here', 'Stamp Revision', 'Show SQL of Revision', 'Copy Revision ID', 'Reveal Revision File']) {
          assert.ok(entries.includes(expected), `missing "${expected}" in ${JSON.stringify(entries)}`);
        }
        assert.ok(!entries.includes('Upgrade to Here'), `an applied revision offers Upgrade to Here: ${JSON.stringify(entries)}`);
      });
      await ui.page.keyboard.press('Escape');

      await ui.step('right-click a pending revision: Upgrade to Here', async () => {
        await row(ui, /^9f3b6a2/).click({ button: 'right' });
        const menu = await ui.expectVisible('.context-view .monaco-menu', 'the item context menu');
        const entries = (await menu.locator('.action-label').allInnerTexts()).map((entry) => entry.trim());
        assert.ok(entries.includes('Upgrade to Here'), JSON.stringify(entries));
        assert.ok(!entries.includes('Downgrade to Here'), JSON.stringify(entries));
      });
      await ui.page.keyboard.press('Escape');

      await ui.step('group by branch from the view title', async () => {
        await ui.page.locator('.part.sidebar .pane-header, .part.sidebar .composite.title').first().hover();
        await (await ui.expectVisible('.part.sidebar a.action-label[aria-label="Group Revisions by Branch"]', 'the Group by Branch button')).click();
        await ui.expectVisible(row(ui, /^head b5e2a7d$/), 'the head group');
        const labels = (await ui.treeRows()).map((entry) => entry.label);
        for (const group of ['head b5e2a7d', 'tags', '6a0e5b3..d7c1f8e', '4b1d3f0..e91f4c6']) assert.ok(labels.includes(group), `no group ${group} in ${JSON.stringify(labels)}`);
      });

      await ui.step('back to the history list', async () => {
        await (await ui.expectVisible('.part.sidebar a.action-label[aria-label="Show Revisions as History"]', 'the Show as History button')).click();
        await ui.expectVisible(row(ui, /^b5e2a7d/), 'the flat history');
      });

      await ui.openFile('5d2e8f1a7c03_make_meeting_title_not_null.py');
      await ui.step('the open revision file is selected in the tree', async () => {
        await ui.expectVisible(ui.page.locator(`${ROWS}.selected`, { has: ui.page.locator('.label-name', { hasText: /^5d2e8f1/ }) }), 'the selected row of the open file');
      });

      // The README's picture (docs/images/tree-and-diagnostics.png is copied from this step's PNG):
      // the tree with database state beside a risky migration and a finding's explanation.
      await ui.openFile('a64b9c0e2f57_change_transcript_and_duration_column_.py');
      await ui.waitForSquiggles('error');
      await ui.step('the tree beside a risky migration: a finding explained on hover', async () => {
        const squiggle = await ui.expectVisible(ui.page.locator('.editor-instance .squiggly-error').first(), 'the narrowing squiggle');
        const box = await squiggle.boundingBox();
        assert.ok(box, 'the squiggle has no box on screen');
        await ui.page.mouse.move(box.x + Math.min(box.width / 2, 40), box.y + box.height / 2);
        await ui.expectVisible(ui.page.locator('.monaco-hover:not(.hidden)', { hasText: 'AW204' }), 'the hover with the AW204 finding');
        await ui.expectVisible(ui.page.locator(`${ROWS}.selected`, { has: ui.page.locator('.label-name', { hasText: /^a64b9c0/ }) }), 'the open file selected in the tree');
        // The project's own database goes unnamed in the CodeLens: "applied", not "applied in project".
        await ui.expectVisible(ui.page.locator('.codelens-decoration', { hasText: /^\W*applied\s*\|\s*Upgrade to here/ }), 'the CodeLens with the database state');
      });
      await ui.page.mouse.move(900, 600);
      await ui.press('Escape');

      const secondHead = path.join(backend, 'alembic', 'versions', '2026_11_26_0930-ab12cd34ef56_add_meeting_room.py');
      await ui.step('a second head created on disk: two heads on top, the status bar says so, Merge Heads appears', async () => {
        writeFileSync(
          secondHead,
          `"""add meeting room\n\nRevision ID: ab12cd34ef56\nRevises: e91f4c6b0a38\nCreate Date: ${createDate(Date.now() - 5 * 60_000)}\n\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n\n# revision identifiers, used by Alembic.\nrevision = 'ab12cd34ef56'\ndown_revision = 'e91f4c6b0a38'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    op.add_column('meetings', sa.Column('room', sa.String(length=50), nullable=True))\n\n\ndef downgrade() -> None:\n    op.drop_column('meetings', 'room')\n`,
        );
        await ui.expectVisible(statusItem(ui, 'Alembic: 2 heads'), 'the "2 heads" status bar item');
        await ui.expectVisible('.part.sidebar a.action-label[aria-label="Merge Heads"]', 'the Merge Heads button');
        const rows = await ui.treeRows();
        assert.deepEqual(rows.slice(0, 2).map((entry) => entry.label.slice(0, 7)).sort(), ['ab12cd3', 'b5e2a7d'], 'both heads on top');
        assert.match(rows.find((entry) => entry.label.startsWith('ab12cd3'))?.description ?? '', /^head · \d+ minutes ago/);
      });

      await ui.step('the status bar tooltip explains', async () => {
        await statusItem(ui, 'Alembic: 2 heads').hover();
        await ui.expectVisible(ui.page.locator('.monaco-hover', { hasText: /upgrade head.*fails until they are merged/ }), 'the status bar tooltip');
      });
      rmSync(secondHead, { force: true });
      await ui.page.mouse.move(900, 600);
      await ui.step('the second head deleted: back to one head', async () => {
        await ui.expectVisible(statusItem(ui, 'Alembic: e91f4c6 (5 pending)'), 'the status bar back to one head', 20_000);
      });
    } finally {
      await database.drop();
    }
  },
};
