// Column types as migrations spell them (`sa.String(length=50)`, `sa.VARCHAR(50)`, `postgresql.ENUM(...)`,
// `sa.Numeric(10, 2)`), reduced to what matters for a type change: family, length, precision, and
// whether going from one to another can rewrite, truncate or fail.
import {
  calleeLastSegment,
  dereference,
  keywordArgument,
  literalValue,
  qualifiedNameOf,
  type CallExpressionModel,
  type PyExpression,
} from './pythonExpressions';

export type TypeFamily =
  | 'string'
  | 'char'
  | 'text'
  | 'integer'
  | 'numeric'
  | 'float'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'time'
  | 'interval'
  | 'json'
  | 'uuid'
  | 'binary'
  | 'enum'
  | 'array'
  | 'other';

export interface ColumnType {
  family: TypeFamily;
  /** How PostgreSQL would print it: `VARCHAR(50)`, `BIGINT`, `NUMERIC(10, 2)`, `ENUM meeting_visibility`. */
  display: string;
  length?: number;
  precision?: number;
  scale?: number;
  /** 2, 4 or 8 for SMALLINT, INTEGER, BIGINT. */
  integerBytes?: number;
  timezone?: boolean;
  enumName?: string;
  enumValues?: string[];
  /** `postgresql.ENUM(..., create_type=False)`: the type is known to exist already. */
  createType?: boolean;
  /** The type expression in the source. */
  from: number;
  to: number;
}

const TYPE_NAMES: Record<string, { family: TypeFamily; sql: string; integerBytes?: number }> = {
  String: { family: 'string', sql: 'VARCHAR' },
  VARCHAR: { family: 'string', sql: 'VARCHAR' },
  NVARCHAR: { family: 'string', sql: 'VARCHAR' },
  Unicode: { family: 'string', sql: 'VARCHAR' },
  CHAR: { family: 'char', sql: 'CHAR' },
  NCHAR: { family: 'char', sql: 'CHAR' },
  Text: { family: 'text', sql: 'TEXT' },
  TEXT: { family: 'text', sql: 'TEXT' },
  UnicodeText: { family: 'text', sql: 'TEXT' },
  CLOB: { family: 'text', sql: 'TEXT' },
  CITEXT: { family: 'text', sql: 'CITEXT' },
  SmallInteger: { family: 'integer', sql: 'SMALLINT', integerBytes: 2 },
  SMALLINT: { family: 'integer', sql: 'SMALLINT', integerBytes: 2 },
  Integer: { family: 'integer', sql: 'INTEGER', integerBytes: 4 },
  INTEGER: { family: 'integer', sql: 'INTEGER', integerBytes: 4 },
  INT: { family: 'integer', sql: 'INTEGER', integerBytes: 4 },
  BigInteger: { family: 'integer', sql: 'BIGINT', integerBytes: 8 },
  BIGINT: { family: 'integer', sql: 'BIGINT', integerBytes: 8 },
  Numeric: { family: 'numeric', sql: 'NUMERIC' },
  NUMERIC: { family: 'numeric', sql: 'NUMERIC' },
  DECIMAL: { family: 'numeric', sql: 'NUMERIC' },
  Float: { family: 'float', sql: 'FLOAT' },
  FLOAT: { family: 'float', sql: 'FLOAT' },
  REAL: { family: 'float', sql: 'REAL' },
  Double: { family: 'float', sql: 'DOUBLE PRECISION' },
  DOUBLE: { family: 'float', sql: 'DOUBLE PRECISION' },
  DOUBLE_PRECISION: { family: 'float', sql: 'DOUBLE PRECISION' },
  Boolean: { family: 'boolean', sql: 'BOOLEAN' },
  BOOLEAN: { family: 'boolean', sql: 'BOOLEAN' },
  DateTime: { family: 'datetime', sql: 'TIMESTAMP' },
  DATETIME: { family: 'datetime', sql: 'TIMESTAMP' },
  TIMESTAMP: { family: 'datetime', sql: 'TIMESTAMP' },
  Date: { family: 'date', sql: 'DATE' },
  DATE: { family: 'date', sql: 'DATE' },
  Time: { family: 'time', sql: 'TIME' },
  TIME: { family: 'time', sql: 'TIME' },
  Interval: { family: 'interval', sql: 'INTERVAL' },
  INTERVAL: { family: 'interval', sql: 'INTERVAL' },
  JSON: { family: 'json', sql: 'JSON' },
  JSONB: { family: 'json', sql: 'JSONB' },
  Uuid: { family: 'uuid', sql: 'UUID' },
  UUID: { family: 'uuid', sql: 'UUID' },
  LargeBinary: { family: 'binary', sql: 'BYTEA' },
  BYTEA: { family: 'binary', sql: 'BYTEA' },
  BLOB: { family: 'binary', sql: 'BLOB' },
  BINARY: { family: 'binary', sql: 'BINARY' },
  VARBINARY: { family: 'binary', sql: 'VARBINARY' },
  Enum: { family: 'enum', sql: 'ENUM' },
  ENUM: { family: 'enum', sql: 'ENUM' },
  ARRAY: { family: 'array', sql: 'ARRAY' },
};

function numberArgument(call: CallExpressionModel, position: number, keyword: string): number | undefined {
  const value = literalValue(keywordArgument(call, keyword)?.value ?? call.args.positional[position]);
  return typeof value === 'number' ? value : undefined;
}

function typeNameOf(expression: PyExpression): string | undefined {
  const qualified = qualifiedNameOf(expression);
  if (qualified === undefined) return undefined;
  // Only SQLAlchemy's own names (or unresolved bare names) count: a project type called `Text` from
  // elsewhere is not sqlalchemy.Text.
  if (qualified.includes('.') && !qualified.startsWith('sqlalchemy')) return undefined;
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}


/** Reads a SQLAlchemy type expression; undefined when it is not one we recognise. Cached per expression. */
export function readColumnType(input: PyExpression | undefined): ColumnType | undefined {
  const expression = dereference(input);
  if (!expression) return undefined;
  const derived = (expression.derived ??= {});
  if (derived.type !== undefined) return (derived.type as ColumnType | null) ?? undefined;
  const type = readColumnTypeUncached(expression);
  derived.type = type ?? null;
  return type;
}

function readColumnTypeUncached(input: PyExpression): ColumnType | undefined {
  let expression: PyExpression = input;
  // `sa.String(50).with_variant(...)`, `sa.Text().evaluates_none()`: the receiver is the type.
  while (expression.kind === 'call' && expression.callee.kind === 'attribute' && expression.callee.object.kind === 'call') {
    const method = expression.callee.attribute;
    if (method !== 'with_variant' && method !== 'evaluates_none') break;
    expression = expression.callee.object;
  }
  const call = expression.kind === 'call' ? expression : undefined;
  const name = typeNameOf(call ? call.callee : expression);
  if (!name) return undefined;
  const known = TYPE_NAMES[name];
  const range = { from: expression.from, to: expression.to };
  if (!known) return { family: 'other', display: name.toUpperCase(), ...range };
  const type: ColumnType = { family: known.family, display: known.sql, ...range };
  if (known.integerBytes) type.integerBytes = known.integerBytes;
  if (!call) return type;
  switch (known.family) {
    case 'string':
    case 'char': {
      type.length = numberArgument(call, 0, 'length');
      if (type.length !== undefined) type.display = `${known.sql}(${type.length})`;
      break;
    }
    case 'numeric':
    case 'float': {
      type.precision = numberArgument(call, 0, 'precision');
      type.scale = numberArgument(call, 1, 'scale');
      if (type.precision !== undefined) {
        type.display = `${known.sql}(${type.precision}${type.scale !== undefined ? `, ${type.scale}` : ''})`;
      }
      break;
    }
    case 'datetime':
    case 'time': {
      const timezone = literalValue(keywordArgument(call, 'timezone')?.value ?? call.args.positional[0]);
      if (timezone === true) {
        type.timezone = true;
        type.display = known.family === 'datetime' ? 'TIMESTAMP WITH TIME ZONE' : 'TIME WITH TIME ZONE';
      }
      break;
    }
    case 'enum': {
      const nameValue = literalValue(keywordArgument(call, 'name')?.value);
      if (typeof nameValue === 'string') type.enumName = nameValue;
      type.enumValues = call.args.positional.map((item) => literalValue(item)).filter((value): value is string => typeof value === 'string');
      const createType = literalValue(keywordArgument(call, 'create_type')?.value);
      if (createType === false) type.createType = false;
      type.display = type.enumName ? `ENUM ${type.enumName}` : 'ENUM';
      break;
    }
    default:
      break;
  }
  return type;
}

export type TypeChangeKind =
  /** Nothing changes on disk. */
  | 'same'
  /** Metadata only on PostgreSQL: no rewrite, no scan (VARCHAR(n) -> VARCHAR(m > n), VARCHAR -> TEXT). */
  | 'safe-widening'
  /** Every value fits, but the table is rewritten (INTEGER -> BIGINT). */
  | 'widening'
  /** Values can be truncated or rounded, or the cast can fail (String(50) -> String(20), TEXT -> INTEGER). */
  | 'narrowing'
  /** A rewrite whose safety we can't judge (unknown old type, unrelated families). */
  | 'unknown';

export interface TypeChange {
  kind: TypeChangeKind;
  /** Why, in a few words, for messages. */
  reason: string;
}

const STRINGY: ReadonlySet<TypeFamily> = new Set(['string', 'text', 'char']);

/** Integer digits a NUMERIC(p, s) can hold; Infinity when unconstrained. */
function integerDigits(type: ColumnType): number {
  if (type.precision === undefined) return Infinity;
  return type.precision - (type.scale ?? 0);
}

const INTEGER_DIGITS: Record<number, number> = { 2: 5, 4: 10, 8: 19 };

export function compareColumnTypes(from: ColumnType | undefined, to: ColumnType): TypeChange {
  if (!from) return { kind: 'unknown', reason: 'the old type is not given (no existing_type)' };
  const pair = `${from.display} to ${to.display}`;
  if (from.family === 'other' || to.family === 'other') return { kind: 'unknown', reason: `${pair} is a conversion the linter can't judge` };
  if (STRINGY.has(from.family) && STRINGY.has(to.family)) {
    if (to.family === 'char' || from.family === 'char') {
      if (to.family === 'char' && (to.length ?? 1) < (from.length ?? Infinity)) return { kind: 'narrowing', reason: `${pair} truncates longer values` };
      return { kind: 'widening', reason: `${pair} rewrites every row (CHAR pads and trims blanks)` };
    }
    const fromLength = from.family === 'text' ? Infinity : (from.length ?? Infinity);
    const toLength = to.family === 'text' ? Infinity : (to.length ?? Infinity);
    if (toLength < fromLength) {
      return { kind: 'narrowing', reason: `${pair} fails (or truncates, on MySQL) on values longer than ${toLength} characters` };
    }
    if (toLength === fromLength && from.family === to.family) return { kind: 'same', reason: `${pair} keeps the same type` };
    return { kind: 'safe-widening', reason: `${pair} only widens the limit` };
  }
  if (STRINGY.has(from.family) && !STRINGY.has(to.family)) {
    return { kind: 'narrowing', reason: `${pair} fails on any value that does not parse as ${to.display}` };
  }
  if (from.family === 'integer' && to.family === 'integer') {
    const fromBytes = from.integerBytes ?? 4;
    const toBytes = to.integerBytes ?? 4;
    if (toBytes === fromBytes) return { kind: 'same', reason: `${pair} keeps the same type` };
    if (toBytes < fromBytes) return { kind: 'narrowing', reason: `${pair} fails on values outside the smaller range` };
    return { kind: 'widening', reason: `${pair} rewrites the whole table and every index on the column` };
  }
  if (from.family === 'numeric' && to.family === 'numeric') {
    if (from.precision === to.precision && from.scale === to.scale) return { kind: 'same', reason: `${pair} keeps the same type` };
    if ((to.scale ?? 0) < (from.scale ?? 0) && to.precision !== undefined) return { kind: 'narrowing', reason: `${pair} rounds away decimal places` };
    if (integerDigits(to) < integerDigits(from)) return { kind: 'narrowing', reason: `${pair} fails on values with more integer digits` };
    if (to.precision === undefined || (to.scale ?? 0) === (from.scale ?? 0)) {
      return { kind: 'safe-widening', reason: `${pair} only raises the precision` };
    }
    return { kind: 'widening', reason: `${pair} changes the scale and rewrites every row` };
  }
  if (from.family === 'integer' && to.family === 'numeric') {
    if (integerDigits(to) < INTEGER_DIGITS[from.integerBytes ?? 4]) return { kind: 'narrowing', reason: `${pair} fails on large values` };
    return { kind: 'widening', reason: `${pair} rewrites every row` };
  }
  if ((from.family === 'numeric' || from.family === 'float') && to.family === 'integer') {
    return { kind: 'narrowing', reason: `${pair} rounds away the fractional part` };
  }
  if (from.family === 'integer' && to.family === 'float') {
    return { kind: 'widening', reason: `${pair} rewrites every row; integers beyond the float's exact range (2^24 for REAL, 2^53 for DOUBLE) lose precision` };
  }
  if (from.family === 'float' && to.family === 'numeric') return { kind: 'narrowing', reason: `${pair} can fail or round (NaN, infinities, precision)` };
  if (from.family === 'datetime' && to.family === 'date') return { kind: 'narrowing', reason: `${pair} drops the time of day` };
  if (from.family === 'datetime' && to.family === 'time') return { kind: 'narrowing', reason: `${pair} drops the date` };
  if (from.family === to.family) {
    if (from.display === to.display) return { kind: 'same', reason: `${pair} keeps the same type` };
    return { kind: 'widening', reason: `${pair} rewrites every row` };
  }
  if (to.family === 'enum' || to.family === 'boolean' || to.family === 'uuid' || to.family === 'json') {
    return { kind: 'narrowing', reason: `${pair} fails on any value that is not a valid ${to.display}` };
  }
  if (STRINGY.has(to.family)) return { kind: 'widening', reason: `${pair} rewrites every row as text` };
  return { kind: 'unknown', reason: `${pair} rewrites every row and may fail on some values` };
}

/** Whether a call's callee names a SQLAlchemy Enum type (`sa.Enum`, `postgresql.ENUM`). */
export function isEnumTypeCall(expression: PyExpression | undefined): expression is CallExpressionModel {
  const value = dereference(expression);
  if (!value || value.kind !== 'call') return false;
  const segment = calleeLastSegment(value);
  return (segment === 'Enum' || segment === 'ENUM') && readColumnType(value)?.family === 'enum';
}
