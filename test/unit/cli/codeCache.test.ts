// The CLI launcher's code cache (src/cli/codeCache.ts), with small CommonJS files standing in for
// the bundle: it must run them exactly as require() would, and never run code compiled from
// another build.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeCacheFile, runWithCodeCache } from '../../../src/cli/codeCache';

interface ProbeGlobal {
  codeCacheProbe?: unknown[];
}
const probe = globalThis as ProbeGlobal;

describe('runWithCodeCache', () => {
  let folder: string;
  let cacheDir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'aw-code-cache-'));
    cacheDir = path.join(folder, 'cache');
    env = { ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir };
    probe.codeCacheProbe = [];
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
    delete probe.codeCacheProbe;
  });

  /** A bundle that records what it sees, and requires a file beside it. */
  function writeBundle(marker: string): string {
    writeFileSync(path.join(folder, 'helper.js'), 'module.exports = "helper beside the bundle";');
    const bundle = path.join(folder, 'bundle.js');
    writeFileSync(
      bundle,
      `globalThis.codeCacheProbe.push({ marker: ${JSON.stringify(marker)}, file: __filename, dir: __dirname, helper: require('./helper.js'), self: module.exports === exports });\n`,
    );
    return bundle;
  }

  it('runs the bundle as require() would, and stores the compiled code after the run', () => {
    const bundle = writeBundle('first');
    const run = runWithCodeCache(bundle, env);
    assert.deepEqual(probe.codeCacheProbe, [{ marker: 'first', file: bundle, dir: folder, helper: 'helper beside the bundle', self: true }]);
    assert.equal(run.usedCache, false, 'nothing stored yet');
    assert.equal(run.cacheFile, codeCacheFile(bundle, env));
    assert.equal(run.save(), true);
    assert.deepEqual(readdirSync(cacheDir), [path.basename(run.cacheFile as string)]);
  });

  it('never runs code compiled from another build, even one of the same length', () => {
    const bundle = writeBundle('build-A');
    const first = runWithCodeCache(bundle, env);
    first.save();
    // A rebuild: same size, different code, a later mtime.
    writeBundle('build-B');
    const later = new Date(Date.now() + 5000);
    utimesSync(bundle, later, later);
    const second = runWithCodeCache(bundle, env);
    assert.notEqual(second.cacheFile, first.cacheFile);
    assert.equal(second.usedCache, false);
    assert.deepEqual(
      probe.codeCacheProbe?.map((entry) => (entry as { marker: string }).marker),
      ['build-A', 'build-B'],
    );
  });

  it('runs from a corrupt cache file as from none, and replaces it', () => {
    const bundle = writeBundle('corrupt');
    const cacheFile = codeCacheFile(bundle, env);
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheFile, 'not code V8 made');
    const run = runWithCodeCache(bundle, env);
    assert.equal(run.usedCache, false, 'V8 rejects it');
    assert.equal(probe.codeCacheProbe?.length, 1);
    assert.equal(run.save(), true);
  });

  it('keeps the caches of three other builds at most, and writes nothing when turned off', () => {
    const bundle = writeBundle('prune');
    mkdirSync(cacheDir, { recursive: true });
    for (let index = 0; index < 5; index++) {
      const old = path.join(cacheDir, `cli-code-old${index}.bin`);
      writeFileSync(old, '');
      const when = new Date(Date.now() - (index + 1) * 60_000);
      utimesSync(old, when, when);
    }
    writeFileSync(path.join(cacheDir, 'headers-0123.json'), '{}');
    runWithCodeCache(bundle, env).save();
    assert.deepEqual(readdirSync(cacheDir).sort(), ['cli-code-old0.bin', 'cli-code-old1.bin', 'cli-code-old2.bin', path.basename(codeCacheFile(bundle, env)), 'headers-0123.json'].sort());

    const off = runWithCodeCache(bundle, { ...env, ALEMBIC_WORKBENCH_CACHE_DIR: path.join(folder, 'off'), ALEMBIC_WORKBENCH_NO_CACHE: '1' });
    assert.equal(off.cacheFile, undefined);
    assert.equal(off.save(), false);
    assert.equal(probe.codeCacheProbe?.length, 2, 'it still ran');
    assert.deepEqual(readdirSync(folder).sort(), ['bundle.js', 'cache', 'helper.js']);
  });

  it('runs but stores nothing where the cache folder cannot be made', () => {
    const bundle = writeBundle('unwritable');
    const blocker = path.join(folder, 'a-file');
    writeFileSync(blocker, '');
    const run = runWithCodeCache(bundle, { ALEMBIC_WORKBENCH_CACHE_DIR: path.join(blocker, 'cache') });
    assert.equal(probe.codeCacheProbe?.length, 1);
    assert.equal(run.save(), false);
  });
});
