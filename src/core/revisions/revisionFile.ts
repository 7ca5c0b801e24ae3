// Reads the header of an Alembic revision file without running Python: `revision`,
// `down_revision`, `branch_labels`, `depends_on` and the module docstring (Alembic's message and the
// template's "Revision ID:", "Revises:", "Create Date:" lines).
//
// Two paths:
// - a fast scan that knows Python's strings (all quote and prefix forms, f-string nesting),
//   comments, brackets and line continuations, so it can tell a module-level `revision = ...` from
//   the same words inside a string or a function. It stops after the last line where a header name
//   could start a statement (usually before upgrade()), skips between significant characters with
//   regular expressions, and reads the template's `name = 'value'` lines with one more; only
//   unusual header statements are tokenized. This is the path for nearly every file.
// - the @lezer/python syntax tree, for what a scan can't decide: header assignments inside
//   module-level `if`/`try` blocks, tuple unpacking (`revision, down_revision = ...`), and files
//   whose strings or brackets don't close. Lezer recovers from syntax errors, so a broken
//   `upgrade()` never loses the header.
//
// Python's rule is kept: the LAST module-level assignment of a name wins. All ranges are zero-based
// (line, UTF-16 column) so the editor can offer go-to-definition and find-references with no re-parse;
// they are computed on first access (the CLI never asks, and on 5000 files that halves the work).
import type { SyntaxNode } from '@lezer/common';
import { decodeStringLiteral, LineIndex, MAX_BRACKET_NESTING, namedChildren, nodeText, parsePython, PythonNestingError, SourcePosition, SourceRange } from '../python/pythonSource';

export type HeaderVariable = 'revision' | 'down_revision' | 'branch_labels' | 'depends_on';
export const HEADER_VARIABLES: readonly HeaderVariable[] = ['revision', 'down_revision', 'branch_labels', 'depends_on'];

export type DownRevisionForm = 'none' | 'string' | 'tuple' | 'list' | 'missing' | 'unreadable';

export type ReferenceKind =
  | 'revision'
  | 'down_revision'
  | 'depends_on'
  | 'branch_label'
  | 'docstring_revision_id'
  | 'docstring_revises';

/** One revision id (or branch label) written in the file, with where it is written. */
export interface RevisionReference {
  id: string;
  kind: ReferenceKind;
  /** The characters of the id (inside the quotes for string literals). */
  range: SourceRange;
}

export type HeaderIssueCode =
  /** No module-level `revision = ...`: Alembic stops ("Could not determine revision id ..."). */
  | 'missing-revision'
  /** No `down_revision`: Alembic fails with AttributeError. */
  | 'missing-down-revision'
  /** A value we can't evaluate without running Python (a name, a call, an f-string ...). */
  | 'unreadable-value'
  /** A value of the wrong type (e.g. `revision = 42`, `down_revision = (None, 'a')`). */
  | 'wrong-type'
  /** `revision` contains "@", "-" or "+", which Alembic rejects. */
  | 'invalid-revision-id';

export interface HeaderIssue {
  code: HeaderIssueCode;
  variable?: HeaderVariable;
  message: string;
  range?: SourceRange;
}

/** Where a header variable is assigned, for code actions that rewrite it. */
export interface HeaderAssignment {
  /** The whole statement (`down_revision: Union[...] = ('a', 'b')`). */
  range: SourceRange;
  /** Just the value after `=`. */
  valueRange: SourceRange;
  /** The value as written. */
  valueText: string;
}

export interface RevisionFile {
  filePath: string;
  revision?: string;
  /** Parents named by `down_revision`, in file order; empty for a base. */
  downRevisions: string[];
  downRevisionForm: DownRevisionForm;
  branchLabels: string[];
  dependsOn: string[];
  /** Alembic's `doc`: the first paragraph of the stripped docstring (what `history` prints). */
  message?: string;
  /** The whole docstring, stripped (Alembic's `longdoc`). */
  docstring?: string;
  /** "Create Date:" line of the docstring. */
  createDate?: string;
  /** "Revision ID:" line of the docstring. */
  docstringRevisionId?: string;
  /** Ids on the "Revises:" line of the docstring (comma separated). */
  docstringRevises?: string[];
  references: RevisionReference[];
  headerIssues: HeaderIssue[];
  assignments: Partial<Record<HeaderVariable, HeaderAssignment>>;
  /** Which reader produced the header ('scan' for the fast path). */
  parsedWith: 'scan' | 'syntax-tree';
}

// ---------------------------------------------------------------------------------------------
// Values, as both readers produce them.

type HeaderValue =
  | { kind: 'none'; from: number; to: number }
  | { kind: 'string'; value: string; from: number; to: number; contentFrom: number; contentTo: number }
  | { kind: 'sequence'; form: 'tuple' | 'list'; items: HeaderValue[]; from: number; to: number }
  /** Anything else; `literal` when Python knows its value (a number, True) but it's the wrong type. */
  | { kind: 'other'; from: number; to: number; what: string; literal?: boolean };

interface FoundAssignment {
  variable: HeaderVariable;
  value: HeaderValue;
  statementFrom: number;
  statementTo: number;
}

/**
 * Offset -> zero-based line/column. Line starts are found only as far as asked (header ranges sit
 * near the top of the file), and `freeze` keeps just the line-start table, not the text, so the
 * lazily computed ranges below cost a few bytes per file until someone asks for them.
 */
class LazyLineLocator {
  private lineStarts: number[] | Int32Array = [0];
  private scannedTo = 0;
  private text: string;
  private readonly hasCarriageReturn: boolean;

  constructor(text: string) {
    this.text = text;
    this.hasCarriageReturn = text.includes('\r');
  }

  private nextBreak(from: number): number {
    const lf = this.text.indexOf('\n', from);
    if (!this.hasCarriageReturn) return lf;
    const cr = this.text.indexOf('\r', from);
    if (cr < 0) return lf;
    return lf < 0 ? cr : Math.min(lf, cr);
  }

  private extendTo(offset: number): void {
    const starts = this.lineStarts as number[];
    while (this.scannedTo <= offset && this.scannedTo < this.text.length) {
      const at = this.nextBreak(this.scannedTo);
      if (at < 0) {
        this.scannedTo = this.text.length;
        return;
      }
      this.scannedTo = at + (this.text.charCodeAt(at) === CH_CR && this.text.charCodeAt(at + 1) === CH_LF ? 2 : 1);
      starts.push(this.scannedTo);
    }
  }

  private maxNeeded = 0;

  /** Records that a lazy range will need positions up to `offset`. */
  needs(offset: number): void {
    if (offset > this.maxNeeded) this.maxNeeded = offset;
  }

  /** Keeps the line starts every recorded range needs and lets go of the text. */
  freeze(): void {
    if (this.lineStarts instanceof Int32Array) return;
    this.extendTo(this.maxNeeded);
    this.lineStarts = Int32Array.from(this.lineStarts);
    this.text = '';
  }

  position(offset: number): SourcePosition {
    if (!(this.lineStarts instanceof Int32Array)) this.extendTo(offset);
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, column: offset - starts[low] };
  }

  range(from: number, to: number): SourceRange {
    return { start: this.position(from), end: this.position(to) };
  }
}

/** A reference whose range is computed on first use (the CLI never asks; the editor does). */
class LazyReference implements RevisionReference {
  private computed?: SourceRange;
  constructor(
    readonly id: string,
    readonly kind: ReferenceKind,
    private readonly from: number,
    private readonly to: number,
    private readonly lines: LazyLineLocator,
  ) {
    lines.needs(to);
  }

  get range(): SourceRange {
    this.computed ??= this.lines.range(this.from, this.to);
    return this.computed;
  }

  toJSON(): RevisionReference {
    return { id: this.id, kind: this.kind, range: this.range };
  }
}

class LazyAssignment implements HeaderAssignment {
  private computedRange?: SourceRange;
  private computedValueRange?: SourceRange;
  constructor(
    private readonly offsets: { statementFrom: number; statementTo: number; valueFrom: number; valueTo: number },
    readonly valueText: string,
    private readonly lines: LazyLineLocator,
  ) {}

  get range(): SourceRange {
    this.computedRange ??= this.lines.range(this.offsets.statementFrom, this.offsets.statementTo);
    return this.computedRange;
  }

  get valueRange(): SourceRange {
    this.computedValueRange ??= this.lines.range(this.offsets.valueFrom, this.offsets.valueTo);
    return this.computedValueRange;
  }

  toJSON(): HeaderAssignment {
    return { range: this.range, valueRange: this.valueRange, valueText: this.valueText };
  }
}

// ---------------------------------------------------------------------------------------------
// Character classes.

const CH_TAB = 9;
const CH_LF = 10;
const CH_FF = 12;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_HASH = 35;
const CH_DQUOTE = 34;
const CH_SQUOTE = 39;
const CH_BACKSLASH = 92;

function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 0x80;
}

function isIdentifierChar(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function isStringPrefix(prefix: string): boolean {
  return prefix.length <= 2 && /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/.test(prefix);
}

/** End of a string literal whose opening quote is at `quote`; `unterminated` when it never closes. */
interface StringEnd {
  end: number;
  unterminated: boolean;
}

// One regular expression per string kind finds the next character that matters inside it, so long
// strings and docstrings are skipped at native speed.
const STRING_STOPS: Record<string, RegExp> = {
  "'": /[\\'\r\n]/g,
  '"': /[\\"\r\n]/g,
  "'''": /[\\']/g,
  '"""': /[\\"]/g,
  "f'": /[\\'\r\n{]/g,
  'f"': /[\\"\r\n{]/g,
  "f'''": /[\\'{]/g,
  'f"""': /[\\"{]/g,
};

function scanString(text: string, quote: number, isF: boolean, nesting = 0): StringEnd {
  const quoteCode = text.charCodeAt(quote);
  const triple = text.charCodeAt(quote + 1) === quoteCode && text.charCodeAt(quote + 2) === quoteCode;
  const quoteText = quoteCode === CH_SQUOTE ? "'" : '"';
  const stops = STRING_STOPS[(isF ? 'f' : '') + (triple ? quoteText.repeat(3) : quoteText)];
  let pos = quote + (triple ? 3 : 1);
  for (;;) {
    stops.lastIndex = pos;
    if (!stops.test(text)) return { end: text.length, unterminated: true };
    const at = stops.lastIndex - 1;
    const code = text.charCodeAt(at);
    if (code === CH_BACKSLASH) {
      pos = at + (text.charCodeAt(at + 1) === CH_CR && text.charCodeAt(at + 2) === CH_LF ? 3 : 2);
      continue;
    }
    if (code === quoteCode) {
      if (!triple) return { end: at + 1, unterminated: false };
      if (text.charCodeAt(at + 1) === quoteCode && text.charCodeAt(at + 2) === quoteCode) return { end: at + 3, unterminated: false };
      pos = at + 1;
      continue;
    }
    if (code === CH_LF || code === CH_CR) return { end: at, unterminated: true };
    // "{" in an f-string: "{{" is a literal brace, anything else opens a replacement field.
    if (text.charCodeAt(at + 1) === 123) {
      pos = at + 2;
      continue;
    }
    // Python itself limits f-string nesting; deeper than this is broken input, not code.
    if (nesting > 16) return { end: text.length, unterminated: true };
    const expressionEnd = scanFStringExpression(text, at + 1, nesting + 1);
    if (expressionEnd.unterminated) return expressionEnd;
    pos = expressionEnd.end;
  }
}

/** Skips an f-string replacement field (after its "{"), nested strings and brackets included. */
function scanFStringExpression(text: string, start: number, nesting: number): StringEnd {
  let depth = 0;
  let pos = start;
  const length = text.length;
  while (pos < length) {
    const code = text.charCodeAt(pos);
    if (code === CH_SQUOTE || code === CH_DQUOTE) {
      const inner = scanString(text, pos, false, nesting);
      if (inner.unterminated) return inner;
      pos = inner.end;
      continue;
    }
    if (isIdentifierStart(code)) {
      const wordEnd = identifierEnd(text, pos);
      const next = text.charCodeAt(wordEnd);
      if ((next === CH_SQUOTE || next === CH_DQUOTE) && isStringPrefix(text.slice(pos, wordEnd))) {
        const inner = scanString(text, wordEnd, /[fF]/.test(text.slice(pos, wordEnd)), nesting);
        if (inner.unterminated) return inner;
        pos = inner.end;
      } else pos = wordEnd;
      continue;
    }
    if (code === 40 || code === 91 || code === 123) depth++;
    else if (code === 41 || code === 93) depth--;
    else if (code === 125 /* } */) {
      if (depth === 0) return { end: pos + 1, unterminated: false };
      depth--;
    }
    pos++;
  }
  return { end: length, unterminated: true };
}

function identifierEnd(text: string, start: number): number {
  let pos = start;
  while (pos < text.length && isIdentifierChar(text.charCodeAt(pos))) pos++;
  return pos;
}

// ---------------------------------------------------------------------------------------------
// The fast scan: logical lines, and which of them matter.

interface LogicalLine {
  start: number;
  end: number;
  indent: number;
}

interface ScanResult {
  /** The first statement of the module (docstring candidate). */
  firstStatement?: LogicalLine;
  /** Module-level statements that start with a header variable name. */
  headerStatements: LogicalLine[];
  /** Set when the scan can't be trusted for the header (see file comment). */
  needsSyntaxTree: boolean;
  /** Offset of the first unterminated string or bracket, if any. */
  errorOffset?: number;
}

function startsWithHeaderName(text: string, pos: number): boolean {
  const code = text.charCodeAt(pos);
  if (code !== 114 /* r */ && code !== 100 /* d */ && code !== 98 /* b */) return false;
  const end = identifierEnd(text, pos);
  const word = text.slice(pos, end);
  return (HEADER_VARIABLES as readonly string[]).includes(word);
}

function firstWord(text: string, pos: number): string {
  if (text.charCodeAt(pos) === 64 /* @ */) return '@';
  return text.slice(pos, identifierEnd(text, pos));
}

const BODY_OF_FUNCTION_OR_CLASS = new Set(['def', 'class', 'async', '@']);

// Characters that can change the logical-line structure; everything else is skipped natively.
const LINE_STOPS = /[#'"\\\r\n()[\]{}]/g;

function isStringPrefixChar(code: number): boolean {
  // r R u U b B f F
  return code === 114 || code === 82 || code === 117 || code === 85 || code === 98 || code === 66 || code === 102 || code === 70;
}

/** Whether the quote at `quote` opens an f-string (an f/F among the one or two prefix letters before it). */
function isFStringQuote(text: string, quote: number): boolean {
  let start = quote;
  while (start > quote - 2 && start > 0 && isStringPrefixChar(text.charCodeAt(start - 1))) start--;
  if (start === quote || (start > 0 && isIdentifierChar(text.charCodeAt(start - 1)))) return false;
  for (let index = start; index < quote; index++) {
    const code = text.charCodeAt(index);
    if (code === 102 || code === 70) return true;
  }
  return false;
}

function endOfPhysicalLine(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (lf < 0) return cr < 0 ? text.length : cr;
  return cr < 0 ? lf : Math.min(lf, cr);
}

/**
 * Finds logical lines up to `limit` (the last place a header name could start a statement; the rest
 * of the file, usually upgrade() and downgrade(), can't change the header and is not scanned).
 */
function scanLogicalLines(text: string, limit = Infinity): ScanResult {
  const result: ScanResult = { headerStatements: [], needsSyntaxTree: false };
  const length = text.length;
  let pos = 0;
  // First word of the latest module-level statement: tells a function body from an `if` block.
  let topLevelKeyword = '';
  while (pos < length) {
    if (pos > limit && result.firstStatement !== undefined) break;
    // Start of a physical line outside any bracket: measure the indent.
    let indent = 0;
    while (pos < length) {
      const code = text.charCodeAt(pos);
      if (code === CH_SPACE) indent++;
      else if (code === CH_TAB) indent = (indent & ~7) + 8;
      else if (code !== CH_FF) break;
      pos++;
    }
    if (pos >= length) break;
    const lead = text.charCodeAt(pos);
    if (lead === CH_LF || lead === CH_CR || lead === CH_HASH || lead === CH_BACKSLASH) {
      // Blank or comment-only line (or a stray continuation): no statement starts here.
      pos = endOfPhysicalLine(text, pos);
      pos += text.charCodeAt(pos) === CH_CR && text.charCodeAt(pos + 1) === CH_LF ? 2 : 1;
      continue;
    }
    const line: LogicalLine = { start: pos, end: pos, indent };
    const isHeaderCandidate = (lead === 114 || lead === 100 || lead === 98) && startsWithHeaderName(text, pos);
    if (indent === 0) topLevelKeyword = firstWord(text, pos);
    // Walk to the end of the logical line.
    let depth = 0;
    let end = length;
    LINE_STOPS.lastIndex = pos;
    // test() instead of exec(): no match array per stop (stops are single characters).
    while (LINE_STOPS.test(text)) {
      const at = LINE_STOPS.lastIndex - 1;
      const code = text.charCodeAt(at);
      if (code === CH_LF || code === CH_CR) {
        if (depth === 0) {
          end = at;
          break;
        }
      } else if (code === CH_HASH) {
        LINE_STOPS.lastIndex = endOfPhysicalLine(text, at);
      } else if (code === CH_SQUOTE || code === CH_DQUOTE) {
        const string = scanString(text, at, isFStringQuote(text, at));
        if (string.unterminated) {
          result.errorOffset ??= at;
          result.needsSyntaxTree = true;
        }
        LINE_STOPS.lastIndex = string.end;
      } else if (code === CH_BACKSLASH) {
        const next = text.charCodeAt(at + 1);
        if (next === CH_LF || next === CH_CR) LINE_STOPS.lastIndex = at + (next === CH_CR && text.charCodeAt(at + 2) === CH_LF ? 3 : 2);
      } else if (code === 40 || code === 91 || code === 123) {
        depth++;
      } else if (depth === 0) {
        result.errorOffset ??= at;
        result.needsSyntaxTree = true;
      } else {
        depth--;
      }
    }
    if (depth > 0) {
      result.errorOffset ??= line.start;
      result.needsSyntaxTree = true;
    }
    pos = end;
    line.end = pos;
    result.firstStatement ??= line;
    if (isHeaderCandidate) {
      if (indent === 0) result.headerStatements.push(line);
      else if (!BODY_OF_FUNCTION_OR_CLASS.has(topLevelKeyword) && isAssignmentStart(text, line)) result.needsSyntaxTree = true;
    }
    pos += text.charCodeAt(pos) === CH_CR && text.charCodeAt(pos + 1) === CH_LF ? 2 : 1;
  }
  return result;
}

function isAssignmentStart(text: string, line: LogicalLine): boolean {
  let pos = identifierEnd(text, line.start);
  while (text.charCodeAt(pos) === CH_SPACE || text.charCodeAt(pos) === CH_TAB) pos++;
  const code = text.charCodeAt(pos);
  return (code === 61 /* = */ && text.charCodeAt(pos + 1) !== 61) || code === 58 /* : */ || code === 44 /* , */;
}

// ---------------------------------------------------------------------------------------------
// Tokens of one header statement.

type Token =
  | { kind: 'name'; text: string; from: number; to: number }
  | { kind: 'string'; from: number; to: number; literal: string; prefix: string; quoteLength: number; unterminated: boolean }
  | { kind: 'number'; from: number; to: number }
  | { kind: 'op'; text: string; from: number; to: number };

const TWO_CHAR_OPERATORS = new Set(['==', '!=', '<=', '>=', ':=', '->', '**', '//', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=']);

function tokenize(text: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  let pos = from;
  while (pos < to) {
    const code = text.charCodeAt(pos);
    if (code === CH_SPACE || code === CH_TAB || code === CH_FF || code === CH_LF || code === CH_CR) {
      pos++;
      continue;
    }
    if (code === CH_HASH) {
      while (pos < to && text.charCodeAt(pos) !== CH_LF && text.charCodeAt(pos) !== CH_CR) pos++;
      continue;
    }
    if (code === CH_BACKSLASH) {
      pos++;
      continue;
    }
    if (isIdentifierStart(code)) {
      const wordEnd = identifierEnd(text, pos);
      const next = text.charCodeAt(wordEnd);
      const word = text.slice(pos, wordEnd);
      if ((next === CH_SQUOTE || next === CH_DQUOTE) && isStringPrefix(word)) {
        tokens.push(stringToken(text, pos, wordEnd, word));
        pos = tokens[tokens.length - 1].to;
      } else {
        tokens.push({ kind: 'name', text: word, from: pos, to: wordEnd });
        pos = wordEnd;
      }
      continue;
    }
    if (code === CH_SQUOTE || code === CH_DQUOTE) {
      tokens.push(stringToken(text, pos, pos, ''));
      pos = tokens[tokens.length - 1].to;
      continue;
    }
    if (code >= 48 && code <= 57) {
      let end = pos + 1;
      while (end < to && (isIdentifierChar(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
      tokens.push({ kind: 'number', from: pos, to: end });
      pos = end;
      continue;
    }
    const pair = text.slice(pos, pos + 2);
    const operator = TWO_CHAR_OPERATORS.has(pair) ? pair : text[pos];
    tokens.push({ kind: 'op', text: operator, from: pos, to: pos + operator.length });
    pos += operator.length;
  }
  return tokens;
}

function stringToken(text: string, from: number, quote: number, prefix: string): Token {
  const end = scanString(text, quote, /[fF]/.test(prefix));
  const quoteCode = text.charCodeAt(quote);
  const quoteLength = text.charCodeAt(quote + 1) === quoteCode && text.charCodeAt(quote + 2) === quoteCode ? 3 : 1;
  return { kind: 'string', from, to: end.end, literal: text.slice(from, end.end), prefix, quoteLength, unterminated: end.unterminated };
}

/** A string token's value; the common case (no escapes, no CR) needs no decoding pass. */
function decodeSimply(token: Extract<Token, { kind: 'string' }>): string | undefined {
  const body = token.literal.slice(token.prefix.length + token.quoteLength, token.literal.length - token.quoteLength);
  if (!body.includes('\\') && !body.includes('\r') && token.literal.length >= token.prefix.length + 2 * token.quoteLength) return body;
  return decodeStringLiteral(token.literal);
}

/** Parses the literal subset header values use; anything else becomes { kind: 'other' }. */
class ValueParser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parseTopLevel(): HeaderValue {
    const first = this.parseAtom();
    const items: HeaderValue[] = [first];
    let sawComma = false;
    while (this.peekOp(',')) {
      sawComma = true;
      this.index++;
      if (this.index >= this.tokens.length) break;
      items.push(this.parseAtom());
    }
    if (this.index < this.tokens.length) {
      const from = first.from;
      return { kind: 'other', from, to: this.tokens[this.tokens.length - 1].to, what: 'an expression' };
    }
    if (!sawComma) return first;
    return { kind: 'sequence', form: 'tuple', items, from: first.from, to: items[items.length - 1].to };
  }

  /** Whether the current atom ends here (end of value, a comma or a closing bracket). */
  private atAtomEnd(): boolean {
    const next = this.tokens[this.index];
    return next === undefined || (next.kind === 'op' && (next.text === ',' || next.text === ')' || next.text === ']'));
  }

  private peekOp(text: string): boolean {
    const token = this.tokens[this.index];
    return token !== undefined && token.kind === 'op' && token.text === text;
  }

  /** `depth`: brackets open around this atom; past Python's own limit the rest is swallowed, not recursed into. */
  private parseAtom(depth = 0): HeaderValue {
    const token = this.tokens[this.index];
    if (!token) return { kind: 'other', from: 0, to: 0, what: 'nothing' };
    if (depth > MAX_BRACKET_NESTING) return this.swallowRest(token.from, 'brackets nested deeper than Python allows');
    if (token.kind === 'name') {
      this.index++;
      if (token.text === 'None') return { kind: 'none', from: token.from, to: token.to };
      const isBoolean = token.text === 'True' || token.text === 'False';
      if (isBoolean && this.atAtomEnd()) return { kind: 'other', from: token.from, to: token.to, what: 'a boolean', literal: true };
      return this.swallowRest(token.from, isBoolean ? 'an expression' : `the name '${token.text}'`);
    }
    if (token.kind === 'number') {
      this.index++;
      if (this.atAtomEnd()) return { kind: 'other', from: token.from, to: token.to, what: 'a number', literal: true };
      return this.swallowRest(token.from, 'an expression');
    }
    if (token.kind === 'string') return this.parseStrings();
    if (token.text === '(' || token.text === '[') {
      const closer = token.text === '(' ? ')' : ']';
      this.index++;
      const items: HeaderValue[] = [];
      let sawComma = false;
      while (this.index < this.tokens.length && !this.peekOp(closer)) {
        const item = this.parseAtom(depth + 1);
        items.push(item);
        if (item.kind === 'other') return this.swallowRest(token.from, item.what);
        if (this.peekOp(',')) {
          sawComma = true;
          this.index++;
        } else if (!this.peekOp(closer)) return this.swallowRest(token.from, 'an expression');
      }
      const close = this.tokens[this.index];
      if (!close) return { kind: 'other', from: token.from, to: this.tokens[this.tokens.length - 1].to, what: 'an unclosed bracket' };
      this.index++;
      if (token.text === '(' && items.length === 1 && !sawComma) return { ...items[0] };
      return { kind: 'sequence', form: token.text === '(' ? 'tuple' : 'list', items, from: token.from, to: close.to };
    }
    this.index++;
    return this.swallowRest(token.from, `'${token.text}'`);
  }

  private parseStrings(): HeaderValue {
    const first = this.tokens[this.index] as Extract<Token, { kind: 'string' }>;
    let value = '';
    let last = first;
    let readable = true;
    while (this.tokens[this.index]?.kind === 'string') {
      const token = this.tokens[this.index] as Extract<Token, { kind: 'string' }>;
      const decoded = /[fFbB]/.test(token.prefix) || token.unterminated ? undefined : decodeSimply(token);
      if (decoded === undefined) readable = false;
      else value += decoded;
      last = token;
      this.index++;
    }
    if (!readable) {
      return { kind: 'other', from: first.from, to: last.to, what: /[fF]/.test(first.prefix) ? 'an f-string' : /[bB]/.test(first.prefix) ? 'a bytes literal' : 'an unterminated string' };
    }
    // A following operator (`"a" + x`, `"a".upper()`) makes it an expression.
    const next = this.tokens[this.index];
    if (next && next.kind === 'op' && next.text !== ',' && next.text !== ')' && next.text !== ']') return this.swallowRest(first.from, 'an expression');
    if (next && next.kind !== 'op') return this.swallowRest(first.from, 'an expression');
    return {
      kind: 'string',
      value,
      from: first.from,
      to: last.to,
      contentFrom: first.from + first.prefix.length + first.quoteLength,
      contentTo: last.unterminated ? last.to : last.to - last.quoteLength,
    };
  }

  /** Consumes the rest of the current atom (call arguments, operators) and reports "other". */
  private swallowRest(from: number, what: string): HeaderValue {
    let depth = 0;
    let to = this.tokens[this.index - 1]?.to ?? from;
    while (this.index < this.tokens.length) {
      const token = this.tokens[this.index];
      if (token.kind === 'op') {
        if (token.text === '(' || token.text === '[' || token.text === '{') depth++;
        else if (token.text === ')' || token.text === ']' || token.text === '}') {
          if (depth === 0) break;
          depth--;
        } else if (token.text === ',' && depth === 0) break;
      }
      to = token.to;
      this.index++;
    }
    return { kind: 'other', from, to, what };
  }
}

/** Splits tokens at top-level `;` into simple statements. */
function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'op') {
      if (token.text === '(' || token.text === '[' || token.text === '{') depth++;
      else if (token.text === ')' || token.text === ']' || token.text === '}') depth = Math.max(0, depth - 1);
      else if (token.text === ';' && depth === 0) {
        statements.push([]);
        continue;
      }
    }
    statements[statements.length - 1].push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}

// The form the Alembic template writes (`revision = 'abc'`, `down_revision: str | None = None`), read
// without tokenizing.
const SIMPLE_HEADER_LINE = /^(revision|down_revision|branch_labels|depends_on)(?:[ \t]*:[^=\r\n#]*)?[ \t]*=[ \t]*(?:(None)|([rRuU]?)(['"])([^'"\\\r\n#]*)\4)[ \t]*(?:#[^\r\n]*)?$/;

function trailingBlanks(text: string): number {
  let count = 0;
  while (count < text.length) {
    const code = text.charCodeAt(text.length - 1 - count);
    if (code !== CH_SPACE && code !== CH_TAB) break;
    count++;
  }
  return count;
}

function readSimpleHeaderLine(text: string, line: LogicalLine): FoundAssignment | undefined {
  const lineText = text.slice(line.start, line.end);
  const match = SIMPLE_HEADER_LINE.exec(lineText);
  if (!match) return undefined;
  const variable = match[1] as HeaderVariable;
  // Only blanks and a comment may follow the value, and neither None nor the string can contain "#".
  const hash = lineText.indexOf('#', lineText.indexOf('=') + 1);
  const beforeComment = hash < 0 ? lineText : lineText.slice(0, hash);
  const valueEnd = line.start + beforeComment.length - trailingBlanks(beforeComment);
  if (match[2]) return { variable, value: { kind: 'none', from: valueEnd - 4, to: valueEnd }, statementFrom: line.start, statementTo: valueEnd };
  const contentTo = valueEnd - 1;
  const contentFrom = contentTo - match[5].length;
  return {
    variable,
    value: { kind: 'string', value: match[5], from: contentFrom - 1 - match[3].length, to: valueEnd, contentFrom, contentTo },
    statementFrom: line.start,
    statementTo: valueEnd,
  };
}

/**
 * Reads one header statement. Returns the assignments found, or 'needs-tree' for forms the scan
 * leaves to the syntax tree (tuple targets).
 */
function readHeaderStatement(text: string, line: LogicalLine): FoundAssignment[] | 'needs-tree' {
  const simple = readSimpleHeaderLine(text, line);
  if (simple) return [simple];
  const found: FoundAssignment[] = [];
  for (const statement of splitStatements(tokenize(text, line.start, line.end))) {
    // Targets are separated by top-level "="; the last segment is the value.
    const segments: Token[][] = [[]];
    let depth = 0;
    for (const token of statement) {
      if (token.kind === 'op') {
        if (token.text === '(' || token.text === '[' || token.text === '{') depth++;
        else if (token.text === ')' || token.text === ']' || token.text === '}') depth = Math.max(0, depth - 1);
        else if (token.text === '=' && depth === 0) {
          segments.push([]);
          continue;
        }
      }
      segments[segments.length - 1].push(token);
    }
    if (segments.length < 2) continue; // An expression or an annotation without value.
    const valueTokens = segments[segments.length - 1];
    const targets: HeaderVariable[] = [];
    for (const [index, segment] of segments.slice(0, -1).entries()) {
      const head = segment[0];
      if (!head || head.kind !== 'name') continue;
      const annotated = index === 0 && segment[1]?.kind === 'op' && segment[1].text === ':';
      if (segment.length > 1 && !annotated) {
        if (segment.some((token) => token.kind === 'op' && token.text === ',') && segment.some((token) => token.kind === 'name' && (HEADER_VARIABLES as readonly string[]).includes(token.text))) {
          return 'needs-tree';
        }
        continue;
      }
      if ((HEADER_VARIABLES as readonly string[]).includes(head.text)) targets.push(head.text as HeaderVariable);
    }
    if (targets.length === 0 || valueTokens.length === 0) continue;
    const value = new ValueParser(valueTokens).parseTopLevel();
    for (const variable of targets) {
      found.push({ variable, value, statementFrom: statement[0].from, statementTo: statement[statement.length - 1].to });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The syntax-tree reader.

function treeValue(source: string, node: SyntaxNode): HeaderValue {
  switch (node.name) {
    case 'None':
      return { kind: 'none', from: node.from, to: node.to };
    case 'String':
    case 'ContinuedString': {
      const parts = node.name === 'String' ? [node] : namedChildren(node);
      let value = '';
      for (const part of parts) {
        const literal = nodeText(source, part);
        const prefix = /^[A-Za-z]*/.exec(literal)?.[0] ?? '';
        const decoded = part.name === 'String' && !/[fFbB]/.test(prefix) ? decodeStringLiteral(literal) : undefined;
        if (decoded === undefined) return { kind: 'other', from: node.from, to: node.to, what: /[fF]/.test(prefix) ? 'an f-string' : 'a string expression' };
        value += decoded;
      }
      const first = nodeText(source, parts[0]);
      const last = nodeText(source, parts[parts.length - 1]);
      const firstPrefix = /^[A-Za-z]*/.exec(first)?.[0].length ?? 0;
      const quoteLength = (literal: string, prefix: number) => (/^('''|""")/.test(literal.slice(prefix)) ? 3 : 1);
      const lastPrefix = /^[A-Za-z]*/.exec(last)?.[0].length ?? 0;
      return {
        kind: 'string',
        value,
        from: node.from,
        to: node.to,
        contentFrom: parts[0].from + firstPrefix + quoteLength(first, firstPrefix),
        contentTo: parts[parts.length - 1].to - quoteLength(last, lastPrefix),
      };
    }
    case 'ParenthesizedExpression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? treeValue(source, inner[0]) : { kind: 'other', from: node.from, to: node.to, what: 'an expression' };
    }
    case 'TupleExpression':
    case 'ArrayExpression':
      return {
        kind: 'sequence',
        form: node.name === 'TupleExpression' ? 'tuple' : 'list',
        items: namedChildren(node).map((child) => treeValue(source, child)),
        from: node.from,
        to: node.to,
      };
    case 'Boolean':
      return { kind: 'other', from: node.from, to: node.to, what: 'a boolean', literal: true };
    case 'Number':
      return { kind: 'other', from: node.from, to: node.to, what: 'a number', literal: true };
    case 'VariableName':
      return { kind: 'other', from: node.from, to: node.to, what: `the name '${nodeText(source, node)}'` };
    default:
      return { kind: 'other', from: node.from, to: node.to, what: 'an expression' };
  }
}

const COMPOUND_STATEMENTS = new Set(['IfStatement', 'TryStatement', 'WithStatement', 'ForStatement', 'WhileStatement']);

function collectTreeAssignments(source: string, parent: SyntaxNode, found: FoundAssignment[]): void {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.name === 'AssignStatement') readTreeAssignment(source, node, found);
    else if (COMPOUND_STATEMENTS.has(node.name)) {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.name === 'Body') collectTreeAssignments(source, child, found);
      }
    } else if (node.name === 'Body' || node.name === '⚠') collectTreeAssignments(source, node, found);
  }
}

function readTreeAssignment(source: string, statement: SyntaxNode, found: FoundAssignment[]): void {
  // Children: target(s) [TypeDef] AssignOp target AssignOp ... value(s). Commas flatten tuples.
  const segments: SyntaxNode[][] = [[]];
  for (let child = statement.firstChild; child; child = child.nextSibling) {
    if (child.name === 'AssignOp') {
      if (nodeText(source, child) !== '=') return; // Augmented assignment: not a definition.
      segments.push([]);
    } else if (child.name !== 'TypeDef' && child.name !== ',' && child.name !== 'Comment') segments[segments.length - 1].push(child);
  }
  if (segments.length < 2) return;
  const valueNodes = segments[segments.length - 1];
  if (valueNodes.length === 0) return;
  const value: HeaderValue =
    valueNodes.length === 1
      ? treeValue(source, valueNodes[0])
      : { kind: 'sequence', form: 'tuple', items: valueNodes.map((node) => treeValue(source, node)), from: valueNodes[0].from, to: valueNodes[valueNodes.length - 1].to };
  for (const targets of segments.slice(0, -1)) {
    if (targets.length === 1) {
      const name = nodeText(source, targets[0]);
      if (targets[0].name === 'VariableName' && (HEADER_VARIABLES as readonly string[]).includes(name)) {
        found.push({ variable: name as HeaderVariable, value, statementFrom: statement.from, statementTo: statement.to });
      }
      continue;
    }
    // Tuple unpacking: `revision, down_revision = 'a', None`.
    targets.forEach((target, index) => {
      const name = nodeText(source, target);
      if (target.name !== 'VariableName' || !(HEADER_VARIABLES as readonly string[]).includes(name)) return;
      const item =
        value.kind === 'sequence' && value.items.length === targets.length
          ? value.items[index]
          : ({ kind: 'other', from: value.from, to: value.to, what: 'an unpacked value' } as HeaderValue);
      found.push({ variable: name as HeaderVariable, value: item, statementFrom: statement.from, statementTo: statement.to });
    });
  }
}

/** Undefined when the file nests too deeply for a syntax tree (the scan's reading then stands). */
function treeAssignments(source: string): { assignments: FoundAssignment[]; docstring?: HeaderValue } | undefined {
  let tree;
  try {
    tree = parsePython(source);
  } catch (error) {
    if (error instanceof PythonNestingError) return undefined;
    throw error;
  }
  const found: FoundAssignment[] = [];
  collectTreeAssignments(source, tree.topNode, found);
  let docstring: HeaderValue | undefined;
  const first = tree.topNode.firstChild;
  if (first && first.name === 'ExpressionStatement') {
    const inner = namedChildren(first);
    if (inner.length === 1 && (inner[0].name === 'String' || inner[0].name === 'ContinuedString')) {
      const value = treeValue(source, inner[0]);
      if (value.kind === 'string') docstring = value;
    }
  }
  return { assignments: found, docstring };
}

// ---------------------------------------------------------------------------------------------
// From values to a RevisionFile.

function docstringFromScan(text: string, line: LogicalLine | undefined): HeaderValue | undefined {
  if (!line) return undefined;
  const tokens = tokenize(text, line.start, line.end);
  if (tokens.length === 0 || tokens.some((token) => token.kind !== 'string')) return undefined;
  const value = new ValueParser(tokens).parseTopLevel();
  return value.kind === 'string' ? value : undefined;
}

function isPyWhitespace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * A copy that does not keep the whole file alive. V8 represents a substring of 13+ characters as a
 * view into its parent string, so a kept message or id would pin every file's full text in memory
 * (megabytes, and garbage-collector work, for a large history).
 */
function detach(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** Python's str.strip(). */
function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++;
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Where the value of a template line ("Revision ID: ...") starts inside source[from, to): the label
 * must begin a line (after blanks). -1 when there is no such line.
 */
function templateLineValue(source: string, from: number, to: number, label: string): number {
  for (let at = source.indexOf(label, from); at >= 0 && at < to; at = source.indexOf(label, at + 1)) {
    let before = at - 1;
    while (before >= from && (source.charCodeAt(before) === CH_SPACE || source.charCodeAt(before) === CH_TAB)) before--;
    if (before >= from && source.charCodeAt(before) !== CH_LF && source.charCodeAt(before) !== CH_CR) continue;
    let value = at + label.length;
    while (value < to && (source.charCodeAt(value) === CH_SPACE || source.charCodeAt(value) === CH_TAB)) value++;
    return value;
  }
  return -1;
}

function lineEnd(source: string, from: number, to: number): number {
  let end = from;
  while (end < to && source.charCodeAt(end) !== CH_LF && source.charCodeAt(end) !== CH_CR) end++;
  return end;
}

function readDocstring(file: RevisionFile, source: string, value: HeaderValue, lines: LazyLineLocator): void {
  if (value.kind !== 'string') return;
  const longdoc = detach(pyStrip(value.value));
  file.docstring = longdoc;
  const paragraphEnd = longdoc.indexOf('\n\n');
  file.message = paragraphEnd < 0 ? longdoc : detach(longdoc.slice(0, paragraphEnd));
  // The template's lines are located in the source text of the literal so their ranges are exact.
  const { contentFrom: from, contentTo: to } = value;
  const revisionAt = templateLineValue(source, from, to, 'Revision ID:');
  if (revisionAt >= 0) {
    let end = revisionAt;
    while (end < to && !isPyWhitespace(source.charCodeAt(end))) end++;
    if (end > revisionAt) {
      const id = detach(source.slice(revisionAt, end));
      file.docstringRevisionId = id;
      file.references.push(new LazyReference(id, 'docstring_revision_id', revisionAt, end, lines));
    }
  }
  const revisesAt = templateLineValue(source, from, to, 'Revises:');
  if (revisesAt >= 0) {
    const end = lineEnd(source, revisesAt, to);
    file.docstringRevises = [];
    for (let start = revisesAt; start < end; ) {
      const code = source.charCodeAt(start);
      if (code === 44 /* , */ || isPyWhitespace(code)) {
        start++;
        continue;
      }
      let stop = start;
      while (stop < end && source.charCodeAt(stop) !== 44 && !isPyWhitespace(source.charCodeAt(stop))) stop++;
      const id = detach(source.slice(start, stop));
      file.docstringRevises.push(id);
      file.references.push(new LazyReference(id, 'docstring_revises', start, stop, lines));
      start = stop;
    }
  }
  const dateAt = templateLineValue(source, from, to, 'Create Date:');
  if (dateAt >= 0) {
    let end = lineEnd(source, dateAt, to);
    while (end > dateAt && (source.charCodeAt(end - 1) === CH_SPACE || source.charCodeAt(end - 1) === CH_TAB)) end--;
    if (end > dateAt) file.createDate = detach(source.slice(dateAt, end));
  }
}

function describe(value: HeaderValue): string {
  switch (value.kind) {
    case 'none':
      return 'None';
    case 'string':
      return 'a string';
    case 'sequence':
      return `a ${value.form}`;
    default:
      return value.what;
  }
}

/** Strings of a str / tuple / list value; undefined (with an issue) for anything else. */
function stringsOf(file: RevisionFile, variable: HeaderVariable, value: HeaderValue, lines: LazyLineLocator, kind: ReferenceKind): string[] | undefined {
  const items = value.kind === 'sequence' ? value.items : [value];
  if (value.kind === 'none') return [];
  const strings: string[] = [];
  for (const item of items) {
    if (item.kind === 'string') {
      // Alembic drops empty entries (`tuple_rev_as_scalar`, `to_tuple` of "").
      if (item.value === '' && variable === 'down_revision') continue;
      const id = detach(item.value);
      strings.push(id);
      file.references.push(new LazyReference(id, kind, item.contentFrom, item.contentTo, lines));
    } else {
      const unreadable = item.kind === 'other' && !item.literal;
      file.headerIssues.push({
        code: unreadable ? 'unreadable-value' : 'wrong-type',
        variable,
        message: unreadable
          ? `${variable} is ${item.what}, which can't be read without running Python; write it as a string literal`
          : `${variable} contains ${describe(item)}; Alembic expects revision ids as strings`,
        range: lines.range(item.from, item.to),
      });
      return undefined;
    }
  }
  return strings;
}

function applyAssignments(file: RevisionFile, source: string, assignments: FoundAssignment[], lines: LazyLineLocator): void {
  // Python: the last assignment of each name wins.
  const latest = new Map<HeaderVariable, FoundAssignment>();
  for (const assignment of assignments) latest.set(assignment.variable, assignment);
  for (const [variable, assignment] of latest) {
    file.assignments[variable] = new LazyAssignment(
      { statementFrom: assignment.statementFrom, statementTo: assignment.statementTo, valueFrom: assignment.value.from, valueTo: assignment.value.to },
      detach(source.slice(assignment.value.from, assignment.value.to)),
      lines,
    );
    lines.needs(assignment.statementTo);
  }

  const revision = latest.get('revision');
  if (!revision) {
    file.headerIssues.push({
      code: 'missing-revision',
      variable: 'revision',
      message: "no module-level 'revision' variable: Alembic stops with \"Could not determine revision id from filename\"",
    });
  } else if (revision.value.kind === 'string') {
    file.revision = detach(revision.value.value);
    file.references.push(new LazyReference(file.revision, 'revision', revision.value.contentFrom, revision.value.contentTo, lines));
    const illegal = [...new Set(revision.value.value.match(/[@+-]/g) ?? [])].sort();
    if (revision.value.value === '') {
      file.headerIssues.push({
        code: 'invalid-revision-id',
        variable: 'revision',
        message: 'revision is an empty string',
        range: lines.range(revision.value.contentFrom, revision.value.contentTo),
      });
    } else if (illegal.length > 0) {
      file.headerIssues.push({
        code: 'invalid-revision-id',
        variable: 'revision',
        message: `Character(s) '${illegal.join(', ')}' not allowed in revision identifier '${revision.value.value}'`,
        range: lines.range(revision.value.contentFrom, revision.value.contentTo),
      });
    }
  } else {
    const unreadable = revision.value.kind === 'other' && !revision.value.literal;
    file.headerIssues.push({
      code: unreadable ? 'unreadable-value' : 'wrong-type',
      variable: 'revision',
      message:
        unreadable && revision.value.kind === 'other'
          ? `revision is ${revision.value.what}, which can't be read without running Python; write it as a string literal`
          : `revision is ${describe(revision.value)}; Alembic needs a string`,
      range: lines.range(revision.value.from, revision.value.to),
    });
  }

  const down = latest.get('down_revision');
  if (!down) {
    file.downRevisionForm = 'missing';
    file.headerIssues.push({
      code: 'missing-down-revision',
      variable: 'down_revision',
      message: "no module-level 'down_revision' variable: Alembic fails with AttributeError (write down_revision = None for a first revision)",
    });
  } else {
    const strings = stringsOf(file, 'down_revision', down.value, lines, 'down_revision');
    if (strings === undefined) file.downRevisionForm = 'unreadable';
    else {
      file.downRevisions = strings;
      file.downRevisionForm =
        down.value.kind === 'none' ? 'none' : down.value.kind === 'sequence' ? down.value.form : strings.length === 0 ? 'none' : 'string';
    }
  }

  const labels = latest.get('branch_labels');
  if (labels) file.branchLabels = stringsOf(file, 'branch_labels', labels.value, lines, 'branch_label') ?? [];
  const dependsOn = latest.get('depends_on');
  if (dependsOn) file.dependsOn = stringsOf(file, 'depends_on', dependsOn.value, lines, 'depends_on') ?? [];
}

function emptyRevisionFile(filePath: string, parsedWith: RevisionFile['parsedWith']): RevisionFile {
  return {
    filePath,
    downRevisions: [],
    downRevisionForm: 'missing',
    branchLabels: [],
    dependsOn: [],
    references: [],
    headerIssues: [],
    assignments: {},
    parsedWith,
  };
}

const HEADER_NAME = /revision|branch_labels|depends_on/g;
const MAX_SYNTAX_TREE_CHARS = 256 * 1024;

/**
 * How far the scan must go: to the last line where a header name starts a statement (at the start
 * of a line or after a ";"). When a header name is assigned on an indented line (an `if` block, or
 * a local variable in upgrade()), the whole file is scanned so the scan can tell which it is.
 */
function headerScanLimit(source: string): number {
  let limit = -1;
  HEADER_NAME.lastIndex = 0;
  for (let match = HEADER_NAME.exec(source); match; match = HEADER_NAME.exec(source)) {
    let start = match.index;
    if (match[0] === 'revision' && source.startsWith('down_', start - 5)) start -= 5;
    const end = match.index + match[0].length;
    if (isIdentifierChar(source.charCodeAt(end)) || (start > 0 && isIdentifierChar(source.charCodeAt(start - 1)))) continue;
    let before = start - 1;
    while (before >= 0) {
      const code = source.charCodeAt(before);
      if (code !== CH_SPACE && code !== CH_TAB && code !== CH_FF) break;
      before--;
    }
    const previous = before < 0 ? CH_LF : source.charCodeAt(before);
    if (previous === 59 /* ; */) {
      limit = start;
    } else if (previous === CH_LF || previous === CH_CR) {
      if (before === start - 1) {
        limit = start;
        continue;
      }
      let after = end;
      while (source.charCodeAt(after) === CH_SPACE || source.charCodeAt(after) === CH_TAB) after++;
      const next = source.charCodeAt(after);
      if ((next === 61 && source.charCodeAt(after + 1) !== 61) || next === 58 || next === 44) return Infinity;
    }
  }
  return limit;
}

/**
 * Reads a revision file's header. Never throws: anything unusual ends up in `headerIssues`.
 * `text` is the file content as read from disk (a UTF-8 byte order mark is ignored, as Python does).
 */
export function parseRevisionFile(text: string, filePath: string): RevisionFile {
  // Editors don't count the BOM as a column, and Python skips it.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const scan = scanLogicalLines(source, headerScanLimit(source));
  let assignments: FoundAssignment[] | undefined;
  // Error recovery on megabytes of garbage costs seconds; what the scan found is good enough there.
  const treeAffordable = source.length <= MAX_SYNTAX_TREE_CHARS;
  const scanAssignments = (treeAvailable: boolean): FoundAssignment[] | undefined => {
    const found: FoundAssignment[] = [];
    for (const line of scan.headerStatements) {
      const statement = readHeaderStatement(source, line);
      if (statement !== 'needs-tree') found.push(...statement);
      else if (treeAvailable) return undefined;
    }
    return found;
  };
  if (!scan.needsSyntaxTree || !treeAffordable) assignments = scanAssignments(treeAffordable);
  const tree = assignments ? undefined : treeAssignments(source);
  if (!assignments && !tree) assignments = scanAssignments(false);
  const lines = new LazyLineLocator(source);
  if (assignments || !tree) {
    assignments ??= [];
    const file = emptyRevisionFile(filePath, 'scan');
    const docstring = docstringFromScan(source, scan.firstStatement);
    if (docstring) readDocstring(file, source, docstring, lines);
    applyAssignments(file, source, assignments, lines);
    lines.freeze();
    return file;
  }
  const file = emptyRevisionFile(filePath, 'syntax-tree');
  let found = tree.assignments;
  if (scan.errorOffset !== undefined) {
    // Where the file stops being valid Python, the scan is still right about everything before it;
    // keep those statements when error recovery lost them.
    const scanned: FoundAssignment[] = [];
    for (const line of scan.headerStatements) {
      if (line.end > scan.errorOffset) break;
      const statement = readHeaderStatement(source, line);
      if (statement !== 'needs-tree') scanned.push(...statement);
    }
    const treeNames = new Set(found.map((assignment) => assignment.variable));
    found = [...scanned.filter((assignment) => !treeNames.has(assignment.variable)), ...found];
    found.sort((a, b) => a.statementFrom - b.statementFrom);
  }
  const docstring = tree.docstring ?? docstringFromScan(source, scan.firstStatement);
  if (docstring) readDocstring(file, source, docstring, lines);
  applyAssignments(file, source, found, lines);
  lines.freeze();
  return file;
}

/**
 * Valid Python that @lezer/python 1.1 does not accept, rewritten to something of the same length it
 * does (offsets stay exact): a bare `yield`, a float with a trailing dot (`24.`), form feeds.
 */
function withoutLezerBlindSpots(source: string): string {
  return source
    .replace(/\f/g, ' ')
    .replace(/\byield(?=[ \t]*(?:#[^\r\n]*)?(?:\r\n|\r|\n|$|\)))/g, 'None ')
    .replace(/(?<![\w.])(\d+)\.(?![\w.])/g, '$10');
}

/**
 * Where CPython would most likely reject the file (the first syntax error the tolerant parser had to
 * recover from), or undefined. Costs a full parse: `check` uses it, the graph does not.
 */
export function findPythonSyntaxError(text: string): SourceRange | undefined {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let tree;
  let errorAt: number | undefined;
  try {
    tree = parsePython(withoutLezerBlindSpots(source));
  } catch (error) {
    // Python refuses it too: "too many nested parentheses", or a RecursionError while compiling.
    if (!(error instanceof PythonNestingError)) throw error;
    errorAt = error.offset;
  }
  tree?.iterate({
    enter(node) {
      if (errorAt !== undefined) return false;
      if (node.type.isError) {
        errorAt = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (errorAt === undefined) return undefined;
  const lines = new LineIndex(source);
  const position = lines.position(errorAt);
  // A zero-width error node sits at the end of the last good token: show the whole line.
  const lineStart = lines.lineStart(position.line);
  const nextLine = position.line + 1 < lines.lineCount ? lines.lineStart(position.line + 1) : source.length;
  const lineText = source.slice(lineStart, nextLine).replace(/\r?\n$|\r$/, '');
  return { start: { line: position.line, column: 0 }, end: { line: position.line, column: lineText.length } };
}
