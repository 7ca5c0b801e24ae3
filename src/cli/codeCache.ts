// Runs the CLI bundle with V8's code cache. A short command such as `heads` spends as long compiling
// the 0.5 MB bundle as reading a thousand revision files; with the code that the last run compiled
// stored beside the header cache, V8 skips that work. The cache file is named after the bundle's
// path, size, mtime and inode and the Node version, so a rebuilt or upgraded CLI never meets code
// compiled from another bundle (V8 itself only checks the source length). Like the header cache it
// is an optimisation only: a missing, corrupt or rejected cache just means compiling as usual.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { cacheDirectory, fnv1a64 } from '../core/util/cacheDirectory';

const CODE_CACHE_PREFIX = 'cli-code-';
const KEPT_OTHER_BUILDS = 3;

export interface CodeCacheRun {
  /** Where the compiled code is kept, or undefined when caching is off. */
  cacheFile?: string;
  /** Whether V8 accepted a stored cache for this run. */
  usedCache: boolean;
  /** Stores the code compiled so far (call when the program is done); returns whether it wrote. */
  save(): boolean;
}

/**
 * 16 hex digits that change whenever `bundle` is rebuilt or runs under another Node: its path, size,
 * mtime and inode, and the Node version and architecture.
 */
export function buildIdentity(bundle: string): string {
  const stats = statSync(bundle);
  return fnv1a64([bundle, stats.size, stats.mtimeMs, stats.ino, process.version, process.arch].join('\u0000'));
}

/** The cache file for one build of `bundle` under this Node. */
export function codeCacheFile(bundle: string, env: Record<string, string | undefined>, buildId = buildIdentity(bundle)): string {
  return path.join(cacheDirectory(env), `${CODE_CACHE_PREFIX}${buildId}.bin`);
}

/**
 * Loads and runs the CommonJS file `bundle` like `require(bundle)` would, compiled with the stored
 * code cache when there is one. `ALEMBIC_WORKBENCH_NO_CACHE` turns it off. `buildId`: the bundle's
 * buildIdentity when the caller has it already.
 */
export function runWithCodeCache(bundle: string, env: Record<string, string | undefined>, buildId?: string): CodeCacheRun {
  const requireFromBundle = createRequire(bundle);
  let source: string;
  let cacheFile: string;
  try {
    if (env.ALEMBIC_WORKBENCH_NO_CACHE) throw new Error('cache disabled');
    source = readFileSync(bundle, 'utf8');
    cacheFile = codeCacheFile(bundle, env, buildId);
  } catch {
    requireFromBundle(bundle);
    return { usedCache: false, save: () => false };
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // First run of this build: compile as usual and store the result at the end.
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const usedCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, requireFromBundle, module, bundle, path.dirname(bundle));
  module.loaded = true;
  return {
    cacheFile,
    usedCache,
    save: () => (usedCache ? false : storeCodeCache(cacheFile, script.createCachedData())),
  };
}

function storeCodeCache(cacheFile: string, data: Buffer): boolean {
  try {
    const folder = path.dirname(cacheFile);
    mkdirSync(folder, { recursive: true });
    // Caches of other builds: keep the few newest (a global install and a project's own copy may
    // take turns), drop the rest, so rebuilds don't pile up.
    const others = readdirSync(folder)
      .filter((name) => name.startsWith(CODE_CACHE_PREFIX) && name !== path.basename(cacheFile))
      .map((name) => ({ file: path.join(folder, name), modified: statSync(path.join(folder, name)).mtimeMs }))
      .sort((a, b) => b.modified - a.modified);
    for (const { file } of others.slice(KEPT_OTHER_BUILDS)) rmSync(file, { force: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, data);
    renameSync(temporary, cacheFile);
    return true;
  } catch {
    return false;
  }
}
