// A small, tolerant classifier for the literal SQL that migrations pass to `op.execute(...)`.
// It is not a SQL parser: it tokenizes (strings, quoted identifiers, dollar quotes, comments, bind
// parameters), splits statements on top-level `;`, and reads the few facts the lint rules need
// (kind, target table, WHERE presence, CONCURRENTLY, ALTER TABLE actions). A full parser would
// reject exactly what migrations are full of: templated SQL (f-strings, `%s`, `:name`), vendor
// syntax and half-written statements; here anything unknown is `other`, never an error.

export type SqlStatementKind =
  | 'update'
  | 'delete'
  | 'insert'
  | 'merge'
  | 'copy'
  | 'select'
  | 'truncate'
  | 'create_index'
  | 'drop_index'
  | 'create_table'
  | 'drop_table'
  | 'alter_table'
  | 'create_view'
  | 'drop_view'
  | 'create_type'
  | 'drop_type'
  | 'alter_type'
  | 'refresh_materialized_view'
  | 'do_block'
  | 'other';

export type AlterTableActionKind =
  | 'add_column'
  | 'drop_column'
  | 'alter_column_type'
  | 'set_not_null'
  | 'drop_not_null'
  | 'set_default'
  | 'drop_default'
  | 'add_constraint'
  | 'drop_constraint'
  | 'validate_constraint'
  | 'rename_column'
  | 'rename_table'
  | 'rename_constraint'
  | 'other';

export type SqlConstraintKind = 'foreign_key' | 'unique' | 'primary_key' | 'check' | 'exclude' | 'unknown';

export interface AlterTableAction {
  kind: AlterTableActionKind;
  /** The action's text as written (for messages). */
  text: string;
  column?: string;
  newName?: string;
  constraintName?: string;
  constraintKind?: SqlConstraintKind;
  /** `ADD CONSTRAINT ... NOT VALID`. */
  notValid?: boolean;
  /** `ADD CONSTRAINT ... UNIQUE USING INDEX idx`: attaches an index built beforehand (no scan). */
  usingIndex?: boolean;
  /** `ADD COLUMN ... NOT NULL`. */
  notNull?: boolean;
  /** The DEFAULT expression of ADD COLUMN / SET DEFAULT, as written. */
  defaultExpression?: string;
  /** `ALTER COLUMN ... TYPE <type>`: the type as written. */
  newType?: string;
}

export interface SqlStatement {
  kind: SqlStatementKind;
  /** The statement without its trailing `;`, trimmed. */
  text: string;
  /** Offsets of `text` in the classified SQL string. */
  start: number;
  end: number;
  /** Target table (update/delete/insert/create_index/create_table/alter_table); last part of a qualified name. */
  table?: string;
  /** All tables named by DROP TABLE / TRUNCATE. */
  tables?: string[];
  /** Index, view or type name. */
  name?: string;
  /** All names of a DROP INDEX / DROP VIEW / DROP TYPE. */
  names?: string[];
  hasWhere?: boolean;
  concurrently?: boolean;
  unique?: boolean;
  materialized?: boolean;
  /** CREATE TYPE ... AS ENUM / ALTER TYPE ... ADD VALUE. */
  enumType?: boolean;
  addsEnumValue?: boolean;
  actions?: AlterTableAction[];
}

/** Stands for an interpolated expression of an f-string or a `%s`/`.format` template. */
export const SQL_PLACEHOLDER = '__aw_expr__';

interface Token {
  type: 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'param';
  /** Identifier value (unquoted words lower-cased as PostgreSQL folds them) or the punctuation. */
  value: string;
  /** Upper-cased word for keyword tests; '' for other tokens. */
  upper: string;
  from: number;
  to: number;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code > 127;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57) || code === 36;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const length = sql.length;
  let offset = 0;
  const push = (type: Token['type'], value: string, from: number, to: number, upper = '') =>
    tokens.push({ type, value, upper, from, to });
  while (offset < length) {
    const code = sql.charCodeAt(offset);
    const char = sql[offset];
    if (code <= 32) {
      offset++;
      continue;
    }
    if (char === '-' && sql[offset + 1] === '-') {
      const end = sql.indexOf('\n', offset);
      offset = end < 0 ? length : end + 1;
      continue;
    }
    if (char === '/' && sql[offset + 1] === '*') {
      // PostgreSQL block comments nest.
      let depth = 1;
      offset += 2;
      while (offset < length && depth > 0) {
        if (sql[offset] === '/' && sql[offset + 1] === '*') {
          depth++;
          offset += 2;
        } else if (sql[offset] === '*' && sql[offset + 1] === '/') {
          depth--;
          offset += 2;
        } else offset++;
      }
      continue;
    }
    if (char === "'" || ((char === 'E' || char === 'e') && sql[offset + 1] === "'")) {
      const from = offset;
      const backslashEscapes = char !== "'";
      offset += backslashEscapes ? 2 : 1;
      while (offset < length) {
        if (backslashEscapes && sql[offset] === '\\') offset += 2;
        else if (sql[offset] === "'" && sql[offset + 1] === "'") offset += 2;
        else if (sql[offset] === "'") {
          offset++;
          break;
        } else offset++;
      }
      push('string', sql.slice(from, offset), from, offset);
      continue;
    }
    if (char === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(offset, offset + 64));
      if (tag) {
        const from = offset;
        const close = sql.indexOf(tag[0], offset + tag[0].length);
        offset = close < 0 ? length : close + tag[0].length;
        push('string', sql.slice(from, offset), from, offset);
        continue;
      }
      const positional = /^\$\d+/.exec(sql.slice(offset, offset + 12));
      if (positional) {
        push('param', positional[0], offset, offset + positional[0].length);
        offset += positional[0].length;
        continue;
      }
    }
    if (char === '"') {
      const from = offset;
      offset++;
      let value = '';
      while (offset < length) {
        if (sql[offset] === '"' && sql[offset + 1] === '"') {
          value += '"';
          offset += 2;
        } else if (sql[offset] === '"') {
          offset++;
          break;
        } else value += sql[offset++];
      }
      push('quoted', value, from, offset);
      continue;
    }
    if (char === ':' && sql[offset + 1] !== ':' && isIdentifierStart(sql.charCodeAt(offset + 1)) && sql[offset - 1] !== ':') {
      const from = offset;
      offset++;
      while (offset < length && isIdentifierPart(sql.charCodeAt(offset))) offset++;
      push('param', sql.slice(from, offset), from, offset);
      continue;
    }
    if (char === '%') {
      const format = /^%(\([^)]*\))?s/.exec(sql.slice(offset, offset + 80));
      if (format) {
        push('param', format[0], offset, offset + format[0].length);
        offset += format[0].length;
        continue;
      }
    }
    if (isIdentifierStart(code)) {
      const from = offset;
      while (offset < length && isIdentifierPart(sql.charCodeAt(offset))) offset++;
      const word = sql.slice(from, offset);
      push('word', word.toLowerCase(), from, offset, word.toUpperCase());
      continue;
    }
    if (code >= 48 && code <= 57) {
      const from = offset;
      while (offset < length && /[0-9.eE_]/.test(sql[offset])) offset++;
      push('number', sql.slice(from, offset), from, offset);
      continue;
    }
    push('punct', char, offset, offset + 1);
    offset++;
  }
  return tokens;
}

/** A cursor over one statement's tokens with keyword helpers. */
class TokenCursor {
  index = 0;
  constructor(
    readonly tokens: Token[],
    readonly sql: string,
  ) {}

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  isWord(...words: string[]): boolean {
    for (let ahead = 0; ahead < words.length; ahead++) {
      const token = this.tokens[this.index + ahead];
      if (!token || token.type !== 'word' || token.upper !== words[ahead]) return false;
    }
    return true;
  }

  /** Consumes the keyword sequence when it is next. */
  accept(...words: string[]): boolean {
    if (!this.isWord(...words)) return false;
    this.index += words.length;
    return true;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  /** Reads `a`, `"A"`, `schema.table`; returns the last part. */
  qualifiedName(): string | undefined {
    let name: string | undefined;
    for (;;) {
      const token = this.peek();
      if (!token || (token.type !== 'word' && token.type !== 'quoted')) return name;
      name = token.value === SQL_PLACEHOLDER ? undefined : token.value;
      this.index++;
      if (this.peek()?.value === '.' && this.peek()?.type === 'punct') this.index++;
      else return name;
    }
  }
}

/** Top-level (paren depth 0) token indexes that satisfy a test. */
function topLevelIndexes(tokens: Token[], test: (token: Token) => boolean, startIndex = 0): number[] {
  const found: number[] = [];
  let depth = 0;
  for (let index = startIndex; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.type === 'punct' && token.value === '(') depth++;
    else if (token.type === 'punct' && token.value === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && test(token)) found.push(index);
  }
  return found;
}

function hasTopLevelWord(tokens: Token[], word: string, startIndex = 0): boolean {
  return topLevelIndexes(tokens, (token) => token.type === 'word' && token.upper === word, startIndex).length > 0;
}

/** Splits tokens on top-level commas. */
function splitTopLevel(tokens: Token[], separator = ','): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.type === 'punct' && token.value === '(') depth++;
    if (token.type === 'punct' && token.value === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && token.type === 'punct' && token.value === separator) parts.push([]);
    else parts[parts.length - 1].push(token);
  }
  return parts.filter((part) => part.length > 0);
}

function textOf(sql: string, tokens: Token[]): string {
  return tokens.length ? sql.slice(tokens[0].from, tokens[tokens.length - 1].to) : '';
}

function readNameList(cursor: TokenCursor): string[] {
  const names: string[] = [];
  for (;;) {
    const name = cursor.qualifiedName();
    if (name !== undefined) names.push(name);
    if (cursor.peek()?.type === 'punct' && cursor.peek()?.value === ',') cursor.index++;
    else return names;
  }
}

function constraintKindAt(cursor: TokenCursor): SqlConstraintKind {
  if (cursor.isWord('FOREIGN', 'KEY')) return 'foreign_key';
  if (cursor.isWord('PRIMARY', 'KEY')) return 'primary_key';
  if (cursor.isWord('UNIQUE')) return 'unique';
  if (cursor.isWord('CHECK')) return 'check';
  if (cursor.isWord('EXCLUDE')) return 'exclude';
  return 'unknown';
}

function classifyAlterTableAction(tokens: Token[], sql: string): AlterTableAction {
  const cursor = new TokenCursor(tokens, sql);
  const text = textOf(sql, tokens);
  const rest = () => textOf(sql, tokens.slice(cursor.index));
  if (cursor.accept('ADD')) {
    if (cursor.accept('CONSTRAINT')) {
      const constraintName = cursor.qualifiedName();
      return addConstraint(cursor, tokens, text, constraintName);
    }
    if (constraintKindAt(cursor) !== 'unknown') return addConstraint(cursor, tokens, text, undefined);
    cursor.accept('COLUMN');
    cursor.accept('IF', 'NOT', 'EXISTS');
    const column = cursor.qualifiedName();
    const afterName = cursor.index;
    const defaultIndex = topLevelIndexes(tokens, (token) => token.upper === 'DEFAULT', afterName)[0];
    let defaultExpression: string | undefined;
    if (defaultIndex !== undefined) {
      const stop = topLevelIndexes(
        tokens,
        (token) => ['NOT', 'NULL', 'CONSTRAINT', 'CHECK', 'REFERENCES', 'PRIMARY', 'UNIQUE', 'COLLATE', 'GENERATED'].includes(token.upper),
        defaultIndex + 1,
      )[0];
      defaultExpression = textOf(sql, tokens.slice(defaultIndex + 1, stop ?? tokens.length));
    }
    const notNull = topLevelIndexes(tokens, (token) => token.upper === 'NOT', afterName).some((index) => tokens[index + 1]?.upper === 'NULL');
    return { kind: 'add_column', text, column, notNull, defaultExpression };
  }
  if (cursor.accept('DROP')) {
    if (cursor.accept('CONSTRAINT')) {
      cursor.accept('IF', 'EXISTS');
      return { kind: 'drop_constraint', text, constraintName: cursor.qualifiedName() };
    }
    // MySQL's forms: DROP PRIMARY KEY, DROP FOREIGN KEY fk, DROP CHECK ck, DROP INDEX|KEY ix.
    if (cursor.accept('PRIMARY', 'KEY')) return { kind: 'drop_constraint', text, constraintKind: 'primary_key' };
    if (cursor.accept('FOREIGN', 'KEY')) return { kind: 'drop_constraint', text, constraintKind: 'foreign_key', constraintName: cursor.qualifiedName() };
    if (cursor.accept('CHECK')) return { kind: 'drop_constraint', text, constraintKind: 'check', constraintName: cursor.qualifiedName() };
    if (cursor.accept('INDEX') || cursor.accept('KEY')) return { kind: 'other', text };
    cursor.accept('COLUMN');
    cursor.accept('IF', 'EXISTS');
    return { kind: 'drop_column', text, column: cursor.qualifiedName() };
  }
  if (cursor.accept('ALTER')) {
    cursor.accept('COLUMN');
    const column = cursor.qualifiedName();
    if (cursor.accept('SET', 'DATA', 'TYPE') || cursor.accept('TYPE')) {
      return { kind: 'alter_column_type', text, column, newType: rest() };
    }
    if (cursor.accept('SET', 'NOT', 'NULL')) return { kind: 'set_not_null', text, column };
    if (cursor.accept('DROP', 'NOT', 'NULL')) return { kind: 'drop_not_null', text, column };
    if (cursor.accept('SET', 'DEFAULT')) return { kind: 'set_default', text, column, defaultExpression: rest() };
    if (cursor.accept('DROP', 'DEFAULT')) return { kind: 'drop_default', text, column };
    return { kind: 'other', text, column };
  }
  if (cursor.accept('VALIDATE', 'CONSTRAINT')) return { kind: 'validate_constraint', text, constraintName: cursor.qualifiedName() };
  if (cursor.accept('RENAME')) {
    if (cursor.accept('TO')) return { kind: 'rename_table', text, newName: cursor.qualifiedName() };
    if (cursor.accept('CONSTRAINT')) {
      const constraintName = cursor.qualifiedName();
      cursor.accept('TO');
      return { kind: 'rename_constraint', text, constraintName, newName: cursor.qualifiedName() };
    }
    cursor.accept('COLUMN');
    const column = cursor.qualifiedName();
    cursor.accept('TO');
    return { kind: 'rename_column', text, column, newName: cursor.qualifiedName() };
  }
  return { kind: 'other', text };
}

function addConstraint(cursor: TokenCursor, tokens: Token[], text: string, constraintName: string | undefined): AlterTableAction {
  const constraintKind = constraintKindAt(cursor);
  const notValid = topLevelIndexes(tokens, (token) => token.upper === 'NOT').some((index) => tokens[index + 1]?.upper === 'VALID');
  const usingIndex = topLevelIndexes(tokens, (token) => token.upper === 'USING').some((index) => tokens[index + 1]?.upper === 'INDEX');
  return { kind: 'add_constraint', text, constraintName, constraintKind, notValid, usingIndex };
}

function classifyStatement(tokens: Token[], sql: string): Omit<SqlStatement, 'text' | 'start' | 'end'> {
  const cursor = new TokenCursor(tokens, sql);
  // `WITH cte AS (...) UPDATE ...`: the statement's kind is the verb after the CTE list.
  if (cursor.isWord('WITH')) {
    const verbs = topLevelIndexes(tokens, (token) => ['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE'].includes(token.upper), 1);
    if (verbs.length) cursor.index = verbs[0];
  }
  const verbIndex = cursor.index;
  if (cursor.accept('UPDATE')) {
    cursor.accept('ONLY');
    return { kind: 'update', table: cursor.qualifiedName(), hasWhere: hasTopLevelWord(tokens, 'WHERE', verbIndex) };
  }
  if (cursor.accept('DELETE')) {
    cursor.accept('FROM');
    cursor.accept('ONLY');
    return { kind: 'delete', table: cursor.qualifiedName(), hasWhere: hasTopLevelWord(tokens, 'WHERE', verbIndex) };
  }
  if (cursor.accept('INSERT')) {
    cursor.accept('INTO');
    return { kind: 'insert', table: cursor.qualifiedName() };
  }
  if (cursor.accept('MERGE')) {
    cursor.accept('INTO');
    return { kind: 'merge', table: cursor.qualifiedName() };
  }
  if (cursor.accept('COPY')) return { kind: 'copy', table: cursor.qualifiedName() };
  if (cursor.isWord('SELECT') || cursor.isWord('VALUES') || cursor.isWord('SHOW') || cursor.isWord('EXPLAIN')) return { kind: 'select' };
  if (cursor.accept('TRUNCATE')) {
    cursor.accept('TABLE');
    cursor.accept('ONLY');
    const tables = readNameList(cursor);
    return { kind: 'truncate', tables, table: tables[0] };
  }
  if (cursor.accept('REFRESH', 'MATERIALIZED', 'VIEW')) {
    const concurrently = cursor.accept('CONCURRENTLY');
    return { kind: 'refresh_materialized_view', concurrently, name: cursor.qualifiedName() };
  }
  if (cursor.accept('DO')) return { kind: 'do_block' };
  if (cursor.accept('CREATE')) {
    cursor.accept('OR', 'REPLACE');
    const unique = cursor.accept('UNIQUE');
    if (cursor.accept('INDEX')) {
      const concurrently = cursor.accept('CONCURRENTLY');
      cursor.accept('IF', 'NOT', 'EXISTS');
      const name = cursor.isWord('ON') ? undefined : cursor.qualifiedName();
      cursor.accept('ON');
      cursor.accept('ONLY');
      return { kind: 'create_index', unique, concurrently, name, table: cursor.qualifiedName() };
    }
    while (cursor.accept('GLOBAL') || cursor.accept('LOCAL') || cursor.accept('TEMP') || cursor.accept('TEMPORARY') || cursor.accept('UNLOGGED')) {
      // modifiers of CREATE TABLE
    }
    if (cursor.accept('TABLE')) {
      cursor.accept('IF', 'NOT', 'EXISTS');
      return { kind: 'create_table', table: cursor.qualifiedName() };
    }
    const materialized = cursor.accept('MATERIALIZED');
    cursor.accept('RECURSIVE');
    if (cursor.accept('VIEW')) {
      cursor.accept('IF', 'NOT', 'EXISTS');
      return { kind: 'create_view', materialized, name: cursor.qualifiedName() };
    }
    if (cursor.accept('TYPE')) {
      const name = cursor.qualifiedName();
      return { kind: 'create_type', name, enumType: cursor.isWord('AS', 'ENUM') };
    }
    return { kind: 'other' };
  }
  if (cursor.accept('DROP')) {
    if (cursor.accept('INDEX')) {
      const concurrently = cursor.accept('CONCURRENTLY');
      cursor.accept('IF', 'EXISTS');
      const names = readNameList(cursor);
      return { kind: 'drop_index', concurrently, names, name: names[0] };
    }
    if (cursor.accept('TABLE')) {
      cursor.accept('IF', 'EXISTS');
      const tables = readNameList(cursor);
      return { kind: 'drop_table', tables, table: tables[0] };
    }
    const materialized = cursor.accept('MATERIALIZED');
    if (cursor.accept('VIEW')) {
      cursor.accept('IF', 'EXISTS');
      const names = readNameList(cursor);
      return { kind: 'drop_view', materialized, names, name: names[0] };
    }
    if (cursor.accept('TYPE')) {
      cursor.accept('IF', 'EXISTS');
      const names = readNameList(cursor);
      return { kind: 'drop_type', names, name: names[0] };
    }
    return { kind: 'other' };
  }
  if (cursor.accept('ALTER', 'TABLE')) {
    cursor.accept('IF', 'EXISTS');
    cursor.accept('ONLY');
    const table = cursor.qualifiedName();
    const actions = splitTopLevel(tokens.slice(cursor.index)).map((part) => classifyAlterTableAction(part, sql));
    return { kind: 'alter_table', table, actions };
  }
  if (cursor.accept('ALTER', 'TYPE')) {
    const name = cursor.qualifiedName();
    return { kind: 'alter_type', name, addsEnumValue: cursor.isWord('ADD', 'VALUE') };
  }
  return { kind: 'other' };
}

/** Splits and classifies every statement of a SQL text. Never throws. */
export function classifySql(sql: string): SqlStatement[] {
  const tokens = tokenize(sql);
  const statements: SqlStatement[] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const start = current[0].from;
    const end = current[current.length - 1].to;
    statements.push({ ...classifyStatement(current, sql), text: sql.slice(start, end), start, end });
    current = [];
  };
  for (const token of tokens) {
    if (token.type === 'punct' && token.value === ';') flush();
    else current.push(token);
  }
  flush();
  return statements;
}

const DML_KINDS: ReadonlySet<SqlStatementKind> = new Set(['update', 'delete', 'insert', 'merge', 'copy']);

/** Statements that change rows rather than schema. */
export function isDataStatement(statement: SqlStatement): boolean {
  return DML_KINDS.has(statement.kind);
}

/** Statements that change schema (anything but DML, SELECT and opaque DO blocks). */
export function isSchemaStatement(statement: SqlStatement): boolean {
  return !DML_KINDS.has(statement.kind) && statement.kind !== 'select' && statement.kind !== 'do_block' && statement.kind !== 'other';
}
