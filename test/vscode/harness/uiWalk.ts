// Playwright walks through the real workbench, clicking what a person clicks. Every step saves a
// PNG (test/artifacts/<walk>/<NN-step>.png) so a reviewer sees the product; a missing element fails
// the step with its name and a screenshot of what was on screen instead.
// Selectors: ../shared/notes/real-vscode-here.md (checked on VS Code 1.100 and 1.139).
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ARTIFACTS_ROOT, launchChromium, newWorkbenchPage, plainConsoleText, saveScreenshot, VIEWPORT } from './browser';
import type { CodeServerHandle } from './codeServer';
import { saveServerLogs } from './extensionTests';

export interface UiWalkDefinition {
  /** Folder name under test/artifacts/ (kebab-case). */
  name: string;
  /** One line for the summary. */
  description: string;
  /** Default true. False opens the workspace in Restricted Mode. */
  trusted?: boolean;
  run(ui: UiWalk): Promise<void>;
}

export class UiWalkStepError extends Error {
  constructor(
    readonly walk: string,
    readonly step: string,
    readonly screenshot: string | undefined,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(`UI walk "${walk}", step "${step}" failed: ${reason}${screenshot ? `\n  screenshot: ${screenshot}` : ''}`);
    this.name = 'UiWalkStepError';
  }
}

export interface TreeRow {
  label: string;
  description: string;
  /** The accessible label: VS Code puts the item's tooltip here when one is set. */
  ariaLabel: string;
  expanded: boolean | undefined;
}

export interface ProblemRow {
  /** Severity, message, position and source as screen readers get them. */
  ariaLabel: string;
  text: string;
}

const SELECTORS = {
  workbench: '.monaco-workbench',
  activityBarEntry: (title: string) => `.part.activitybar .action-item a.action-label[aria-label^="${cssString(title)}"]`,
  sidebar: '.part.sidebar',
  sidebarTitle: '.part.sidebar .composite.title',
  treeRows: '.part.sidebar .pane-body .monaco-list-row[role="treeitem"]',
  welcomeView: '.part.sidebar .welcome-view-content',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  /** The row Enter would pick: the list filters asynchronously, so wait for the focused one, not any. */
  quickInputFocusedRow: (text: string) => `.quick-input-widget .monaco-list-row.focused[aria-label*="${cssString(text)}"]`,
  editorLines: '.editor-instance .monaco-editor .view-lines',
  activeTab: '.tabs-container .tab.active',
  squiggle: (kind: 'error' | 'warning' | 'info') => `.squiggly-${kind}`,
  problemsPanel: '.markers-panel',
  problemRows: '.markers-panel .monaco-list-row',
  hover: '.monaco-hover:not(.hidden)',
  codeActionMenu: '.action-widget',
  codeActionRows: '.action-widget .monaco-list-row.action',
  notification: '.notifications-toasts .notification-toast',
  dialog: '.monaco-dialog-box',
  statusBar: '.part.statusbar',
} as const;

function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

function kebab(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** Drives one workbench page; every public helper is a numbered, screenshotted step. */
export class UiWalk {
  private stepNumber = 0;
  private depth = 0;
  readonly screenshots: string[] = [];
  /** Playwright's wait for an element that should appear (ms). */
  timeoutMs = 15_000;

  constructor(
    readonly page: Page,
    readonly walkName: string,
    readonly artifactsDir: string,
    /** The workspace copy the workbench opened (walks may read or change files in it). */
    readonly workspaceFolder: string,
    private readonly print: (line: string) => void,
  ) {}

  /**
   * Runs `action` as a named step: on success saves `<NN-step>.png`; on failure saves
   * `<NN-step>-FAILED.png` and throws UiWalkStepError naming the step. Helpers called inside a
   * step do not take their own screenshots.
   */
  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    if (this.depth > 0) return action();
    const number = String(++this.stepNumber).padStart(2, '0');
    const fileBase = path.join(this.artifactsDir, `${number}-${kebab(name)}`);
    this.depth++;
    try {
      const value = await action();
      await this.settle();
      const shot = await saveScreenshot(this.page, `${fileBase}.png`);
      if (shot) this.screenshots.push(shot);
      this.print(`  ✔ ${number} ${name}`);
      return value;
    } catch (error) {
      const shot = await saveScreenshot(this.page, `${fileBase}-FAILED.png`);
      if (shot) this.screenshots.push(shot);
      this.print(`  ✖ ${number} ${name}`);
      throw error instanceof UiWalkStepError ? error : new UiWalkStepError(this.walkName, name, shot, error);
    } finally {
      this.depth--;
    }
  }

  /**
   * Lets the picture show a finished state: no progress bar running (views loading, commands
   * working) and animations (sidebar slide, hover fade) done. Best effort, bounded to ~3 s.
   */
  async settle(): Promise<void> {
    await this.page
      .locator('.monaco-progress-container.active:visible')
      .first()
      .waitFor({ state: 'hidden', timeout: 3000 })
      .catch(() => {});
    await this.page.waitForTimeout(250);
  }

  /** Waits for an element and fails with a readable message (not Playwright's selector dump) when it never shows. */
  async expectVisible(selector: string | Locator, what: string, timeoutMs = this.timeoutMs): Promise<Locator> {
    const locator = (typeof selector === 'string' ? this.page.locator(selector) : selector).first();
    try {
      await locator.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      throw new Error(`${what} did not appear within ${timeoutMs / 1000} s (${typeof selector === 'string' ? selector : 'locator'})`);
    }
    return locator;
  }

  async waitForWorkbench(): Promise<void> {
    await this.step('workbench loaded', async () => {
      await this.expectVisible(SELECTORS.workbench, 'the VS Code workbench', 60_000);
      await this.expectVisible(SELECTORS.statusBar, 'the status bar', 60_000);
    });
  }

  /** Clicks the activity-bar icon whose title starts with `title` and waits for its sidebar. */
  async openActivityBarContainer(title: string): Promise<void> {
    await this.step(`open the ${title} activity-bar container`, async () => {
      const entry = await this.expectVisible(SELECTORS.activityBarEntry(title), `the "${title}" activity-bar icon`);
      // A click on the active container's icon would close its sidebar: click only when it is not open.
      const alreadyOpen = await entry.evaluate((element) => element.closest('.action-item')?.classList.contains('checked') ?? false);
      if (!alreadyOpen) await entry.click();
      // Move the pointer off the icon, or its tooltip covers the sidebar in every later screenshot.
      await this.page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
      await this.expectVisible(this.page.locator(`${SELECTORS.sidebarTitle} h2`, { hasText: new RegExp(`^${escapeRegExp(title)}`, 'i') }), `the ${title} sidebar`);
    });
  }

  /** The rows of the visible tree views in the sidebar. */
  async treeRows(): Promise<TreeRow[]> {
    return this.page.locator(SELECTORS.treeRows).evaluateAll((rows) =>
      rows.map((row) => ({
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        ariaLabel: row.getAttribute('aria-label') ?? '',
        expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
      })),
    );
  }

  async waitForTreeRow(label: string | RegExp): Promise<Locator> {
    return this.step(`see tree row ${String(label)}`, () =>
      this.expectVisible(this.page.locator(SELECTORS.treeRows, { has: this.page.locator('.label-name', { hasText: label }) }), `a tree row labelled ${String(label)}`),
    );
  }

  async clickTreeRow(label: string | RegExp): Promise<void> {
    await this.step(`click tree row ${String(label)}`, async () => {
      const row = await this.waitForTreeRow(label);
      await row.click();
    });
  }

  /** Text of the welcome content in the sidebar (viewsWelcome). */
  async welcomeText(): Promise<string> {
    return this.step('read the welcome view', async () => {
      const welcome = await this.expectVisible(SELECTORS.welcomeView, 'the view welcome content');
      return (await welcome.innerText()).trim();
    });
  }

  /** Runs a command through the palette as a person would: F1, `Category: Title`, Enter. */
  async runCommand(title: string, category?: string): Promise<void> {
    const label = category ? `${category}: ${title}` : title;
    await this.step(`run command ${label}`, async () => {
      await this.page.keyboard.press('F1');
      const input = await this.expectVisible(SELECTORS.quickInputBox, 'the command palette');
      await input.fill(`>${label}`);
      await this.expectVisible(SELECTORS.quickInputFocusedRow(title), `the command "${label}" selected in the palette`);
      await this.page.keyboard.press('Enter');
      await this.page.locator(SELECTORS.quickInput).first().waitFor({ state: 'hidden', timeout: this.timeoutMs }).catch(() => {});
    });
  }

  /** Ctrl+P, the file name, Enter; waits until that file is the active editor. */
  async openFile(fileName: string): Promise<void> {
    await this.step(`open ${fileName} with quick open`, async () => {
      await this.page.keyboard.press('Control+P');
      const input = await this.expectVisible(SELECTORS.quickInputBox, 'quick open');
      await input.fill(fileName);
      await this.expectVisible(SELECTORS.quickInputFocusedRow(fileName), `"${fileName}" selected in quick open`);
      await this.page.keyboard.press('Enter');
      await this.expectVisible(this.page.locator(SELECTORS.activeTab, { hasText: fileName }), `an editor tab for ${fileName}`);
      await this.expectVisible(SELECTORS.editorLines, 'the editor text');
    });
  }

  /** Waits for at least one squiggle of the kind in the visible editor and returns how many there are. */
  async waitForSquiggles(kind: 'error' | 'warning' | 'info' = 'warning'): Promise<number> {
    return this.step(`see ${kind} squiggles`, async () => {
      await this.expectVisible(SELECTORS.squiggle(kind), `a ${kind} squiggle in the editor`);
      return this.page.locator(SELECTORS.squiggle(kind)).count();
    });
  }

  async openProblemsPanel(): Promise<ProblemRow[]> {
    return this.step('open the Problems panel', async () => {
      await this.page.keyboard.press('Control+Shift+M');
      await this.expectVisible(SELECTORS.problemsPanel, 'the Problems panel');
      return this.problemRows();
    });
  }

  async problemRows(): Promise<ProblemRow[]> {
    const rows = this.page.locator(SELECTORS.problemRows);
    const ariaLabels = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
    const texts = await rows.allInnerTexts();
    return ariaLabels.map((ariaLabel, index) => ({ ariaLabel, text: (texts[index] ?? '').trim() }));
  }

  /** Moves the mouse over the first occurrence of `text` in the editor and returns the hover's text. */
  async hoverOver(text: string): Promise<string> {
    return this.step(`hover over ${text}`, async () => {
      const token = await this.expectVisible(this.page.locator(`${SELECTORS.editorLines} span`, { hasText: text }).last(), `"${text}" in the editor`);
      await token.hover();
      const hover = await this.expectVisible(SELECTORS.hover, `a hover over "${text}"`);
      return (await hover.innerText()).trim();
    });
  }

  /** Puts the cursor on `text` and opens the quick-fix menu (Ctrl+.); returns the offered actions. */
  async openQuickFixMenu(text?: string): Promise<string[]> {
    return this.step(`open the quick-fix menu${text ? ` on ${text}` : ''}`, async () => {
      if (text) {
        const token = await this.expectVisible(this.page.locator(`${SELECTORS.editorLines} span`, { hasText: text }).last(), `"${text}" in the editor`);
        await token.click();
      }
      await this.page.keyboard.press('Control+.');
      await this.expectVisible(SELECTORS.codeActionMenu, 'the quick-fix menu');
      return (await this.page.locator(SELECTORS.codeActionRows).allInnerTexts()).map((text) => text.trim());
    });
  }

  /** Waits for a notification toast containing `text` and returns its full text. */
  async waitForNotification(text: string | RegExp): Promise<string> {
    return this.step(`see notification ${String(text)}`, async () => {
      const toast = await this.expectVisible(this.page.locator(SELECTORS.notification, { hasText: text }), `a notification saying ${String(text)}`);
      return (await toast.innerText()).trim();
    });
  }

  /** Waits for a modal dialog (VS Code 1.100 asks some questions this way, e.g. "no formatter") and returns its text. */
  async waitForDialog(text: string | RegExp): Promise<string> {
    return this.step(`see dialog ${String(text)}`, async () => {
      const dialog = await this.expectVisible(this.page.locator(SELECTORS.dialog, { hasText: text }), `a dialog saying ${String(text)}`);
      return (await dialog.innerText()).trim();
    });
  }

  /** Clicks a button of the open dialog by its label. */
  async clickDialogButton(label: string): Promise<void> {
    await this.step(`click dialog button ${label}`, async () => {
      const button = await this.expectVisible(this.page.locator(`${SELECTORS.dialog} .monaco-button`, { hasText: label }), `the dialog button "${label}"`);
      await button.click();
      await this.page.locator(SELECTORS.dialog).first().waitFor({ state: 'hidden', timeout: this.timeoutMs });
    });
  }

  async notifications(): Promise<string[]> {
    return (await this.page.locator(SELECTORS.notification).allInnerTexts()).map((text) => text.trim());
  }

  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys);
  }

  /** An extra named picture within the walk. */
  async screenshot(name: string): Promise<void> {
    await this.step(name, async () => {});
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface UiWalkRunOptions {
  server: CodeServerHandle;
  definition: UiWalkDefinition;
  browser?: Browser;
  print?: (line: string) => void;
  /** Whole-walk limit (default 3 minutes). */
  timeoutMs?: number;
}

export interface UiWalkResult {
  ok: boolean;
  error?: Error;
  screenshots: string[];
  artifactsDir: string;
  durationMs: number;
}

/** Opens the server's workbench (with the development extension when the server has one) and runs the walk. */
export async function runUiWalk(options: UiWalkRunOptions): Promise<UiWalkResult> {
  const started = Date.now();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const artifactsDir = path.join(ARTIFACTS_ROOT, options.definition.name);
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  const consoleLog: WriteStream = createWriteStream(path.join(artifactsDir, 'workbench-console.log'));
  const browser = options.browser ?? (await launchChromium());
  const page = await newWorkbenchPage(browser);
  page.on('console', (message) => consoleLog.write(`[${message.type()}] ${plainConsoleText(message.text())}\n`));
  page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
  const ui = new UiWalk(page, options.definition.name, artifactsDir, options.server.workspaceFolder, print);
  let timer: NodeJS.Timeout | undefined;
  try {
    await page.goto(await options.server.workbenchUrl());
    const limitMs = options.timeoutMs ?? 3 * 60_000;
    await Promise.race([
      options.definition.run(ui),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`UI walk "${options.definition.name}" took longer than ${limitMs / 1000} s`)), limitMs);
      }),
      options.server.exited.then((code) => Promise.reject(new Error(`code-server exited (code ${code}) during the walk`))),
    ]);
    return { ok: true, screenshots: ui.screenshots, artifactsDir, durationMs: Date.now() - started };
  } catch (error) {
    if (!(error instanceof UiWalkStepError)) {
      const shot = await saveScreenshot(page, path.join(artifactsDir, 'failure.png'));
      if (shot) ui.screenshots.push(shot);
    }
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)), screenshots: ui.screenshots, artifactsDir, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    await page.context().close().catch(() => {});
    if (!options.browser) await browser.close().catch(() => {});
    await new Promise((resolve) => consoleLog.end(resolve));
    saveServerLogs(options.server, artifactsDir);
  }
}
