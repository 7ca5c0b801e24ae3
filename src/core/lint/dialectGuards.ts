// Code that runs on some dialects only: `if op.get_bind().dialect.name == "mysql":`, `engine.name`,
// `context.get_context().dialect.name`, `str(bind.engine.url).startswith("postgres")`, helper
// predicates (`is_postgres()`), their `else` branches and early returns (`if ... != "postgresql":
// return`). The engine keeps a finding inside such a branch only for the dialects it runs on.
import type { SyntaxNode, Tree } from '@lezer/common';
import { DIALECTS, parseDialectName, type Dialect } from './lintContext';

/** A span of the source that runs only on `dialects`. */
export interface DialectGuardRegion {
  from: number;
  to: number;
  dialects: ReadonlySet<Dialect>;
}

/** The dialects a condition selects; undefined when it says nothing about the dialect. */
type Selection = Set<Dialect> | undefined;

const ALL: ReadonlySet<Dialect> = new Set(DIALECTS);
// The receiver of `.name` / `.startswith(...)` must look like a connection, its dialect or its URL,
// so `column.name == "mysql"` stays unrelated.
const DIALECT_SUBJECT = /dialect|engine|url|driver|backend|db_?type|database_?type|(?:bind|conn|connection)\.name/i;
const PREDICATE = /^_*(?:is|using|on|running_on|uses)_*(postgres(?:ql)?|pg|mysql|mariadb|sqlite3?|mssql|sqlserver|oracle)(?:_db|_dialect|_backend|_engine)?$/i;
/** URL schemes (and prefixes people test with `startswith`) per dialect. */
const URL_PREFIXES: ReadonlyArray<[string, Dialect]> = [
  ['postgresql', 'postgresql'],
  ['postgres', 'postgresql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['sqlite', 'sqlite'],
  ['mssql', 'mssql'],
  ['oracle', 'oracle'],
];

function complement(selection: ReadonlySet<Dialect>): Set<Dialect> {
  return new Set(DIALECTS.filter((dialect) => !selection.has(dialect)));
}

function intersect(a: ReadonlySet<Dialect>, b: ReadonlySet<Dialect>): Set<Dialect> {
  return new Set([...a].filter((dialect) => b.has(dialect)));
}

/** Reads conditions of one file; module-level `NAME = "mysql"` constants resolve. */
export class DialectConditionReader {
  private readonly constants = new Map<string, string>();

  constructor(
    private readonly source: string,
    tree: Tree,
  ) {
    for (let child = tree.topNode.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'AssignStatement') continue;
      const target = child.firstChild;
      const value = child.lastChild;
      if (target?.name === 'VariableName' && value?.name === 'String') {
        const text = this.stringValue(value);
        if (text !== undefined) this.constants.set(this.text(target), text);
      }
    }
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  private stringValue(node: SyntaxNode): string | undefined {
    if (node.name === 'String') {
      const match = /^[rRuU]?(['"])(.*)\1$/s.exec(this.text(node));
      return match ? match[2] : undefined;
    }
    if (node.name === 'VariableName') return this.constants.get(this.text(node));
    return undefined;
  }

  /** The dialects named by a string, a constant, or a tuple/list/set of them. */
  private namedDialects(node: SyntaxNode): Set<Dialect> | undefined {
    const items = node.name === 'TupleExpression' || node.name === 'ArrayExpression' || node.name === 'SetExpression' ? childNodes(node).filter((child) => !/^[()[\]{},]$/.test(child.name)) : [node];
    const dialects = new Set<Dialect>();
    for (const item of items) {
      const value = this.stringValue(item);
      const dialect = value === undefined ? undefined : parseDialectName(value);
      if (!dialect) return undefined;
      dialects.add(dialect);
    }
    return dialects.size ? dialects : undefined;
  }

  private isSubject(node: SyntaxNode): boolean {
    return DIALECT_SUBJECT.test(this.text(node).replace(/\s+/g, ''));
  }

  /** What the condition selects, or undefined when it is not about the dialect. */
  evaluate(node: SyntaxNode | null): Selection {
    if (!node) return undefined;
    switch (node.name) {
      case 'ParenthesizedExpression':
        return this.evaluate(childNodes(node).find((child) => child.name !== '(' && child.name !== ')') ?? null);
      case 'UnaryExpression': {
        const [operator, operand] = childNodes(node);
        if (operator?.name !== 'not') return undefined;
        const inner = this.evaluate(operand ?? null);
        return inner && complement(inner);
      }
      case 'VariableName':
        return this.predicate(this.text(node));
      case 'CallExpression':
        return this.call(node);
      case 'BinaryExpression':
        return this.binary(node);
      default:
        return undefined;
    }
  }

  private predicate(name: string): Selection {
    const match = PREDICATE.exec(name);
    const dialect = match ? parseDialectName(match[1]) : undefined;
    return dialect ? new Set([dialect]) : undefined;
  }

  private call(node: SyntaxNode): Selection {
    const callee = node.firstChild;
    if (!callee) return undefined;
    if (callee.name === 'VariableName') return this.predicate(this.text(callee));
    if (callee.name !== 'MemberExpression') return undefined;
    const property = callee.lastChild;
    const object = callee.firstChild;
    if (!property || !object) return undefined;
    const method = this.text(property);
    if (method === 'startswith' && this.isSubject(object)) {
      const argument = node.getChild('ArgList')?.getChildren('String')[0];
      const prefix = argument ? this.stringValue(argument)?.toLowerCase() : undefined;
      if (!prefix) return undefined;
      const dialects = new Set(URL_PREFIXES.filter(([scheme]) => scheme.startsWith(prefix) || prefix.startsWith(`${scheme}+`) || prefix === scheme).map(([, dialect]) => dialect));
      return dialects.size ? dialects : undefined;
    }
    return this.predicate(method);
  }

  private binary(node: SyntaxNode): Selection {
    const parts = childNodes(node);
    const left = parts[0];
    const right = parts[parts.length - 1];
    const operator = parts
      .slice(1, -1)
      .map((part) => this.text(part))
      .join(' ');
    if (operator === 'and' || operator === 'or') {
      const a = this.evaluate(left);
      const b = this.evaluate(right);
      if (operator === 'and') return a && b ? intersect(a, b) : (a ?? b);
      return a && b ? new Set([...a, ...b]) : undefined;
    }
    // `url.startswith("sqlite") is False`, `is_mysql() == False`.
    if ((operator === 'is' || operator === '==') && right.name === 'Boolean') {
      const inner = this.evaluate(left);
      return inner && (this.text(right) === 'False' ? complement(inner) : inner);
    }
    if ((operator === 'is not' || operator === '!=') && right.name === 'Boolean') {
      const inner = this.evaluate(left);
      return inner && (this.text(right) === 'True' ? complement(inner) : inner);
    }
    const negated = operator === '!=' || operator === 'not in' || operator === 'is not';
    if (!negated && operator !== '==' && operator !== 'in' && operator !== 'is') return undefined;
    let named: Set<Dialect> | undefined;
    if (this.isSubject(left)) named = this.namedDialects(right);
    else if (this.isSubject(right) && operator !== 'in' && operator !== 'not in') named = this.namedDialects(left);
    if (!named) return undefined;
    return negated ? complement(named) : named;
  }
}

function childNodes(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

/** Only `return` (after `pass`, docstrings or comments): the code after the `if` runs on the rest. */
function onlyReturns(body: SyntaxNode): boolean {
  const statements = childNodes(body).filter((child) => child.name !== ':' && child.name !== 'Comment');
  return statements.length > 0 && statements[statements.length - 1].name === 'ReturnStatement' && statements.slice(0, -1).every((statement) => statement.name === 'PassStatement');
}

/** Every span of the file that runs on some dialects only. */
export function dialectGuardRegions(source: string, tree: Tree): DialectGuardRegion[] {
  const reader = new DialectConditionReader(source, tree);
  const regions: DialectGuardRegion[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.name !== 'IfStatement') continue;
    const statement = cursor.node;
    const parts = childNodes(statement);
    // Branches so far, to give `elif` and `else` what the earlier conditions left.
    let remaining: Set<Dialect> | undefined = new Set(ALL);
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index];
      if (part.name === 'if' || part.name === 'elif') {
        const condition = parts[index + 1];
        const body = parts[index + 2];
        if (!body || body.name !== 'Body') break;
        const selection = reader.evaluate(condition);
        if (selection && remaining) regions.push({ from: body.from, to: body.to, dialects: intersect(selection, remaining) });
        remaining = selection && remaining ? intersect(remaining, complement(selection)) : undefined;
        if (part.name === 'if' && selection && parts.length === 3 && onlyReturns(body)) {
          const block = statement.parent;
          if (block) regions.push({ from: statement.to, to: block.to, dialects: complement(selection) });
        }
        index += 2;
      } else if (part.name === 'else') {
        const body = parts[index + 1];
        if (body?.name === 'Body' && remaining) regions.push({ from: body.from, to: body.to, dialects: remaining });
        index += 1;
      }
    }
  } while (cursor.next());
  return regions;
}

/** The dialects code at `offset` runs on (undefined: every dialect). */
export function guardDialectsAt(regions: readonly DialectGuardRegion[], offset: number): ReadonlySet<Dialect> | undefined {
  let dialects: Set<Dialect> | undefined;
  for (const region of regions) {
    if (offset < region.from || offset >= region.to) continue;
    dialects = dialects ? intersect(dialects, region.dialects) : new Set(region.dialects);
  }
  return dialects;
}

/** The dialects a file's guards name (a project that branches on MySQL runs on MySQL). */
export function dialectsNamedByGuards(source: string, tree: Tree): Set<Dialect> {
  const named = new Set<Dialect>();
  const reader = new DialectConditionReader(source, tree);
  const cursor = tree.cursor();
  do {
    if (cursor.name !== 'IfStatement') continue;
    for (const condition of childNodes(cursor.node).filter((_, index, all) => index > 0 && (all[index - 1].name === 'if' || all[index - 1].name === 'elif'))) {
      const selection = reader.evaluate(condition);
      // A negation (`!= "sqlite"`) names one dialect too: the complement is four or more.
      if (selection && selection.size <= 2) selection.forEach((dialect) => named.add(dialect));
      else if (selection && selection.size >= DIALECTS.length - 2) complement(selection).forEach((dialect) => named.add(dialect));
    }
  } while (cursor.next());
  return named;
}
