// A small expression model over @lezer/python nodes for what migration arguments look like:
// literals, names, attributes, calls, sequences and string templates. Names are resolved through
// the file's imports (`import sqlalchemy as sa`, `from alembic import op as o`, `from sqlalchemy
// import Column`) and through simple assignments (`sql = "UPDATE ..."`), so rules can ask "is this
// `sqlalchemy.Column`?" however the file spells it.
import type { SyntaxNode } from '@lezer/common';
import { evaluateLiteral, namedChildren, nodeText, NOT_A_LITERAL, type PythonLiteral } from '../python/pythonSource';
import { SQL_PLACEHOLDER } from './sqlStatements';

interface ExpressionBase {
  from: number;
  to: number;
  /**
   * Results derived from this expression by readers that several rules call (column and type
   * reads). A plain field rather than a WeakMap: WeakMap entries are costly for the garbage
   * collector, and an expression lives exactly as long as its lint.
   */
  derived?: { column?: unknown; type?: unknown };
}

export interface KeywordArgument {
  name: string;
  value: PyExpression;
  /** From the keyword's name to the end of its value. */
  from: number;
  to: number;
}

export interface CallArguments {
  positional: PyExpression[];
  keywords: KeywordArgument[];
  hasStarArgs: boolean;
  hasStarKwargs: boolean;
  /** The argument list including its parentheses. */
  from: number;
  to: number;
}

export type PyExpression =
  | (ExpressionBase & { kind: 'literal'; value: PythonLiteral })
  | (ExpressionBase & { kind: 'name'; name: string; qualifiedName?: string; assigned?: PyExpression })
  | (ExpressionBase & { kind: 'attribute'; object: PyExpression; attribute: string })
  | (ExpressionBase & { kind: 'call'; callee: PyExpression; args: CallArguments })
  | (ExpressionBase & { kind: 'sequence'; items: PyExpression[] })
  /** f-strings, `"..." % x`, `"...".format(x)`: the text with each interpolation as SQL_PLACEHOLDER. */
  | (ExpressionBase & { kind: 'template'; approximateText: string })
  | (ExpressionBase & { kind: 'other'; nodeName: string });

export type CallExpressionModel = Extract<PyExpression, { kind: 'call' }>;

/** Local name -> what it imports, e.g. `sa` -> `sqlalchemy`, `Column` -> `sqlalchemy.Column`. */
export type ImportBindings = Map<string, string>;

/**
 * Names a migration uses without importing them still mean what Alembic's template imports:
 * tolerant reading of snippets and half-written files.
 */
const CONVENTIONAL_BINDINGS: Record<string, string> = {
  op: 'alembic.op',
  sa: 'sqlalchemy',
  postgresql: 'sqlalchemy.dialects.postgresql',
};

export function collectImports(source: string, root: SyntaxNode): ImportBindings {
  const bindings: ImportBindings = new Map();
  const visit = (node: SyntaxNode) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'ImportStatement') readImport(source, child, bindings);
      else if (child.name === 'Body' || child.name.endsWith('Statement') || child.name === 'FunctionDefinition' || child.name === 'ClassDefinition') {
        visit(child);
      }
    }
  };
  visit(root);
  for (const [name, target] of Object.entries(CONVENTIONAL_BINDINGS)) {
    if (!bindings.has(name)) bindings.set(name, target);
  }
  return bindings;
}

function readImport(source: string, node: SyntaxNode, bindings: ImportBindings): void {
  // Children are keywords (from/import/as), VariableNames, '.', ',' and '*'.
  const parts: Array<{ name: string; text: string }> = [];
  for (let child = node.firstChild; child; child = child.nextSibling) parts.push({ name: child.name, text: nodeText(source, child) });
  if (parts[0]?.name === 'from') {
    const importAt = parts.findIndex((part) => part.name === 'import');
    if (importAt < 0) return;
    const moduleText = parts
      .slice(1, importAt)
      .map((part) => part.text)
      .join('');
    if (moduleText.startsWith('.')) return;
    const rest = parts.slice(importAt + 1).filter((part) => part.name !== '(' && part.name !== ')');
    for (let index = 0; index < rest.length; index++) {
      if (rest[index].name !== 'VariableName') continue;
      const imported = rest[index].text;
      let local = imported;
      if (rest[index + 1]?.name === 'as' && rest[index + 2]?.name === 'VariableName') {
        local = rest[index + 2].text;
        index += 2;
      }
      bindings.set(local, `${moduleText}.${imported}`);
    }
    return;
  }
  // import a.b.c [as x], d
  let dotted: string[] = [];
  const flush = (alias?: string) => {
    if (dotted.length === 0) return;
    if (alias) bindings.set(alias, dotted.join('.'));
    else bindings.set(dotted[0], dotted[0]);
    dotted = [];
  };
  for (let index = 1; index < parts.length; index++) {
    const part = parts[index];
    if (part.name === 'VariableName') dotted.push(part.text);
    else if (part.name === 'as' && parts[index + 1]?.name === 'VariableName') {
      flush(parts[index + 1].text);
      index++;
    } else if (part.name === ',') flush();
  }
  flush();
}

/** Reads nodes into PyExpressions, resolving names through imports and known assignments. */
export class ExpressionReader {
  constructor(
    readonly source: string,
    readonly imports: ImportBindings,
    /** Module-level `name = value` assignments (last one wins). */
    readonly moduleAssignments: Map<string, SyntaxNode>,
  ) {}

  private readonly moduleCache = new Map<string, PyExpression>();

  read(node: SyntaxNode, locals?: Map<string, PyExpression>, depth = 0): PyExpression {
    // Plain object literals (no spreads) in one property order: V8 keeps them fast, and this runs
    // for every argument of every operation.
    const from = node.from;
    const to = node.to;
    if (depth > 40) return { kind: 'other', from, to, nodeName: node.name };
    switch (node.name) {
      case 'VariableName': {
        const name = nodeText(this.source, node);
        const local = locals?.get(name);
        if (local) return { kind: 'name', from, to, name, assigned: local };
        const moduleNode = this.moduleAssignments.get(name);
        if (moduleNode && !this.imports.has(name)) {
          let assigned = this.moduleCache.get(name);
          if (!assigned) {
            // Guard against `x = x.y` style self references while reading.
            this.moduleCache.set(name, { kind: 'other', from, to, nodeName: 'Recursive' });
            assigned = this.read(moduleNode, undefined, depth + 1);
            this.moduleCache.set(name, assigned);
          }
          return { kind: 'name', from, to, name, assigned };
        }
        return { kind: 'name', from, to, name, qualifiedName: this.imports.get(name) };
      }
      case 'MemberExpression': {
        const object = node.firstChild;
        const property = node.lastChild;
        if (!object || !property || object === property || property.name !== 'PropertyName') return { kind: 'other', from, to, nodeName: node.name };
        return { kind: 'attribute', from, to, object: this.read(object, locals, depth + 1), attribute: nodeText(this.source, property) };
      }
      case 'CallExpression': {
        const callee = node.firstChild;
        const lastChild = node.lastChild;
        const argList = lastChild?.name === 'ArgList' ? lastChild : null;
        if (!callee || !argList) return { kind: 'other', from, to, nodeName: node.name };
        const calleeExpression = this.read(callee, locals, depth + 1);
        const template = formatTemplate(calleeExpression);
        if (template !== undefined) return { kind: 'template', from, to, approximateText: template };
        return { kind: 'call', from, to, callee: calleeExpression, args: this.readArguments(argList, locals, depth + 1) };
      }
      case 'ArrayExpression':
      case 'TupleExpression': {
        const value = evaluateLiteral(this.source, node);
        if (value !== NOT_A_LITERAL) return { kind: 'literal', from, to, value };
        const items = namedChildren(node).filter((child) => child.name !== 'Comment');
        return { kind: 'sequence', from, to, items: items.map((child) => this.read(child, locals, depth + 1)) };
      }
      case 'ParenthesizedExpression': {
        const inner = namedChildren(node);
        if (inner.length === 1) return { ...this.read(inner[0], locals, depth + 1), from: node.from, to: node.to };
        break;
      }
      case 'FormatString':
        return { kind: 'template', from, to, approximateText: this.formatStringText(node) };
      case 'BinaryExpression': {
        // "UPDATE %s SET ..." % name: keep the template, interpolations become placeholders.
        const children = namedChildren(node);
        const operator = node.getChild('ArithOp');
        if (children.length >= 2 && operator && nodeText(this.source, operator) === '%') {
          const left = this.read(children[0], locals, depth + 1);
          const text = staticText(left);
          if (text !== undefined) return { kind: 'template', from, to, approximateText: text.replace(/%(\([^)]*\))?[sdr]/g, SQL_PLACEHOLDER) };
        }
        if (children.length >= 2 && operator && nodeText(this.source, operator) === '+') {
          const left = staticText(this.read(children[0], locals, depth + 1));
          const right = staticText(this.read(children[children.length - 1], locals, depth + 1));
          if (left !== undefined || right !== undefined) {
            return { kind: 'template', from, to, approximateText: (left ?? SQL_PLACEHOLDER) + (right ?? SQL_PLACEHOLDER) };
          }
        }
        break;
      }
      default: {
        const value = evaluateLiteral(this.source, node);
        if (value !== NOT_A_LITERAL) return { kind: 'literal', from, to, value };
      }
    }
    return { kind: 'other', from, to, nodeName: node.name };
  }

  private formatStringText(node: SyntaxNode): string {
    const raw = nodeText(this.source, node);
    const prefix = /^[A-Za-z]*/.exec(raw)?.[0] ?? '';
    const quote = /^('''|"""|'|")/.exec(raw.slice(prefix.length))?.[0] ?? '"';
    let text = '';
    let cursor = node.from + prefix.length + quote.length;
    const end = Math.max(cursor, node.to - quote.length);
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'FormatReplacement') continue;
      text += this.source.slice(cursor, child.from) + SQL_PLACEHOLDER;
      cursor = child.to;
    }
    text += this.source.slice(cursor, end);
    return text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  }

  readArguments(argList: SyntaxNode, locals: Map<string, PyExpression> | undefined, depth = 0): CallArguments {
    const result: CallArguments = { positional: [], keywords: [], hasStarArgs: false, hasStarKwargs: false, from: argList.from, to: argList.to };
    let pendingKeyword: SyntaxNode | undefined;
    let star: '*' | '**' | undefined;
    for (let child = argList.firstChild; child; child = child.nextSibling) {
      const name = child.name;
      if (name === '(' || name === ')' || name === ',' || name === 'Comment') continue;
      if (name === '*' || name === '**') {
        star = name;
        continue;
      }
      if (name === 'AssignOp') continue;
      if (name === 'VariableName' && child.nextSibling?.name === 'AssignOp') {
        pendingKeyword = child;
        continue;
      }
      if (star) {
        if (star === '*') result.hasStarArgs = true;
        else result.hasStarKwargs = true;
        star = undefined;
        continue;
      }
      const value = this.read(child, locals, depth);
      if (pendingKeyword) {
        result.keywords.push({ name: nodeText(this.source, pendingKeyword), value, from: pendingKeyword.from, to: child.to });
        pendingKeyword = undefined;
      } else result.positional.push(value);
    }
    return result;
  }
}

/** `"UPDATE {} ...".format(x)`: the template with each field as SQL_PLACEHOLDER. */
function formatTemplate(callee: PyExpression): string | undefined {
  if (callee.kind !== 'attribute' || callee.attribute !== 'format') return undefined;
  const text = staticText(callee.object);
  return text === undefined ? undefined : text.replace(/\{[^{}]*\}/g, SQL_PLACEHOLDER);
}

/** `sqlalchemy.Column` for `sa.Column`, `Column` (imported) or `sqlalchemy.Column`; the dotted text otherwise. */
export function qualifiedNameOf(expression: PyExpression): string | undefined {
  if (expression.kind === 'name') {
    if (expression.qualifiedName) return expression.qualifiedName;
    if (expression.assigned) return undefined;
    return expression.name;
  }
  if (expression.kind === 'attribute') {
    const owner = qualifiedNameOf(expression.object);
    return owner === undefined ? undefined : `${owner}.${expression.attribute}`;
  }
  return undefined;
}

/** The last dotted segment of a callee: `Column` for `sa.Column`, `create` for `x.y.create`. */
export function calleeLastSegment(call: CallExpressionModel): string | undefined {
  if (call.callee.kind === 'attribute') return call.callee.attribute;
  if (call.callee.kind === 'name') {
    const qualified = call.callee.qualifiedName ?? call.callee.name;
    return qualified.slice(qualified.lastIndexOf('.') + 1);
  }
  return undefined;
}

/** Follows `name = value` assignments to the value. */
export function dereference(expression: PyExpression | undefined): PyExpression | undefined {
  let current = expression;
  for (let hops = 0; current && current.kind === 'name' && current.assigned && hops < 20; hops++) current = current.assigned;
  return current;
}

export function isCall(expression: PyExpression | undefined): expression is CallExpressionModel {
  return expression?.kind === 'call';
}

/** A string value that is statically known (literal, or `op.f('name')`, or an assigned literal). */
export function staticString(expression: PyExpression | undefined): string | undefined {
  const value = dereference(expression);
  if (!value) return undefined;
  if (value.kind === 'literal' && typeof value.value === 'string') return value.value;
  if (value.kind === 'call' && calleeLastSegment(value) === 'f' && value.args.positional.length === 1) {
    const owner = value.callee.kind === 'attribute' ? qualifiedNameOf(value.callee.object) : undefined;
    if (owner === 'alembic.op') return staticString(value.args.positional[0]);
  }
  return undefined;
}

/** Literal text or template text (approximate) of a string-ish expression. */
export function staticText(expression: PyExpression | undefined): string | undefined {
  const value = dereference(expression);
  if (!value) return undefined;
  if (value.kind === 'literal' && typeof value.value === 'string') return value.value;
  if (value.kind === 'template') return value.approximateText;
  return undefined;
}

export function literalValue(expression: PyExpression | undefined): PythonLiteral | undefined {
  const value = dereference(expression);
  return value?.kind === 'literal' ? value.value : undefined;
}

/** A list of strings (`['a', 'b']`, `('a',)`), or undefined when not static. */
export function staticStringList(expression: PyExpression | undefined): string[] | undefined {
  const value = literalValue(expression);
  if (!Array.isArray(value)) return undefined;
  return value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

export function keywordArgument(call: CallExpressionModel, name: string): KeywordArgument | undefined {
  return call.args.keywords.find((keyword) => keyword.name === name);
}
