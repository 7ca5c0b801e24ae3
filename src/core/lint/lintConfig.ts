// `[tool.alembic-workbench]` in the project's pyproject.toml: the lint configuration shared by the
// editor and CI. Every unknown key and bad value becomes a ConfigProblem pointing at its line in
// pyproject.toml, so a typo (`AW110 = "off"`, `dialect = "postgress"`) is seen, not silently ignored.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { SourceRange } from '../python/pythonSource';
import type { ConfigProblem, RuleLevel } from './findings';
import { DIALECTS, parseDialectName, type Dialect } from './lintContext';
import { editDistance } from './editDistance';
import { findRule, ruleSuggestion } from './ruleCatalog';

export interface LintConfig {
  /** The pyproject.toml it came from (undefined for the built-in defaults). */
  filePath?: string;
  dialect?: Dialect;
  postgresVersion?: number;
  /** `downgrade-policy`: "none" when the project writes no downgrades on purpose (Neutron): the reversibility rules stay quiet. */
  downgradePolicy?: DowngradePolicy;
  /** `migrations-before-serving`: migrations run while no app instance serves, so lock waits and renames hurt nobody. */
  migrationsBeforeServing?: boolean;
  /** Rule code -> configured level. */
  ruleLevels: Map<string, RuleLevel>;
  problems: ConfigProblem[];
}

export const DOWNGRADE_POLICIES = ['reversible', 'none'] as const;
export type DowngradePolicy = (typeof DOWNGRADE_POLICIES)[number];

export const LINT_CONFIG_TABLE = ['tool', 'alembic-workbench'] as const;
/** The keys this engine reads; other features may declare theirs through `extraKnownKeys`. */
export const LINT_CONFIG_KEYS = ['dialect', 'postgres-version', 'downgrade-policy', 'migrations-before-serving', 'rules'] as const;
const LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

export function emptyLintConfig(): LintConfig {
  return { ruleLevels: new Map(), problems: [] };
}

export interface ParseLintConfigOptions {
  /** Keys of `[tool.alembic-workbench]` that other features own (not reported as unknown). */
  extraKnownKeys?: readonly string[];
}

type TomlTable = Record<string, unknown>;

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function parseLintConfig(text: string, filePath: string, options: ParseLintConfigOptions = {}): LintConfig {
  const config: LintConfig = { filePath, ruleLevels: new Map(), problems: [] };
  const locator = new TomlKeyLocator(text);
  const problem = (message: string, range: SourceRange) => config.problems.push({ message, filePath, range, kind: 'config' });
  let document: TomlTable;
  try {
    document = parseToml(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      const line = Math.max(0, error.line - 1);
      const column = Math.max(0, error.column - 1);
      problem(`pyproject.toml is not valid TOML: ${error.message.split('\n')[0]}`, { start: { line, column }, end: { line, column: column + 1 } });
    } else problem(`pyproject.toml could not be read: ${(error as Error).message}`, locator.lineRange(0));
    return config;
  }
  const tool = document.tool;
  const table = isTable(tool) ? tool['alembic-workbench'] : undefined;
  if (table === undefined) return config;
  const tablePath = [...LINT_CONFIG_TABLE];
  if (!isTable(table)) {
    problem('[tool.alembic-workbench] must be a table.', locator.locate(tablePath));
    return config;
  }
  const known = new Set<string>([...LINT_CONFIG_KEYS, ...(options.extraKnownKeys ?? [])]);
  for (const [key, value] of Object.entries(table)) {
    const where = () => locator.locate([...tablePath, key]);
    switch (key) {
      case 'dialect': {
        const dialect = typeof value === 'string' ? parseDialectName(value) : undefined;
        if (dialect) config.dialect = dialect;
        else problem(`dialect = ${JSON.stringify(value)} is not a dialect the linter knows; use one of ${DIALECTS.join(', ')}.`, where());
        break;
      }
      case 'postgres-version': {
        const major = typeof value === 'number' || typeof value === 'bigint' ? Math.trunc(Number(value)) : typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
        if (Number.isFinite(major) && major >= 9 && major <= 99) config.postgresVersion = major;
        else problem(`postgres-version = ${JSON.stringify(typeof value === 'bigint' ? Number(value) : value)} is not a PostgreSQL major version (e.g. 15).`, where());
        break;
      }
      case 'downgrade-policy': {
        const policy = DOWNGRADE_POLICIES.find((candidate) => candidate === value);
        if (policy) config.downgradePolicy = policy;
        else problem(`downgrade-policy = ${JSON.stringify(value)} must be "reversible" (every revision can be downgraded) or "none" (the project writes no downgrades).`, where());
        break;
      }
      case 'migrations-before-serving': {
        if (typeof value === 'boolean') config.migrationsBeforeServing = value;
        else problem(`migrations-before-serving = ${JSON.stringify(value)} must be true or false.`, where());
        break;
      }
      case 'rules': {
        if (!isTable(value)) {
          problem('rules must be a table mapping a rule code or name to "off", "info", "warning" or "error".', where());
          break;
        }
        readRuleLevels(value, [...tablePath, 'rules'], config, locator);
        break;
      }
      default:
        if (!known.has(key)) {
          const close = [...known].find((candidate) => editDistance(candidate, key) <= 2);
          problem(
            `Unknown key "${key}" in [tool.alembic-workbench]${close ? ` (did you mean "${close}"?)` : ''}; known keys: ${[...known].join(', ')}.`,
            where(),
          );
        }
    }
  }
  return config;
}

function readRuleLevels(table: TomlTable, tablePath: string[], config: LintConfig, locator: TomlKeyLocator): void {
  const seenBy = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    const range = locator.locate([...tablePath, key]);
    const problem = (message: string) => config.problems.push({ message, filePath: config.filePath ?? 'pyproject.toml', range, kind: 'config' });
    const rule = findRule(key);
    if (!rule) {
      const suggestion = ruleSuggestion(key);
      problem(`Unknown rule "${key}" in [tool.alembic-workbench.rules]${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`);
      continue;
    }
    const level = typeof value === 'string' ? (value.toLowerCase() as RuleLevel) : undefined;
    if (!level || !LEVELS.includes(level)) {
      problem(`${key} = ${JSON.stringify(value)}: a rule's level must be one of "off", "info", "warning", "error".`);
      continue;
    }
    const earlier = seenBy.get(rule.code);
    if (earlier) problem(`${rule.code} (${rule.name}) is configured twice ("${earlier}" and "${key}"); the last one wins.`);
    seenBy.set(rule.code, key);
    config.ruleLevels.set(rule.code, level);
  }
}

/** Nearest pyproject.toml from a folder upwards (stops at the file system root or `stopAt`). */
export function findPyproject(startDir: string, stopAt?: string): string | undefined {
  let current = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(current, 'pyproject.toml');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(current);
    if (parent === current || (stopAt && current === path.resolve(stopAt))) return undefined;
    current = parent;
  }
}

/** Reads a pyproject.toml; an unreadable file is a problem, not an exception. */
export function loadLintConfig(pyprojectPath: string, options: ParseLintConfigOptions = {}): LintConfig {
  let text: string;
  try {
    text = readFileSync(pyprojectPath, 'utf8');
  } catch (error) {
    const config = emptyLintConfig();
    config.filePath = pyprojectPath;
    config.problems.push({
      message: `Could not read ${pyprojectPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      filePath: pyprojectPath,
      range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
      kind: 'config',
    });
    return config;
  }
  return parseLintConfig(text, pyprojectPath, options);
}

/**
 * Finds the line of a key in TOML text (smol-toml gives values, not positions): follows table
 * headers and dotted keys; falls back to a line that mentions the key inside the table (inline
 * tables), then to the table's header.
 */
class TomlKeyLocator {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r\n|\n|\r/);
  }

  lineRange(line: number, from = 0, to?: number): SourceRange {
    const text = this.lines[line] ?? '';
    return { start: { line, column: from }, end: { line, column: to ?? text.trimEnd().length } };
  }

  locate(keyPath: string[]): SourceRange {
    const target = keyPath.map((part) => part.toLowerCase());
    let header: string[] = [];
    let headerLine: number | undefined;
    let mention: SourceRange | undefined;
    const key = target[target.length - 1];
    for (let line = 0; line < this.lines.length; line++) {
      const text = this.lines[line];
      const trimmed = text.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const headerMatch = /^\[\[?([^\]]+)\]\]?/.exec(trimmed);
      if (headerMatch) {
        header = splitDottedKey(headerMatch[1]);
        if (sameParts(header, target.slice(0, -1)) || sameParts(header, target)) headerLine ??= line;
        continue;
      }
      const assignment = /^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=/.exec(trimmed);
      if (!assignment) continue;
      const full = [...header, ...splitDottedKey(assignment[1])];
      const column = text.indexOf(assignment[1]);
      if (sameParts(full, target)) return this.lineRange(line, column, column + assignment[1].length);
      if (!mention && isPrefix(full, target)) {
        const at = text.toLowerCase().indexOf(key);
        if (at >= 0) mention = this.lineRange(line, at, at + key.length);
      }
    }
    return mention ?? this.lineRange(headerLine ?? 0);
  }
}

function splitDottedKey(text: string): string[] {
  const parts: string[] = [];
  const pattern = /\s*("([^"]*)"|'([^']*)'|[^.\s]+)\s*(\.|$)/g;
  for (let match = pattern.exec(text); match && match[0] !== ''; match = pattern.exec(text)) {
    parts.push((match[2] ?? match[3] ?? match[1]).toLowerCase());
  }
  return parts;
}

function sameParts(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

function isPrefix(prefix: string[], full: string[]): boolean {
  return prefix.length < full.length && prefix.every((part, index) => part === full[index]);
}
