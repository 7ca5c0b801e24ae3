// One Alembic project in memory: its configuration, every revision file read in Alembic's load order,
// and the revision graph. The extension keeps one per project and feeds it file-watcher events
// (`updateFile` / `removeFile` re-read only that file and rebuild the graph, which is cheap); the CLI
// loads one and asks it questions.
import { closeSync, Dirent, openSync, opendirSync, readFileSync, readSync, realpathSync, Stats, statSync } from 'node:fs';
import path from 'node:path';
import type { RevisionHeaderCache } from './project/headerCache';
import type { AlembicProjectConfig } from './project/projectConfig';
import type { GraphProblem } from './revisions/graphProblems';
import { findPythonSyntaxError, parseRevisionFile, RevisionFile } from './revisions/revisionFile';
import { RevisionGraph } from './revisions/revisionGraph';
import { isDirectory } from './util/fileKinds';

/** A version-folder entry Alembic would look at but we could not read. */
export interface LoadError {
  file: string;
  message: string;
}

/** What a file event did to the model. */
export type ModelChange = 'added' | 'changed' | 'removed' | 'unchanged' | 'ignored';

// Alembic's `_only_source_rev_file` / `_sourceless_rev_file`: Python files, not editor lock files
// (".#name.py") nor package markers ("__init__*.py").
const SOURCE_REVISION_FILE = /^(?!\.#|__init__).*\.py$/;
const SOURCELESS_REVISION_FILE = /^(?!\.#|__init__).*\.py[co]$/;

// Reading thousands of small files through one buffer is about twice as fast as readFileSync.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

function readTextFile(file: string): string {
  const descriptor = openSync(file, 'r');
  try {
    const length = readSync(descriptor, READ_BUFFER, 0, READ_BUFFER.length, 0);
    if (length < READ_BUFFER.length) return READ_BUFFER.toString('utf8', 0, length);
  } finally {
    closeSync(descriptor);
  }
  return readFileSync(file, 'utf8');
}

function isFileEntry(folder: string, entry: Dirent): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(path.join(folder, entry.name)).isFile();
  } catch {
    return false;
  }
}

/** Entries of a folder in the order the file system returns them (Python's os.listdir order). */
function listInDirectoryOrder(folder: string): Dirent[] {
  // A large buffer: one native call per thousand entries instead of per 32.
  const directory = opendirSync(folder, { bufferSize: 1024 });
  const entries: Dirent[] = [];
  try {
    for (let entry = directory.readSync(); entry; entry = directory.readSync()) entries.push(entry);
  } finally {
    directory.closeSync();
  }
  return entries;
}

/** Python's sorted() on str: code point order. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ProjectModelOptions {
  /** Also look for Python syntax errors (a full parse of every file: `check` wants it, the editor's lint does its own). */
  syntaxCheck?: boolean;
  /** Parsed headers kept between runs (see headerCache.ts); not used with syntaxCheck, which reads every file anyway. */
  headerCache?: RevisionHeaderCache;
}

export class AlembicProjectModel {
  private readonly parsed = new Map<string, RevisionFile>();
  /** Revision file paths in Alembic's load order. */
  private order: string[] = [];
  private graphCache?: RevisionGraph;
  private readonly syntaxErrors = new Map<string, GraphProblem>();
  loadErrors: LoadError[] = [];

  constructor(
    readonly config: AlembicProjectConfig,
    private readonly options: ProjectModelOptions = {},
  ) {}

  /** Creates a model and reads every revision file. */
  static load(config: AlembicProjectConfig, options: ProjectModelOptions = {}): AlembicProjectModel {
    return new AlembicProjectModel(config, options).load();
  }

  /** (Re)reads every revision file of the project. */
  load(): this {
    this.parsed.clear();
    this.syntaxErrors.clear();
    this.loadErrors = [];
    this.order = this.listRevisionFiles();
    const cache = this.options.syntaxCheck ? undefined : this.options.headerCache;
    for (const file of this.order) {
      if (cache) this.readFileThroughCache(file, cache);
      else this.readFile(file);
    }
    cache?.save();
    this.order = this.order.filter((file) => this.parsed.has(file));
    this.graphCache = undefined;
    return this;
  }

  get graph(): RevisionGraph {
    this.graphCache ??= RevisionGraph.build(
      this.order.map((file) => this.parsed.get(file) as RevisionFile),
      { fileTemplate: this.config.kind === 'folder' ? undefined : this.config.fileTemplate },
    );
    return this.graphCache;
  }

  /** Revision files in load order. */
  get files(): RevisionFile[] {
    return this.order.map((file) => this.parsed.get(file) as RevisionFile);
  }

  fileAt(filePath: string): RevisionFile | undefined {
    return this.parsed.get(path.resolve(filePath));
  }

  /** The version folder holding `filePath`, if Alembic would load it as a revision. */
  versionLocationOf(filePath: string): string | undefined {
    const absolute = path.resolve(filePath);
    const name = path.basename(absolute);
    if (!SOURCE_REVISION_FILE.test(name)) return undefined;
    const folder = path.dirname(absolute);
    for (const location of this.config.versionLocations) {
      if (folder === location) return location;
      if (this.config.recursiveVersionLocations && folder.startsWith(location + path.sep) && !folder.split(path.sep).includes('__pycache__')) return location;
    }
    return undefined;
  }

  isRevisionFile(filePath: string): boolean {
    return this.versionLocationOf(filePath) !== undefined;
  }

  /**
   * Re-reads one file (or takes `text`, e.g. an unsaved editor buffer) and updates the graph.
   * Files outside the version folders are ignored.
   */
  updateFile(filePath: string, text?: string): ModelChange {
    const absolute = path.resolve(filePath);
    if (!this.isRevisionFile(absolute)) return 'ignored';
    const previous = this.parsed.get(absolute);
    const known = previous !== undefined;
    if (!this.readFile(absolute, text)) return known ? this.removeFile(absolute) : 'ignored';
    // Editing a migration's body (the usual case) leaves the graph's shape alone: no rebuild.
    if (previous && this.graphCache?.replaceFile(previous, this.parsed.get(absolute) as RevisionFile)) return 'changed';
    if (!known) {
      this.order = this.listRevisionFiles().filter((file) => this.parsed.has(file) || file === absolute);
      this.graphCache = undefined;
      return 'added';
    }
    this.graphCache = undefined;
    return 'changed';
  }

  removeFile(filePath: string): ModelChange {
    const absolute = path.resolve(filePath);
    if (!this.parsed.delete(absolute)) return 'unchanged';
    this.syntaxErrors.delete(absolute);
    this.order = this.order.filter((file) => file !== absolute);
    this.graphCache = undefined;
    return 'removed';
  }

  /**
   * Graph problems, configuration problems and files that could not be read, for `check` and the
   * editor. `blockingOnly`: just those that make Alembic fail (cheaper; what heads/history need).
   */
  problems(options: { blockingOnly?: boolean } = {}): GraphProblem[] {
    const configFile = this.config.configFile ?? this.config.versionLocations[0];
    const problems: GraphProblem[] = this.config.warnings
      .filter((warning) => warning.severity !== 'info')
      .map((warning) => ({
        name: 'config-error' as const,
        severity: warning.severity,
        message: warning.message,
        file: warning.file ?? configFile,
        range: warning.line === undefined ? undefined : { start: { line: warning.line, column: 0 }, end: { line: warning.line, column: 0 } },
      }));
    for (const error of this.loadErrors) problems.push({ name: 'config-error', severity: 'error', message: error.message, file: error.file });
    problems.push(...(options.blockingOnly ? this.graph.blockingProblems() : this.graph.problems));
    if (this.options.syntaxCheck) problems.push(...this.syntaxErrors.values());
    return problems;
  }

  private readFileThroughCache(file: string, cache: RevisionHeaderCache): void {
    let stats: Stats;
    try {
      stats = statSync(file);
    } catch {
      this.readFile(file);
      return;
    }
    const cached = cache.lookup(file, stats);
    if (cached) {
      this.parsed.set(file, cached);
      return;
    }
    if (this.readFile(file)) cache.store(file, stats, this.parsed.get(file) as RevisionFile);
  }

  private readFile(file: string, text?: string): boolean {
    let content = text;
    if (content === undefined) {
      try {
        content = readTextFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') this.loadErrors.push({ file, message: `Cannot read ${file}: ${(error as Error).message}` });
        return false;
      }
    }
    this.parsed.set(file, parseRevisionFile(content, file));
    if (this.options.syntaxCheck) {
      const range = findPythonSyntaxError(content);
      if (range) {
        this.syntaxErrors.set(file, {
          name: 'syntax-error',
          severity: 'error',
          message: `Python syntax error at line ${range.start.line + 1}: Alembic imports every revision file, so every command fails with SyntaxError until this is fixed (the header was still read).`,
          file,
          range,
          revision: this.parsed.get(file)?.revision,
        });
      } else this.syntaxErrors.delete(file);
    }
    return true;
  }

  /** Every revision file Alembic would load, in its order. */
  private listRevisionFiles(): string[] {
    const locations = this.config.versionLocationsExplicit
      ? this.config.versionLocations.filter((location) => isDirectory(location))
      : this.config.versionLocations;
    const files: string[] = [];
    const seen = new Set<string>();
    for (const location of locations) {
      let found: string[];
      try {
        found = this.listLocation(location);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A missing default versions folder is reported by the config (versions-folder-missing).
        if (code !== 'ENOENT') this.loadErrors.push({ file: location, message: `Cannot list ${location}: ${(error as Error).message}` });
        continue;
      }
      if (locations.length === 1) {
        files.push(...found);
        continue;
      }
      for (const file of found) {
        // Alembic skips a file it reaches twice through overlapping version locations.
        let real = file;
        try {
          real = realpathSync.native(file);
        } catch {
          // Broken link: keep the path, reading it reports the problem.
        }
        if (seen.has(real)) continue;
        seen.add(real);
        files.push(file);
      }
    }
    return files;
  }

  private listLocation(location: string): string[] {
    const byName = this.config.fileOrder === 'name';
    const entries = listInDirectoryOrder(location);
    if (byName) entries.sort((a, b) => byCodePoint(a.name, b.name));
    const files: string[] = [];
    for (const entry of entries) {
      if (!isFileEntry(location, entry)) continue;
      // `location` is absolute and normalized and `entry.name` a plain name: no path.join needed
      // (it costs more than the rest of the listing on large histories).
      if (SOURCE_REVISION_FILE.test(entry.name)) files.push(`${location}${path.sep}${entry.name}`);
      else if (this.config.sourceless && SOURCELESS_REVISION_FILE.test(entry.name) && !entries.some((other) => other.name === entry.name.replace(/[co]$/, ''))) {
        this.loadErrors.push({ file: path.join(location, entry.name), message: `${entry.name} is a sourceless revision (.pyc without .py); it can only be read by Python, so it is left out of the history` });
      }
    }
    if (this.config.sourceless && entries.some((entry) => entry.name === '__pycache__' && entry.isDirectory())) {
      const names = new Set(entries.map((entry) => entry.name.split('.')[0]));
      for (const cached of listInDirectoryOrder(path.join(location, '__pycache__'))) {
        if (!names.has(cached.name.split('.')[0]) && SOURCELESS_REVISION_FILE.test(cached.name)) {
          this.loadErrors.push({ file: path.join(location, '__pycache__', cached.name), message: `${cached.name} is a sourceless revision; it can only be read by Python, so it is left out of the history` });
        }
      }
    }
    if (this.config.recursiveVersionLocations) {
      // Alembic >= 1.10 walks sub-folders (top-down, in name order), skipping __pycache__.
      const folders = entries
        .filter((entry) => entry.isDirectory() && entry.name !== '__pycache__')
        .map((entry) => entry.name)
        .sort(byCodePoint);
      for (const folder of folders) files.push(...this.listLocation(path.join(location, folder)));
    }
    return files;
  }
}

