// A persistent cache of parsed revision headers, so a second `alembic-workbench heads` on a large
// history only stats each file instead of reading and parsing it (git's index does the same for
// the work tree). An entry is trusted only while the file's size, mtime, ctime and inode are
// unchanged; entries for files modified or changed (mtime or ctime) in the last two seconds are never
// written, so an edit within the file system's timestamp granularity can't hide behind an old stamp,
// not even one whose mtime was set back (touch -d, tar, rsync -t): the kernel stamps ctime then. The cache is an
// optimisation only: unreadable, corrupt or unwritable cache files are ignored.
import { mkdirSync, readFileSync, renameSync, Stats, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseRevisionFile, RevisionFile } from '../revisions/revisionFile';
import { cacheDirectory, fnv1a64 } from '../util/cacheDirectory';

/** Bump when parseRevisionFile's output or the document's layout changes, so old caches are dropped. */
export const HEADER_CACHE_FORMAT = 8;

/** What identifies one version of a file on disk: size, mtime, ctime (milliseconds) and inode. */
export type FileStamp = [size: number, mtimeMs: number, ctimeMs: number, inode: number];

export function fileStamp(stats: Stats): FileStamp {
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

/**
 * One header, compact because the cache is read on every run: `[revision, down revisions, message]`
 * and, only when one differs from what nearly every file has, a fourth element with the rest.
 */
type CompactHeader = [revision: string | null, downRevisions: string[], message: string | null, rest?: UnusualFields];

interface UnusualFields {
  f?: RevisionFile['downRevisionForm'];
  b?: string[];
  o?: string[];
  h?: RevisionFile['headerIssues'];
  p?: RevisionFile['parsedWith'];
  /** The docstring's `Revision ID:` when it is not `revision` (null: no such line). */
  d?: string | null;
  /** The docstring's `Revises:` when it is not down_revision's ids (null: no such line). */
  r?: string[] | null;
}

/**
 * Parallel arrays rather than an object per file: JSON.parse makes far fewer objects, and lookups
 * go by position (files come in the same order run after run).
 */
interface CacheDocument {
  format: number;
  /** Paths relative to the project folder. */
  files: string[];
  /** Four numbers per file (see FileStamp), flat. */
  stamps: number[];
  headers: CompactHeader[];
}

/** down_revision's usual written form for this many ids. */
function usualDownRevisionForm(count: number): RevisionFile['downRevisionForm'] {
  return count === 0 ? 'none' : count === 1 ? 'string' : 'tuple';
}

function toCompact(file: RevisionFile): CompactHeader {
  const rest: UnusualFields = {};
  let unusual = false;
  if (file.downRevisionForm !== usualDownRevisionForm(file.downRevisions.length)) [rest.f, unusual] = [file.downRevisionForm, true];
  if (file.branchLabels.length > 0) [rest.b, unusual] = [file.branchLabels, true];
  if (file.dependsOn.length > 0) [rest.o, unusual] = [file.dependsOn, true];
  if (file.headerIssues.length > 0) [rest.h, unusual] = [file.headerIssues, true];
  if (file.parsedWith !== 'scan') [rest.p, unusual] = [file.parsedWith, true];
  // What `check` compares with the header (docstring-mismatch), so it needs no re-read either.
  if (file.docstringRevisionId !== file.revision) [rest.d, unusual] = [file.docstringRevisionId ?? null, true];
  if (!sameIds(file.docstringRevises, file.downRevisions)) [rest.r, unusual] = [file.docstringRevises ?? null, true];
  const header: CompactHeader = [file.revision ?? null, file.downRevisions, file.message ?? null];
  if (unusual) header.push(rest);
  return header;
}

function sameIds(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((id, index) => id === b[index]);
}

// Nearly every file has no labels, dependencies or issues: one frozen empty list serves them all
// (three arrays fewer per file; nothing edits a header read from the cache).
const NONE: string[] = Object.freeze([]) as unknown as string[];
const NO_ISSUES: RevisionFile['headerIssues'] = Object.freeze([]) as unknown as RevisionFile['headerIssues'];

/**
 * A RevisionFile restored from the cache. What only the editor or verbose output want (ranges, the
 * full docstring, its Create Date) is not cached: those properties re-read the file the first time
 * one of them is asked for. The docstring's Revision ID and Revises lines are, for `check`.
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
  docstringRevisionId?: string;
  docstringRevises?: string[];
  private reparsed?: RevisionFile;

  constructor(
    readonly filePath: string,
    header: CompactHeader,
  ) {
    // Indexes, not destructuring: this runs once per file before V8 has optimised anything, and
    // array destructuring goes through the iterator protocol.
    const rest = header[3];
    this.revision = header[0] ?? undefined;
    this.downRevisions = header[1];
    this.message = header[2] ?? undefined;
    this.downRevisionForm = rest?.f ?? usualDownRevisionForm(header[1].length);
    this.branchLabels = rest?.b ?? NONE;
    this.dependsOn = rest?.o ?? NONE;
    this.headerIssues = rest?.h ?? NO_ISSUES;
    this.parsedWith = rest?.p ?? 'scan';
    this.docstringRevisionId = rest?.d === undefined ? this.revision : (rest.d ?? undefined);
    this.docstringRevises = rest?.r === undefined ? header[1] : (rest.r ?? undefined);
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
      references: this.references,
      assignments: this.assignments,
    };
  }
}

/** How recent a change must be for its entry to go unstored (see RevisionHeaderCache.store). */
export const RACY_WINDOW_MS = 2000;

/** A header parsed in this run, to be stored. */
interface FreshEntry {
  key: string;
  stamp: FileStamp;
  header: CompactHeader;
}

export interface HeaderCacheOptions {
  /** The clock the racy window is measured on (Date.now); tests move it instead of waiting. */
  now?: () => number;
}

export class RevisionHeaderCache {
  /** Position of each stored file, built only when files come in another order than stored. */
  private positions?: Map<string, number>;
  /** Where the next lookup most likely is. */
  private cursor = 0;
  /** What the next save writes, in the order files were asked for: stored positions or fresh entries. */
  private readonly kept: Array<number | FreshEntry> = [];
  private dirty = false;
  /** Lookups that found nothing usable (a new file, or a changed one). */
  private misses = 0;
  /** The document as of the last save(): where a resident server's next load starts. */
  private latest?: CacheDocument;

  private constructor(
    readonly cacheFile: string,
    private readonly document: CacheDocument,
    private readonly root: string,
    private readonly now: () => number,
  ) {}

  /** Entries are keyed relative to `root` (the project folder) to keep the file small. */
  private key(filePath: string): string {
    return this.root && filePath.startsWith(this.root) ? filePath.slice(this.root.length) : filePath;
  }

  /**
   * Opens (or starts) the cache stored in `cacheFile` for the project in `root` (its `here`);
   * never throws.
   */
  static open(cacheFile: string, root = '', options: HeaderCacheOptions = {}): RevisionHeaderCache {
    let document: CacheDocument = { format: HEADER_CACHE_FORMAT, files: [], stamps: [], headers: [] };
    try {
      const stored = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheDocument;
      if (isUsableDocument(stored)) document = stored;
    } catch {
      // Missing or corrupt: start empty.
    }
    return new RevisionHeaderCache(cacheFile, document, root ? `${root}${path.sep}` : '', options.now ?? Date.now);
  }

  private positionOf(key: string): number {
    const { files } = this.document;
    if (files[this.cursor] === key) return this.cursor;
    if (!this.positions) {
      this.positions = new Map();
      for (let index = 0; index < files.length; index++) this.positions.set(files[index], index);
    }
    return this.positions.get(key) ?? -1;
  }

  /** The cached header of `filePath` if it was parsed from exactly this version of the file. */
  lookup(filePath: string, stats: Stats): RevisionFile | undefined {
    const position = this.positionOf(this.key(filePath));
    if (position < 0) {
      this.misses++;
      return undefined;
    }
    this.cursor = position + 1;
    const { stamps } = this.document;
    const at = position * 4;
    if (stamps[at] !== stats.size || stamps[at + 1] !== stats.mtimeMs || stamps[at + 2] !== stats.ctimeMs || stamps[at + 3] !== stats.ino) {
      // Changed since: its entry goes, and store() adds the new one.
      this.dirty = true;
      this.misses++;
      return undefined;
    }
    this.kept.push(position);
    return new CachedRevisionFile(filePath, this.document.headers[position]);
  }

  store(filePath: string, stats: Stats, file: RevisionFile): void {
    // A file changed within the last moments could change again without its stamp moving. ctime
    // too: an mtime set back says nothing of when the content changed.
    if (this.now() - Math.max(stats.mtimeMs, stats.ctimeMs) < RACY_WINDOW_MS) return;
    this.kept.push({ key: this.key(filePath), stamp: fileStamp(stats), header: toCompact(file) });
    this.dirty = true;
  }

  /**
   * Whether this load (of `filesLoaded` files) found every file of the previous one, in the same
   * order, unchanged, and nothing else: the history is then exactly what that load read.
   */
  servedUnchanged(filesLoaded: number): boolean {
    const stored = this.document.files.length;
    if (this.dirty || this.misses > 0 || this.kept.length !== stored || filesLoaded !== stored) return false;
    return this.kept.every((entry, index) => entry === index);
  }

  /** A fresh cache for the next load, starting from what this one saved, without reading the file. */
  continued(): RevisionHeaderCache {
    return new RevisionHeaderCache(this.cacheFile, this.latest ?? this.document, this.root, this.now);
  }

  /** Writes the cache if anything changed, dropping files no longer seen; returns whether it wrote. */
  save(): boolean {
    const { files, stamps, headers } = this.document;
    if (!this.dirty && this.kept.length === files.length) {
      this.latest = this.document;
      return false;
    }
    const next: CacheDocument = { format: HEADER_CACHE_FORMAT, files: [], stamps: [], headers: [] };
    for (const entry of this.kept) {
      if (typeof entry === 'number') {
        next.files.push(files[entry]);
        next.stamps.push(stamps[entry * 4], stamps[entry * 4 + 1], stamps[entry * 4 + 2], stamps[entry * 4 + 3]);
        next.headers.push(headers[entry]);
      } else {
        next.files.push(entry.key);
        next.stamps.push(...entry.stamp);
        next.headers.push(entry.header);
      }
    }
    this.latest = next;
    try {
      mkdirSync(path.dirname(this.cacheFile), { recursive: true });
      const temporary = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(next));
      renameSync(temporary, this.cacheFile);
      this.dirty = false;
      return true;
    } catch {
      return false;
    }
  }
}

/** A document this version wrote, with arrays that agree in length (anything else is ignored). */
function isUsableDocument(document: CacheDocument): boolean {
  return (
    document?.format === HEADER_CACHE_FORMAT &&
    Array.isArray(document.files) &&
    Array.isArray(document.stamps) &&
    Array.isArray(document.headers) &&
    document.stamps.length === document.files.length * 4 &&
    document.headers.length === document.files.length &&
    document.headers.every((header) => Array.isArray(header) && Array.isArray(header[1]))
  );
}

/** Where a project's header cache lives: one file per project in the cache directory. */
export function defaultHeaderCacheFile(projectId: string, env: Record<string, string | undefined> = process.env): string {
  return path.join(cacheDirectory(env), `headers-${fnv1a64(projectId)}.json`);
}
