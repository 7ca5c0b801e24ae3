// Finds a project's naming convention without running Python: starts at env.py (where
// `target_metadata` is set), follows its imports into the project's own modules (models, the
// declarative base, a conventions module) a couple of levels deep, and stops at the first
// `MetaData(naming_convention=...)`. Imports that leave the project (sqlalchemy, os) don't resolve
// to a file under the project's roots and are not followed.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AlembicProjectConfig } from '../project/projectConfig';
import { readNamedConvention, scanNamingConvention, type ModuleReference, type NamingConvention, type NamingConventionScan } from './namingConvention';
import { isFile } from '../util/fileKinds';

export interface NamingConventionSearch {
  /** The project's env.py. */
  envFile: string;
  /** Folders absolute imports resolve against (prepend_sys_path, the alembic.ini folder, ...). */
  importRoots: string[];
  /** How many import levels below env.py to look (default 2: env.py -> base.py -> conventions.py). */
  maxDepth?: number;
  /** Upper bound on files read (default 40). */
  maxFiles?: number;
}

export interface NamingConventionLookup {
  convention?: NamingConvention;
  /** Every file read, so a cache can tell when to look again. */
  scannedFiles: string[];
}

const MAX_FILE_BYTES = 512 * 1024;

function readSource(file: string): string | undefined {
  try {
    const stats = statSync(file);
    if (!stats.isFile() || stats.size > MAX_FILE_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}


/** The file a module reference names, looked up like Python's import system (packages and modules). */
export function resolveModule(reference: ModuleReference, importingFile: string, importRoots: readonly string[]): string | undefined {
  const parts = reference.module.split('.').filter(Boolean);
  const bases =
    reference.level > 0
      ? [Array.from({ length: reference.level - 1 }).reduce<string>((folder) => path.dirname(folder), path.dirname(importingFile))]
      : importRoots;
  for (const base of bases) {
    const stem = path.join(base, ...parts);
    for (const candidate of parts.length === 0 ? [path.join(stem, '__init__.py')] : [`${stem}.py`, path.join(stem, '__init__.py')]) {
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export function findProjectNamingConvention(search: NamingConventionSearch): NamingConventionLookup {
  const maxDepth = search.maxDepth ?? 2;
  const maxFiles = search.maxFiles ?? 40;
  const roots = [...new Set(search.importRoots.map((root) => path.resolve(root)))];
  const scanned: string[] = [];
  const visited = new Set<string>();
  const queue: Array<{ file: string; depth: number }> = [{ file: path.resolve(search.envFile), depth: 0 }];
  while (queue.length > 0 && scanned.length < maxFiles) {
    const { file, depth } = queue.shift()!;
    if (visited.has(file)) continue;
    visited.add(file);
    const source = readSource(file);
    scanned.push(file);
    if (source === undefined) continue;
    let scan: NamingConventionScan = scanNamingConvention(source, file);
    const imports = scan.imports;
    // A convention imported by name: follow the name (`from .conventions import NAMING`), a few hops.
    let from = file;
    for (let hop = 0; !scan.convention && scan.importedFrom && hop < 4; hop++) {
      const target = resolveModule(scan.importedFrom.module, from, roots);
      if (!target) break;
      const targetSource = readSource(target);
      scanned.push(target);
      if (targetSource === undefined) break;
      scan = readNamedConvention(targetSource, target, scan.importedFrom.name);
      from = target;
    }
    if (scan.convention) return { convention: scan.convention, scannedFiles: scanned };
    if (depth >= maxDepth) continue;
    for (const reference of imports) {
      const target = resolveModule(reference, file, roots);
      if (target && !visited.has(target)) queue.push({ file: target, depth: depth + 1 });
    }
  }
  return { scannedFiles: scanned };
}

/** Where a project's imports resolve: prepend_sys_path, the alembic.ini folder, the script folder and its parent. */
export function namingConventionSearchFor(config: Pick<AlembicProjectConfig, 'scriptLocation' | 'here' | 'prependSysPath'>): NamingConventionSearch {
  return {
    envFile: path.join(config.scriptLocation, 'env.py'),
    importRoots: [...config.prependSysPath, config.here, path.dirname(config.scriptLocation), config.scriptLocation],
  };
}

export function projectNamingConvention(config: Pick<AlembicProjectConfig, 'scriptLocation' | 'here' | 'prependSysPath'>): NamingConventionLookup {
  return findProjectNamingConvention(namingConventionSearchFor(config));
}

/**
 * Remembers each project's lookup and looks again only when one of the files it read changed
 * (checked at most once per `recheckMs`), or when told to (a Python file was saved).
 */
export class NamingConventionCache {
  private readonly entries = new Map<string, { lookup: NamingConventionLookup; stamps: Map<string, number>; checkedAt: number }>();

  constructor(
    private readonly recheckMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, search: NamingConventionSearch): NamingConvention | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      if (this.now() - entry.checkedAt < this.recheckMs) return entry.lookup.convention;
      if ([...entry.stamps].every(([file, stamp]) => stampOf(file) === stamp)) {
        entry.checkedAt = this.now();
        return entry.lookup.convention;
      }
    }
    const lookup = findProjectNamingConvention(search);
    this.entries.set(key, { lookup, stamps: new Map(lookup.scannedFiles.map((file) => [file, stampOf(file)])), checkedAt: this.now() });
    return lookup.convention;
  }

  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

function stampOf(file: string): number {
  try {
    const stats = statSync(file);
    return stats.mtimeMs * 1e3 + (stats.size % 1000);
  } catch {
    return -1;
  }
}
