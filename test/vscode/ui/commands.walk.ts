// The team guide's workflow, clicked and typed like a person: Upgrade to Head from the palette, a
// model change, Generate Migration (typing the message in the input box) with its progress
// notification caught while Alembic runs, the "N risky operations" notification, Show SQL from it,
// and the output channel with every command line and Alembic's own lines. Local runner, the real
// Alembic 1.8.1, the scratch PostgreSQL database the harness gave this server (DATABASE_URL).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { saveScreenshot } from '../harness/browser';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

const MESSAGE = 'add meeting summary';

export const walk: UiWalkDefinition = {
  name: 'commands',
  description: 'Upgrade to Head, Generate Migration (typed message, progress, risky operations), Show SQL, the output channel',
  async run(ui: UiWalk) {
    await ui.waitForWorkbench();

    await ui.openActivityBarContainer('Alembic');
    // The palette lists its rows once, when it opens: the project's commands show only after the
    // project is read (their `when` is alembicWorkbench.hasProject), which the tree's rows say.
    await ui.step('the Revisions view lists the example', async () => {
      await ui.expectVisible(ui.page.locator('.monaco-list-row', { hasText: 'create users and meetings tables' }).first(), 'the base revision row', 30_000);
    });
    await ui.runCommand('Configure How Alembic Runs', 'Alembic');
    await ui.step('choose Local, then alembic from PATH', async () => {
      await pickInQuickInput(ui, 'Local');
      await pickInQuickInput(ui, 'alembic from PATH');
      await ui.expectVisible(ui.page.locator('.notifications-toasts .notification-toast', { hasText: 'Alembic now runs on this machine, e.g. /usr/bin/alembic current' }), 'the runner confirmation');
    });

    await ui.runCommand('Upgrade to Head', 'Alembic');
    await ui.step('see the upgrade reported in the status bar', async () => {
      await ui.expectVisible(ui.page.locator('.part.statusbar', { hasText: /backend upgraded to head: 12 revisions applied/ }), 'the status bar message', 30_000);
    });

    const modelsFile = path.join(ui.workspaceFolder, 'backend', 'app', 'modules', 'meetings', 'models.py');
    const models = readFileSync(modelsFile, 'utf8');
    const anchor = '    location = Column(String(255), nullable=True)\n';
    assert.ok(models.includes(anchor), 'the example model changed: update the walk');
    writeFileSync(modelsFile, models.replace(anchor, `${anchor}    summary = Column(String(500), nullable=False)\n`));

    await ui.runCommand('Clear All Notifications', 'Notifications');
    await ui.runCommand('Generate Migration (autogenerate)', 'Alembic');
    await ui.step('type the migration message', async () => {
      const input = await ui.expectVisible('.quick-input-widget .quick-input-box input', 'the message input box');
      await ui.expectVisible(ui.page.locator('.quick-input-widget', { hasText: 'What changed in the models?' }), 'the prompt of the message box');
      await input.fill(MESSAGE);
    });
    await ui.step('press Enter: the progress notification shows while Alembic runs', async () => {
      await ui.page.keyboard.press('Enter');
      const toast = await ui.expectVisible(
        ui.page.locator('.notifications-toasts .notification-toast', { hasText: 'Generating a migration for backend' }),
        'the progress notification',
      );
      // Taken as soon as the toast has faded in: the step's own picture comes after the command finished.
      await ui.page
        .waitForFunction("[...document.querySelectorAll('.notifications-toasts .notification-toast')].every((toast) => getComputedStyle(toast).opacity === '1')", undefined, {
          timeout: 2000,
          polling: 16,
        })
        .catch(() => {});
      const shot = await saveScreenshot(ui.page, path.join(ui.artifactsDir, 'progress-notification-while-running.png'));
      if (shot) ui.screenshots.push(shot);
      assert.match(await toast.innerText(), /Cancel|Alembic: Generating a migration/);
    });

    const risky = await ui.waitForNotification(/1 risky operation: adding-required-column/);
    assert.match(risky, /add_meeting_summary\.py/);
    await ui.step('the new migration is open in the editor', async () => {
      await ui.expectVisible(ui.page.locator('.tabs-container .tab.active', { hasText: /add_meeting_summary\.py/ }), 'the new revision file in the active tab');
      await ui.expectVisible(ui.page.locator('.editor-instance .view-lines', { hasText: /op\.add_column\('meetings'/ }), 'the generated add_column');
    });

    await ui.runCommand('Show Output', 'Alembic');
    // Autogenerate talks a lot (a line per sequence it inspects): give the log the whole window.
    await ui.runCommand('Toggle Maximized Panel', 'View');
    await ui.step('the output channel: the command line and Alembic output', async () => {
      const output = ui.page.locator('.part.panel .view-lines');
      // Monaco renders spaces as no-break spaces: \s matches both.
      await ui.expectVisible(output.filter({ hasText: /\$\s+\/usr\/bin\/alembic\s+revision\s+-m\s+'add\s+meeting\s+summary'\s+--autogenerate/ }), 'the revision command line');
      await ui.expectVisible(output.filter({ hasText: /Detected\s+added\s+column\s+'meetings\.summary'/ }), "Alembic's autogenerate line");
    });

    await ui.runCommand('Toggle Maximized Panel', 'View');
    await ui.step('click Show SQL in the notification: a read-only SQL editor', async () => {
      let toast = ui.page.locator('.notifications-toasts .notification-toast', { hasText: /risky operation/ }).first();
      if (!(await toast.isVisible())) {
        // The toast timed out into the notification centre: open it, as a person would.
        await ui.page.locator('.part.statusbar .statusbar-item[id="status.notifications"]').click();
        toast = ui.page.locator('.notifications-center .notification-list-item', { hasText: /risky operation/ }).first();
      }
      await toast.hover();
      await toast.locator('.monaco-button', { hasText: 'Show SQL' }).click();
      await ui.expectVisible(ui.page.locator('.tabs-container .tab.active', { hasText: /\.sql/ }), 'the SQL editor tab', 30_000);
      await ui.expectVisible(
        ui.page.locator('.editor-instance .view-lines', { hasText: /ALTER\s+TABLE\s+meetings\s+ADD\s+COLUMN\s+summary\s+VARCHAR\(500\)\s+NOT\s+NULL/ }),
        'the ALTER TABLE',
      );
    });
  },
};

/** Types into the open quick pick until `label` is the focused row, then presses Enter. */
async function pickInQuickInput(ui: UiWalk, label: string): Promise<void> {
  const input = await ui.expectVisible('.quick-input-widget .quick-input-box input', `the quick pick offering "${label}"`);
  await input.fill(label);
  await ui.expectVisible(ui.page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }), `"${label}" focused in the quick pick`);
  await ui.page.keyboard.press('Enter');
}
