// The Getting Started walkthrough as a newcomer meets it: Welcome: Open Walkthrough..., pick
// "Get started with Alembic Workbench", then each of the five steps with its page and picture.
// A picture that VS Code cannot load (wrong path, left out of the package) fails the walk.
import * as assert from 'node:assert/strict';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

const WALKTHROUGH_TITLE = 'Get started with Alembic Workbench';
/** Step titles (package.json) and the heading of each step's markdown page. */
const STEPS = [
  { title: 'Open the revision tree', heading: 'Your migrations at a glance' },
  { title: 'Choose where Alembic runs', heading: 'Where Alembic runs' },
  { title: 'Generate a migration', heading: 'Generate a migration' },
  { title: 'Review its findings', heading: 'Review what the migration does' },
  { title: 'Upgrade the database', heading: 'Upgrade the database' },
];

/**
 * The markdown page is rendered in a webview (an iframe inside an iframe). Finds the frame showing
 * `heading` and reports whether its picture loaded. The webview may be re-created while a step is
 * selected (the frame detaches), so the search starts over until the deadline.
 */
async function pictureOfPage(ui: UiWalk, heading: string): Promise<{ loaded: boolean; source: string | null }> {
  const deadline = Date.now() + ui.timeoutMs;
  let lastProblem = 'no frame shows it';
  while (Date.now() < deadline) {
    for (const frame of ui.page.frames()) {
      try {
        if ((await frame.locator('h1', { hasText: heading }).count()) === 0) continue;
        const picture = frame.locator('img').first();
        await picture.waitFor({ state: 'visible', timeout: 2000 });
        // An image VS Code could not load has no natural size.
        const loaded = await picture.evaluate(async (element) => {
          const image = element as unknown as { complete: boolean; naturalWidth: number; naturalHeight: number; addEventListener(type: string, listener: () => void, options: object): void };
          if (!image.complete) {
            await new Promise<void>((resolve) => {
              image.addEventListener('load', resolve, { once: true });
              image.addEventListener('error', resolve, { once: true });
            });
          }
          return image.naturalWidth > 0 && image.naturalHeight > 0;
        });
        return { loaded, source: await picture.getAttribute('src') };
      } catch (error) {
        lastProblem = (error as Error).message.split('\n')[0];
      }
    }
    await ui.page.waitForTimeout(200);
  }
  throw new Error(`the walkthrough page "${heading}" with its picture did not appear within ${ui.timeoutMs / 1000} s (${lastProblem})`);
}

export const walk: UiWalkDefinition = {
  name: 'walkthrough',
  description: 'Welcome: Open Walkthrough... -> Get started with Alembic Workbench, each step with its picture',
  async run(ui: UiWalk) {
    await ui.waitForWorkbench();

    await ui.step(`open the walkthrough "${WALKTHROUGH_TITLE}"`, async () => {
      await ui.page.keyboard.press('F1');
      const input = await ui.expectVisible('.quick-input-widget .quick-input-box input', 'the command palette');
      await input.fill('>Welcome: Open Walkthrough');
      await ui.expectVisible('.quick-input-widget .monaco-list-row.focused[aria-label*="Open Walkthrough"]', 'Welcome: Open Walkthrough... in the palette');
      await ui.page.keyboard.press('Enter');
      // The next quick pick lists every walkthrough by title.
      await ui.expectVisible(`.quick-input-widget .monaco-list-row[aria-label*="${WALKTHROUGH_TITLE}"]`, `"${WALKTHROUGH_TITLE}" among the walkthroughs`);
      await input.fill(WALKTHROUGH_TITLE);
      await ui.expectVisible(`.quick-input-widget .monaco-list-row.focused[aria-label*="${WALKTHROUGH_TITLE}"]`, `"${WALKTHROUGH_TITLE}" selected`);
      await ui.page.keyboard.press('Enter');
      await ui.expectVisible(ui.page.locator('.gettingStartedContainer', { hasText: WALKTHROUGH_TITLE }), 'the walkthrough page');
    });

    const stepTitles = await ui.page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts();
    assert.deepEqual(
      stepTitles.map((title) => title.trim()),
      STEPS.map((step) => step.title),
    );

    for (const step of STEPS) {
      await ui.step(`walkthrough step: ${step.title}`, async () => {
        const button = ui.page.locator('.gettingStartedContainer .getting-started-step', { hasText: step.title }).first();
        await button.click();
        // Keep the pointer off the step list so the picture shows the page, not a hover.
        await ui.page.mouse.move(5, 5);
        const picture = await pictureOfPage(ui, step.heading);
        assert.ok(picture.loaded, `the picture of "${step.title}" did not load (${picture.source})`);
      });
    }
  },
};
