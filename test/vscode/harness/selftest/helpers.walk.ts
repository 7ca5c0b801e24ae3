// Proves every UiWalk helper against the real workbench before product walks rely on them, using
// what VS Code itself ships: the Explorer tree, TypeScript's diagnostics, hover and quick fixes,
// the Problems panel, the dialog VS Code shows when a language has no formatter, and a notification.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UiWalk, UiWalkDefinition } from '../uiWalk';

export const walk: UiWalkDefinition = {
  name: 'harness-helpers',
  description: 'each UI helper on VS Code built-ins: tree, squiggles, Problems, hover, quick fix, command palette, dialog, notification',
  async run(ui: UiWalk) {
    writeFileSync(path.join(ui.workspaceFolder, 'check.ts'), "const greeting: number = 'hello';\nconsol.log(greeting);\n");
    await ui.waitForWorkbench();

    await ui.openActivityBarContainer('Explorer');
    const rows = await ui.treeRows();
    assert.ok(rows.some((row) => row.label === 'backend'), `Explorer rows: ${JSON.stringify(rows.map((row) => row.label))}`);
    await ui.clickTreeRow('backend');
    await ui.waitForTreeRow('alembic.ini');

    await ui.openFile('check.ts');
    // TypeScript's server starts on first use: give it longer than a plain element wait.
    ui.timeoutMs = 60_000;
    const squiggles = await ui.waitForSquiggles('error');
    ui.timeoutMs = 15_000;
    assert.ok(squiggles >= 1);

    const problems = await ui.openProblemsPanel();
    const labels = problems.map((problem) => problem.ariaLabel).join('\n');
    assert.match(labels, /not assignable to type 'number'/);
    assert.match(labels, /Cannot find name 'consol'/);

    const hover = await ui.hoverOver('greeting');
    assert.match(hover, /const greeting: number/);

    const fixes = await ui.openQuickFixMenu('consol');
    assert.ok(fixes.some((fix) => /Change spelling to 'console'/.test(fix)), `quick fixes: ${JSON.stringify(fixes)}`);
    await ui.press('Escape');

    await ui.openFile('env.py');
    await ui.runCommand('Format Document');
    const question = await ui.waitForDialog(/formatter/i);
    assert.match(question, /no formatter for 'python'/i);
    await ui.clickDialogButton('Cancel');

    await ui.openFile('check.ts');
    await ui.runCommand('Go to Project Configuration', 'TypeScript');
    const notice = await ui.waitForNotification(/not part of a TypeScript project/i);
    assert.match(notice, /tsconfig/i);
  },
};
