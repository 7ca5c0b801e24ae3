// What undoes an upgrade operation: used to check that a downgrade reverses its upgrade (AW303) and
// to write a downgrade for an empty or missing one (AW301/AW302 fixes). Inverses are built from the
// operation's own argument text (so `op.f('ix_x')`, aliases and quoting stay as the file wrote them).
import { readColumnType } from './columnTypes';
import type { MigrationAnalysis } from './migrationAnalysis';
import { sqlIdentifier } from './migrationAnalysis';
import { bindArguments, operationTable, readColumnDefinition, type MigrationOperation } from './migrationOperations';
import { literalValue, staticString, staticStringList, type PyExpression } from './pythonExpressions';
import type { SqlStatement } from './sqlStatements';

export interface InverseOperation {
  kind: 'inverse';
  /** What the upgrade does, for messages: "creates index ix_users_email on users". */
  effect: string;
  /** What undoes it: "op.drop_index('ix_users_email', table_name='users')". */
  undo: string;
  /** Python statements (no indentation) that undo it; run inside `batchHeader` when set. */
  lines: string[];
  /** `with op.batch_alter_table('t') as batch_op:` for operations that ran in a batch. */
  batchHeader?: string;
  /** Whether the downgrade (its effects) undoes it. */
  isUndoneBy(effects: DowngradeEffects): boolean;
}

export type Reversal =
  | InverseOperation
  /** Can't be undone mechanically (drops, data changes, unknown SQL): `reason` says why. */
  | { kind: 'irreversible'; reason: string }
  /** Needs no undoing (a SELECT, an empty statement). */
  | { kind: 'nothing' };

const CONSTRAINT_TYPES: Record<string, string> = {
  create_unique_constraint: 'unique',
  create_foreign_key: 'foreignkey',
  create_primary_key: 'primary',
  create_check_constraint: 'check',
  create_exclude_constraint: 'exclude',
};

const key = (...parts: Array<string | undefined>) => parts.map((part) => part?.toLowerCase() ?? '?').join('.');

/**
 * What a downgrade drops, renames or alters, as lower-cased keys: each upgrade step is then checked
 * with a lookup instead of a scan of the whole downgrade.
 */
export class DowngradeEffects {
  readonly tables = new Set<string>();
  /** `table.column` */
  readonly columns = new Set<string>();
  /** `table.column` of any alter_column (or raw ALTER ... COLUMN action). */
  readonly alteredColumns = new Set<string>();
  readonly indexes = new Set<string>();
  readonly constraints = new Set<string>();
  readonly types = new Set<string>();
  readonly views = new Set<string>();
  /** `old.new` */
  readonly tableRenames = new Set<string>();
  /** `table.old.new` */
  readonly columnRenames = new Set<string>();

  constructor(operations: readonly MigrationOperation[]) {
    for (const operation of operations) this.add(operation);
  }

  /** Adds what one more operation drops, renames or alters. */
  add(operation: MigrationOperation): void {
    const args = bindArguments(operation);
    const name = (parameter: string) => staticString(args.get(parameter)?.value);
    const table = operationTable(operation);
    switch (operation.name) {
      case 'drop_table':
        if (table) this.tables.add(key(table));
        break;
      case 'drop_column':
        this.columns.add(key(table, name('column_name')));
        break;
      case 'drop_index':
        if (name('index_name')) this.indexes.add(key(name('index_name')));
        break;
      case 'drop_constraint':
        if (name('constraint_name')) this.constraints.add(key(name('constraint_name')));
        break;
      case 'drop_type':
        if (operation.enumType?.enumName) this.types.add(key(operation.enumType.enumName));
        break;
      case 'rename_table':
        this.tableRenames.add(key(name('old_table_name'), name('new_table_name')));
        break;
      case 'alter_column':
        this.alteredColumns.add(key(table, name('column_name')));
        if (name('new_column_name')) this.columnRenames.add(key(table, name('column_name'), name('new_column_name')));
        break;
      default:
        break;
    }
    for (const statement of operation.sql?.statements ?? []) this.addSql(statement);
  }

  private addSql(statement: SqlStatement): void {
    switch (statement.kind) {
      case 'drop_table':
        for (const table of statement.tables ?? []) this.tables.add(key(table));
        break;
      case 'drop_index':
        for (const index of statement.names ?? []) this.indexes.add(key(index));
        break;
      case 'drop_view':
        for (const view of statement.names ?? []) this.views.add(key(view));
        break;
      case 'drop_type':
        for (const type of statement.names ?? []) this.types.add(key(type));
        break;
      case 'alter_table':
        for (const action of statement.actions ?? []) {
          if (action.kind === 'drop_column') this.columns.add(key(statement.table, action.column));
          if (action.kind === 'drop_constraint' && action.constraintName) this.constraints.add(key(action.constraintName));
          if (action.column) this.alteredColumns.add(key(statement.table, action.column));
        }
        break;
      default:
        break;
    }
  }
}

function argumentText(analysis: MigrationAnalysis, value: PyExpression | undefined): string | undefined {
  return value ? analysis.text(value.from, value.to) : undefined;
}

/** `schema=...` passed through to the inverse, when the upgrade gave one. */
function schemaSuffix(analysis: MigrationAnalysis, operation: MigrationOperation): string {
  const schema = bindArguments(operation).get('schema')?.value;
  return schema ? `, schema=${argumentText(analysis, schema)}` : '';
}

export function reversalOf(operation: MigrationOperation, analysis: MigrationAnalysis, dialect: string): Reversal {
  const op = analysis.migration.opAlias;
  const args = bindArguments(operation);
  const inBatch = operation.receiver === 'batch';
  const batchHeader = inBatch && operation.batch?.tableExpression
    ? `with ${op}.batch_alter_table(${argumentText(analysis, operation.batch.tableExpression)}) as batch_op:`
    : undefined;
  if (inBatch && !batchHeader) return { kind: 'irreversible', reason: 'its batch table is not a literal' };
  const call = (method: string, rest: string) => (inBatch ? `batch_op.${method}(${rest})` : `${op}.${method}(${rest})`);
  const table = operationTable(operation);
  const tableText = inBatch ? undefined : argumentText(analysis, args.get(operation.name === 'create_foreign_key' ? 'source_table' : 'table_name')?.value);

  switch (operation.name) {
    case 'create_table': {
      if (!table || !tableText) return { kind: 'irreversible', reason: 'its table name is not a literal' };
      const lines = [`${op}.drop_table(${tableText}${schemaSuffix(analysis, operation)})`];
      if (dialect === 'postgresql') lines.push(...enumDropLines(analysis, operation.call.args.positional.slice(1)));
      return {
        kind: 'inverse',
        effect: `creates table ${table}`,
        undo: lines[0],
        lines,
        isUndoneBy: (effects) => effects.tables.has(key(table)),
      };
    }
    case 'add_column': {
      const column = readColumnDefinition(args.get('column')?.value);
      if (!table || !column?.name) return { kind: 'irreversible', reason: 'its table or column name is not a literal' };
      const rest = inBatch ? analysis.pyString(column.name) : `${tableText}, ${analysis.pyString(column.name)}${schemaSuffix(analysis, operation)}`;
      const lines = [call('drop_column', rest)];
      // Inside a batch the drop runs when the block ends, so a DROP TYPE here would come too early.
      if (dialect === 'postgresql' && !inBatch) lines.push(...enumDropLines(analysis, [args.get('column')!.value]));
      return {
        kind: 'inverse',
        effect: `adds column ${table}.${column.name}`,
        undo: lines[0],
        lines,
        batchHeader,
        isUndoneBy: (effects) => effects.columns.has(key(table, column.name)) || effects.tables.has(key(table)),
      };
    }
    case 'create_index': {
      const nameText = argumentText(analysis, args.get('index_name')?.value);
      const name = staticString(args.get('index_name')?.value);
      if (!name || !nameText || !table) return { kind: 'irreversible', reason: 'its index or table name is not a literal' };
      const concurrently = literalValue(args.get('postgresql_concurrently')?.value) === true;
      const rest = inBatch ? nameText : `${nameText}, table_name=${tableText}${schemaSuffix(analysis, operation)}`;
      const statement = call('drop_index', rest + (concurrently ? ', postgresql_concurrently=True' : ''));
      const lines = concurrently && operation.inAutocommitBlock ? [`with ${op}.get_context().autocommit_block():`, `${analysis.indentUnit}${statement}`] : [statement];
      return {
        kind: 'inverse',
        effect: `creates index ${name} on ${table}`,
        undo: statement,
        lines,
        batchHeader,
        isUndoneBy: (effects) => effects.indexes.has(key(name)) || effects.tables.has(key(table)) || droppedWithColumn(effects, table, args.get('columns')?.value),
      };
    }
    case 'create_unique_constraint':
    case 'create_foreign_key':
    case 'create_primary_key':
    case 'create_check_constraint':
    case 'create_exclude_constraint': {
      const nameValue = args.get('constraint_name')?.value;
      const name = staticString(nameValue);
      if (!name || !table) return { kind: 'irreversible', reason: 'the constraint has no name (see AW304 unnamed-constraint)' };
      const typeText = analysis.pyString(CONSTRAINT_TYPES[operation.name]);
      const rest = inBatch ? `${argumentText(analysis, nameValue)}, type_=${typeText}` : `${argumentText(analysis, nameValue)}, ${tableText}, type_=${typeText}${schemaSuffix(analysis, operation)}`;
      const statement = call('drop_constraint', rest);
      const kindText = CONSTRAINT_TYPES[operation.name] === 'foreignkey' ? 'foreign key' : `${CONSTRAINT_TYPES[operation.name]} constraint`;
      return {
        kind: 'inverse',
        effect: `creates ${kindText} ${name} on ${table}`,
        undo: statement,
        lines: [statement],
        batchHeader,
        isUndoneBy: (effects) =>
          effects.constraints.has(key(name)) ||
          effects.tables.has(key(table)) ||
          droppedWithColumn(effects, table, args.get(operation.name === 'create_foreign_key' ? 'local_cols' : 'columns')?.value),
      };
    }
    case 'rename_table': {
      const oldValue = args.get('old_table_name')?.value;
      const newValue = args.get('new_table_name')?.value;
      const oldName = staticString(oldValue);
      const newName = staticString(newValue);
      if (!oldName || !newName) return { kind: 'irreversible', reason: 'a table name is not a literal' };
      const statement = `${op}.rename_table(${argumentText(analysis, newValue)}, ${argumentText(analysis, oldValue)}${schemaSuffix(analysis, operation)})`;
      return {
        kind: 'inverse',
        effect: `renames table ${oldName} to ${newName}`,
        undo: statement,
        lines: [statement],
        isUndoneBy: (effects) => effects.tableRenames.has(key(newName, oldName)),
      };
    }
    case 'alter_column':
      return alterColumnReversal(operation, analysis, call, tableText, batchHeader);
    case 'create_type': {
      const name = operation.enumType?.enumName;
      const receiver = operation.call.callee.kind === 'attribute' ? operation.call.callee.object : undefined;
      if (!name || !receiver) return { kind: 'irreversible', reason: 'the type has no literal name' };
      const statement = `${analysis.text(receiver.from, receiver.to)}.drop(${op}.get_bind(), checkfirst=True)`;
      return { kind: 'inverse', effect: `creates type ${name}`, undo: statement, lines: [statement], isUndoneBy: (effects) => effects.types.has(key(name)) };
    }
    case 'execute':
      return executeReversal(operation, analysis);
    case 'bulk_insert':
      return { kind: 'irreversible', reason: 'it inserts rows (a data change)' };
    case 'drop_table':
    case 'drop_column':
    case 'drop_index':
    case 'drop_constraint':
      return { kind: 'irreversible', reason: `${operation.name} loses what it drops; only a hand-written downgrade can recreate it` };
    default:
      return { kind: 'irreversible', reason: `the linter does not know how to reverse ${operation.name}` };
  }
}

/** Dropping a column drops the indexes and constraints on it too (PostgreSQL, MySQL, SQLite's batch copy alike). */
function droppedWithColumn(effects: DowngradeEffects, table: string, columns: PyExpression | undefined): boolean {
  return (staticStringList(columns) ?? []).some((column) => effects.columns.has(key(table, column)));
}

/** `sa.Enum(..., name='x').drop(op.get_bind(), checkfirst=True)` for each native Enum in the given columns. */
function enumDropLines(analysis: MigrationAnalysis, columnExpressions: PyExpression[]): string[] {
  const lines: string[] = [];
  for (const expression of columnExpressions) {
    const column = readColumnDefinition(expression);
    if (!column?.type || column.type.family !== 'enum' || !column.type.enumName || !column.typeExpression) continue;
    lines.push(`${analysis.text(column.type.from, column.type.to)}.drop(${analysis.migration.opAlias}.get_bind(), checkfirst=True)`);
  }
  return lines;
}

function alterColumnReversal(
  operation: MigrationOperation,
  analysis: MigrationAnalysis,
  call: (method: string, rest: string) => string,
  tableText: string | undefined,
  batchHeader: string | undefined,
): Reversal {
  const args = bindArguments(operation);
  const table = operationTable(operation);
  const columnValue = args.get('column_name')?.value;
  const column = staticString(columnValue);
  if (!table || !column || !columnValue) return { kind: 'irreversible', reason: 'its table or column name is not a literal' };
  const text = (name: string) => argumentText(analysis, args.get(name)?.value);
  const prefix = operation.receiver === 'batch' ? '' : `${tableText}, `;
  const newNameValue = args.get('new_column_name')?.value;
  const newName = staticString(newNameValue);
  const changes = ['nullable', 'type_', 'server_default', 'comment'].filter((name) => args.has(name));
  if (newName && changes.length === 0) {
    const statement = call('alter_column', `${prefix}${argumentText(analysis, newNameValue)}, new_column_name=${argumentText(analysis, columnValue)}`);
    return {
      kind: 'inverse',
      effect: `renames column ${table}.${column} to ${newName}`,
      undo: statement,
      lines: [statement],
      batchHeader,
      isUndoneBy: (effects) => effects.columnRenames.has(key(table, newName, column)),
    };
  }
  if (newName || changes.length === 0) return { kind: 'irreversible', reason: 'it renames and changes the column at once' };
  const inverse: string[] = [];
  const effects: string[] = [];
  if (args.has('nullable')) {
    const nullable = literalValue(args.get('nullable')!.value);
    if (typeof nullable !== 'boolean') return { kind: 'irreversible', reason: 'nullable is not a literal' };
    inverse.push(`nullable=${nullable ? 'False' : 'True'}`);
    effects.push(nullable ? 'drops NOT NULL' : 'sets NOT NULL');
  }
  if (args.has('type_')) {
    if (!args.has('existing_type')) return { kind: 'irreversible', reason: 'the old type is not given (existing_type)' };
    inverse.push(`type_=${text('existing_type')}`, `existing_type=${text('type_')}`);
    const to = readColumnType(args.get('type_')!.value);
    effects.push(`changes the type${to ? ` to ${to.display}` : ''}`);
  } else if (args.has('existing_type')) inverse.push(`existing_type=${text('existing_type')}`);
  if (args.has('server_default')) {
    if (!args.has('existing_server_default')) return { kind: 'irreversible', reason: 'the old server default is not given (existing_server_default)' };
    inverse.push(`server_default=${text('existing_server_default')}`, `existing_server_default=${text('server_default')}`);
    effects.push('changes the server default');
  }
  if (args.has('comment')) {
    if (!args.has('existing_comment')) return { kind: 'irreversible', reason: 'the old comment is not given (existing_comment)' };
    inverse.push(`comment=${text('existing_comment')}`, `existing_comment=${text('comment')}`);
    effects.push('changes the comment');
  }
  if (args.has('existing_nullable') && !args.has('nullable')) inverse.push(`existing_nullable=${text('existing_nullable')}`);
  if (args.has('schema')) inverse.push(`schema=${text('schema')}`);
  const statement = call('alter_column', `${prefix}${argumentText(analysis, columnValue)}, ${inverse.join(', ')}`);
  return {
    kind: 'inverse',
    effect: `${effects.join(' and ')} on ${table}.${column}`,
    undo: statement,
    lines: [statement],
    batchHeader,
    isUndoneBy: (effects) =>
      effects.alteredColumns.has(key(table, column)) || effects.columns.has(key(table, column)) || effects.tables.has(key(table)),
  };
}

function executeReversal(operation: MigrationOperation, analysis: MigrationAnalysis): Reversal {
  const op = analysis.migration.opAlias;
  if (!operation.sql) {
    if (operation.coreStatement) return { kind: 'irreversible', reason: `it changes rows (${operation.coreStatement.kind.toUpperCase()})` };
    return { kind: 'irreversible', reason: 'its SQL is not a literal' };
  }
  if (!operation.sql.exact) return { kind: 'irreversible', reason: 'its SQL is built at run time' };
  const parts: Array<{ effect: string; statement: string; undone: (effects: DowngradeEffects) => boolean }> = [];
  for (const statement of operation.sql.statements) {
    const part = sqlStatementReversal(statement, op, analysis);
    if (part === 'nothing') continue;
    if (typeof part === 'string') return { kind: 'irreversible', reason: part };
    parts.push(part);
  }
  if (parts.length === 0) return { kind: 'nothing' };
  return {
    kind: 'inverse',
    effect: parts.map((part) => part.effect).join(', '),
    undo: parts.map((part) => part.statement).join('; '),
    lines: parts.map((part) => part.statement).reverse(),
    isUndoneBy: (effects) => parts.every((part) => part.undone(effects)),
  };
}

function sqlStatementReversal(
  statement: SqlStatement,
  op: string,
  analysis: MigrationAnalysis,
): 'nothing' | string | { effect: string; statement: string; undone: (effects: DowngradeEffects) => boolean } {
  const execute = (sql: string) => `${op}.execute(${analysis.pyString(sql)})`;
  switch (statement.kind) {
    case 'select':
      return 'nothing';
    case 'create_view': {
      if (!statement.name) return 'a view name is not literal';
      const keyword = statement.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
      const name = statement.name;
      return {
        effect: `creates ${statement.materialized ? 'materialized view' : 'view'} ${name}`,
        statement: execute(`DROP ${keyword} IF EXISTS ${sqlIdentifier(name)}`),
        undone: (effects) => effects.views.has(key(name)),
      };
    }
    case 'create_index': {
      if (!statement.name) return 'an index name is not literal';
      const name = statement.name;
      const table = statement.table;
      return {
        effect: `creates index ${name}`,
        statement: execute(`DROP INDEX IF EXISTS ${sqlIdentifier(name)}`),
        undone: (effects) => effects.indexes.has(key(name)) || (table !== undefined && effects.tables.has(key(table))),
      };
    }
    case 'create_table': {
      if (!statement.table) return 'a table name is not literal';
      const table = statement.table;
      return { effect: `creates table ${table}`, statement: execute(`DROP TABLE IF EXISTS ${sqlIdentifier(table)}`), undone: (effects) => effects.tables.has(key(table)) };
    }
    case 'create_type': {
      if (!statement.name) return 'a type name is not literal';
      const name = statement.name;
      return { effect: `creates type ${name}`, statement: execute(`DROP TYPE IF EXISTS ${sqlIdentifier(name)}`), undone: (effects) => effects.types.has(key(name)) };
    }
    default:
      if (['update', 'delete', 'insert', 'merge', 'copy', 'truncate'].includes(statement.kind)) return `it changes rows (${statement.kind.toUpperCase()})`;
      return `the linter does not know how to reverse "${statement.text.slice(0, 60)}"`;
  }
}

/** Renders inverses as downgrade lines, merging consecutive ones that run in the same batch table. */
export function renderInverseLines(inverses: InverseOperation[], indentUnit: string): string[] {
  const lines: string[] = [];
  let openBatch: string | undefined;
  for (const inverse of inverses) {
    if (inverse.batchHeader) {
      if (openBatch !== inverse.batchHeader) {
        lines.push(inverse.batchHeader);
        openBatch = inverse.batchHeader;
      }
      lines.push(...inverse.lines.map((line) => indentUnit + line));
    } else {
      if (openBatch) lines.push('');
      openBatch = undefined;
      lines.push(...inverse.lines);
    }
  }
  return lines;
}
