// A persistent cache of parsed revision headers, so a second `alembic-workbench heads` on a large
// history only stats each file instead of reading and parsing it (git's index does the same for
// the work tree). An entry is trusted only while the file's size, mtime, ctime and inode are
// unchanged; entries for files modified in the last two seconds are never written, so an edit within
// the file system's timestamp granularity can't hide behind an old stamp. The cache is an
// optimisation only: unreadable, corrupt or unwritable cache files are ignored.
import { mkdirSync, readFileSync, renameSync, Stats, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseRevisionFile, RevisionFile } from '../revisions/revisionFile';

/** Bump when parseRevisionFile's output changes, so old caches are dropped. */
export const HEADER_CACHE_FORMAT = 6;

/** What identifies one version of a file on disk: size, mtime, ctime (milliseconds) and inode. */
export type FileStamp = [size: number, mtimeMs: number, ctimeMs: number, inode: number];

// Numbers, compared as numbers: formatting two doubles per file as text cost more than the stat.
export function fileStamp(stats: Stats): FileStamp {
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

// Compact keys keep the cache small (it is read on every run).
interface CachedHeader {
  r?: string;
  d: string[];
  f: RevisionFile['downRevisionForm'];
  b: string[];
  o: string[];
  m?: string;
  h: RevisionFile['headerIssues'];
  p: RevisionFile['parsedWith'];
}

interface CacheDocument {
  format: number;
  entries: Record<string, [stamp: FileStamp, header: CachedHeader]>;
}

function toCached(file: RevisionFile): CachedHeader {
  return {
    r: file.revision,
    d: file.downRevisions,
    f: file.downRevisionForm,
    b: file.branchLabels,
    o: file.dependsOn,
    m: file.message,
    h: file.headerIssues,
    p: file.parsedWith,
  };
}

/**
 * A RevisionFile restored from the cache. What only the editor, `check` or verbose output want
 * (ranges, the full docstring and its template lines) is not cached: those properties re-read the
 * file the first time one of them is asked for.
 */
class CachedRevisionFile implements RevisionFile {
  revision?: string;
  downRevisions: string[];
  downRevisionForm: RevisionFile['downRevisionForm'];
  branchLabels: string[];
  dependsOn: string[];
  message?: string;
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

  get docstring(): string | undefined {
    return this.full().docstring;
  }

  get createDate(): string | undefined {
    return this.full().createDate;
  }

  get docstringRevisionId(): string | undefined {
    return this.full().docstringRevisionId;
  }

  get docstringRevises(): string[] | undefined {
    return this.full().docstringRevises;
  }

  get references(): RevisionFile['references'] {
    return this.full().references;
  }

  get assignments(): RevisionFile['assignments'] {
    return this.full().assignments;
  }

  toJSON(): RevisionFile {
    const { reparsed: _reparsed, ...data } = this;
    return {
      ...data,
      docstring: this.docstring,
      createDate: this.createDate,
      docstringRevisionId: this.docstringRevisionId,
      docstringRevises: this.docstringRevises,
      references: this.references,
      assignments: this.assignments,
    };
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
    private readonly root: string,
  ) {
    this.entries = entries;
  }

  /** Entries are keyed relative to `root` (the project folder) to keep the file small. */
  private key(filePath: string): string {
    return this.root && filePath.startsWith(this.root) ? filePath.slice(this.root.length) : filePath;
  }

  /**
   * Opens (or starts) the cache stored in `cacheFile` for the project in `root` (its `here`);
   * never throws.
   */
  static open(cacheFile: string, root = ''): RevisionHeaderCache {
    let entries: CacheDocument['entries'] = {};
    try {
      const document = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheDocument;
      if (document.format === HEADER_CACHE_FORMAT && document.entries && typeof document.entries === 'object') entries = document.entries;
    } catch {
      // Missing or corrupt: start empty.
    }
    return new RevisionHeaderCache(cacheFile, entries, root ? `${root}${path.sep}` : '');
  }

  /** The cached header of `filePath` if it was parsed from exactly this version of the file. */
  lookup(filePath: string, stamp: FileStamp): RevisionFile | undefined {
    const key = this.key(filePath);
    this.seen.add(key);
    const entry = this.entries[key];
    if (!entry || !Array.isArray(entry[0]) || !sameStamp(entry[0], stamp)) return undefined;
    return new CachedRevisionFile(filePath, entry[1]);
  }

  store(filePath: string, stamp: FileStamp, stats: Stats, file: RevisionFile): void {
    const key = this.key(filePath);
    this.seen.add(key);
    // A file changed within the last moments could change again without its stamp moving.
    if (Date.now() - stats.mtimeMs < RACY_WINDOW_MS) {
      if (this.entries[key]) {
        delete this.entries[key];
        this.dirty = true;
      }
      return;
    }
    this.entries[key] = [stamp, toCached(file)];
    this.dirty = true;
  }

  /** Writes the cache if anything changed, dropping files no longer seen; returns whether it wrote. */
  save(): boolean {
    for (const key of Object.keys(this.entries)) {
      if (!this.seen.has(key)) {
        delete this.entries[key];
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
  return path.join(root, `headers-${fnv1a64(projectId)}.json`);
}

/** A 64-bit FNV-1a hash as 16 hex digits: enough to name a cache file, and no crypto module to load. */
function fnv1a64(text: string): string {
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let index = 0; index < text.length; index++) {
    low ^= text.charCodeAt(index);
    // Multiply (high, low) by the FNV prime 0x100000001b3 in 32-bit halves.
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x100000000);
    high = (high * 0x1b3 + low * 0x100 + carry) >>> 0;
    low = lowProduct >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
