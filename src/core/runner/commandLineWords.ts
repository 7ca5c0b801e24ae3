// Turns a command line a person typed (`/opt/venv/bin/python -m alembic`) into argv words, the way a
// POSIX shell would split it, but without any expansion: no variables, globs, `~` or substitutions,
// so what is stored in the settings is exactly what will be run. The inverse is shellQuote.

export class CommandLineSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineSyntaxError';
  }
}

/** Whitespace separates words; '...' is literal; "..." and a bare backslash escape one character. */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quote === "'") {
      if (character === "'") quote = undefined;
      else word += character;
      continue;
    }
    if (quote === '"') {
      if (character === '"') quote = undefined;
      else if (character === '\\' && index + 1 < text.length && '"\\$`'.includes(text[index + 1])) word += text[++index];
      else word += character;
      continue;
    }
    if (/\s/.test(character)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (character === "'" || character === '"') quote = character;
    else if (character === '\\') {
      if (index + 1 >= text.length) throw new CommandLineSyntaxError('The command line ends with a lone backslash.');
      word += text[++index];
    } else word += character;
  }
  if (quote) throw new CommandLineSyntaxError(`The command line has an unclosed ${quote === '"' ? 'double' : 'single'} quote.`);
  if (inWord) words.push(word);
  return words;
}
