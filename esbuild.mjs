// Bundles the extension (CommonJS, `vscode` left to the host), the CLI (plain node) and the
// extension test module that runs inside the real VS Code extension host.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // pg tries to require its optional native binding; we never use it.
  external: ['vscode', 'pg-native'],
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['test/vscode/suite/index.ts'],
    outfile: 'dist/test/vscode/suite/index.js',
    // mocha must stay a real module so it can find its reporters at run time.
    external: ['vscode', 'pg-native', 'mocha'],
    sourcemap: true,
    minify: false,
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
