// A persistent cache of parsed revision headers, so a second `alembic-workbench heads` on a large
// history only stats each file instead of reading and parsing it (git's index does the same for
// the work tree). An entry is trusted only while the file's size, mtime, ctime and inode are
// unchanged; entries for files modified in the last two seconds are never written, so an edit within
// the file system's timestamp granularity can't hide behind an old stamp. The cache is an
// optimisation only: unreadable, corrupt or unwritable cache files are ignored.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, Stats, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseRevisionFile, RevisionFile } from '../revisions/revisionFile';

/** Bump when parseRevisionFile's output changes, so old caches are dropped. */
export const HEADER_CACHE_FORMAT = 3;

/** What identifies one version of a file on disk. */
export function fileStamp(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
}

// Compact keys keep the cache small (it is read on every run).
interface CachedHeader {
  r?: string;
  d: string[];
  f: RevisionFile['downRevisionForm'];
  b: string[];
  o: string[];
  m?: string;
  s?: string;
  c?: string;
  i?: string;
  v?: string[];
  h: RevisionFile['headerIssues'];
  p: RevisionFile['parsedWith'];
}

interface CacheDocument {
  format: number;
  entries: Record<string, [stamp: string, header: CachedHeader]>;
}

function toCached(file: RevisionFile): CachedHeader {
  return {
    r: file.revision,
    d: file.downRevisions,
    f: file.downRevisionForm,
    b: file.branchLabels,
    o: file.dependsOn,
    m: file.message,
    s: file.docstring,
    c: file.createDate,
    i: file.docstringRevisionId,
    v: file.docstringRevises,
    h: file.headerIssues,
    p: file.parsedWith,
  };
}

/**
 * A RevisionFile restored from the cache. Ranges are not cached (they are only wanted by the
 * editor and by `check`): `references` and `assignments` re-read the file the first time they are
 * asked for.
 */
class CachedRevisionFile implements RevisionFile {
  revision?: string;
  downRevisions: string[];
  downRevisionForm: RevisionFile['downRevisionForm'];
  branchLabels: string[];
  dependsOn: string[];
  message?: string;
  docstring?: string;
  createDate?: string;
  docstringRevisionId?: string;
  docstringRevises?: string[];
  headerIssues: RevisionFile['headerIssues'];
  parsedWith: RevisionFile['parsedWith'];
  private reparsed?: RevisionFile;

  constructor(
    readonly filePath: string,
    cached: CachedHeader,
  ) {
    this.revision = cached.r;
    this.downRevisions = cached.d;
    this.downRevisionForm = cached.f;
    this.branchLabels = cached.b;
    this.dependsOn = cached.o;
    this.message = cached.m;
    this.docstring = cached.s;
    this.createDate = cached.c;
    this.docstringRevisionId = cached.i;
    this.docstringRevises = cached.v;
    this.headerIssues = cached.h;
    this.parsedWith = cached.p;
  }

  private full(): RevisionFile {
    if (!this.reparsed) {
      let text = '';
      try {
        text = readFileSync(this.filePath, 'utf8');
      } catch {
        // Deleted since: no ranges to offer.
      }
      this.reparsed = parseRevisionFile(text, this.filePath);
    }
    return this.reparsed;
  }

  get references(): RevisionFile['references'] {
    return this.full().references;
  }

  get assignments(): RevisionFile['assignments'] {
    return this.full().assignments;
  }

  toJSON(): RevisionFile {
    const { reparsed: _reparsed, ...data } = this;
    return { ...data, references: this.references, assignments: this.assignments };
  }
}

const RACY_WINDOW_MS = 2000;

export class RevisionHeaderCache {
  private entries: CacheDocument['entries'];
  private dirty = false;
  private readonly seen = new Set<string>();

  private constructor(
    readonly cacheFile: string,
    entries: CacheDocument['entries'],
  ) {
    this.entries = entries;
  }

  /** Opens (or starts) the cache stored in `cacheFile`; never throws. */
  static open(cacheFile: string): RevisionHeaderCache {
    let entries: CacheDocument['entries'] = {};
    try {
      const document = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheDocument;
      if (document.format === HEADER_CACHE_FORMAT && document.entries && typeof document.entries === 'object') entries = document.entries;
    } catch {
      // Missing or corrupt: start empty.
    }
    return new RevisionHeaderCache(cacheFile, entries);
  }

  /** The cached header of `filePath` if it was parsed from exactly this version of the file. */
  lookup(filePath: string, stamp: string): RevisionFile | undefined {
    this.seen.add(filePath);
    const entry = this.entries[filePath];
    if (!entry || entry[0] !== stamp) return undefined;
    return new CachedRevisionFile(filePath, entry[1]);
  }

  store(filePath: string, stamp: string, stats: Stats, file: RevisionFile): void {
    this.seen.add(filePath);
    // A file changed within the last moments could change again without its stamp moving.
    if (Date.now() - stats.mtimeMs < RACY_WINDOW_MS) {
      if (this.entries[filePath]) {
        delete this.entries[filePath];
        this.dirty = true;
      }
      return;
    }
    this.entries[filePath] = [stamp, toCached(file)];
    this.dirty = true;
  }

  /** Writes the cache if anything changed, dropping files no longer seen; returns whether it wrote. */
  save(): boolean {
    for (const filePath of Object.keys(this.entries)) {
      if (!this.seen.has(filePath)) {
        delete this.entries[filePath];
        this.dirty = true;
      }
    }
    if (!this.dirty) return false;
    try {
      mkdirSync(path.dirname(this.cacheFile), { recursive: true });
      const temporary = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ format: HEADER_CACHE_FORMAT, entries: this.entries } satisfies CacheDocument));
      renameSync(temporary, this.cacheFile);
      this.dirty = false;
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Where a project's header cache lives: `$ALEMBIC_WORKBENCH_CACHE_DIR`, else `$XDG_CACHE_HOME` or
 * `~/.cache`, under `alembic-workbench/`, one file per project.
 */
export function defaultHeaderCacheFile(projectId: string, env: Record<string, string | undefined> = process.env): string {
  const root = env.ALEMBIC_WORKBENCH_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'alembic-workbench');
  const key = createHash('sha1').update(projectId).digest('hex').slice(0, 16);
  return path.join(root, `headers-${key}.json`);
}
