// An .ini reader that sees alembic.ini exactly as Alembic does: Python 3.11's
// `configparser.ConfigParser` with its defaults (strict, BasicInterpolation, `#`/`;` whole-line
// comments, NO inline comments, `=` or `:` delimiters, indented continuation lines, empty lines kept
// inside values, lower-cased option names, case-sensitive section names, a DEFAULT section).
//
// Two consequences users trip over, reproduced on purpose:
// - `version_path_separator = os  # Use os.pathsep.` keeps the comment: the value is the whole
//   `os  # Use os.pathsep.` (configparser has no inline comments unless asked; Alembic doesn't ask).
// - A UTF-8 byte order mark before the first section makes configparser fail ("no section headers").
// Where configparser raises, we record an IniError and carry on with a best-effort reading, so the
// editor still shows something while `check` reports that Alembic itself will fail.

export type IniErrorKind =
  | 'missing-section-header'
  | 'duplicate-section'
  | 'duplicate-option'
  | 'parse-error'
  | 'interpolation-syntax'
  | 'interpolation-missing-option'
  | 'interpolation-depth';

export class IniError extends Error {
  override name = 'IniError';
  constructor(
    readonly kind: IniErrorKind,
    message: string,
    /** Zero-based line, when the error belongs to one. */
    readonly line?: number,
  ) {
    super(message);
  }
}

export interface IniOption {
  /** Lower-cased, as configparser's optionxform leaves it. */
  name: string;
  /** The value as stored (continuation lines joined with "\n"), before interpolation. */
  rawValue: string;
  /** Zero-based line of the `name = value` line; undefined for defaults passed in by the caller. */
  line?: number;
}

export interface IniSection {
  name: string;
  line: number;
  options: Map<string, IniOption>;
}

export const DEFAULT_SECTION = 'DEFAULT';
const MAX_INTERPOLATION_DEPTH = 10;

// Python's str.isspace() set, which str.strip() removes (JS trim() differs: it strips U+FEFF and
// keeps U+001C..U+001F and U+0085).
const PY_SPACE = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function isPySpace(char: string): boolean {
  return PY_SPACE.includes(char);
}

function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text[start])) start++;
  while (end > start && isPySpace(text[end - 1])) end--;
  return text.slice(start, end);
}

function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text[end - 1])) end--;
  return text.slice(0, end);
}

/** Python's universal-newline line split: "\n", "\r\n" and a lone "\r" all end a line. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || code === 13) {
      lines.push(text.slice(start, index));
      if (code === 13 && text.charCodeAt(index + 1) === 10) index++;
      start = index + 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

const SECTION_HEADER = /^\[(.+)\]/s;
const OPTION_LINE = /^(.*?)\s*([=:])\s*(.*)$/s;
const INTERPOLATION_KEY = /^%\(([^)]+)\)s/;

/** A parsed .ini file; `get` applies configparser's BasicInterpolation lazily, as Python does. */
export class IniDocument {
  readonly defaults = new Map<string, IniOption>();
  readonly sections = new Map<string, IniSection>();
  /** Everything configparser would have raised while reading (Alembic then fails to start). */
  readonly errors: IniError[] = [];

  constructor(readonly fileName: string) {}

  hasSection(name: string): boolean {
    return this.sections.has(name);
  }

  sectionNames(): string[] {
    return [...this.sections.keys()];
  }

  hasOption(section: string, option: string): boolean {
    const key = option.toLowerCase();
    const found = this.sections.get(section);
    if (!found && section !== DEFAULT_SECTION) return false;
    return (found?.options.has(key) ?? false) || this.defaults.has(key);
  }

  /** The option as stored, looked up in the section and then DEFAULT (no interpolation). */
  option(section: string, option: string): IniOption | undefined {
    const key = option.toLowerCase();
    return this.sections.get(section)?.options.get(key) ?? this.defaults.get(key);
  }

  /**
   * configparser's `get(section, option)`: interpolated, or undefined when the section or option is
   * missing. Throws IniError for a bad `%` reference, as configparser does at read time.
   */
  get(section: string, option: string, options: { raw?: boolean } = {}): string | undefined {
    if (!this.sections.has(section) && section !== DEFAULT_SECTION) return undefined;
    const found = this.option(section, option);
    if (!found) return undefined;
    if (options.raw) return found.rawValue;
    return this.interpolate(section, found.name, found.rawValue);
  }

  /** configparser's `items(section)`: defaults first, then the section's own options, interpolated. */
  items(section: string): Array<[string, string]> {
    const merged = new Map<string, string>();
    for (const [name, option] of this.defaults) merged.set(name, option.rawValue);
    for (const [name, option] of this.sections.get(section)?.options ?? []) merged.set(name, option.rawValue);
    return [...merged.keys()].map((name) => [name, this.interpolate(section, name, merged.get(name) as string)]);
  }

  private lookup(section: string, key: string): string | undefined {
    return (this.sections.get(section)?.options.get(key) ?? this.defaults.get(key))?.rawValue;
  }

  private interpolate(section: string, option: string, value: string): string {
    const parts: string[] = [];
    this.interpolateSome(section, option, parts, value, value, 1);
    return parts.join('');
  }

  private interpolateSome(section: string, option: string, parts: string[], rest: string, rawValue: string, depth: number): void {
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new IniError(
        'interpolation-depth',
        `Recursion limit exceeded in value substitution: option '${option}' in section '${section}' contains an interpolation key which cannot be substituted in ${MAX_INTERPOLATION_DEPTH} steps. Raw value: '${rawValue}'`,
      );
    }
    while (rest) {
      const percent = rest.indexOf('%');
      if (percent < 0) {
        parts.push(rest);
        return;
      }
      if (percent > 0) {
        parts.push(rest.slice(0, percent));
        rest = rest.slice(percent);
      }
      const next = rest[1];
      if (next === '%') {
        parts.push('%');
        rest = rest.slice(2);
      } else if (next === '(') {
        const match = INTERPOLATION_KEY.exec(rest);
        if (!match) {
          throw new IniError(
            'interpolation-syntax',
            `Bad interpolation variable reference '${rest}' in option '${option}' of section '${section}'`,
          );
        }
        const key = match[1].toLowerCase();
        rest = rest.slice(match[0].length);
        const substituted = this.lookup(section, key);
        if (substituted === undefined) {
          throw new IniError(
            'interpolation-missing-option',
            `Bad value substitution: option '${option}' in section '${section}' contains an interpolation key '${key}' which is not a valid option name. Raw value: '${rawValue}'`,
          );
        }
        if (substituted.includes('%')) this.interpolateSome(section, option, parts, substituted, rawValue, depth + 1);
        else parts.push(substituted);
      } else {
        throw new IniError(
          'interpolation-syntax',
          `'%' must be followed by '%' or '(', found: '${rest}' (option '${option}' in section '${section}'; write %% for a literal percent sign)`,
        );
      }
    }
  }
}

/**
 * Reads .ini text the way `ConfigParser(defaults).read(file)` does. `defaults` plays the part of
 * Alembic's `config_args` (it passes `{"here": <directory of the ini file>}`).
 */
export function parseIni(text: string, options: { fileName?: string; defaults?: Record<string, string> } = {}): IniDocument {
  const document = new IniDocument(options.fileName ?? '<string>');
  for (const [key, value] of Object.entries(options.defaults ?? {})) {
    document.defaults.set(key.toLowerCase(), { name: key.toLowerCase(), rawValue: value });
  }
  // Values are collected as line lists and joined at the end, as configparser does.
  const pending = new Map<IniOption, string[]>();
  const added = new Set<string>();
  let current: Map<string, IniOption> | undefined;
  let sectionName: string | undefined;
  let optionName: string | undefined;
  let indentLevel = 0;
  let fatal = false;

  const lines = splitLines(text);
  for (let lineNumber = 0; lineNumber < lines.length && !fatal; lineNumber++) {
    const line = lines[lineNumber];
    const stripped = pyStrip(line);
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = isComment ? '' : stripped;
    if (!value) {
      // An empty line belongs to the value being read (it is dropped if nothing follows it); a
      // comment line does not, but it does not end the value either.
      if (!isComment && current && optionName) {
        const option = current.get(optionName);
        if (option) pending.get(option)?.push('');
      }
      continue;
    }
    let indent = 0;
    while (indent < line.length && isPySpace(line[indent])) indent++;
    if (current && optionName && indent > indentLevel) {
      const option = current.get(optionName);
      if (option) pending.get(option)?.push(value);
      continue;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) {
      sectionName = header[1];
      if (sectionName === DEFAULT_SECTION) {
        current = document.defaults;
      } else if (document.sections.has(sectionName)) {
        if (added.has(`[${sectionName}`)) {
          document.errors.push(
            new IniError('duplicate-section', `${document.fileName} line ${lineNumber + 1}: section '${sectionName}' already exists`, lineNumber),
          );
        }
        current = (document.sections.get(sectionName) as IniSection).options;
      } else {
        const section: IniSection = { name: sectionName, line: lineNumber, options: new Map() };
        document.sections.set(sectionName, section);
        current = section.options;
      }
      added.add(`[${sectionName}`);
      optionName = undefined;
      continue;
    }
    if (!current) {
      document.errors.push(
        new IniError(
          'missing-section-header',
          `${document.fileName} line ${lineNumber + 1}: the file contains no section header before ${JSON.stringify(line)}` +
            (line.startsWith('\ufeff') ? ' (the file starts with a byte order mark, which Python keeps: save it as UTF-8 without BOM)' : ''),
          lineNumber,
        ),
      );
      // configparser stops reading here; so do we, so nothing after it looks valid.
      fatal = true;
      continue;
    }
    const match = OPTION_LINE.exec(value);
    if (!match) {
      document.errors.push(
        new IniError('parse-error', `${document.fileName} line ${lineNumber + 1}: not a 'name = value' line: ${JSON.stringify(line)}`, lineNumber),
      );
      continue;
    }
    if (!match[1]) {
      document.errors.push(
        new IniError('parse-error', `${document.fileName} line ${lineNumber + 1}: option without a name: ${JSON.stringify(line)}`, lineNumber),
      );
    }
    const name = pyRstrip(match[1]).toLowerCase();
    const addedKey = `${sectionName}\u0000${name}`;
    if (added.has(addedKey)) {
      document.errors.push(
        new IniError(
          'duplicate-option',
          `${document.fileName} line ${lineNumber + 1}: option '${name}' in section '${sectionName}' already exists`,
          lineNumber,
        ),
      );
    }
    added.add(addedKey);
    optionName = name;
    const option: IniOption = { name, rawValue: '', line: lineNumber };
    current.set(name, option);
    pending.set(option, [pyStrip(match[3])]);
  }
  for (const [option, parts] of pending) option.rawValue = pyRstrip(parts.join('\n'));
  return document;
}
