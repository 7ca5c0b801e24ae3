// The Getting Started walkthrough, as the running VS Code sees the installed extension: contributed
// with its five steps in order, every page and picture it shows is inside the extension (so a VSIX
// that left one out fails here), and every command a step's button runs or waits for is registered.
// The UI walk ui/walkthrough.walk.ts shows it on screen.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './testEnvironment';

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: unknown; svg?: string };
  completionEvents?: string[];
}

interface Walkthrough {
  id: string;
  title: string;
  steps: WalkthroughStep[];
}

const EXPECTED_STEPS = ['openTree', 'configureRunner', 'generateMigration', 'reviewFindings', 'upgradeHead'];

function ourExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension;
}

function gettingStarted(): Walkthrough {
  const walkthroughs = (ourExtension().packageJSON.contributes?.walkthroughs ?? []) as Walkthrough[];
  const walkthrough = walkthroughs.find((candidate) => candidate.id === 'gettingStarted');
  assert.ok(walkthrough, `no walkthrough "gettingStarted" among ${walkthroughs.map((candidate) => candidate.id).join(', ') || 'none'}`);
  return walkthrough;
}

/** `command:<id>` links in a step's description (its buttons), arguments stripped. */
function linkedCommands(step: WalkthroughStep): string[] {
  return [...step.description.matchAll(/\]\(command:([\w.-]+)/g)].map((match) => match[1]);
}

suite('Getting Started walkthrough', () => {
  test('is contributed as "Get started with Alembic Workbench" with its five steps in order', () => {
    const walkthrough = gettingStarted();
    assert.equal(walkthrough.title, 'Get started with Alembic Workbench');
    assert.deepEqual(
      walkthrough.steps.map((step) => step.id),
      EXPECTED_STEPS,
    );
    for (const step of walkthrough.steps) {
      assert.ok(step.title.trim() && step.description.trim(), `step ${step.id} has no title or description`);
      assert.ok(linkedCommands(step).length > 0, `step ${step.id} has no button`);
      assert.ok((step.completionEvents ?? []).length > 0, `step ${step.id} never completes`);
    }
  });

  test('ships each step page and every picture it shows inside the extension', () => {
    const root = ourExtension().extensionPath;
    for (const step of gettingStarted().steps) {
      assert.ok(step.media.markdown, `step ${step.id} has no markdown page`);
      const page = path.join(root, step.media.markdown);
      assert.ok(existsSync(page), `${step.media.markdown} is not in the installed extension`);
      const images = [...readFileSync(page, 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
      assert.ok(images.length > 0, `${step.media.markdown} shows no picture`);
      for (const image of images) {
        const file = path.join(path.dirname(page), image);
        assert.ok(existsSync(file), `${step.media.markdown} shows ${image}, which is not in the installed extension`);
        if (file.endsWith('.svg')) assert.match(readFileSync(file, 'utf8'), /^<svg[\s>]/, `${image} is not an SVG`);
      }
    }
  });

  test('every command a step runs or waits for is registered, every view it waits for is contributed', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const views = Object.values((ourExtension().packageJSON.contributes?.views ?? {}) as Record<string, { id: string }[]>).flat().map((view) => view.id);
    const missing: string[] = [];
    for (const step of gettingStarted().steps) {
      const waitedFor = (step.completionEvents ?? []).flatMap((event) => (event.startsWith('onCommand:') ? [event.slice('onCommand:'.length)] : []));
      for (const command of new Set([...linkedCommands(step), ...waitedFor])) if (!commands.has(command)) missing.push(`${step.id}: ${command}`);
      for (const event of step.completionEvents ?? []) {
        if (event.startsWith('onView:')) assert.ok(views.includes(event.slice('onView:'.length)), `${step.id} waits for an unknown view: ${event}`);
        else assert.match(event, /^(onCommand|onView|onSettingChanged|onContext|onLink|onStepSelected):/, `${step.id}: unknown completion event ${event}`);
      }
    }
    assert.deepEqual(missing, [], `commands the walkthrough uses but nobody registered:\n${missing.join('\n')}`);
  });
});
