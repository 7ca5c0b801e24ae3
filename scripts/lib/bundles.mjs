// What `node esbuild.mjs` and `npm run package` build, in one place so both (and the bundle test)
// use exactly the same options.
//
// dist/extension.js  the extension (CommonJS, `vscode` left to the host)
// dist/sqlite.js     sql.js (SQLite compiled to WebAssembly, inlined): ~0.95 MB that only a SQLite
//                    database target needs, so it is its own bundle, required by path the first time
//                    a SQLite file is read, instead of being parsed at every activation
// dist/cli.js        the CLI's launcher (plain node): runs dist/cli-main.js with V8's code cache
// dist/cli-main.js   the CLI program
// dist/graph-view.js the Revision Graph's webview script (browser, no Node, no vscode module)
// dist/test/...      the extension test module that runs inside the real VS Code extension host
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The specifier src/core/db/databaseClient.ts imports sql.js by. */
export const SQLITE_SPECIFIER = 'sql.js/dist/sql-wasm-inline.js';
/** Where that import points in a bundle: next to the bundle that imports it. */
export const SQLITE_BUNDLE_FILE = 'sqlite.js';

/**
 * Leaves the sql.js import out of a bundle and points it at `./sqlite.js` beside it. esbuild turns
 * the dynamic `import()` into a `require()` that runs only when that code path runs.
 */
export const sqliteAsSeparateBundle = {
  name: 'sqlite-as-separate-bundle',
  setup(build) {
    const filter = new RegExp(`^${SQLITE_SPECIFIER.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
    build.onResolve({ filter }, () => ({ path: `./${SQLITE_BUNDLE_FILE}`, external: true }));
  },
};

/** Options every Node bundle shares; `production` minifies and drops source maps. */
export function sharedOptions(production) {
  return {
    // Entry points and relative outfiles resolve against the repository, wherever the caller runs.
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
    // pg tries to require its optional native binding; we never use it.
    external: ['vscode', 'pg-native'],
    // jsonc-parser's default entry is a UMD wrapper whose dynamic require()s esbuild can't follow;
    // its ES module build bundles cleanly.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    // An import() of an external module becomes a plain require() inside a promise: the module
    // loads through CommonJS like the bundle itself (no ESM loader in the extension host, and the
    // path resolves against the bundle's own file).
    supported: { 'dynamic-import': false },
  };
}

/**
 * The bundles, keyed by a short name. `outdir` is where they go (default `dist`); `tests: false`
 * leaves out the extension test module (not shipped).
 */
export function bundleDefinitions({ production = false, outdir = 'dist', tests = true } = {}) {
  const common = sharedOptions(production);
  const definitions = {
    extension: { ...common, entryPoints: ['src/extension.ts'], outfile: `${outdir}/extension.js`, plugins: [sqliteAsSeparateBundle] },
    sqlite: {
      ...common,
      entryPoints: [SQLITE_SPECIFIER],
      outfile: `${outdir}/${SQLITE_BUNDLE_FILE}`,
      // Emscripten's output is minified already and has no sources worth mapping.
      sourcemap: false,
    },
    graphView: {
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      sourcemap: !production,
      minify: production,
      logLevel: 'info',
      entryPoints: ['src/graph/webview/revisionGraphView.ts'],
      outfile: `${outdir}/graph-view.js`,
    },
    cli: {
      ...common,
      entryPoints: ['src/cliLauncher.ts'],
      outfile: `${outdir}/cli.js`,
      banner: { js: '#!/usr/bin/env node' },
    },
    cliMain: {
      ...common,
      entryPoints: ['src/cliProgram.ts'],
      outfile: `${outdir}/cli-main.js`,
      plugins: [sqliteAsSeparateBundle],
    },
  };
  if (tests) {
    definitions.extensionTests = {
      ...common,
      entryPoints: ['test/vscode/suite/index.ts'],
      outfile: `${outdir}/test/vscode/suite/index.js`,
      // mocha must stay a real module so it can find its reporters at run time.
      external: ['vscode', 'pg-native', 'mocha'],
      // Not shipped, and its failures should point at readable lines: never minified. sql.js stays
      // inside (the suites are one file loaded from dist/test/..., not next to dist/sqlite.js).
      sourcemap: true,
      minify: false,
    };
  }
  return definitions;
}

/** Builds every bundle once; with `metafile` each result carries esbuild's metafile (what went in). */
export async function buildBundles({ production = false, outdir = 'dist', tests = true, metafile = false, logLevel } = {}) {
  const definitions = bundleDefinitions({ production, outdir, tests });
  const entries = await Promise.all(
    Object.entries(definitions).map(async ([name, options]) => [name, await esbuild.build({ ...options, metafile, ...(logLevel ? { logLevel } : {}) })]),
  );
  return Object.fromEntries(entries);
}

/** Rebuilds on every change until the process ends. */
export async function watchBundles({ production = false } = {}) {
  const contexts = await Promise.all(Object.values(bundleDefinitions({ production })).map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
}
