// Compose's variable substitution and env-file syntax, the one implementation both Compose readers
// use (the runner's, for paths and the service environment; the database layer's, for the URL).
// Checked against `docker compose config` in test/docker/composeReading.test.ts.

/**
 * Parses a Compose env file: `KEY=VALUE` lines, optional `export `, `#` comments, single quotes
 * (literal), double quotes (escapes and interpolation), unquoted values with ` #` comments.
 */
export function parseEnvFile(
  text: string,
  lookup: (name: string) => string | undefined = () => undefined,
  warnings: string[] = [],
): Record<string, string> {
  const values: Record<string, string> = {};
  const scopedLookup = (name: string) => values[name] ?? lookup(name);
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rawValue] = match as unknown as [string, string, string];
    let value: string;
    if (rawValue.startsWith("'")) {
      const end = rawValue.indexOf("'", 1);
      value = end > 0 ? rawValue.slice(1, end) : rawValue.slice(1);
    } else if (rawValue.startsWith('"')) {
      let end = 1;
      while (end < rawValue.length && !(rawValue[end] === '"' && rawValue[end - 1] !== '\\')) end++;
      const inner = rawValue
        .slice(1, end)
        .replace(/\\([nrt"\\])/g, (_m, escaped: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[escaped]!);
      value = interpolate(inner, scopedLookup, warnings);
    } else {
      value = interpolate(rawValue.replace(/\s+#.*$/, '').trim(), scopedLookup, warnings);
    }
    values[key] = value;
  }
  return values;
}

/**
 * Compose's variable substitution: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`, `${VAR?msg}`, nested defaults, and `$$` for `$`.
 */
export function interpolate(value: string, lookup: (name: string) => string | undefined, warnings: string[] = []): string {
  let output = '';
  let index = 0;
  while (index < value.length) {
    const char = value[index]!;
    if (char !== '$') {
      output += char;
      index++;
      continue;
    }
    const next = value[index + 1];
    if (next === '$') {
      output += '$';
      index += 2;
      continue;
    }
    if (next === '{') {
      const end = findClosingBrace(value, index + 2);
      if (end < 0) {
        output += value.slice(index);
        break;
      }
      output += substitute(value.slice(index + 2, end), lookup, warnings);
      index = end + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(index + 1))?.[0];
    if (name) {
      output += lookup(name) ?? '';
      index += 1 + name.length;
      continue;
    }
    output += '$';
    index++;
  }
  return output;
}

function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let index = from; index < text.length; index++) {
    if (text[index] === '{') depth++;
    else if (text[index] === '}' && --depth === 0) return index;
  }
  return -1;
}

function substitute(expression: string, lookup: (name: string) => string | undefined, warnings: string[]): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])(.*))?$/s.exec(expression);
  if (!match) return '';
  const [, name, operator, argument = ''] = match as unknown as [string, string, string | undefined, string | undefined];
  const value = lookup(name);
  const unsetOrEmpty = value === undefined || value === '';
  switch (operator) {
    case undefined:
      return value ?? '';
    case ':-':
      return unsetOrEmpty ? interpolate(argument, lookup, warnings) : value!;
    case '-':
      return value === undefined ? interpolate(argument, lookup, warnings) : value;
    case ':+':
      return unsetOrEmpty ? '' : interpolate(argument, lookup, warnings);
    case '+':
      return value === undefined ? '' : interpolate(argument, lookup, warnings);
    case ':?':
    case '?':
      if (operator === ':?' ? unsetOrEmpty : value === undefined) {
        warnings.push(`required variable ${name} is not set${argument ? `: ${argument}` : ''}`);
        return '';
      }
      return value!;
    default:
      return value ?? '';
  }
}
