// Finds application code that creates the schema itself with SQLAlchemy's `metadata.create_all`
// (called, or passed along as in `await conn.run_sync(Base.metadata.create_all)`) in a project that
// Alembic migrates. The team guide's "Integration with Startup" asks to remove it: tables the app
// makes at start-up exist before `alembic upgrade head` runs (which then fails with "already
// exists"), and autogenerate compares against them and finds nothing to migrate.
//
// Static, bounded and asynchronous (the editor runs it beside the extension host's other work):
// the Python files below the project's folder (not its versions folders, not
// virtualenvs or caches, not tests, where create_all on a throw-away database is normal), read only
// when their text mentions create_all, then parsed so comments, strings and docstrings don't count.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SyntaxNode } from '@lezer/common';
import { LineIndex, nodeText, parsePython, PythonNestingError, type SourceRange } from '../python/pythonSource';
import { DEFAULT_IGNORED_FOLDERS } from './projectDiscovery';

export const CREATE_ALL_PROBLEM = 'create-all-at-startup';

export interface StartupSchemaCall {
  name: typeof CREATE_ALL_PROBLEM;
  severity: 'warning';
  message: string;
  file: string;
  range: SourceRange;
}

export interface StartupSchemaScanOptions {
  /** Absolute folders to skip (the project's versions folders). */
  exclude?: readonly string[];
  /** How deep below the root to look. Default 6. */
  maxDepth?: number;
  /** Stop after this many Python files (a safety net for huge trees). Default 5000. */
  maxFiles?: number;
}

const TEST_FOLDERS = new Set(['tests', 'test', 'testing']);
const MAX_FILE_BYTES = 1 << 20;
const IGNORED = new Set(DEFAULT_IGNORED_FOLDERS);

function isTestFile(name: string): boolean {
  return name === 'conftest.py' || name.startsWith('test_') || name.endsWith('_test.py');
}

/** The `create_all` member expressions of a file's code (not its comments or strings). */
export function createAllCallsIn(source: string, file: string): StartupSchemaCall[] {
  if (!source.includes('create_all')) return [];
  let tree;
  try {
    tree = parsePython(source);
  } catch (error) {
    // Python can't import a file nested this deeply either: it creates no tables.
    if (error instanceof PythonNestingError) return [];
    throw error;
  }
  const lines = new LineIndex(source);
  const calls: StartupSchemaCall[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'MemberExpression') return;
      const node: SyntaxNode = ref.node;
      const property = node.lastChild;
      if (!property || property.name !== 'PropertyName' || nodeText(source, property) !== 'create_all') return;
      // As one would write it on one line: without line continuations and spaces.
      const expression = nodeText(source, node).replace(/\\\r?\n/g, '').replace(/\s+/g, '');
      calls.push({
        name: CREATE_ALL_PROBLEM,
        severity: 'warning',
        message:
          `${expression} creates tables outside Alembic: on a new database the app makes them at start-up, before ` +
          '`alembic upgrade head`, which then fails with "already exists"; and autogenerate, comparing the models with ' +
          'those tables, finds nothing to migrate. Let the migrations own the schema: remove it and run ' +
          '`alembic upgrade head` when deploying (tests may keep create_all on their own database).',
        file,
        range: lines.range(node.from, node.to),
      });
      return false;
    },
  });
  return calls;
}

/** Every `create_all` in the application code below `root` (see the file comment for what is skipped). */
export async function findStartupSchemaCalls(root: string, options: StartupSchemaScanOptions = {}): Promise<StartupSchemaCall[]> {
  const excluded = new Set((options.exclude ?? []).map((folder) => path.resolve(folder)));
  const maxDepth = options.maxDepth ?? 6;
  let budget = options.maxFiles ?? 5000;
  const found: StartupSchemaCall[] = [];
  const pending: Array<{ folder: string; depth: number }> = [{ folder: path.resolve(root), depth: 0 }];
  while (pending.length > 0 && budget > 0) {
    const { folder, depth } = pending.shift()!;
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && !IGNORED.has(entry.name) && !TEST_FOLDERS.has(entry.name) && !entry.name.startsWith('.') && !excluded.has(full)) {
          pending.push({ folder: full, depth: depth + 1 });
        }
        continue;
      }
      if (!entry.isFile() || !entry.name.endsWith('.py') || isTestFile(entry.name)) continue;
      if (--budget < 0) break;
      let source: string;
      try {
        if ((await stat(full)).size > MAX_FILE_BYTES) continue;
        source = await readFile(full, 'utf8');
      } catch {
        continue;
      }
      found.push(...createAllCallsIn(source, full));
    }
  }
  return found;
}
