// Expands a VS Code snippet body the way the editor does when every placeholder keeps its default:
// `${1:text}` (nested too) becomes its text, `$1`/`${1}` the text of that tab stop, `$0` nothing,
// and `\$`, `\}`, `\\` their characters. Enough for our snippets (no choices, variables or transforms:
// a body using one fails here, so the test notices).
import { revisionSource } from './revisionSource';

export function expandSnippetDefaults(body: string): string {
  const defaults = new Map<string, string>();
  let index = 0;

  function parse(stopAt: string | undefined): string {
    let out = '';
    while (index < body.length) {
      const char = body[index];
      if (char === '\\' && index + 1 < body.length && '$}\\'.includes(body[index + 1])) {
        out += body[index + 1];
        index += 2;
      } else if (stopAt && char === stopAt) {
        return out;
      } else if (char === '$') {
        const simple = /^\$(\d+)/.exec(body.slice(index));
        const braced = /^\$\{(\d+)(:|\})/.exec(body.slice(index));
        if (simple) {
          index += simple[0].length;
          out += defaults.get(simple[1]) ?? '';
        } else if (braced && braced[2] === '}') {
          index += braced[0].length;
          out += defaults.get(braced[1]) ?? '';
        } else if (braced) {
          index += braced[0].length;
          const text = parse('}');
          index += 1;
          if (!defaults.has(braced[1])) defaults.set(braced[1], text);
          out += defaults.get(braced[1]);
        } else {
          throw new Error(`unsupported snippet syntax at ${index}: ${body.slice(index, index + 20)}`);
        }
      } else {
        out += char;
        index += 1;
      }
    }
    if (stopAt) throw new Error(`unclosed placeholder in snippet body`);
    return out;
  }

  return parse(undefined);
}

/**
 * A revision file whose upgrade()/downgrade() are an expanded revision snippet, after the header
 * Alembic 1.8.1's template writes (what a user gets inserting the snippet into a new revision).
 */
export function revisionWithSnippet(expanded: string, spec: { id: string; down: string }): string {
  const template = revisionSource({ id: spec.id, down: spec.down, message: 'snippet' });
  return `${template.slice(0, template.indexOf('def upgrade'))}${expanded}\n`;
}
