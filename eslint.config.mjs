// The layering rules live here so a newcomer sees them fail instead of reading about them:
// src/core is plain Node (no VS Code API) and is shared by the extension and the CLI.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const noShellOption = {
  selector: "Property[key.name='shell'][value.value=true]",
  message: 'Never build a shell string: spawn an argv array (see src/core/runner).',
};
const noShellImports = ['child_process', 'node:child_process'].map((name) => ({
  name,
  importNames: ['exec', 'execSync'],
  message: 'exec() runs a shell string; use spawn/execFile with an argv array.',
}));
/**
 * no-restricted-imports sees `import`, `import type` and `export ... from`, but not the other ways
 * a module can reach the VS Code API: a type written as `import('vscode').Uri`, a dynamic
 * `import('vscode')` or `require('vscode')`. "Not even types" means these too.
 */
const noVscodeSyntax = (message) =>
  [
    "TSImportType[argument.literal.value='vscode']",
    "ImportExpression[source.value='vscode']",
    "CallExpression[callee.name='require'][arguments.0.value='vscode']",
  ].map((selector) => ({ selector, message }));
const WEBVIEW_ONLY = 'The Revision Graph webview runs in a browser: no vscode, no Node modules; talk to the extension through graphProtocol.ts.';
const CORE_NO_VSCODE = 'src/core must not depend on the VS Code API (not even its types); convert in the VS Code layer.';
const CLI_NO_VSCODE = 'The CLI runs under plain node: no VS Code API.';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.cache/**',
      'examples/**',
      'test/artifacts/**',
      '.vscode-test/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noShellOption],
      'no-restricted-imports': ['error', { paths: noShellImports }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // No runtime import cycle in src/: a cycle makes load order decide what is still undefined.
    // `import type` is erased at build and does not count; break a cycle by injection (an event,
    // a parameter), not by a lazy import.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      // Imported files are parsed to follow their imports: as TypeScript, or the cycle goes unseen.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', noShellOption, ...noVscodeSyntax(CORE_NO_VSCODE)],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...noShellImports,
            { name: 'vscode', message: CORE_NO_VSCODE },
          ],
          patterns: [
            {
              group: ['**/commands/**', '**/views/**', '**/diagnostics/**', '**/extension', '**/navigation/**', '**/editorRunner/**', '**/editorProject/**', '**/editorDb/**', '**/workbench', '**/settings'],
              message: 'src/core must not import the VS Code layer: dependencies point from the extension to the core.',
            },
          ],
        },
      ],
    },
  },
  {
    // The view models are plain data, unit-tested without VS Code; the providers convert.
    files: ['src/views/*Model.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...noShellImports, { name: 'vscode', message: 'A view model is plain data: convert to VS Code types in the provider (src/views/*Provider.ts, treeNodes/).' }] },
      ],
    },
  },
  {
    files: ['src/cliLauncher.ts', 'src/cliProgram.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', noShellOption, ...noVscodeSyntax(CLI_NO_VSCODE)],
      'no-restricted-imports': [
        'error',
        { paths: [...noShellImports, { name: 'vscode', message: CLI_NO_VSCODE }] },
      ],
    },
  },
  {
    // The Revision Graph's webview script runs in a browser sandbox, and its protocol module is
    // shared by both sides: neither may pull in the VS Code API or Node (type imports of the core's
    // plain data are fine; esbuild drops them).
    files: ['src/graph/webview/**/*.ts', 'src/graph/graphProtocol.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: WEBVIEW_ONLY }],
          patterns: [{ group: ['node:*'], message: WEBVIEW_ONLY }],
        },
      ],
    },
  },
);
