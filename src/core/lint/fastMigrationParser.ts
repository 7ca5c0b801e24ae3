// A fast path for parsing revision files, producing the SAME @lezer/python tree (same node names
// and ranges, built with the grammar's own NodeSet) for the plain subset of Python that Alembic
// migrations are written in: imports, assignments, `def`, `with`, `if`, `for`, calls, attributes,
// literals, lists, tuples, dicts, `%`/`+`. Anything else — a syntax error, an f-string, a lambda,
// a class, a semicolon, a tab in the indentation — returns undefined and the caller uses the real
// @lezer/python parser, which stays the reference (a differential test compares both trees).
// Why: @lezer/python parses about 3-4 MB/s here, i.e. ~4 ms for a 300-line migration, more than
// the whole lint budget; this recursive-descent reader does the same files in a fraction of that.
import { Tree, type BufferCursor } from '@lezer/common';
import { parser } from '@lezer/python';
import { checkBracketNesting, checkTreeDepth, MAX_SYNTAX_DEPTH, parsePython } from '../python/pythonSource';

const TYPE_IDS: Record<string, number> = Object.create(null);
for (const type of parser.nodeSet.types) if (!(type.name in TYPE_IDS)) TYPE_IDS[type.name] = type.id;
const id = (name: string): number => {
  const found = TYPE_IDS[name];
  if (found === undefined) throw new Error(`@lezer/python has no node type ${name}`);
  return found;
};

const SCRIPT = id('Script');

type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'comment' | 'eof';

interface Token {
  kind: TokenKind;
  from: number;
  to: number;
  text: string;
}

/** Thrown inside the fast path to give up; never escapes parseMigrationFast. */
class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

/** Operator texts by first character code; the longest match wins. Constant strings: no slicing. */
const OPERATOR_TABLE = new Map<number, string[]>();
for (const operator of ['...', '->', '**', '//', '==', '!=', '<=', '>=', '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '+', '-', '*', '/', '%', '<', '>']) {
  const code = operator.charCodeAt(0);
  OPERATOR_TABLE.set(code, [...(OPERATOR_TABLE.get(code) ?? []), operator]);
}

function matchOperator(source: string, offset: number): string | undefined {
  const candidates = OPERATOR_TABLE.get(source.charCodeAt(offset));
  if (!candidates) return undefined;
  for (const candidate of candidates) {
    if (candidate.length === 1 || source.startsWith(candidate, offset)) return candidate;
  }
  return undefined;
}
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);
/** Soft keywords: a statement starting with one may be a match/type statement. */
const SOFT_KEYWORDS = new Set(['match', 'case', 'type']);
const NUMBER = /(?:0[xXoObB][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)[jJ]?/y;
const STRING_PREFIX = /(?:[rR][bB]?|[bB][rR]?|[uU])?(?='|")/y;
/** Operators and words after an expression that take it outside the subset. */
const UNSUPPORTED_OPERATORS = new Set(['*', '/', '//', '**', '==', '!=', '<', '>', '<=', '>=']);
const UNSUPPORTED_WORDS = new Set(['and', 'or', 'not', 'is', 'in', 'if', 'for', 'lambda']);
const STRING_START = new Set(['r', 'R', 'b', 'B', 'u', 'U', 'f', 'F']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const indents = [0];
  let depth = 0;
  let offset = 0;
  let lineStart = true;
  let lastCodeKind: TokenKind | undefined;
  const length = source.length;
  const push = (kind: TokenKind, from: number, to: number, text = '') => {
    // Only names and operators are compared by text; other tokens are read from the source.
    tokens.push({ kind, from, to, text: kind === 'name' ? source.slice(from, to) : text });
    if (kind !== 'comment') lastCodeKind = kind;
  };

  /** Indentation of the next line holding code (blank and comment-only lines skipped), or -1 at EOF. */
  const nextCodeIndent = (from: number): number => {
    let position = from;
    while (position < length) {
      let column = 0;
      while (position < length && (source[position] === ' ' || source[position] === '\t' || source[position] === '\f')) {
        if (source[position] !== ' ') unsupported();
        column++;
        position++;
      }
      if (position >= length) return -1;
      const char = source[position];
      if (char === '\n' || char === '\r') {
        position += char === '\r' && source[position + 1] === '\n' ? 2 : 1;
        continue;
      }
      if (char === '#') {
        while (position < length && source[position] !== '\n' && source[position] !== '\r') position++;
        continue;
      }
      return column;
    }
    return -1;
  };

  const emitIndentation = (at: number, column: number) => {
    if (column > indents[indents.length - 1]) {
      // Python refuses more than 100 levels ("too many levels of indentation"); @lezer/python reports it.
      if (indents.length > 100) unsupported();
      indents.push(column);
      push('indent', at, at);
      return;
    }
    while (column < indents[indents.length - 1]) {
      indents.pop();
      push('dedent', at, at);
    }
    if (column !== indents[indents.length - 1]) unsupported();
  };

  // Leading indentation of the first code line (must be 0). @lezer/python reports an error for a
  // last line of only spaces: leave that file to it.
  if (nextCodeIndent(0) > 0 || /[\r\n][ \t\f]+$/.test(source)) unsupported();
  while (offset < length) {
    const char = source[offset];
    if (lineStart && depth === 0) {
      // Skip this line's indentation (computed when the previous NEWLINE was emitted).
      while (offset < length && source[offset] === ' ') offset++;
      lineStart = false;
      continue;
    }
    if (char === ' ') {
      offset++;
      continue;
    }
    if (char === '\t' || char === '\f' || char === ';' || char === '@' || char === '`' || char === '$' || char === '?' || char === '!') {
      if (char === '!' && source[offset + 1] === '=') {
        push('op', offset, offset + 2, '!=');
        offset += 2;
        continue;
      }
      unsupported();
    }
    if (char === '\\') {
      // Line continuation; one that opens a logical line is left to @lezer/python.
      if (depth === 0 && (lastCodeKind === undefined || lastCodeKind === 'newline' || lastCodeKind === 'indent' || lastCodeKind === 'dedent')) unsupported();
      if (source[offset + 1] === '\n') offset += 2;
      else if (source[offset + 1] === '\r') offset += source[offset + 2] === '\n' ? 3 : 2;
      else unsupported();
      // A continuation into a blank line (or the end of the file) is read differently by @lezer/python.
      if (/^[ \t\f]*(?:[\r\n]|$)/.test(source.slice(offset, offset + 200))) unsupported();
      continue;
    }
    if (char === '#') {
      const from = offset;
      while (offset < length && source[offset] !== '\n' && source[offset] !== '\r') offset++;
      push('comment', from, offset);
      continue;
    }
    if (char === '\n' || char === '\r') {
      const from = offset;
      offset += char === '\r' && source[offset + 1] === '\n' ? 2 : 1;
      if (depth > 0) continue;
      if (lastCodeKind !== undefined && lastCodeKind !== 'newline' && lastCodeKind !== 'indent' && lastCodeKind !== 'dedent') {
        // For CRLF, @lezer/python's newline token (and so a block's end) is the CR alone.
        push('newline', from, from + 1);
        const column = nextCodeIndent(offset);
        emitIndentation(from + 1, column < 0 ? 0 : column);
      }
      lineStart = true;
      continue;
    }
    const code = source.charCodeAt(offset);
    const identifierStart = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0xc0;
    if (code === 34 || code === 39 || (identifierStart && STRING_START.has(char))) {
      STRING_PREFIX.lastIndex = offset;
      const prefix = code === 34 || code === 39 ? null : STRING_PREFIX.exec(source);
      if (code === 34 || code === 39 || (prefix && prefix[0].length > 0)) {
        const from = offset;
        let position = offset + (prefix ? prefix[0].length : 0);
        const quoteCode = source.charCodeAt(position);
        const triple = source.charCodeAt(position + 1) === quoteCode && source.charCodeAt(position + 2) === quoteCode;
        position += triple ? 3 : 1;
        for (;;) {
          if (position >= length) unsupported();
          const current = source.charCodeAt(position);
          if (current === 92 /* \\ */) {
            position += 2;
            continue;
          }
          if (current === quoteCode) {
            if (!triple) {
              position++;
              break;
            }
            if (source.charCodeAt(position + 1) === quoteCode && source.charCodeAt(position + 2) === quoteCode) {
              position += 3;
              break;
            }
          } else if (!triple && (current === 10 || current === 13)) unsupported();
          position++;
        }
        push('string', from, position);
        offset = position;
        continue;
      }
      if (char === 'f' || char === 'F') {
        const next = source[offset + 1];
        if (next === '"' || next === "'" || ((next === 'r' || next === 'R') && (source[offset + 2] === '"' || source[offset + 2] === "'"))) unsupported();
      }
    }
    if (identifierStart) {
      let position = offset + 1;
      for (; position < length; position++) {
        const part = source.charCodeAt(position);
        if (!((part >= 97 && part <= 122) || (part >= 65 && part <= 90) || (part >= 48 && part <= 57) || part === 95 || part >= 0xc0)) break;
      }
      push('name', offset, position);
      offset = position;
      continue;
    }
    NUMBER.lastIndex = offset;
    const number = char >= '0' && char <= '9' ? NUMBER.exec(source) : char === '.' && /\d/.test(source[offset + 1] ?? '') ? NUMBER.exec(source) : null;
    if (number) {
      // `1.` is a float to Python but not to @lezer/python.
      if (number[0].endsWith('.')) unsupported();
      push('number', offset, offset + number[0].length);
      offset += number[0].length;
      continue;
    }
    const operator = matchOperator(source, offset);
    if (!operator) unsupported();
    if (operator === '(' || operator === '[' || operator === '{') depth++;
    else if (operator === ')' || operator === ']' || operator === '}') {
      depth--;
      if (depth < 0) unsupported();
    }
    // An augmented assignment (`+=`) or a walrus is not in the subset.
    if ((operator === '+' || operator === '-' || operator === '*' || operator === '/' || operator === '%' || operator === ':') && source[offset + 1] === '=') unsupported();
    push('op', offset, offset + operator!.length, operator);
    offset += operator!.length;
  }
  if (depth !== 0) unsupported();
  let end = length;
  if (lastCodeKind !== undefined && lastCodeKind !== 'newline' && lastCodeKind !== 'dedent' && lastCodeKind !== 'indent') {
    // No newline at the end of the file: blocks end with their last token, as in @lezer/python.
    if (tokens[tokens.length - 1].kind === 'comment') unsupported();
    end = tokens[tokens.length - 1].to;
    push('newline', end, end);
  }
  while (indents.length > 1) {
    indents.pop();
    push('dedent', end, end);
  }
  push('eof', length, length);
  return tokens;
}

const isHex = (char: string) => /^[0-9a-fA-F]$/.test(char);

/** Index after up to `limit` characters from `from` that satisfy `test`. */
function skipWhile(text: string, from: number, limit: number, test: (char: string) => boolean): number {
  let position = from;
  while (position < from + limit && position < text.length && test(text[position])) position++;
  return position;
}

/** Builds the tree bottom-up: children are pushed before their parent (lezer's post-order buffer). */
class TreeWriter {
  buffer = new Int32Array(4096);
  length = 0;

  mark(): number {
    return this.length;
  }

  private push(type: number, from: number, to: number, size: number): void {
    if (this.length + 4 > this.buffer.length) {
      const grown = new Int32Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    const buffer = this.buffer;
    const at = this.length;
    buffer[at] = type;
    buffer[at + 1] = from;
    buffer[at + 2] = to;
    buffer[at + 3] = size;
    this.length = at + 4;
  }

  leaf(name: string, from: number, to: number): void {
    this.push(id(name), from, to, 4);
  }

  node(name: string, mark: number, from: number, to: number): void {
    this.push(id(name), from, to, this.length - mark + 4);
  }
}

/** Reads the post-order buffer backwards, as Tree.build expects (lezer's BufferCursor). */
class Int32BufferCursor implements BufferCursor {
  constructor(
    private readonly buffer: Int32Array,
    private index: number,
  ) {}

  get id(): number {
    return this.buffer[this.index - 4];
  }

  get start(): number {
    return this.buffer[this.index - 3];
  }

  get end(): number {
    return this.buffer[this.index - 2];
  }

  get size(): number {
    return this.buffer[this.index - 1];
  }

  get pos(): number {
    return this.index;
  }

  next(): void {
    this.index -= 4;
  }

  fork(): BufferCursor {
    return new Int32BufferCursor(this.buffer, this.index);
  }
}

class FastParser {
  private index = 0;
  private readonly out = new TreeWriter();
  /** End of the last consumed code token (statement and expression ends). */
  private lastEnd = 0;
  /**
   * How deep the expression being read nests in the tree (chains of calls and operators nest
   * without brackets). Past MAX_SYNTAX_DEPTH the file is left to @lezer/python, whose parse stack
   * is bounded, rather than handing Tree.build (recursive) a tree of any depth.
   */
  private depth = 0;

  private enter(levels = 1): void {
    this.depth += levels;
    if (this.depth > MAX_SYNTAX_DEPTH) unsupported();
  }

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  /** Next non-comment token, without consuming it (comments are written when consumed past). */
  private peek(ahead = 0): Token {
    let index = this.index;
    for (let seen = 0; ; index++) {
      const token = this.tokens[index];
      if (token.kind === 'comment') continue;
      if (seen === ahead || token.kind === 'eof') return token;
      seen++;
    }
  }

  /** Starts a node: comments still pending lie before it, so they belong to the enclosing node. */
  private mark(): number {
    this.flushComments();
    return this.out.mark();
  }

  private flushComments(): void {
    while (this.tokens[this.index].kind === 'comment') {
      const comment = this.tokens[this.index++];
      this.out.leaf('Comment', comment.from, comment.to);
    }
  }

  private next(): Token {
    this.flushComments();
    const token = this.tokens[this.index++];
    if (token.kind !== 'newline' && token.kind !== 'indent' && token.kind !== 'dedent' && token.kind !== 'eof') this.lastEnd = token.to;
    return token;
  }

  private isOp(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'op' && token.text === text;
  }

  private isKeyword(text: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text === text;
  }

  /** Consumes a punctuation or keyword token, written as a leaf named after its text. */
  private expect(text: string, nodeName = text): Token {
    const token = this.next();
    if (token.text !== text || (token.kind !== 'op' && token.kind !== 'name')) unsupported();
    this.out.leaf(nodeName, token.from, token.to);
    return token;
  }

  parseScript(): Tree {
    const mark = this.mark();
    while (this.peek().kind !== 'eof') this.statement();
    this.flushComments();
    this.out.node('Script', mark, 0, this.source.length);
    // Tree.build wraps the top-level nodes in the Script node itself, so ours is left out.
    const buffer = new Int32BufferCursor(this.out.buffer, this.out.length - 4);
    return Tree.build({ buffer, nodeSet: parser.nodeSet, topID: SCRIPT, length: this.source.length });
  }

  private statement(): void {
    const token = this.peek();
    if (token.kind !== 'name' && token.kind !== 'string' && token.kind !== 'number' && token.kind !== 'op') unsupported();
    if (token.kind === 'name') {
      if (SOFT_KEYWORDS.has(token.text) && this.peek(1).kind === 'name') unsupported();
      switch (token.text) {
        case 'def':
          return this.functionDefinition();
        case 'with':
          return this.withStatement();
        case 'if':
          return this.ifStatement();
        case 'for':
          return this.forStatement();
        case 'from':
        case 'import':
          return this.importStatement();
        case 'pass':
          return this.keywordStatement('PassStatement', 'pass', false);
        case 'return':
          return this.keywordStatement('ReturnStatement', 'return', true);
        case 'raise':
          return this.keywordStatement('RaiseStatement', 'raise', true);
        default:
          if (KEYWORDS.has(token.text) && !['True', 'False', 'None'].includes(token.text)) unsupported();
      }
    }
    this.simpleStatement();
  }

  private endOfSimpleStatement(): void {
    const token = this.next();
    if (token.kind !== 'newline') unsupported();
  }

  private keywordStatement(name: string, keyword: string, takesExpression: boolean): void {
    const mark = this.mark();
    const start = this.expect(keyword);
    if (takesExpression && this.peek().kind !== 'newline') {
      this.expression();
      if (this.isKeyword('from')) unsupported();
    }
    this.out.node(name, mark, start.from, this.lastEnd);
    this.endOfSimpleStatement();
  }

  private simpleStatement(): void {
    const mark = this.mark();
    const start = this.peek().from;
    const target = this.peek();
    const isName = target.kind === 'name' && !KEYWORDS.has(target.text);
    if (isName && this.isOp('=', 1) && !this.isOp('=', 2)) {
      this.next();
      this.out.leaf('VariableName', target.from, target.to);
      this.expect('=', 'AssignOp');
      this.expressionList();
      if (this.isOp('=')) unsupported();
      this.out.node('AssignStatement', mark, start, this.lastEnd);
    } else if (isName && this.isOp(':', 1)) {
      this.next();
      this.out.leaf('VariableName', target.from, target.to);
      const typeMark = this.mark();
      const colon = this.expect(':');
      this.expression();
      this.out.node('TypeDef', typeMark, colon.from, this.lastEnd);
      if (!this.isOp('=')) unsupported();
      this.expect('=', 'AssignOp');
      this.expressionList();
      this.out.node('AssignStatement', mark, start, this.lastEnd);
    } else {
      this.expressionList();
      if (this.isOp('=')) unsupported();
      this.out.node('ExpressionStatement', mark, start, this.lastEnd);
    }
    this.endOfSimpleStatement();
  }

  /** An expression, or a bare tuple `a, b` (not in the subset). */
  private expressionList(): void {
    this.expression();
    if (this.isOp(',')) unsupported();
  }

  /** A body after `:` — the `:` itself, then an indented block or one simple statement. Returns the end. */
  private body(): number {
    const mark = this.mark();
    const colon = this.expect(':');
    let end: number;
    if (this.peek().kind === 'newline') {
      this.next();
      if (this.peek().kind !== 'indent') unsupported();
      this.next();
      for (;;) {
        this.statement();
        const previous = this.tokens[this.index - 1];
        end = previous.to;
        if (this.peek().kind === 'dedent') {
          // The dedent comes before comments that follow the block: they belong to the outer level.
          this.index = this.tokens.indexOf(this.peek(), this.index);
          this.index++;
          break;
        }
      }
    } else {
      // `def f(): pass` — only a simple statement may follow the colon on the same line.
      const next = this.peek();
      if (next.kind === 'name' && ['def', 'with', 'if', 'for', 'while', 'try', 'class'].includes(next.text)) unsupported();
      this.statement();
      end = this.tokens[this.index - 1].to;
    }
    this.out.node('Body', mark, colon.from, end);
    return end;
  }

  private functionDefinition(): void {
    const mark = this.mark();
    const start = this.expect('def');
    const name = this.next();
    if (name.kind !== 'name' || KEYWORDS.has(name.text)) unsupported();
    this.out.leaf('VariableName', name.from, name.to);
    const paramsMark = this.mark();
    const open = this.expect('(');
    if (!this.isOp(')')) unsupported();
    this.expect(')');
    this.out.node('ParamList', paramsMark, open.from, this.lastEnd);
    if (this.isOp('->')) {
      const arrow = this.next();
      const typeMark = this.mark();
      this.expression();
      this.out.node('TypeDef', typeMark, arrow.from, this.lastEnd);
    }
    const end = this.body();
    this.out.node('FunctionDefinition', mark, start.from, end);
  }

  private withStatement(): void {
    const mark = this.mark();
    const start = this.expect('with');
    for (;;) {
      this.expression();
      if (this.isKeyword('as')) {
        this.expect('as');
        const alias = this.next();
        if (alias.kind !== 'name' || KEYWORDS.has(alias.text)) unsupported();
        this.out.leaf('VariableName', alias.from, alias.to);
      }
      if (!this.isOp(',')) break;
      this.expect(',');
    }
    const end = this.body();
    this.out.node('WithStatement', mark, start.from, end);
  }

  private ifStatement(): void {
    const mark = this.mark();
    const start = this.expect('if');
    this.expression();
    let end = this.body();
    while (this.isKeyword('elif')) {
      this.expect('elif');
      this.expression();
      end = this.body();
    }
    if (this.isKeyword('else')) {
      this.expect('else');
      end = this.body();
    }
    this.out.node('IfStatement', mark, start.from, end);
  }

  private forStatement(): void {
    const mark = this.mark();
    const start = this.expect('for');
    const target = this.next();
    if (target.kind !== 'name' || KEYWORDS.has(target.text)) unsupported();
    this.out.leaf('VariableName', target.from, target.to);
    this.expect('in');
    this.expression();
    if (this.isOp(',')) unsupported();
    const end = this.body();
    if (this.isKeyword('else')) unsupported();
    this.out.node('ForStatement', mark, start.from, end);
  }

  private dottedName(): void {
    for (;;) {
      const part = this.next();
      if (part.kind !== 'name' || KEYWORDS.has(part.text)) unsupported();
      this.out.leaf('VariableName', part.from, part.to);
      if (!this.isOp('.')) return;
      this.expect('.');
    }
  }

  private importStatement(): void {
    const mark = this.mark();
    const start = this.peek();
    if (start.text === 'from') {
      this.expect('from');
      if (this.isOp('.') || this.isOp('...')) unsupported();
      this.dottedName();
      this.expect('import');
      const parenthesized = this.isOp('(');
      if (parenthesized) this.expect('(');
      if (this.isOp('*')) unsupported();
      for (;;) {
        const name = this.next();
        if (name.kind !== 'name' || KEYWORDS.has(name.text)) unsupported();
        this.out.leaf('VariableName', name.from, name.to);
        if (this.isKeyword('as')) {
          this.expect('as');
          const alias = this.next();
          if (alias.kind !== 'name') unsupported();
          this.out.leaf('VariableName', alias.from, alias.to);
        }
        if (!this.isOp(',')) break;
        this.expect(',');
        if (parenthesized && this.isOp(')')) break;
      }
      if (parenthesized) this.expect(')');
    } else {
      this.expect('import');
      for (;;) {
        this.dottedName();
        if (this.isKeyword('as')) {
          this.expect('as');
          const alias = this.next();
          if (alias.kind !== 'name') unsupported();
          this.out.leaf('VariableName', alias.from, alias.to);
        }
        if (!this.isOp(',')) break;
        this.expect(',');
      }
    }
    this.out.node('ImportStatement', mark, start.from, this.lastEnd);
    this.endOfSimpleStatement();
  }

  // Expressions: additive (`+`, `-`) over `%` over unary `-` over primaries. Other operators are
  // outside the subset (their lezer shapes differ from Python's precedence in places).
  private expression(): void {
    const mark = this.mark();
    const start = this.peek().from;
    const depth = this.depth;
    this.enter();
    this.moduloExpression();
    for (let operatorText = this.peekOp(); operatorText === '+' || operatorText === '-'; operatorText = this.peekOp()) {
      const operator = this.next();
      this.out.leaf('ArithOp', operator.from, operator.to);
      this.enter();
      this.moduloExpression();
      this.out.node('BinaryExpression', mark, start, this.lastEnd);
    }
    this.depth = depth;
    const token = this.peek();
    if (token.kind === 'op' ? UNSUPPORTED_OPERATORS.has(token.text) : token.kind === 'name' && UNSUPPORTED_WORDS.has(token.text)) unsupported();
  }

  /** The next token's operator text, or '' when it is not an operator. */
  private peekOp(): string {
    const token = this.peek();
    return token.kind === 'op' ? token.text : '';
  }

  private moduloExpression(): void {
    const mark = this.mark();
    const start = this.peek().from;
    const depth = this.depth;
    this.unaryExpression();
    while (this.peekOp() === '%') {
      const operator = this.next();
      this.out.leaf('ArithOp', operator.from, operator.to);
      this.enter();
      this.unaryExpression();
      this.out.node('BinaryExpression', mark, start, this.lastEnd);
    }
    this.depth = depth;
  }

  /** `- - x` nests one UnaryExpression per sign: built with a loop, as a run of signs has no bound. */
  private unaryExpression(): void {
    const signs: Array<{ mark: number; from: number }> = [];
    const depth = this.depth;
    while (this.isOp('-') || this.isOp('+')) {
      this.enter();
      const mark = this.mark();
      const operator = this.next();
      this.out.leaf('ArithOp', operator.from, operator.to);
      signs.push({ mark, from: operator.from });
    }
    this.primary();
    for (let index = signs.length - 1; index >= 0; index--) this.out.node('UnaryExpression', signs[index].mark, signs[index].from, this.lastEnd);
    this.depth = depth;
  }

  private primary(): void {
    const mark = this.mark();
    const start = this.peek().from;
    const depth = this.depth;
    this.atom();
    for (;; this.enter()) {
      if (this.isOp('.')) {
        this.expect('.');
        const property = this.next();
        if (property.kind !== 'name') unsupported();
        this.out.leaf('PropertyName', property.from, property.to);
        this.out.node('MemberExpression', mark, start, this.lastEnd);
      } else if (this.isOp('(')) {
        this.argumentList();
        this.out.node('CallExpression', mark, start, this.lastEnd);
      } else if (this.isOp('[')) {
        this.expect('[');
        this.expression();
        if (!this.isOp(']')) unsupported();
        this.expect(']');
        this.out.node('MemberExpression', mark, start, this.lastEnd);
      } else {
        this.depth = depth;
        return;
      }
    }
  }

  private argumentList(): void {
    const mark = this.mark();
    const open = this.expect('(');
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) {
        this.expect(this.peek().text);
        this.expression();
      } else {
        const token = this.peek();
        if (token.kind === 'name' && !KEYWORDS.has(token.text) && this.isOp('=', 1)) {
          this.next();
          this.out.leaf('VariableName', token.from, token.to);
          this.expect('=', 'AssignOp');
        }
        this.expression();
        if (this.isKeyword('for')) unsupported();
      }
      if (this.isOp(',')) this.expect(',');
      else if (!this.isOp(')')) unsupported();
    }
    this.expect(')');
    this.out.node('ArgList', mark, open.from, this.lastEnd);
  }

  private atom(): void {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
        return this.strings();
      case 'number':
        this.next();
        this.out.leaf('Number', token.from, token.to);
        return;
      case 'name': {
        this.next();
        if (token.text === 'True' || token.text === 'False') this.out.leaf('Boolean', token.from, token.to);
        else if (token.text === 'None') this.out.leaf('None', token.from, token.to);
        else if (KEYWORDS.has(token.text)) unsupported();
        else this.out.leaf('VariableName', token.from, token.to);
        return;
      }
      case 'op':
        switch (token.text) {
          case '(':
            return this.parenthesized();
          case '[':
            return this.sequence('ArrayExpression', '[', ']');
          case '{':
            return this.dictionary();
          case '...':
            this.next();
            this.out.leaf('Ellipsis', token.from, token.to);
            return;
          default:
            return unsupported();
        }
      default:
        unsupported();
    }
  }

  /** A String node, with an Escape child per backslash sequence as @lezer/python's tokenizer reads them. */
  private stringNode(token: Token): void {
    const text = this.source.slice(token.from, token.to);
    const prefixLength = /^[A-Za-z]*/.exec(text)![0].length;
    const raw = /[rR]/.test(text.slice(0, prefixLength));
    if (raw || !text.includes('\\')) {
      this.out.leaf('String', token.from, token.to);
      return;
    }
    const mark = this.out.mark();
    const quoteLength = text.startsWith(text[prefixLength].repeat(3), prefixLength) ? 3 : 1;
    const end = text.length - quoteLength;
    for (let position = prefixLength + quoteLength; position < end; position++) {
      if (text[position] !== '\\') continue;
      const start = position;
      position++;
      const escaped = text[position];
      if (escaped === 'o') position = skipWhile(text, position + 1, 2, (char) => char >= '0' && char <= '7') - 1;
      else if (escaped === 'x') position = skipWhile(text, position + 1, 2, isHex) - 1;
      else if (escaped === 'u') position = skipWhile(text, position + 1, 4, isHex) - 1;
      else if (escaped === 'U') position = skipWhile(text, position + 1, 8, isHex) - 1;
      else if (escaped === 'N' && text[position + 1] === '{') {
        // Python and @lezer/python disagree on a line break inside \N{...}; leave such files to lezer.
        if (/[\r\n]/.test(text.slice(position, text.indexOf('}', position) + 1 || undefined))) unsupported();
        let scan = position + 2;
        while (scan < end && !'}\'"\n'.includes(text[scan])) scan++;
        if (text[scan] === '}') scan++;
        position = scan - 1;
      }
      this.out.leaf('Escape', token.from + start, token.from + position + 1);
    }
    this.out.node('String', mark, token.from, token.to);
  }

  private strings(): void {
    const first = this.next();
    if (this.peek().kind !== 'string') {
      this.stringNode(first);
      return;
    }
    const mark = this.out.mark();
    this.stringNode(first);
    while (this.peek().kind === 'string') this.stringNode(this.next());
    this.out.node('ContinuedString', mark, first.from, this.lastEnd);
  }

  private parenthesized(): void {
    const mark = this.mark();
    const open = this.expect('(');
    if (this.isOp(')')) {
      this.expect(')');
      this.out.node('TupleExpression', mark, open.from, this.lastEnd);
      return;
    }
    this.expression();
    if (this.isKeyword('for')) unsupported();
    let tuple = false;
    while (this.isOp(',')) {
      tuple = true;
      this.expect(',');
      if (this.isOp(')')) break;
      this.expression();
    }
    this.expect(')');
    this.out.node(tuple ? 'TupleExpression' : 'ParenthesizedExpression', mark, open.from, this.lastEnd);
  }

  private sequence(name: string, open: string, close: string): void {
    const mark = this.mark();
    const start = this.expect(open);
    while (!this.isOp(close)) {
      if (this.isOp('*')) unsupported();
      this.expression();
      if (this.isKeyword('for')) unsupported();
      if (this.isOp(',')) this.expect(',');
      else if (!this.isOp(close)) unsupported();
    }
    this.expect(close);
    this.out.node(name, mark, start.from, this.lastEnd);
  }

  private dictionary(): void {
    const mark = this.mark();
    const start = this.expect('{');
    while (!this.isOp('}')) {
      if (this.isOp('**')) unsupported();
      this.expression();
      if (!this.isOp(':')) unsupported();
      this.expect(':');
      this.expression();
      if (this.isKeyword('for')) unsupported();
      if (this.isOp(',')) this.expect(',');
      else if (!this.isOp('}')) unsupported();
    }
    this.expect('}');
    this.out.node('DictionaryExpression', mark, start.from, this.lastEnd);
  }
}

/**
 * The @lezer/python tree of a revision file, built by the fast path; undefined when the file uses
 * anything outside the subset (then parse with @lezer/python itself).
 */
export function parseMigrationFast(source: string): Tree | undefined {
  try {
    const tokens = tokenize(source);
    return new FastParser(source, tokens).parseScript();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** The revision file's @lezer/python tree: from the fast path when it applies, else from @lezer/python. */
export function parseMigrationTree(source: string): Tree {
  // Bracket nesting bounds the fast path's recursion too; a too-deep tree throws PythonNestingError either way.
  checkBracketNesting(source);
  const fast = parseMigrationFast(source);
  return fast ? checkTreeDepth(fast) : parsePython(source);
}
