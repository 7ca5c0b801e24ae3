// The layering rules in eslint.config.mjs, run through ESLint itself on small probe sources that
// claim to live in src/core, src/cli and the VS Code layer: src/core and the CLI may not reach the
// VS Code API in any form (an import, a type-only import, a type written as import('vscode'), a
// dynamic import or a require), while the VS Code layer may; and no runtime import cycle in src/.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../support/realAlembic';

const FORBIDDEN_FORMS: Record<string, string> = {
  'a value import': "import * as vscode from 'vscode';\nexport const x = vscode;\n",
  'a type-only import': "import type { Uri } from 'vscode';\nexport const u: Uri | undefined = undefined;\n",
  'a type-only namespace import': "import type * as vscode from 'vscode';\nexport let d: vscode.Disposable | undefined;\n",
  'a type re-export': "export type { Range } from 'vscode';\n",
  'an import() type': "export type Position = import('vscode').Position;\n",
  'a typeof import() type': "export type Api = typeof import('vscode');\n",
  'a dynamic import': "export const load = () => import('vscode');\n",
  'a require': "export const api = require('vscode');\n",
};

const ALLOWED_IN_CORE = "import { readFileSync } from 'node:fs';\nexport type Loader = typeof import('node:fs');\nexport const read = readFileSync;\nexport const lazy = () => import('node:path');\n";

describe('ESLint layering rules (eslint.config.mjs)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: REPO_ROOT });

  async function vscodeMessages(code: string, relativePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, relativePath) });
    return result.messages.filter((message) => /VS Code API/.test(message.message)).map((message) => `${message.ruleId}: ${message.message}`);
  }

  for (const [form, code] of Object.entries(FORBIDDEN_FORMS)) {
    it(`forbids ${form} of vscode in src/core`, async () => {
      const messages = await vscodeMessages(code, 'src/core/db/__layeringProbe.ts');
      assert.ok(messages.length > 0, `no layering error for ${form}:\n${code}`);
      assert.match(messages[0], /not even its types/);
    });

    it(`forbids ${form} of vscode in the CLI`, async () => {
      assert.ok((await vscodeMessages(code, 'src/cli/__layeringProbe.ts')).length > 0, `no layering error for ${form} in src/cli`);
    });
  }

  it('lets the VS Code layer import vscode, types included', async () => {
    const code = "import * as vscode from 'vscode';\nimport type { Uri } from 'vscode';\nexport const x = vscode;\nexport let u: Uri | undefined;\nexport type P = import('vscode').Position;\n";
    assert.deepEqual(await vscodeMessages(code, 'src/commands/__layeringProbe.ts'), []);
  });

  it('leaves other modules alone in src/core (type imports and dynamic imports included)', async () => {
    const [result] = await eslint.lintText(ALLOWED_IN_CORE, { filePath: path.join(REPO_ROOT, 'src/core/db/__layeringProbe.ts') });
    assert.deepEqual(result.messages, []);
  });

  it('forbids src/core to import any folder of the VS Code layer', async () => {
    for (const layer of ['editorRunner/commandExecution', 'editorProject/projectRegistry', 'editorDb/databaseStateStore', 'workbench', 'settings', 'commands/commandTable']) {
      const [result] = await eslint.lintText(`import * as layer from '../../${layer}';\nexport const x = layer;\n`, { filePath: path.join(REPO_ROOT, 'src/core/db/__layeringProbe.ts') });
      assert.ok(result.messages.some((message) => /must not import the VS Code layer/.test(message.message)), `no layering error for ${layer}`);
    }
  });

  // The probe claims to be commandExecution.ts, which failureActions.ts (on disk) imports.
  async function cycleMessages(code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, 'src/editorRunner/commandExecution.ts') });
    return result.messages.filter((message) => message.ruleId === 'import-x/no-cycle').map((message) => message.message);
  }

  it('fails on a runtime import cycle in src/', async () => {
    const messages = await cycleMessages("import { showAlembicFailure } from './failureActions';\nexport const show = showAlembicFailure;\n");
    assert.equal(messages.length, 1);
    assert.match(messages[0], /Dependency cycle/);
  });

  it('lets a type-only import close a loop (it is erased at build)', async () => {
    assert.deepEqual(await cycleMessages("import type { FailureFollowUps } from './failureActions';\nexport let followUps: FailureFollowUps | undefined;\n"), []);
  });

  it('still forbids shell: true in src/core (the layering selectors did not replace it)', async () => {
    const code = "import { spawn } from 'node:child_process';\nspawn('ls', [], { shell: true });\n";
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, 'src/core/runner/__layeringProbe.ts') });
    assert.ok(result.messages.some((message) => /Never build a shell string/.test(message.message)));
  });
});
