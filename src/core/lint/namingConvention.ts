// A project's SQLAlchemy naming convention (`MetaData(naming_convention={...})`), read statically
// from Python source, and constraint names rendered from it exactly as SQLAlchemy renders them
// (tokens, multi-column forms, long names cut with an md5 suffix). The unnamed-constraint fix uses
// it so a name it writes is the name autogenerate would have written.
import { createHash } from 'node:crypto';
import type { SyntaxNode, Tree } from '@lezer/common';
import { evaluateLiteral, namedChildren, nodeText, parsePython, PythonNestingError } from '../python/pythonSource';
import type { Dialect } from './lintContext';

export type ConventionKey = 'ix' | 'uq' | 'ck' | 'fk' | 'pk';

export interface NamingConvention {
  /** Pattern per constraint kind, as written (`fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s`). */
  patterns: Partial<Record<ConventionKey, string>>;
  /** The file that defines it and the zero-based line, for messages ("from app/db/base.py"). */
  file: string;
  line: number;
}

/** SQLAlchemy maps constraint classes to these keys (`sqlalchemy.sql.naming._prefix_dict`). */
const CLASS_KEYS: Record<string, ConventionKey> = {
  Index: 'ix',
  PrimaryKeyConstraint: 'pk',
  CheckConstraint: 'ck',
  UniqueConstraint: 'uq',
  ForeignKeyConstraint: 'fk',
};
const KEYS = new Set<string>(['ix', 'uq', 'ck', 'fk', 'pk']);

/** A module another file imports, as written: `app.db.base` (level 0) or `.conventions` (level 1). */
export interface ModuleReference {
  module: string;
  /** Leading dots of a relative import. */
  level: number;
}

/** What one Python file says about the naming convention. */
export interface NamingConventionScan {
  /** Found in this file (possibly through a name assigned in it). */
  convention?: NamingConvention;
  /** The convention is a name imported from another module: look there. */
  importedFrom?: { module: ModuleReference; name: string };
  /** Every module the file imports (to look further when nothing was found here). */
  imports: ModuleReference[];
}

interface ModuleScope {
  source: string;
  filePath: string;
  /** Module-level `NAME = <expression>` (the last one wins, as in Python). */
  assignments: Map<string, SyntaxNode>;
  /** Imported name -> where it comes from. */
  importedNames: Map<string, { module: ModuleReference; name?: string }>;
  imports: ModuleReference[];
}

type ConventionValue = { patterns: Partial<Record<ConventionKey, string>> } | { imported: { module: ModuleReference; name: string } } | undefined;

/** Reads one Python file: a `naming_convention=` given to a MetaData, or assigned to `<x>.naming_convention`. */
export function scanNamingConvention(source: string, filePath: string): NamingConventionScan {
  const tree = parseModule(source);
  if (!tree) return { imports: [] };
  const scope = readScope(source, filePath, tree);
  if (!source.includes('naming_convention')) return { imports: scope.imports };
  let found: NamingConventionScan | undefined;
  tree.iterate({
    enter: (ref) => {
      if (found) return false;
      const node = ref.node;
      let value: SyntaxNode | undefined;
      if (node.name === 'CallExpression' && calleeName(source, node.firstChild) === 'MetaData') value = keywordValue(source, node, 'naming_convention');
      else if (node.name === 'AssignStatement') {
        const target = node.firstChild;
        if (target?.name === 'MemberExpression' && target.lastChild && nodeText(source, target.lastChild) === 'naming_convention') value = target.nextSibling?.nextSibling ?? undefined;
      }
      if (!value) return undefined;
      const read = readConventionValue(scope, value, 0);
      if (!read) return undefined;
      const line = lineOf(source, node.from);
      found =
        'imported' in read
          ? { importedFrom: read.imported, imports: scope.imports }
          : { convention: { patterns: read.patterns, file: filePath, line }, imports: scope.imports };
      return false;
    },
  });
  return found ?? { imports: scope.imports };
}

/** Reads a module-level name that holds a convention dict (the target of a `from x import NAME`). */
export function readNamedConvention(source: string, filePath: string, name: string): NamingConventionScan {
  const tree = parseModule(source);
  if (!tree) return { imports: [] };
  const scope = readScope(source, filePath, tree);
  const node = scope.assignments.get(name);
  if (node) {
    const read = readConventionValue(scope, node, 0);
    if (read && 'patterns' in read) return { convention: { patterns: read.patterns, file: filePath, line: lineOf(source, node.from) }, imports: scope.imports };
    if (read && 'imported' in read) return { importedFrom: read.imported, imports: scope.imports };
  }
  const imported = scope.importedNames.get(name);
  if (imported?.name) return { importedFrom: { module: imported.module, name: imported.name }, imports: scope.imports };
  return { imports: scope.imports };
}

function lineOf(source: string, offset: number): number {
  let line = 0;
  for (let index = source.indexOf('\n'); index >= 0 && index < offset; index = source.indexOf('\n', index + 1)) line++;
  return line;
}

/** The file's tree; undefined when it nests too deeply to parse (it holds no convention we can read). */
function parseModule(source: string): Tree | undefined {
  try {
    return parsePython(source);
  } catch (error) {
    if (error instanceof PythonNestingError) return undefined;
    throw error;
  }
}

function readScope(source: string, filePath: string, tree: Tree): ModuleScope {
  const scope: ModuleScope = { source, filePath, assignments: new Map(), importedNames: new Map(), imports: [] };
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name === 'ImportStatement') readImport(source, statement, scope);
    else if (statement.name === 'AssignStatement') {
      const target = statement.firstChild;
      const value = statement.lastChild;
      if (target?.name === 'VariableName' && value && value !== target && (target.nextSibling?.name === 'AssignOp' || target.nextSibling?.name === 'TypeDef')) {
        scope.assignments.set(nodeText(source, target), value);
      }
    }
  }
  return scope;
}

function readImport(source: string, statement: SyntaxNode, scope: ModuleScope): void {
  const parts: SyntaxNode[] = [];
  for (let child = statement.firstChild; child; child = child.nextSibling) parts.push(child);
  if (parts[0]?.name === 'from') {
    let index = 1;
    let level = 0;
    let module = '';
    for (; index < parts.length && parts[index].name !== 'import'; index++) {
      const text = nodeText(source, parts[index]);
      if (parts[index].name === 'VariableName') module += text;
      else if (text === '.' && module === '') level++;
      else if (text === '...') level += module === '' ? 3 : 0;
      else if (text === '.') module += '.';
    }
    const reference = { module, level };
    scope.imports.push(reference);
    for (index++; index < parts.length; index++) {
      if (parts[index].name !== 'VariableName') continue;
      const name = nodeText(source, parts[index]);
      const alias = parts[index + 1]?.name === 'as' && parts[index + 2]?.name === 'VariableName' ? nodeText(source, parts[index + 2]) : undefined;
      if (alias) index += 2;
      scope.importedNames.set(alias ?? name, { module: reference, name });
      // `from app.db import conventions`: the name may itself be a module.
      scope.imports.push({ module: module ? `${module}.${name}` : name, level });
    }
    return;
  }
  // import a.b.c [as d], e
  const groups: SyntaxNode[][] = [[]];
  for (const part of parts.slice(1)) {
    if (nodeText(source, part) === ',') groups.push([]);
    else groups[groups.length - 1].push(part);
  }
  for (const group of groups) {
    const asIndex = group.findIndex((part) => part.name === 'as');
    const dotted = (asIndex >= 0 ? group.slice(0, asIndex) : group).map((part) => nodeText(source, part)).join('');
    if (!dotted) continue;
    scope.imports.push({ module: dotted, level: 0 });
    const alias = asIndex >= 0 && group[asIndex + 1] ? nodeText(source, group[asIndex + 1]) : undefined;
    if (alias) scope.importedNames.set(alias, { module: { module: dotted, level: 0 } });
    else scope.importedNames.set(dotted.split('.')[0], { module: { module: dotted.split('.')[0], level: 0 } });
  }
}

function calleeName(source: string, callee: SyntaxNode | null): string | undefined {
  if (!callee) return undefined;
  if (callee.name === 'VariableName') return nodeText(source, callee);
  if (callee.name === 'MemberExpression' && callee.lastChild) return nodeText(source, callee.lastChild);
  return undefined;
}

function keywordValue(source: string, call: SyntaxNode, keyword: string): SyntaxNode | undefined {
  const args = call.getChild('ArgList');
  for (let child = args?.firstChild; child; child = child.nextSibling) {
    if (child.name === 'VariableName' && child.nextSibling?.name === 'AssignOp' && nodeText(source, child) === keyword) return child.nextSibling.nextSibling ?? undefined;
  }
  return undefined;
}

function readConventionValue(scope: ModuleScope, node: SyntaxNode, depth: number): ConventionValue {
  if (depth > 8) return undefined;
  const { source } = scope;
  switch (node.name) {
    case 'DictionaryExpression': {
      const patterns: Partial<Record<ConventionKey, string>> = {};
      const children: SyntaxNode[] = [];
      for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
      for (let index = 0; index < children.length; index++) {
        const child = children[index];
        if (child.name === '**') {
          const spread = children[index + 1] ? readConventionValue(scope, children[index + 1], depth + 1) : undefined;
          if (spread && 'patterns' in spread) Object.assign(patterns, spread.patterns);
          index++;
          continue;
        }
        if (children[index + 1]?.name !== ':' || !children[index + 2]) continue;
        const key = conventionKey(source, child);
        const value = evaluateLiteral(source, children[index + 2]);
        if (key && typeof value === 'string') patterns[key] = value;
        index += 2;
      }
      return { patterns };
    }
    case 'CallExpression': {
      if (calleeName(source, node.firstChild) !== 'dict') return undefined;
      const patterns: Partial<Record<ConventionKey, string>> = {};
      const args = node.getChild('ArgList');
      for (let child = args?.firstChild; child; child = child.nextSibling) {
        if (child.name === 'VariableName' && child.nextSibling?.name === 'AssignOp' && child.nextSibling.nextSibling) {
          const key = nodeText(source, child);
          const value = evaluateLiteral(source, child.nextSibling.nextSibling);
          if (KEYS.has(key) && typeof value === 'string') patterns[key as ConventionKey] = value;
          child = child.nextSibling.nextSibling;
        } else if (child.name === 'DictionaryExpression' || child.name === 'VariableName') {
          const base = readConventionValue(scope, child, depth + 1);
          if (base && 'patterns' in base) Object.assign(patterns, base.patterns);
        }
      }
      return { patterns };
    }
    case 'VariableName': {
      const name = nodeText(source, node);
      const assigned = scope.assignments.get(name);
      if (assigned && assigned !== node) return readConventionValue(scope, assigned, depth + 1);
      const imported = scope.importedNames.get(name);
      if (imported?.name) return { imported: { module: imported.module, name: imported.name } };
      return undefined;
    }
    case 'MemberExpression': {
      // conventions.NAMING_CONVENTION where `conventions` is an imported module.
      const object = node.firstChild;
      const property = node.lastChild;
      if (object?.name !== 'VariableName' || !property) return undefined;
      const imported = scope.importedNames.get(nodeText(source, object));
      if (!imported) return undefined;
      const module = imported.name ? { module: imported.module.module ? `${imported.module.module}.${imported.name}` : imported.name, level: imported.module.level } : imported.module;
      return { imported: { module, name: nodeText(source, property) } };
    }
    case 'ParenthesizedExpression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? readConventionValue(scope, inner[0], depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

function conventionKey(source: string, node: SyntaxNode): ConventionKey | undefined {
  const literal = evaluateLiteral(source, node);
  if (typeof literal === 'string') return KEYS.has(literal) ? (literal as ConventionKey) : undefined;
  if (node.name === 'VariableName') return CLASS_KEYS[nodeText(source, node)];
  if (node.name === 'MemberExpression' && node.lastChild) return CLASS_KEYS[nodeText(source, node.lastChild)];
  return undefined;
}

/** What a convention's tokens are filled with. */
export interface ConstraintFacts {
  table: string;
  /** The constrained columns (a foreign key's local columns). */
  columns: string[];
  referredTable?: string;
  referredColumns?: string[];
}

const COLUMN_TOKEN = /^(referred_)?column_(\d+)(_?N)?_(name|key|label)$/;

/**
 * The name SQLAlchemy gives a constraint under `pattern`, or undefined when the pattern needs what
 * a static reader can't know (`%(constraint_name)s`, custom callables, a missing referred table).
 */
export function renderConventionName(pattern: string, facts: ConstraintFacts, dialect?: Dialect): string | undefined {
  let failed = false;
  const rendered = pattern.replace(/%%|%\(([^)]*)\)s/g, (whole, token: string | undefined) => {
    if (whole === '%%') return '%';
    const value = tokenValue(token ?? '', facts);
    if (value === undefined) failed = true;
    return value ?? '';
  });
  if (failed || rendered.includes('%(')) return undefined;
  return truncateLikeSqlalchemy(rendered, dialect);
}

function tokenValue(token: string, facts: ConstraintFacts): string | undefined {
  if (token === 'table_name') return facts.table;
  if (token === 'referred_table_name') return facts.referredTable;
  const match = COLUMN_TOKEN.exec(token);
  if (!match) return undefined;
  const [, referred, indexText, multiples, attribute] = match;
  if (referred && attribute !== 'name') return undefined;
  const columns = referred ? facts.referredColumns : facts.columns;
  if (!columns) return undefined;
  const render = (column: string) => (attribute === 'label' ? `${facts.table}_${column}` : column);
  if (multiples) return columns.map(render).join(multiples.startsWith('_') ? '_' : '');
  const column = columns[Number(indexText)];
  // SQLAlchemy renders a column index past the end as "".
  return column === undefined ? '' : render(column);
}

const MAX_IDENTIFIER: Partial<Record<Dialect, number>> = { postgresql: 63, mysql: 64, mssql: 128, oracle: 128 };

/** SQLAlchemy's `_truncate_and_render_maxlen_name` for convention names: cut, `_`, last 4 hex of md5. */
export function truncateLikeSqlalchemy(name: string, dialect: Dialect = 'postgresql'): string {
  const max = MAX_IDENTIFIER[dialect];
  if (max === undefined || name.length <= max) return name;
  const hash = createHash('md5').update(name, 'utf8').digest('hex');
  return `${name.slice(0, max - 8)}_${hash.slice(-4)}`;
}
