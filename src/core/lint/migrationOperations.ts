// Extracts every operation a migration performs from its upgrade()/downgrade() functions, with the
// source ranges that messages and fixes need. Reads what Alembic runs: `op.*` calls, `batch_op.*`
// inside `with op.batch_alter_table(...) as <alias>`, calls inside `autocommit_block()`, literal SQL
// given to `op.execute` / `conn.execute` (`conn = op.get_bind()`), `op.bulk_insert`, and Enum types
// created or dropped with `.create(bind)` / `.drop(bind)`. Tolerant of syntax errors: whatever
// @lezer/python could parse is read.
import { Tree, type SyntaxNode } from '@lezer/common';
import { LineIndex, namedChildren, nodeText } from '../python/pythonSource';
import { parseMigrationTree } from './fastMigrationParser';
import { isEnumTypeCall, readColumnType, type ColumnType } from './columnTypes';
import {
  calleeLastSegment,
  collectImports,
  dereference,
  ExpressionReader,
  isCall,
  keywordArgument,
  literalValue,
  qualifiedNameOf,
  staticString,
  staticText,
  type CallExpressionModel,
  type ImportBindings,
  type PyExpression,
} from './pythonExpressions';
import { classifySql, type SqlStatement, type SqlStatementKind } from './sqlStatements';
import type { FindingTable } from './findings';

export type MigrationFunctionKind = 'upgrade' | 'downgrade';

/** Where a statement sits, for fixes that wrap, replace or insert statements. */
export interface StatementSite {
  from: number;
  to: number;
  /** Offset of the start of the statement's first line. */
  lineStart: number;
  /** The whitespace before the statement on its line; undefined when other code precedes it there. */
  indent: string | undefined;
}

export interface MigrationFunction {
  kind: MigrationFunctionKind;
  name: string;
  /** The `def` statement. */
  from: number;
  to: number;
  nameFrom: number;
  nameTo: number;
  /** The return annotation as written (`-> None`), if any. */
  returnAnnotation?: string;
  /** Statements of the body (comments excluded), in order. */
  statements: StatementSite[];
  /** Indentation of the body's statements (from its first statement). */
  bodyIndent: string | undefined;
  /** Only `pass`, `...`, docstrings and comments. */
  isEmpty: boolean;
  /** The body raises (an explicitly irreversible migration, e.g. `raise NotImplementedError`). */
  raises: boolean;
  /** The `pass` / `...` statements of an empty body. */
  placeholderStatements: StatementSite[];
}

export interface BatchContext {
  /** The `as` name (`batch_op`). */
  alias: string;
  tableName?: string;
  tableExpression?: PyExpression;
  /** `schema=` of batch_alter_table, when it is a literal string. */
  schema?: string;
  /** The `with` statement. */
  statement: StatementSite;
  /** `recreate="always"` etc. */
  recreate?: string;
}

export interface SqlText {
  /** The SQL (approximate when built from a template). */
  text: string;
  /** False for f-strings and `%`/`.format` templates, whose interpolations became placeholders. */
  exact: boolean;
  statements: SqlStatement[];
}

export type OperationReceiver =
  /** `op.<name>(...)`. */
  | 'op'
  /** `<batch alias>.<name>(...)` inside `with op.batch_alter_table(...)`. */
  | 'batch'
  /** `conn.execute(...)` on `op.get_bind()`. */
  | 'connection'
  /** `<Enum>.create(bind)` / `.drop(bind)`: name is `create_type` / `drop_type`. */
  | 'type'
  /** An ORM session on the migration's connection (`Session(bind=op.get_bind())`): `orm_write` (add, delete, merge...) or `execute`. */
  | 'session';

export interface MigrationOperation {
  /** Alembic's operation name (`add_column`), or `create_type` / `drop_type` for Enum lifecycle calls. */
  name: string;
  receiver: OperationReceiver;
  functionKind: MigrationFunctionKind;
  /** The call, its callee (`op.add_column`) and arguments. */
  call: CallExpressionModel;
  calleeFrom: number;
  calleeTo: number;
  statement: StatementSite;
  /** Whether the call is the whole statement (so it can be wrapped or replaced). */
  isWholeStatement: boolean;
  batch?: BatchContext;
  inAutocommitBlock: boolean;
  /** Literal SQL of execute calls. */
  sql?: SqlText;
  /** For `execute` of a SQLAlchemy Core construct (`table.update().where(...)`). */
  coreStatement?: { kind: SqlStatementKind; table?: string; hasWhere: boolean };
  /** For create_type / drop_type. */
  enumType?: ColumnType;
  /** Position among all operations of the file. */
  index: number;
  /** bindArguments' result, computed on first use. */
  boundArguments?: ReadonlyMap<string, BoundArgument>;
}

export interface MigrationFile {
  source: string;
  lineIndex: LineIndex;
  tree: Tree;
  imports: ImportBindings;
  /** The name the file uses for `alembic.op` (`op` unless aliased). */
  opAlias: string;
  functions: MigrationFunction[];
  upgrade?: MigrationFunction;
  downgrade?: MigrationFunction;
  operations: MigrationOperation[];
}

/** Positional parameter names of Alembic's operations, for binding positional and keyword arguments. */
const OP_SIGNATURES: Record<string, string[]> = {
  add_column: ['table_name', 'column', 'schema'],
  alter_column: [
    'table_name',
    'column_name',
    'nullable',
    'comment',
    'server_default',
    'new_column_name',
    'type_',
    'existing_type',
    'existing_server_default',
    'existing_nullable',
    'existing_comment',
    'schema',
  ],
  bulk_insert: ['table', 'rows', 'multiinsert'],
  create_check_constraint: ['constraint_name', 'table_name', 'condition', 'schema'],
  create_exclude_constraint: ['constraint_name', 'table_name'],
  create_foreign_key: [
    'constraint_name',
    'source_table',
    'referent_table',
    'local_cols',
    'remote_cols',
    'onupdate',
    'ondelete',
    'deferrable',
    'initially',
    'match',
    'source_schema',
    'referent_schema',
  ],
  create_index: ['index_name', 'table_name', 'columns', 'schema', 'unique'],
  create_primary_key: ['constraint_name', 'table_name', 'columns', 'schema'],
  create_table: ['table_name'],
  create_table_comment: ['table_name', 'comment', 'existing_comment', 'schema'],
  create_unique_constraint: ['constraint_name', 'table_name', 'columns', 'schema'],
  drop_column: ['table_name', 'column_name', 'schema'],
  drop_constraint: ['constraint_name', 'table_name', 'type_', 'schema'],
  drop_index: ['index_name', 'table_name', 'schema'],
  drop_table: ['table_name', 'schema'],
  drop_table_comment: ['table_name', 'existing_comment', 'schema'],
  execute: ['sqltext', 'execution_options'],
  rename_table: ['old_table_name', 'new_table_name', 'schema'],
};

/** The same operations on a batch: the table comes from `batch_alter_table`. */
const BATCH_SIGNATURES: Record<string, string[]> = {
  add_column: ['column', 'insert_before', 'insert_after'],
  alter_column: [
    'column_name',
    'nullable',
    'comment',
    'server_default',
    'new_column_name',
    'type_',
    'existing_type',
    'existing_server_default',
    'existing_nullable',
    'existing_comment',
    'insert_before',
    'insert_after',
  ],
  create_check_constraint: ['constraint_name', 'condition'],
  create_foreign_key: ['constraint_name', 'referent_table', 'local_cols', 'remote_cols', 'referent_schema', 'onupdate', 'ondelete', 'deferrable', 'initially', 'match'],
  create_index: ['index_name', 'columns'],
  create_primary_key: ['constraint_name', 'columns'],
  create_unique_constraint: ['constraint_name', 'columns'],
  create_table_comment: ['comment', 'existing_comment'],
  drop_column: ['column_name'],
  drop_constraint: ['constraint_name', 'type_'],
  drop_index: ['index_name'],
  drop_table_comment: ['existing_comment'],
  execute: ['sqltext', 'execution_options'],
  bulk_insert: ['table', 'rows', 'multiinsert'],
};

/** `op.*` attributes that are helpers, not operations. */
const OP_HELPERS: ReadonlySet<string> = new Set([
  'f',
  'get_bind',
  'get_context',
  'inline_literal',
  'batch_alter_table',
  'implementation_for',
  'register_operation',
]);

export interface BoundArgument {
  /** Parameter name. */
  name: string;
  value: PyExpression;
  /** Positional index, or undefined when passed by keyword. */
  position?: number;
  /** Keyword argument span (name through value) when passed by keyword. */
  keywordFrom?: number;
  keywordTo?: number;
}


/** Binds an operation's arguments to Alembic's parameter names (positional or keyword). Cached: rules ask often. */
export function bindArguments(operation: MigrationOperation): ReadonlyMap<string, BoundArgument> {
  if (operation.boundArguments) return operation.boundArguments;
  const signature = (operation.receiver === 'batch' ? BATCH_SIGNATURES : OP_SIGNATURES)[operation.name] ?? [];
  const bound = new Map<string, BoundArgument>();
  operation.call.args.positional.forEach((value, position) => {
    const name = signature[position] ?? `*${position}`;
    bound.set(name, { name, value, position });
  });
  for (const keyword of operation.call.args.keywords) {
    bound.set(keyword.name, { name: keyword.name, value: keyword.value, keywordFrom: keyword.from, keywordTo: keyword.to });
  }
  operation.boundArguments = bound;
  return bound;
}

export function argument(operation: MigrationOperation, name: string): PyExpression | undefined {
  return bindArguments(operation).get(name)?.value;
}

/** The table an operation acts on (for foreign keys: the source table). */
export function operationTable(operation: MigrationOperation): string | undefined {
  if (operation.receiver === 'batch') {
    if (operation.name === 'execute' || operation.name === 'bulk_insert') return undefined;
    return operation.batch?.tableName;
  }
  if (operation.receiver === 'type') return undefined;
  const args = bindArguments(operation);
  switch (operation.name) {
    case 'create_foreign_key':
      return staticString(args.get('source_table')?.value);
    case 'rename_table':
      return staticString(args.get('old_table_name')?.value);
    case 'bulk_insert':
      return tableOfTableExpression(args.get('table')?.value);
    default:
      return staticString(args.get('table_name')?.value);
  }
}

/** The operation's table with its schema (`schema=`, `source_schema=` for foreign keys), when both are literal. */
export function operationTableReference(operation: MigrationOperation): FindingTable | undefined {
  const name = operationTable(operation);
  if (name === undefined) return undefined;
  if (operation.receiver === 'batch') return operation.batch?.schema ? { name, schema: operation.batch.schema } : { name };
  const schemaParameter = operation.name === 'create_foreign_key' ? 'source_schema' : 'schema';
  const schema = staticString(bindArguments(operation).get(schemaParameter)?.value);
  return schema ? { name, schema } : { name };
}

/** `table('users', ...)`, `sa.table(...)`, `sa.Table('users', ...)`, `op.create_table('users', ...)`. */
export function tableOfTableExpression(expression: PyExpression | undefined): string | undefined {
  const value = dereference(expression);
  if (!isCall(value)) return undefined;
  const segment = calleeLastSegment(value);
  if (segment === 'table' || segment === 'Table' || segment === 'create_table') return staticString(value.args.positional[0]);
  return undefined;
}

export interface ColumnDefinition {
  name?: string;
  type?: ColumnType;
  typeExpression?: PyExpression;
  /** Column's nullability as SQLAlchemy decides it: nullable=..., else not null for primary keys. */
  nullable: boolean;
  /** Explicitly given nullable (undefined when SQLAlchemy's default applies). */
  nullableGiven?: boolean;
  primaryKey: boolean;
  serverDefault?: PyExpression;
  /** Python-side `default=`: does nothing for existing rows. */
  hasPythonDefault: boolean;
  expression: CallExpressionModel;
}


/** Reads `sa.Column('name', Type, ..., nullable=..., server_default=...)`. Cached: several rules read each column. */
export function readColumnDefinition(expression: PyExpression | undefined): ColumnDefinition | undefined {
  const value = dereference(expression);
  if (!value) return undefined;
  const derived = (value.derived ??= {});
  if (derived.column !== undefined) return (derived.column as ColumnDefinition | null) ?? undefined;
  const column = readColumnDefinitionUncached(value);
  derived.column = column ?? null;
  return column;
}

function readColumnDefinitionUncached(value: PyExpression): ColumnDefinition | undefined {
  if (!isCall(value) || calleeLastSegment(value) !== 'Column') return undefined;
  const positional = value.args.positional;
  const name = staticString(positional[0]);
  const typeArgument = keywordArgument(value, 'type_')?.value ?? (name !== undefined ? positional[1] : positional[0]);
  const type = readColumnType(typeArgument);
  const primaryKey = literalValue(keywordArgument(value, 'primary_key')?.value) === true;
  const nullableValue = literalValue(keywordArgument(value, 'nullable')?.value);
  const nullableGiven = typeof nullableValue === 'boolean' ? nullableValue : undefined;
  const serverDefault = keywordArgument(value, 'server_default')?.value;
  const serverDefaultIsNone = serverDefault !== undefined && literalValue(serverDefault) === null;
  return {
    name,
    type,
    typeExpression: type ? typeArgument : undefined,
    nullable: nullableGiven ?? !primaryKey,
    nullableGiven,
    primaryKey,
    serverDefault: serverDefaultIsNone ? undefined : serverDefault,
    hasPythonDefault: keywordArgument(value, 'default') !== undefined,
    expression: value,
  };
}

/** Columns of `op.create_table(name, Column(...), ...)`. */
export function createTableColumns(operation: MigrationOperation): ColumnDefinition[] {
  return operation.call.args.positional
    .slice(1)
    .map((item) => readColumnDefinition(item))
    .filter((column): column is ColumnDefinition => column !== undefined);
}

interface WalkContext {
  functionKind: MigrationFunctionKind;
  batches: Map<string, BatchContext>;
  inAutocommitBlock: boolean;
  locals: Map<string, PyExpression>;
}

class MigrationReader {
  readonly operations: MigrationOperation[] = [];
  readonly expressions: ExpressionReader;
  readonly lineIndex: LineIndex;
  /** Module-level functions (helpers upgrade() may call), by name. */
  private readonly moduleFunctions = new Map<string, SyntaxNode>();
  /** Helpers being walked (a helper calling itself is read once). */
  private readonly helperStack = new Set<string>();

  constructor(
    readonly source: string,
    readonly tree: Tree,
    readonly imports: ImportBindings,
  ) {
    this.lineIndex = new LineIndex(source);
    this.expressions = new ExpressionReader(source, imports, this.moduleAssignments());
    for (let child = tree.topNode.firstChild; child; child = child.nextSibling) {
      const definition = child.name === 'DecoratedStatement' ? child.getChild('FunctionDefinition') : child;
      const nameNode = definition?.name === 'FunctionDefinition' ? definition.getChild('VariableName') : null;
      if (definition && nameNode && !MIGRATION_FUNCTION.test(nodeText(source, nameNode))) this.moduleFunctions.set(nodeText(source, nameNode), definition);
    }
  }

  /**
   * A call to a function of the same module (`_backfill(conn)` from upgrade()): its operations run
   * as part of the caller, so its body is read with the caller's function kind.
   */
  private walkHelperCall(callNode: SyntaxNode, context: WalkContext): void {
    const callee = callNode.firstChild;
    if (callee?.name !== 'VariableName') return;
    const name = nodeText(this.source, callee);
    const definition = this.moduleFunctions.get(name);
    const body = definition?.getChild('Body');
    if (!body || this.helperStack.has(name) || this.helperStack.size >= 8) return;
    // Parameters bound to the call's arguments, so `_rename('users', 'tenant_id')` names its table.
    const locals = new Map<string, PyExpression>();
    const argList = callNode.lastChild?.name === 'ArgList' ? callNode.lastChild : null;
    const params = definition?.getChild('ParamList');
    if (argList && params) {
      const args = this.expressions.readArguments(argList, context.locals);
      const names = namedChildren(params).filter((child) => child.name === 'VariableName').map((child) => nodeText(this.source, child));
      names.forEach((param, position) => {
        const value = args.keywords.find((keyword) => keyword.name === param)?.value ?? args.positional[position];
        if (value) locals.set(param, value);
      });
    }
    this.helperStack.add(name);
    this.walkBody(body, { ...context, batches: new Map(context.batches), locals });
    this.helperStack.delete(name);
  }

  /** `Session(bind=op.get_bind())`, `orm.Session(bind)`, `sessionmaker(bind=...)()` and names assigned from them. */
  private isSession(expression: PyExpression | undefined): boolean {
    let value = dereference(expression);
    if (!isCall(value)) return false;
    // sessionmaker(bind=...)(): the factory's call holds the bind.
    if (value.callee.kind === 'call') value = value.callee;
    if (!isCall(value)) return false;
    const segment = calleeLastSegment(value);
    if (segment !== 'Session' && segment !== 'sessionmaker') return false;
    return this.isBind(keywordArgument(value, 'bind')?.value ?? value.args.positional[0]);
  }

  private moduleAssignments(): Map<string, SyntaxNode> {
    const assignments = new Map<string, SyntaxNode>();
    for (let child = this.tree.topNode.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'AssignStatement') continue;
      const target = child.firstChild;
      const value = child.lastChild;
      if (target?.name === 'VariableName' && value && value !== target && target.nextSibling?.name === 'AssignOp') {
        assignments.set(nodeText(this.source, target), value);
      }
    }
    return assignments;
  }

  statementSite(node: SyntaxNode): StatementSite {
    const lineStart = this.lineIndex.lineStart(this.lineIndex.position(node.from).line);
    const before = this.source.slice(lineStart, node.from);
    return { from: node.from, to: node.to, lineStart, indent: /^[ \t]*$/.test(before) ? before : undefined };
  }

  readFunction(node: SyntaxNode, kind: MigrationFunctionKind): MigrationFunction {
    const nameNode = node.getChild('VariableName');
    const body = node.getChild('Body');
    const typeDef = node.getChild('TypeDef');
    const statements: StatementSite[] = [];
    const placeholders: StatementSite[] = [];
    let isEmpty = true;
    let raises = false;
    if (body) {
      for (const child of namedChildren(body)) {
        if (child.name === 'Comment') continue;
        const site = this.statementSite(child);
        statements.push(site);
        if (child.name === 'PassStatement') placeholders.push(site);
        else if (child.name === 'ExpressionStatement' && /^(String|ContinuedString|Ellipsis)$/.test(child.firstChild?.name ?? '')) {
          if (child.firstChild?.name === 'Ellipsis') placeholders.push(site);
        } else {
          isEmpty = false;
          if (child.name === 'RaiseStatement') raises = true;
        }
      }
    }
    const firstStatement = statements[0];
    return {
      kind,
      name: nameNode ? nodeText(this.source, nameNode) : kind,
      from: node.from,
      to: node.to,
      nameFrom: nameNode?.from ?? node.from,
      nameTo: nameNode?.to ?? node.from,
      returnAnnotation: typeDef ? nodeText(this.source, typeDef) : undefined,
      statements,
      bodyIndent: firstStatement?.indent,
      isEmpty,
      raises,
      placeholderStatements: placeholders,
    };
  }

  walkBody(body: SyntaxNode, context: WalkContext): void {
    for (let child = body.firstChild; child; child = child.nextSibling) this.walkStatement(child, context);
  }

  walkStatement(node: SyntaxNode, context: WalkContext): void {
    switch (node.name) {
      case 'Comment':
      case ':':
        return;
      case 'WithStatement':
        this.walkWith(node, context);
        return;
      case 'FunctionDefinition':
      case 'ClassDefinition':
      case 'DecoratedStatement':
        // Nested helpers run only if called; they are not read as part of the migration.
        return;
      case 'AssignStatement':
        this.readCalls(node, node, context);
        this.recordAssignment(node, context);
        return;
      default:
        break;
    }
    let hasBody = false;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'Body') {
        hasBody = true;
        this.walkBody(child, context);
      }
    }
    if (!hasBody) this.readCalls(node, node, context);
    else {
      // Conditions of if/while/for headers can hold calls too.
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.name !== 'Body') this.readCalls(child, node, context);
      }
    }
  }

  private recordAssignment(node: SyntaxNode, context: WalkContext): void {
    const target = node.firstChild;
    const value = node.lastChild;
    if (target?.name !== 'VariableName' || !value || value === target) return;
    if (target.nextSibling?.name !== 'AssignOp' && target.nextSibling?.name !== 'TypeDef') return;
    context.locals.set(nodeText(this.source, target), this.expressions.read(value, context.locals));
  }

  private walkWith(node: SyntaxNode, context: WalkContext): void {
    const batches = new Map(context.batches);
    let inAutocommitBlock = context.inAutocommitBlock;
    const children: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
    for (let index = 0; index < children.length; index++) {
      const child = children[index];
      if (child.name === 'with' || child.name === 'as' || child.name === ',' || child.name === 'Body') continue;
      if (child.name === 'VariableName' && children[index - 1]?.name === 'as') continue;
      const expression = this.expressions.read(child, context.locals);
      const alias = children[index + 1]?.name === 'as' && children[index + 2]?.name === 'VariableName' ? nodeText(this.source, children[index + 2]) : undefined;
      if (isCall(expression) && this.isOpCall(expression, 'batch_alter_table')) {
        if (alias) {
          const tableExpression = keywordArgument(expression, 'table_name')?.value ?? expression.args.positional[0];
          const recreate = literalValue(keywordArgument(expression, 'recreate')?.value);
          batches.set(alias, {
            alias,
            tableName: staticString(tableExpression),
            tableExpression,
            schema: staticString(keywordArgument(expression, 'schema')?.value ?? expression.args.positional[1]),
            statement: this.statementSite(node),
            recreate: typeof recreate === 'string' ? recreate : undefined,
          });
        }
      } else if (isCall(expression) && calleeLastSegment(expression) === 'autocommit_block') {
        inAutocommitBlock = true;
      } else {
        this.readCalls(child, node, context);
      }
    }
    const body = node.getChild('Body');
    if (body) this.walkBody(body, { ...context, batches, inAutocommitBlock });
  }

  isOpReceiver(expression: PyExpression): boolean {
    return qualifiedNameOf(expression) === 'alembic.op';
  }

  isOpCall(call: CallExpressionModel, method: string): boolean {
    return call.callee.kind === 'attribute' && call.callee.attribute === method && this.isOpReceiver(call.callee.object);
  }

  /** `op.get_bind()`, a name assigned from it, or `op.get_context().bind` / `.connection`. */
  isBind(expression: PyExpression | undefined): boolean {
    const value = dereference(expression);
    if (!value) return false;
    if (isCall(value)) return this.isOpCall(value, 'get_bind');
    if (value.kind === 'attribute' && (value.attribute === 'bind' || value.attribute === 'connection')) {
      const owner = dereference(value.object);
      return isCall(owner) && this.isOpCall(owner, 'get_context');
    }
    return false;
  }

  /** Finds operation calls in a simple statement (not descending into operations' own arguments). */
  private readCalls(node: SyntaxNode, statementNode: SyntaxNode, context: WalkContext): void {
    const cursor = node.cursor();
    const visit = (): void => {
      do {
        if (cursor.name === 'CallExpression') {
          const callNode = cursor.node;
          if (this.readOperation(callNode, statementNode, context)) continue;
          this.walkHelperCall(callNode, context);
        }
        if (cursor.name === 'Lambda' || cursor.name === 'FunctionDefinition') continue;
        if (cursor.firstChild()) {
          visit();
          cursor.parent();
        }
      } while (cursor.nextSibling());
    };
    if (node.firstChild) {
      if (node.name === 'CallExpression') {
        if (this.readOperation(node, statementNode, context)) return;
        this.walkHelperCall(node, context);
      }
      cursor.firstChild();
      visit();
    } else if (node.name === 'CallExpression') this.readOperation(node, statementNode, context);
  }

  /** Records the call when it is an operation; returns whether it was. */
  private readOperation(callNode: SyntaxNode, statementNode: SyntaxNode, context: WalkContext): boolean {
    const calleeNode = callNode.firstChild;
    const lastChild = callNode.lastChild;
    const argList = lastChild?.name === 'ArgList' ? lastChild : null;
    if (!calleeNode || calleeNode.name !== 'MemberExpression' || !argList) return false;
    // The callee alone decides whether this is an operation; arguments are read only for those.
    const callee = this.expressions.read(calleeNode, context.locals);
    if (callee.kind !== 'attribute') return false;
    const method = callee.attribute;
    const receiverExpression = callee.object;
    const readCall = (): CallExpressionModel => ({
      kind: 'call',
      from: callNode.from,
      to: callNode.to,
      callee,
      args: this.expressions.readArguments(argList, context.locals),
    });
    let receiver: OperationReceiver | undefined;
    let name = method;
    let batch: BatchContext | undefined;
    let enumType: ColumnType | undefined;
    let call: CallExpressionModel;
    if (this.isOpReceiver(receiverExpression)) {
      if (OP_HELPERS.has(method)) return false;
      receiver = 'op';
      call = readCall();
    } else if (receiverExpression.kind === 'name' && context.batches.has(receiverExpression.name)) {
      receiver = 'batch';
      batch = context.batches.get(receiverExpression.name);
      call = readCall();
    } else if ((method === 'execute' || method === 'exec_driver_sql') && this.isBind(receiverExpression)) {
      receiver = 'connection';
      name = 'execute';
      call = readCall();
    } else if (ORM_WRITES.has(method) && this.isSession(receiverExpression)) {
      receiver = 'session';
      name = method === 'execute' ? 'execute' : 'orm_write';
      call = readCall();
    } else if ((method === 'create' || method === 'drop') && isEnumTypeCall(receiverExpression)) {
      call = readCall();
      const bindArgument = keywordArgument(call, 'bind')?.value ?? call.args.positional[0];
      if (!this.isBind(bindArgument)) return false;
      receiver = 'type';
      name = method === 'create' ? 'create_type' : 'drop_type';
      enumType = readColumnType(receiverExpression);
    } else return false;

    const operation: MigrationOperation = {
      name,
      receiver,
      functionKind: context.functionKind,
      call,
      calleeFrom: calleeNode.from,
      calleeTo: calleeNode.to,
      statement: this.statementSite(statementNode),
      isWholeStatement: statementNode.name === 'ExpressionStatement' && statementNode.firstChild?.from === callNode.from && statementNode.firstChild.to === callNode.to,
      batch,
      inAutocommitBlock: context.inAutocommitBlock,
      enumType,
      index: this.operations.length,
    };
    if (name === 'execute') this.readExecuteArgument(operation);
    this.operations.push(operation);
    return true;
  }

  private readExecuteArgument(operation: MigrationOperation): void {
    const sqlArgument = keywordArgument(operation.call, 'sqltext')?.value ?? keywordArgument(operation.call, 'statement')?.value ?? operation.call.args.positional[0];
    const sql = sqlTextOf(sqlArgument);
    if (sql) {
      operation.sql = sql;
      return;
    }
    operation.coreStatement = coreStatementOf(sqlArgument);
  }
}

/** Session methods that write rows (commit/flush only send what these queued). */
const ORM_WRITES: ReadonlySet<string> = new Set(['add', 'add_all', 'delete', 'merge', 'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings', 'execute']);

const SQL_WRAPPERS: ReadonlySet<string> = new Set(['bindparams', 'execution_options', 'columns']);

/** Literal SQL of `"..."`, `sa.text("...")`, `text(...).bindparams(...)`, `DDL("...")`, templates. */
export function sqlTextOf(expression: PyExpression | undefined): SqlText | undefined {
  let value = dereference(expression);
  for (let hops = 0; value && hops < 10; hops++) {
    if (value.kind === 'literal' && typeof value.value === 'string') {
      return { text: value.value, exact: true, statements: classifySql(value.value) };
    }
    if (value.kind === 'template') return { text: value.approximateText, exact: false, statements: classifySql(value.approximateText) };
    if (value.kind !== 'call') return undefined;
    const segment = calleeLastSegment(value);
    if (value.callee.kind === 'attribute' && segment && SQL_WRAPPERS.has(segment)) {
      value = dereference(value.callee.object);
      continue;
    }
    if (segment === 'text' || segment === 'DDL' || segment === 'literal_column') {
      const inner = value.args.positional[0] ?? keywordArgument(value, 'text')?.value ?? keywordArgument(value, 'statement')?.value;
      const text = staticText(inner);
      if (text === undefined) return undefined;
      const exact = dereference(inner)?.kind === 'literal';
      return { text, exact, statements: classifySql(text) };
    }
    return undefined;
  }
  return undefined;
}

/** `table.update().where(...)`, `sa.delete(table)`, `table.insert().values(...)`. */
function coreStatementOf(expression: PyExpression | undefined): MigrationOperation['coreStatement'] {
  let value = dereference(expression);
  let hasWhere = false;
  for (let hops = 0; isCall(value) && hops < 30; hops++) {
    const segment = calleeLastSegment(value);
    if (segment === 'where' || segment === 'filter' || segment === 'filter_by') hasWhere = true;
    if (segment === 'update' || segment === 'delete' || segment === 'insert') {
      const kind = segment as SqlStatementKind;
      if (value.callee.kind === 'attribute' && value.args.positional.length === 0) {
        const owner = dereference(value.callee.object);
        // `table.update()` (table expression receiver) vs `sa.update(table)` (module function).
        if (owner && owner.kind !== 'attribute' && !(owner.kind === 'name' && owner.qualifiedName)) {
          return { kind, table: tableOfTableExpression(owner), hasWhere };
        }
      }
      const target = value.args.positional[0] ?? keywordArgument(value, 'table')?.value;
      if (target) return { kind, table: tableOfTableExpression(target), hasWhere };
    }
    value = value.callee.kind === 'attribute' ? dereference(value.callee.object) : undefined;
  }
  return undefined;
}

const MIGRATION_FUNCTION = /^(upgrade|downgrade)(_\w+)?$/;

/**
 * Reads a migration file: its upgrade/downgrade functions and every operation they perform. Pass
 * `tree` when the caller already parsed this exact source (e.g. the editor's incremental parse).
 */
export function extractMigration(source: string, tree: Tree = parseMigrationTree(source)): MigrationFile {
  const imports = collectImports(source, tree.topNode);
  const reader = new MigrationReader(source, tree, imports);
  const functions: MigrationFunction[] = [];
  for (let child = tree.topNode.firstChild; child; child = child.nextSibling) {
    let definition: SyntaxNode | null = child;
    if (child.name === 'DecoratedStatement') definition = child.getChild('FunctionDefinition');
    if (!definition || definition.name !== 'FunctionDefinition') continue;
    const nameNode = definition.getChild('VariableName');
    const match = nameNode ? MIGRATION_FUNCTION.exec(nodeText(source, nameNode)) : null;
    if (!match) continue;
    const kind = match[1] as MigrationFunctionKind;
    functions.push(reader.readFunction(definition, kind));
    const body = definition.getChild('Body');
    if (body) reader.walkBody(body, { functionKind: kind, batches: new Map(), inAutocommitBlock: false, locals: new Map() });
  }
  let opAlias = 'op';
  for (const [local, target] of imports) {
    if (target === 'alembic.op') {
      opAlias = local;
      if (local !== 'op') break;
    }
  }
  return {
    source,
    lineIndex: reader.lineIndex,
    tree,
    imports,
    opAlias,
    functions,
    upgrade: functions.find((fn) => fn.kind === 'upgrade' && fn.name === 'upgrade') ?? functions.find((fn) => fn.kind === 'upgrade'),
    downgrade: functions.find((fn) => fn.kind === 'downgrade' && fn.name === 'downgrade') ?? functions.find((fn) => fn.kind === 'downgrade'),
    operations: reader.operations,
  };
}

/** A migration with nothing read from it (for a file too deeply nested to parse). */
export function emptyMigration(source: string, lineIndex = new LineIndex(source)): MigrationFile {
  return { source, lineIndex, tree: Tree.empty, imports: new Map(), opAlias: 'op', functions: [], operations: [] };
}
