// The shipped bundles and the VSIX allowlist, built with the real build definitions
// (scripts/lib/bundles.mjs) into a temporary extension root:
// - sql.js is not in dist/extension.js but in dist/sqlite.js, which the extension requires by a
//   relative path only when it reads a SQLite file (proved by a probe bundled with the same plugin
//   that reads a real SQLite database written by Python's sqlite3);
// - production bundles carry no source maps;
// - .vscodeignore lets in every file the extension uses and nothing outside the allowlist (checked
//   with vsce's own file listing), and the check catches a broken allowlist.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../../support/realAlembic';

interface BundlesModule {
  buildBundles(options: { production?: boolean; outdir?: string; tests?: boolean; metafile?: boolean; logLevel?: string }): Promise<Record<string, esbuild.BuildResult>>;
  sharedOptions(production: boolean): esbuild.BuildOptions;
  sqliteAsSeparateBundle: esbuild.Plugin;
  SQLITE_BUNDLE_FILE: string;
}
interface VsixContentsModule {
  listVsixFiles(root: string): Promise<string[]>;
  checkVsixFiles(root: string, manifest: unknown, shipped: string[]): { missing: string[]; unexpected: string[] };
  referencedFiles(root: string, manifest: unknown): string[];
}

/** The first bytes of every WebAssembly module ("\0asm"), base64-encoded as sql.js inlines it. */
const WASM_MAGIC_BASE64 = 'AGFzbQ';
const SYSTEM_PYTHON = '/usr/bin/python3';

describe('Packaging: bundles and the VSIX allowlist', function () {
  this.timeout(120_000);
  let root: string;
  let bundles: BundlesModule;
  let vsixContents: VsixContentsModule;
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string };

  before(async () => {
    bundles = (await import(path.join(REPO_ROOT, 'scripts', 'lib', 'bundles.mjs'))) as BundlesModule;
    vsixContents = (await import(path.join(REPO_ROOT, 'scripts', 'lib', 'vsixContents.mjs'))) as VsixContentsModule;
    // An extension root of its own: the files vsce would look at, and production bundles in its dist/.
    root = mkdtempSync(path.join(tmpdir(), 'aw-packaging-'));
    for (const entry of ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'docs', 'snippets']) {
      cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
    }
    await bundles.buildBundles({ production: true, tests: false, outdir: path.join(root, 'dist'), logLevel: 'warning' });
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps sql.js out of dist/extension.js and requires dist/sqlite.js by a relative path', () => {
    const extension = readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
    const sqlite = readFileSync(path.join(root, 'dist', bundles.SQLITE_BUNDLE_FILE), 'utf8');
    assert.ok(!extension.includes(WASM_MAGIC_BASE64), 'the inlined WebAssembly of sql.js is still inside dist/extension.js');
    assert.ok(sqlite.includes(WASM_MAGIC_BASE64), 'dist/sqlite.js does not hold the WebAssembly module');
    assert.match(extension, /require\("\.\/sqlite\.js"\)/);
    assert.ok(extension.length < 1024 * 1024, `dist/extension.js is ${extension.length} bytes, more than 1 MB`);
  });

  it('builds production bundles minified and without source maps', () => {
    for (const file of ['extension.js', 'sqlite.js', 'cli.js', 'cli-main.js']) {
      const text = readFileSync(path.join(root, 'dist', file), 'utf8');
      assert.ok(!text.includes('sourceMappingURL'), `${file} points at a source map`);
      assert.ok(!existsSync(path.join(root, 'dist', `${file}.map`)), `${file}.map was written`);
    }
    // Minified: far fewer lines than bytes / 80.
    const extension = readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
    assert.ok(extension.split('\n').length < extension.length / 1000, 'dist/extension.js does not look minified');
  });

  it('loads dist/sqlite.js only when a SQLite database is read, and reads it through the real client', async () => {
    const database = path.join(root, 'probe.db');
    const created = spawnSync(SYSTEM_PYTHON, [
      '-c',
      'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")\nc.execute("INSERT INTO alembic_version VALUES (\'4b1d3f0a9c21\')")\nc.commit()',
      database,
    ], { encoding: 'utf8' });
    assert.equal(created.status, 0, created.stderr);

    // A probe bundled next to dist/sqlite.js exactly like the extension is: same options, same plugin.
    const probeSource = path.join(root, 'probe-entry.ts');
    const clientModule = path.join(REPO_ROOT, 'src', 'core', 'db', 'databaseClient').split(path.sep).join('/');
    const urlModule = path.join(REPO_ROOT, 'src', 'core', 'db', 'sqlalchemyUrl').split(path.sep).join('/');
    const versionModule = path.join(REPO_ROOT, 'src', 'core', 'db', 'versionTable').split(path.sep).join('/');
    writeFileSync(
      probeSource,
      [
        `import { createDatabaseClient } from '${clientModule}';`,
        `import { toDatabaseConnectionSpec } from '${urlModule}';`,
        `import { readVersionTable } from '${versionModule}';`,
        "const sqliteLoaded = () => Object.keys(require.cache).some((file) => file.endsWith('/sqlite.js'));",
        'async function main() {',
        '  const before = sqliteLoaded();',
        "  const client = createDatabaseClient(toDatabaseConnectionSpec('sqlite:///' + process.argv[2]));",
        '  const contents = await readVersionTable(client);',
        '  await client.close();',
        '  console.log(JSON.stringify({ before, after: sqliteLoaded(), rows: contents.rows }));',
        '}',
        'main().catch((error) => { console.error(error); process.exit(1); });',
      ].join('\n'),
    );
    await esbuild.build({
      ...bundles.sharedOptions(true),
      logLevel: 'warning',
      entryPoints: [probeSource],
      outfile: path.join(root, 'dist', 'probe.js'),
      plugins: [bundles.sqliteAsSeparateBundle],
    });
    const probe = spawnSync(process.execPath, [path.join(root, 'dist', 'probe.js'), database], { encoding: 'utf8', cwd: tmpdir() });
    assert.equal(probe.status, 0, probe.stderr);
    assert.deepEqual(JSON.parse(probe.stdout), { before: false, after: true, rows: ['4b1d3f0a9c21'] });
  });

  it('ships every file the extension uses and nothing outside the allowlist (.vscodeignore, vsce listFiles)', async () => {
    rmSync(path.join(root, 'dist', 'probe.js'), { force: true });
    const shipped = await vsixContents.listVsixFiles(root);
    const referenced = vsixContents.referencedFiles(root, manifest);
    assert.ok(referenced.includes('dist/extension.js') && referenced.includes('dist/sqlite.js'), `references found: ${referenced.join(', ')}`);
    assert.deepEqual(vsixContents.checkVsixFiles(root, manifest, shipped), { missing: [], unexpected: [] });
    assert.ok(!shipped.includes('dist/cli.js'), 'the CLI is not part of the VSIX');
    assert.ok(shipped.some((file) => file.startsWith('docs/rules/') && file.endsWith('.md')), 'the rule pages are missing');
    // Nothing of the repository's tooling: tests, caches, benchmarks, the icon's source.
    for (const file of shipped) assert.doesNotMatch(file, /^(test|\.cache|bench|src|scripts|examples)\/|^media\/icon\.svg$/);
  });

  it('has what a Marketplace listing needs: a 128x128 PNG icon, a gallery banner, categories and keywords', () => {
    const listing = manifest as unknown as { icon: string; galleryBanner: { color: string; theme: string }; categories: string[]; keywords: string[] };
    const png = readFileSync(path.join(root, listing.icon));
    // The PNG signature, then the IHDR chunk: width and height as big-endian 32-bit integers.
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.match(listing.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(listing.galleryBanner.theme));
    assert.ok(listing.categories.includes('Linters') && listing.keywords.includes('alembic'));
  });

  it('reports a file the extension needs that the allowlist leaves out, and a file it lets in by mistake', async () => {
    const ignoreFile = path.join(root, '.vscodeignore');
    const original = readFileSync(ignoreFile, 'utf8');
    try {
      writeFileSync(ignoreFile, original.replace('!dist/sqlite.js\n', '').replace('!docs/rules/**', '!docs/**'));
      const { missing, unexpected } = vsixContents.checkVsixFiles(root, manifest, await vsixContents.listVsixFiles(root));
      assert.deepEqual(missing, ['dist/sqlite.js']);
      assert.ok(unexpected.includes('docs/architecture.md'), `unexpected: ${unexpected.join(', ')}`);
    } finally {
      writeFileSync(ignoreFile, original);
    }
  });
});
