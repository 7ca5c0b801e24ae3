// Shared Python-source helpers on top of @lezer/python: parsing (error tolerant), offset <-> line
// mapping, and evaluation of the literal subset that Alembic headers and migration arguments use.
// Used by the revision header reader and by the lint engine.
import type { SyntaxNode, Tree } from '@lezer/common';
import type { parser as PythonParser } from '@lezer/python';

/** Zero-based line and UTF-16 column, as editors count them. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

// Loaded on first use: building the parser's tables costs start-up time that most CLI runs (which
// read revision headers with a scan) never need.
let pythonParser: typeof PythonParser | undefined;

/**
 * The @lezer/python tree of a source. Throws PythonNestingError for sources nested deeper than
 * the readers walk (see checkBracketNesting and checkTreeDepth), never a stack overflow.
 */
export function parsePython(source: string): Tree {
  checkBracketNesting(source);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pythonParser ??= (require('@lezer/python') as typeof import('@lezer/python')).parser;
  let tree: Tree;
  try {
    tree = pythonParser.parse(source);
  } catch (error) {
    // @lezer/python bounds its parse stack but builds the tree recursively: a chain of thousands of
    // subscripts or calls overflows there. The parse is pure, so the overflow leaves nothing behind.
    if (error instanceof RangeError) throw new PythonNestingError(`expressions nest too deeply for the parser (${error.message})`, 0);
    throw error;
  }
  return checkTreeDepth(tree);
}

/** CPython refuses more than 200 nested brackets ("too many nested parentheses"): no valid file is deeper. */
export const MAX_BRACKET_NESTING = 200;
/**
 * The deepest syntax tree that parsing hands to the (recursive) tree readers. Left-nested chains
 * (`a.b().c()...`, `x + y + ...`) nest without brackets; CPython's compiler gives up near 3000 levels.
 */
export const MAX_SYNTAX_DEPTH = 1000;

/** A source nested too deeply to be read: what and where (an offset into the source). */
export class PythonNestingError extends Error {
  override name = 'PythonNestingError';

  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const OPENING_BRACKETS = new Set([40, 91, 123]);
const CLOSING_BRACKETS = new Set([41, 93, 125]);

/**
 * Throws PythonNestingError when brackets nest deeper than MAX_BRACKET_NESTING outside strings and
 * comments (an f-string's replacement fields count, from the depth the string starts at). One pass,
 * no recursion: it runs before @lezer/python, whose tree building recurses per level.
 */
export function checkBracketNesting(source: string): void {
  const length = source.length;
  let depth = 0;
  let offset = 0;
  const tooDeep = (at: number): never => {
    throw new PythonNestingError(`brackets nest more than ${MAX_BRACKET_NESTING} levels deep (Python itself refuses this: "too many nested parentheses")`, at);
  };
  while (offset < length) {
    const code = source.charCodeAt(offset);
    if (code === 35 /* # */) {
      while (offset < length && source.charCodeAt(offset) !== 10 && source.charCodeAt(offset) !== 13) offset++;
      continue;
    }
    if (code === 34 || code === 39) {
      // A prefix of f/F (possibly with r/R) makes braces inside the string code.
      let prefixStart = offset;
      while (prefixStart > 0 && /[rRbBuUfF]/.test(source[prefixStart - 1])) prefixStart--;
      const formatted = /[fF]/.test(source.slice(prefixStart, offset)) && (prefixStart === 0 || !/[\w]/.test(source[prefixStart - 1]));
      const triple = source.charCodeAt(offset + 1) === code && source.charCodeAt(offset + 2) === code;
      offset += triple ? 3 : 1;
      let inner = 0;
      while (offset < length) {
        const current = source.charCodeAt(offset);
        if (current === 92 /* \\ */) {
          offset += 2;
          continue;
        }
        if (current === code && (!triple || (source.charCodeAt(offset + 1) === code && source.charCodeAt(offset + 2) === code))) {
          offset += triple ? 3 : 1;
          break;
        }
        if (!triple && (current === 10 || current === 13)) break;
        if (formatted) {
          if (OPENING_BRACKETS.has(current) && ++inner + depth > MAX_BRACKET_NESTING) tooDeep(offset);
          else if (CLOSING_BRACKETS.has(current) && inner > 0) inner--;
        }
        offset++;
      }
      continue;
    }
    if (OPENING_BRACKETS.has(code)) {
      if (++depth > MAX_BRACKET_NESTING) tooDeep(offset);
    } else if (CLOSING_BRACKETS.has(code) && depth > 0) depth--;
    offset++;
  }
}

/** Returns the tree, or throws PythonNestingError when it is deeper than MAX_SYNTAX_DEPTH (walked with a cursor, no recursion). */
export function checkTreeDepth(tree: Tree): Tree {
  const cursor = tree.cursor();
  let depth = 0;
  for (;;) {
    if (cursor.firstChild()) {
      if (++depth > MAX_SYNTAX_DEPTH) {
        throw new PythonNestingError(`expressions or blocks nest more than ${MAX_SYNTAX_DEPTH} levels deep (a chain of calls, operators or blocks)`, cursor.from);
      }
      continue;
    }
    while (!cursor.nextSibling()) {
      if (!cursor.parent()) return tree;
      depth--;
    }
  }
}

/** Maps string offsets to line/column with a binary search over line starts. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let offset = 0; offset < text.length; offset++) {
      const code = text.charCodeAt(offset);
      if (code === 10) this.lineStarts.push(offset + 1);
      // A lone CR (old Mac line end) also ends a line for Python and for editors.
      else if (code === 13 && text.charCodeAt(offset + 1) !== 10) this.lineStarts.push(offset + 1);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, column: offset - this.lineStarts[low] };
  }

  range(from: number, to: number): SourceRange {
    return { start: this.position(from), end: this.position(to) };
  }

  offset(position: SourcePosition): number {
    const lineStart = this.lineStarts[Math.min(Math.max(position.line, 0), this.lineStarts.length - 1)];
    return Math.min(lineStart + position.column, this.text.length);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 0), this.lineStarts.length - 1)];
  }
}

export function nodeText(source: string, node: SyntaxNode): string {
  return source.slice(node.from, node.to);
}

/** Named (non-punctuation) children of a node, in order; error nodes ("⚠") included. */
export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (/^[A-Z⚠]/.test(child.name)) children.push(child);
  }
  return children;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * The value of one Python string literal token (`'x'`, `"""x"""`, `r'x'`, `u"x"`, `b'x'`), or
 * undefined when it is not a plain literal (f-strings) or is unterminated.
 */
export function decodeStringLiteral(literal: string): string | undefined {
  const match = /^([rRuUbB]{0,2})('''|"""|'|")/.exec(literal);
  if (!match) return undefined;
  const prefix = match[1].toLowerCase();
  const quote = match[2];
  if (literal.length < prefix.length + quote.length * 2 || !literal.endsWith(quote)) return undefined;
  const body = literal.slice(prefix.length + quote.length, literal.length - quote.length);
  // Most literals have neither escapes nor CRs: skip the regex work (lint decodes every string).
  if (!body.includes('\\') && !body.includes('\r')) return body;
  const normalized = body.replace(/\r\n?/g, '\n');
  if (prefix.includes('r')) return normalized;
  return normalized.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|[\s\S])/g,
    (whole, escape: string) => {
      if (escape in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[escape];
      const first = escape[0];
      if (first === 'x' || (!prefix.includes('b') && (first === 'u' || first === 'U'))) {
        return String.fromCodePoint(parseInt(escape.slice(1), 16));
      }
      if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8));
      // Unknown escapes (and \N{...}, which needs the Unicode name table) stay as written, as
      // Python keeps unknown ones.
      return whole;
    },
  );
}

/** A Python literal value as far as a static reader can know it. */
export type PythonLiteral = string | number | boolean | null | PythonLiteral[];

export const NOT_A_LITERAL: unique symbol = Symbol('not a literal');

/**
 * Evaluates strings (including implicit concatenation), numbers, True/False/None and tuples or
 * lists of those; anything else (names, calls, f-strings) is NOT_A_LITERAL.
 */
export function evaluateLiteral(source: string, node: SyntaxNode): PythonLiteral | typeof NOT_A_LITERAL {
  switch (node.name) {
    case 'String': {
      const value = decodeStringLiteral(nodeText(source, node));
      return value === undefined ? NOT_A_LITERAL : value;
    }
    case 'ContinuedString': {
      let joined = '';
      for (const part of namedChildren(node)) {
        if (part.name !== 'String') return NOT_A_LITERAL;
        const value = decodeStringLiteral(nodeText(source, part));
        if (value === undefined) return NOT_A_LITERAL;
        joined += value;
      }
      return joined;
    }
    case 'None':
      return null;
    case 'Boolean':
      return nodeText(source, node) === 'True';
    case 'Number': {
      const value = Number(nodeText(source, node).replace(/_/g, ''));
      return Number.isNaN(value) ? NOT_A_LITERAL : value;
    }
    case 'ParenthesizedExpression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? evaluateLiteral(source, inner[0]) : NOT_A_LITERAL;
    }
    case 'TupleExpression':
    case 'ArrayExpression': {
      const items: PythonLiteral[] = [];
      for (const child of namedChildren(node)) {
        const value = evaluateLiteral(source, child);
        if (value === NOT_A_LITERAL) return NOT_A_LITERAL;
        items.push(value);
      }
      return items;
    }
    default:
      return NOT_A_LITERAL;
  }
}
