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

export function parsePython(source: string): Tree {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pythonParser ??= (require('@lezer/python') as typeof import('@lezer/python')).parser;
  return pythonParser.parse(source);
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
