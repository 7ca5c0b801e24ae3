// Revision file names as Alembic 1.8.1 makes them (`ScriptDirectory._rev_path`): the message becomes
// a slug (Python's `\w+` runs joined by "_" and lower-cased, cut at a word boundary to
// `truncate_slug_length` code points plus a trailing "_"), then `file_template` is applied with
// Python's `%` operator to rev, slug, epoch, year, month, day, hour, minute and second, and ".py" is
// appended. The extension uses this to predict the name of a new revision and to check existing ones.

export class FileTemplateError extends Error {
  override name = 'FileTemplateError';
}

export interface FileTemplateValues {
  rev: string;
  slug: string;
  epoch: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const FILE_TEMPLATE_TOKENS = ['rev', 'slug', 'epoch', 'year', 'month', 'day', 'hour', 'minute', 'second'] as const;

// Python's `\w` for str patterns: letters and numbers of every script, and "_".
const WORD_RUN = /[\p{L}\p{N}_]+/gu;

/** The slug Alembic derives from a revision message. */
export function slugify(message: string | undefined, truncateSlugLength = 40): string {
  const slug = (message ?? '').match(WORD_RUN)?.join('_').toLowerCase() ?? '';
  // Python counts code points, not UTF-16 units.
  const codePoints = Array.from(slug);
  // `truncate_slug_length or 40`: zero (or unset) means 40.
  const limit = truncateSlugLength || 40;
  if (codePoints.length <= limit) return slug;
  const cut = codePoints.slice(0, limit).join('');
  const lastUnderscore = cut.lastIndexOf('_');
  return `${lastUnderscore >= 0 ? cut.slice(0, lastUnderscore) : cut}_`;
}

/** The values Alembic passes to the template for a revision created at `date` (local time). */
export function templateValues(rev: string, message: string | undefined, date: Date, truncateSlugLength = 40): FileTemplateValues {
  return {
    rev,
    slug: slugify(message, truncateSlugLength),
    epoch: Math.floor(date.getTime() / 1000),
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
  };
}

interface FormatSpec {
  key?: string;
  flags: string;
  width?: number;
  precision?: number;
  conversion: string;
  /** Position in the template, for messages. */
  offset: number;
  length: number;
}

type TemplatePart = string | FormatSpec;

// Python's printf-style conversion: %(key)flags width .precision length-modifier conversion.
const CONVERSION = /%(?:\(([^)]*)\))?([#0\- +]*)(\d+|\*)?(?:\.(\d+|\*))?[hlL]?(.)?/y;

/** Splits a `%`-style template into literal text and conversion specs (Python's rules). */
export function parseFileTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let index = 0;
  while (index < template.length) {
    const percent = template.indexOf('%', index);
    if (percent < 0) {
      literal += template.slice(index);
      break;
    }
    literal += template.slice(index, percent);
    if (template[percent + 1] === '%') {
      literal += '%';
      index = percent + 2;
      continue;
    }
    CONVERSION.lastIndex = percent;
    const match = CONVERSION.exec(template);
    if (!match || match[5] === undefined) {
      throw new FileTemplateError(`file_template '${template}': incomplete format at position ${percent}`);
    }
    if (match[3] === '*' || match[4] === '*') {
      throw new FileTemplateError(`file_template '${template}': '*' widths need positional arguments, which Alembic does not pass`);
    }
    if (match[1] === undefined) {
      throw new FileTemplateError(`file_template '${template}': '${match[0]}' has no (name); Alembic formats the template with a mapping, e.g. %(rev)s`);
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push({
      key: match[1],
      flags: match[2],
      width: match[3] === undefined ? undefined : Number(match[3]),
      precision: match[4] === undefined ? undefined : Number(match[4]),
      conversion: match[5],
      offset: percent,
      length: match[0].length,
    });
    index = percent + match[0].length;
  }
  if (literal) parts.push(literal);
  return parts;
}

function pad(text: string, spec: FormatSpec, numeric: boolean): string {
  const width = spec.width ?? 0;
  if (text.length >= width) return text;
  if (spec.flags.includes('-')) return text.padEnd(width);
  if (numeric && spec.flags.includes('0')) {
    const sign = /^[+\- ]/.test(text) ? text[0] : '';
    const prefix = /^[+\- ]?0[xXo]/.test(text) ? text.slice(sign.length, sign.length + 2) : '';
    const digits = text.slice(sign.length + prefix.length);
    return sign + prefix + digits.padStart(width - sign.length - prefix.length, '0');
  }
  return text.padStart(width);
}

function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

function formatValue(value: string | number, spec: FormatSpec, template: string): string {
  const conversion = spec.conversion;
  if (conversion === 's' || conversion === 'r' || conversion === 'a') {
    let text = conversion === 's' ? String(value) : typeof value === 'string' ? pythonRepr(value) : String(value);
    if (spec.precision !== undefined) text = Array.from(text).slice(0, spec.precision).join('');
    return pad(text, spec, false);
  }
  if ('diuxXo'.includes(conversion)) {
    if (typeof value !== 'number') {
      throw new FileTemplateError(`file_template '${template}': %(${spec.key})${conversion} needs a number, but ${spec.key} is text`);
    }
    const negative = value < 0;
    const magnitude = Math.trunc(Math.abs(value));
    let digits =
      conversion === 'x' ? magnitude.toString(16) : conversion === 'X' ? magnitude.toString(16).toUpperCase() : conversion === 'o' ? magnitude.toString(8) : String(magnitude);
    if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
    if (spec.flags.includes('#') && conversion !== 'd' && conversion !== 'i' && conversion !== 'u') {
      digits = (conversion === 'o' ? '0o' : conversion === 'x' ? '0x' : '0X') + digits;
    }
    const sign = negative ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
    return pad(sign + digits, spec, true);
  }
  if ('fF'.includes(conversion)) {
    if (typeof value !== 'number') {
      throw new FileTemplateError(`file_template '${template}': %(${spec.key})${conversion} needs a number, but ${spec.key} is text`);
    }
    const text = value.toFixed(spec.precision ?? 6);
    const sign = value >= 0 && spec.flags.includes('+') ? '+' : value >= 0 && spec.flags.includes(' ') ? ' ' : '';
    return pad(sign + text, spec, true);
  }
  throw new FileTemplateError(`file_template '${template}': unsupported format character '${conversion}' in %(${spec.key})${conversion}`);
}

/** `file_template % values` + ".py", as Alembic names a new revision file. */
export function renderFileName(template: string, values: FileTemplateValues): string {
  const parts = parseFileTemplate(template);
  let name = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      name += part;
      continue;
    }
    if (!(part.key as string in values)) {
      throw new FileTemplateError(
        `file_template '${template}' uses %(${part.key})${part.conversion}, which Alembic does not provide (it provides ${FILE_TEMPLATE_TOKENS.join(', ')}); Alembic fails with KeyError`,
      );
    }
    name += formatValue(values[part.key as keyof FileTemplateValues], part, template);
  }
  return `${name}.py`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function numberPattern(spec: FormatSpec): string {
  const digits = spec.conversion === 'x' || spec.conversion === 'X' ? '[0-9a-fA-F]' : spec.conversion === 'o' ? '[0-7]' : '\\d';
  return `[+\\- ]?(?:0[xXo])?${digits}+`;
}

const PARSED_TEMPLATES = new Map<string, TemplatePart[]>();

function parsedTemplate(template: string): TemplatePart[] {
  let parts = PARSED_TEMPLATES.get(template);
  if (!parts) {
    parts = parseFileTemplate(template);
    PARSED_TEMPLATES.set(template, parts);
  }
  return parts;
}

/**
 * A regular expression matching every file name the template can produce. With `revision`, the
 * `rev` token must be that id; otherwise it captures it as the named group `rev`. (A slug is a run
 * of word characters; anything but a dot or a slash is accepted for it, which keeps the expression
 * free of the costly Unicode mode: this runs once per revision file.)
 */
export function fileNamePattern(template: string, revision?: string): RegExp {
  let source = '^';
  for (const part of parsedTemplate(template)) {
    if (typeof part === 'string') {
      source += escapeRegExp(part);
      continue;
    }
    switch (part.key) {
      case 'rev':
        source += revision !== undefined ? ` *${escapeRegExp(revision)} *` : '(?<rev>.+?)';
        break;
      case 'slug':
        source += '[^./\\\\]*';
        break;
      default:
        if ('diuxXo'.includes(part.conversion)) source += numberPattern(part);
        else if ('fF'.includes(part.conversion)) source += '[+\\- ]?\\d+(?:\\.\\d*)?';
        else source += '.+?';
    }
  }
  return new RegExp(`${source}\\.py$`);
}

export interface FileNameCheck {
  matches: boolean;
  /** Why not, in words a user can act on. */
  reason?: string;
}

/** Does `fileName` (base name) look like what Alembic would have named revision `revision`? */
export function checkFileName(template: string, fileName: string, revision: string): FileNameCheck {
  let pattern: RegExp;
  try {
    pattern = fileNamePattern(template, revision);
  } catch (error) {
    return { matches: true, reason: (error as Error).message };
  }
  if (pattern.test(fileName)) return { matches: true };
  if (!fileName.includes(revision)) {
    return { matches: false, reason: `the file name does not contain the revision id '${revision}'` };
  }
  return { matches: false, reason: `the file name does not follow file_template '${template}'` };
}
