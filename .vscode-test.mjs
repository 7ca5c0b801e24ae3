// @vscode/test-cli configuration (`npm run test:vscode:electron`), for contributors whose machine
// can download VS Code from Microsoft. It runs the same bundled extension test module as the
// code-server harness that `npm test` uses (test/vscode/harness/runAll.ts), on a fresh copy of the
// same fixture workspace, in VS Code 1.100.3: the release inside code-server 4.100.3.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const example = path.join(root, 'examples', 'meeting-assistant');
const source = existsSync(example) ? example : path.join(root, 'test', 'fixtures', 'vscode-workspace');
// Tests may change files in the workspace: never hand them the committed copy.
const workspace = mkdtempSync(path.join(tmpdir(), 'aw-vscode-test-cli-'));
cpSync(source, workspace, { recursive: true });
process.on('exit', () => rmSync(workspace, { recursive: true, force: true }));

export default defineConfig({
  label: 'extension',
  files: 'dist/test/vscode/suite/index.js',
  version: '1.100.3',
  extensionDevelopmentPath: root,
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 20_000 },
  env: {
    AW_VSCODE_TEST_TRUST: 'trusted',
    AW_VSCODE_TEST_INSTALL: 'development',
    AW_VSCODE_TEST_EXTENSION_ROOT: root,
    AW_VSCODE_TEST_WORKSPACE: workspace,
  },
});
