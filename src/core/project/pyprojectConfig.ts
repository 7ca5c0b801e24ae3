// `[tool.alembic]` in pyproject.toml (Alembic >= 1.16). Alembic reads the same option names as in
// alembic.ini, but as TOML values: lists for `version_locations` and `prepend_sys_path` (so no path
// separator is needed), real booleans and integers. `%(here)s` is replaced by the folder of
// pyproject.toml and `%%` stands for `%`, as in the ini file.
import type { parse as TomlParse, TomlError as TomlErrorClass } from 'smol-toml';

// Loaded on first use: most projects have no pyproject.toml with [tool.alembic].
let toml: { parse: typeof TomlParse; TomlError: typeof TomlErrorClass } | undefined;
function tomlModule(): { parse: typeof TomlParse; TomlError: typeof TomlErrorClass } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  toml ??= require('smol-toml') as { parse: typeof TomlParse; TomlError: typeof TomlErrorClass };
  return toml;
}

export class PyprojectError extends Error {
  override name = 'PyprojectError';
  constructor(
    message: string,
    /** Zero-based line, when the TOML parser reported one. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** One `[tool.alembic]` option, normalised to a string or a list of strings. */
export type PyprojectOptionValue = string | string[];

export interface PyprojectAlembicSection {
  /** Options with `%(here)s` substituted; booleans and numbers turned into their ini spelling. */
  options: Map<string, PyprojectOptionValue>;
  /** Zero-based line of the `[tool.alembic]` header, for diagnostics. */
  line: number;
  /** Options we could not turn into a string or list of strings (nested tables, dates...). */
  ignoredOptions: string[];
}

function substituteHere(value: string, here: string): string {
  return value.replace(/%\(here\)s|%%/g, (token) => (token === '%%' ? '%' : here));
}

function toOptionValue(value: unknown, here: string): PyprojectOptionValue | undefined {
  if (typeof value === 'string') return substituteHere(value, here);
  // Python's ini spelling, so the rest of the config code treats both sources alike.
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((item: string) => substituteHere(item, here));
  }
  return undefined;
}

/** The whole pyproject.toml as data, or undefined when it is not valid TOML (callers that only peek). */
export function parsePyprojectOrUndefined(text: string): Record<string, unknown> | undefined {
  try {
    return tomlModule().parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Cheap test used by discovery before paying for a TOML parse. */
export function mentionsToolAlembic(text: string): boolean {
  return /^\s*\[\s*tool\s*\.\s*alembic\s*[\].]/m.test(text) || /^\s*tool\s*\.\s*alembic\s*=/m.test(text);
}

/**
 * Reads `[tool.alembic]`; undefined when pyproject.toml has no such table. Throws PyprojectError
 * for TOML that does not parse (Alembic fails on it too).
 */
export function readPyprojectAlembicSection(text: string, here: string, fileName = 'pyproject.toml'): PyprojectAlembicSection | undefined {
  let document: Record<string, unknown>;
  const { parse, TomlError } = tomlModule();
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      throw new PyprojectError(`${fileName}: invalid TOML at line ${error.line}, column ${error.column}: ${error.message.split('\n')[0]}`, error.line - 1);
    }
    throw new PyprojectError(`${fileName}: invalid TOML: ${(error as Error).message}`);
  }
  const tool = document.tool;
  if (!tool || typeof tool !== 'object') return undefined;
  const alembic = (tool as Record<string, unknown>).alembic;
  if (!alembic || typeof alembic !== 'object' || Array.isArray(alembic)) return undefined;
  const options = new Map<string, PyprojectOptionValue>();
  const ignoredOptions: string[] = [];
  for (const [key, value] of Object.entries(alembic as Record<string, unknown>)) {
    const converted = toOptionValue(value, here);
    if (converted === undefined) ignoredOptions.push(key);
    else options.set(key, converted);
  }
  const headerLine = text.split(/\r\n|\r|\n/).findIndex((line) => /^\s*\[\s*tool\s*\.\s*alembic\s*\]/.test(line));
  return { options, line: Math.max(headerLine, 0), ignoredOptions };
}
