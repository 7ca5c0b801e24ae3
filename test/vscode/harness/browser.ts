// Debian's Chromium driven by playwright-core, with the flags measured to work headless as root
// in a container. Playwright makes a fresh profile itself, so no --user-data-dir here.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './codeServerInstall';

export const CHROMIUM_PATH = process.env.AW_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_ROOT = path.join(REPO_ROOT, 'test', 'artifacts');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Big enough that the sidebar, an editor and the panel fit in one screenshot. */
export const VIEWPORT = { width: 1440, height: 900 };

export class BrowserLaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserLaunchError';
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new BrowserLaunchError(`Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium (or set AW_CHROMIUM).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export async function newWorkbenchPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  // Loading the workbench is code-server serving ~15 MB of scripts; on a busy 2-core machine that
  // outlasts Playwright's 30 s default. A guard against a dead server, not a speed limit.
  context.setDefaultNavigationTimeout(120_000);
  return context.newPage();
}

/** Saves a PNG, creating the folder; never throws (a failed screenshot must not hide the real failure). */
export async function saveScreenshot(page: Page, file: string): Promise<string | undefined> {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch {
    return undefined;
  }
}

/**
 * Browser console lines carry CSS styling for DevTools: `%c` markers followed by one CSS argument
 * each. Drop both so mocha's output reads as plain text.
 */
export function plainConsoleText(text: string, styleArguments: string[] = []): string {
  let plain = text;
  for (const style of styleArguments) plain = plain.replace(style, '');
  return plain.replace(/%c/g, '').replace(/[ \t]+$/gm, '');
}
