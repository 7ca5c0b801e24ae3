// Facts about one migration that several rules share (tables created earlier in the same function,
// type changes, autogenerate's rename artifacts), plus the text helpers fixes are built with
// (indentation, quoting, wrapping a statement in a `with` block). Computed once per lint.
import type { SyntaxNode } from '@lezer/common';
import { compareColumnTypes, readColumnType, type ColumnType, type TypeChange } from './columnTypes';
import {
  argument,
  bindArguments,
  createTableColumns,
  operationTable,
  readColumnDefinition,
  type ColumnDefinition,
  type MigrationFile,
  type MigrationFunction,
  type MigrationFunctionKind,
  type MigrationOperation,
  type StatementSite,
} from './migrationOperations';
import { calleeLastSegment, isCall, literalValue, staticString } from './pythonExpressions';
import type { OffsetEdit } from './rules/ruleTypes';
import { findTableRebuilds, type TableRebuild } from './tableRebuilds';

export interface TypeChangeFacts {
  table?: string;
  column?: string;
  from?: ColumnType;
  to: ColumnType;
  change: TypeChange;
}

/** Autogenerate's rendering of a rename: the old object dropped, a new one with the same shape created. */
export interface RenameArtifact {
  kind: 'table' | 'column';
  /** Table of a column rename. */
  table?: string;
  oldName: string;
  newName: string;
  upgradeDrop: MigrationOperation;
  upgradeCreate: MigrationOperation;
  downgradeDrop?: MigrationOperation;
  downgradeCreate?: MigrationOperation;
  /**
   * Exactly one created object matches the dropped one in type, nullability, server default and
   * foreign-key target. Otherwise it is only a possible rename (several candidates, or one that differs).
   */
  certain: boolean;
  /** Every created object of the same type (the "possible rename" lists them). */
  candidates: MigrationOperation[];
}

export class MigrationAnalysis {
  readonly upgradeOperations: MigrationOperation[];
  readonly downgradeOperations: MigrationOperation[];
  private typeChanges = new Map<MigrationOperation, TypeChangeFacts | undefined>();
  private renames?: RenameArtifact[];
  private creationsByFunction = new Map<MigrationFunctionKind, Map<string, number>>();
  private transactions?: Map<MigrationOperation, number>;
  private rebuilds?: Map<MigrationOperation, TableRebuild>;
  private columnHistories = new Map<MigrationFunctionKind, ColumnHistory>();
  /** `function.table.transaction` -> the first operation there that takes an exclusive lock. */
  private firstLocks?: Map<string, MigrationOperation>;
  /** `function.table.transaction` -> the first add_column there; `function.table` -> the first anywhere. */
  private firstAdds?: Map<string, MigrationOperation>;
  /** `function.table.transaction` -> the columns made NOT NULL there, in order. */
  private notNullTargets?: Map<string, Array<{ operation: MigrationOperation; column: string }>>;
  /** `function.table` -> the operations that UPDATE it, in order. */
  private updates?: Map<string, MigrationOperation[]>;
  private artifactsByOperation?: Map<MigrationOperation, RenameArtifact>;
  readonly quote: string;
  readonly indentUnit: string;

  constructor(readonly migration: MigrationFile) {
    this.upgradeOperations = migration.operations.filter((operation) => operation.functionKind === 'upgrade');
    this.downgradeOperations = migration.operations.filter((operation) => operation.functionKind === 'downgrade');
    this.quote = detectQuote(migration);
    this.indentUnit = migration.upgrade?.bodyIndent || migration.downgrade?.bodyIndent || '    ';
  }

  get source(): string {
    return this.migration.source;
  }

  operationsOf(kind: MigrationFunctionKind): MigrationOperation[] {
    return kind === 'upgrade' ? this.upgradeOperations : this.downgradeOperations;
  }

  functionOf(kind: MigrationFunctionKind): MigrationFunction | undefined {
    return kind === 'upgrade' ? this.migration.upgrade : this.migration.downgrade;
  }

  /** Tables created (op.create_table or raw CREATE TABLE) earlier in the same function. */
  tablesCreatedBefore(operation: MigrationOperation): Set<string> {
    const tables = new Set<string>();
    for (const [table, index] of this.tableCreations(operation.functionKind)) if (index < operation.index) tables.add(table);
    return tables;
  }

  /** Table -> index of the first operation creating it, per function (computed once). */
  private tableCreations(kind: MigrationFunctionKind): Map<string, number> {
    let creations = this.creationsByFunction.get(kind);
    if (creations) return creations;
    creations = new Map<string, number>();
    for (const operation of this.operationsOf(kind)) {
      const created: string[] = [];
      if (operation.name === 'create_table' && operation.receiver === 'op') {
        const table = operationTable(operation);
        if (table) created.push(table);
      }
      for (const statement of operation.sql?.statements ?? []) if (statement.kind === 'create_table' && statement.table) created.push(statement.table);
      for (const table of created) if (!creations.has(table.toLowerCase())) creations.set(table.toLowerCase(), operation.index);
    }
    this.creationsByFunction.set(kind, creations);
    return creations;
  }

  /**
   * The hand-written rebuild (rename to _tmp, create, copy, drop) an operation is a step of: the
   * steps together change one table and keep its rows, so none of them is a rename, a new table or a
   * lost one on its own.
   */
  tableRebuildOf(operation: MigrationOperation): TableRebuild | undefined {
    if (!this.rebuilds) {
      this.rebuilds = new Map();
      for (const kind of ['upgrade', 'downgrade'] as const) {
        for (const rebuild of findTableRebuilds(this.operationsOf(kind))) for (const step of rebuild.operations) this.rebuilds.set(step, rebuild);
      }
    }
    return this.rebuilds.get(operation);
  }

  /** A table nobody else can see yet: no lock risk (Squawk and Atlas reason the same way). */
  isNewTable(operation: MigrationOperation, table: string | undefined): boolean {
    if (table === undefined) return false;
    const createdAt = this.tableCreations(operation.functionKind).get(table.toLowerCase());
    return createdAt !== undefined && createdAt < operation.index;
  }

  /**
   * A column created earlier in the same function (add_column, or renamed from such a column): no
   * running code reads it yet and it has no old data, so renaming, retyping or dropping it is no risk.
   */
  isNewColumn(operation: MigrationOperation, table: string | undefined, column: string | undefined): boolean {
    if (table === undefined || column === undefined) return false;
    if (this.isNewTable(operation, table)) return true;
    const events = this.columnHistory(operation.functionKind).creations;
    let name = column.toLowerCase();
    let before = operation.index;
    // Walk back through the renames that led to this name; the chain must start at an add_column.
    for (;;) {
      const earlier = lastBefore(events.get(columnKey(table, name)), before);
      if (!earlier) return false;
      if (earlier.name === 'add_column') return true;
      if (earlier.name === 'drop_column') return false;
      const from = staticString(bindArguments(earlier).get('column_name')?.value);
      if (!from) return false;
      name = from.toLowerCase();
      before = earlier.index;
    }
  }

  /** The name a column has when the function ends (following later renames), or undefined when a later step drops it. */
  finalColumnName(operation: MigrationOperation, table: string, column: string): string | undefined {
    const events = this.columnHistory(operation.functionKind).changes;
    let name = column;
    let after = operation.index;
    for (;;) {
      const later = firstAfter(events.get(columnKey(table, name)), after);
      if (!later) return name;
      if (later.name === 'drop_column') return undefined;
      name = staticString(bindArguments(later).get('new_column_name')?.value)!;
      after = later.index;
    }
  }

  /**
   * Per function, the operations that decide a column's history, by lower-cased `table.column`:
   * `creations` under the name they leave (add_column, a rename's new name, drop_column) for
   * isNewColumn's walk back; `changes` under the name they act on (drop_column, renames) for
   * finalColumnName's walk forward. Built once, so each question is a lookup, not a scan.
   */
  private columnHistory(kind: MigrationFunctionKind): ColumnHistory {
    let history = this.columnHistories.get(kind);
    if (history) return history;
    history = { creations: new Map(), changes: new Map() };
    for (const operation of this.operationsOf(kind)) {
      const table = operationTable(operation);
      if (!table) continue;
      const args = bindArguments(operation);
      const target = staticString(args.get('column_name')?.value);
      const renamed = operation.name === 'alter_column' ? staticString(args.get('new_column_name')?.value) : undefined;
      if (target !== undefined && (operation.name === 'drop_column' || renamed)) pushTo(history.changes, columnKey(table, target), operation);
      if (operation.receiver === 'connection' || operation.receiver === 'type') continue;
      if (operation.name === 'add_column') {
        const added = readColumnDefinition(args.get('column')?.value)?.name;
        if (added !== undefined) pushTo(history.creations, columnKey(table, added), operation);
      } else if (operation.name === 'alter_column' && args.get('new_column_name') !== undefined) {
        const newName = staticString(args.get('new_column_name')?.value);
        if (newName !== undefined) pushTo(history.creations, columnKey(table, newName), operation);
      } else if (operation.name === 'drop_column' && target !== undefined) pushTo(history.creations, columnKey(table, target), operation);
    }
    this.columnHistories.set(kind, history);
    return history;
  }

  /**
   * Which transaction an operation runs in. Alembic runs a migration in one transaction, but
   * `autocommit_block()` commits what ran before it, runs its statements outside any transaction,
   * and a new transaction starts after it.
   */
  transactionOf(operation: MigrationOperation): number {
    if (!this.transactions) {
      this.transactions = new Map();
      for (const kind of ['upgrade', 'downgrade'] as const) {
        let current = 0;
        for (const each of this.operationsOf(kind)) {
          if (each.inAutocommitBlock) {
            this.transactions.set(each, -1 - each.index);
            current = each.index + 1;
          } else this.transactions.set(each, current);
        }
      }
    }
    return this.transactions.get(operation) ?? 0;
  }

  /**
   * The earlier operation of the same transaction that already holds an ACCESS EXCLUSIVE lock on the
   * table (any ALTER TABLE), if any: a second lock on it adds no wait, the first one queued already.
   */
  exclusiveLockHolder(operation: MigrationOperation, table: string | undefined): MigrationOperation | undefined {
    if (table === undefined || operation.inAutocommitBlock) return undefined;
    if (!this.firstLocks) {
      this.firstLocks = new Map();
      for (const each of this.migration.operations) {
        const eachTable = operationTable(each);
        if (each.inAutocommitBlock || !takesExclusiveLock(each) || eachTable === undefined) continue;
        const key = lockKey(each.functionKind, eachTable, this.transactionOf(each));
        if (!this.firstLocks.has(key)) this.firstLocks.set(key, each);
      }
    }
    // The first lock of the transaction on the table: if it is not earlier, no other one is.
    const first = this.firstLocks.get(lockKey(operation.functionKind, table, this.transactionOf(operation)));
    return first && first.index < operation.index ? first : undefined;
  }

  /**
   * An UPDATE of a table that is one step of the recipe our docs recommend for a required column:
   * it fills a column added earlier in the same transaction (or in an autocommit_block() after it,
   * committed batch by batch, holding no schema lock), or it fills the column a later SET NOT NULL of
   * the same transaction enforces (backfill, then NOT NULL, on an existing column).
   */
  isBackfill(operation: MigrationOperation, table: string | undefined, kind: string): boolean {
    if (table === undefined || kind.toLowerCase() !== 'update') return false;
    if (!this.firstAdds || !this.notNullTargets) {
      this.firstAdds = new Map();
      this.notNullTargets = new Map();
      for (const each of this.migration.operations) {
        if (each.receiver !== 'op' && each.receiver !== 'batch') continue;
        const eachTable = operationTable(each);
        if (each.name === 'add_column' && eachTable !== undefined) {
          for (const key of [lockKey(each.functionKind, eachTable), lockKey(each.functionKind, eachTable, this.transactionOf(each))]) {
            if (!this.firstAdds.has(key)) this.firstAdds.set(key, each);
          }
        }
        for (const target of this.notNullColumns(each)) {
          if (target.table === undefined) continue;
          const key = lockKey(each.functionKind, target.table, this.transactionOf(each));
          const list = this.notNullTargets.get(key);
          if (list) list.push({ operation: each, column: target.column });
          else this.notNullTargets.set(key, [{ operation: each, column: target.column }]);
        }
      }
    }
    const firstAdd = this.firstAdds.get(lockKey(operation.functionKind, table, operation.inAutocommitBlock ? undefined : this.transactionOf(operation)));
    if (firstAdd !== undefined && firstAdd.index < operation.index) return true;
    const laterNotNull = this.notNullTargets.get(lockKey(operation.functionKind, table, this.transactionOf(operation))) ?? [];
    return laterNotNull.some((target) => target.operation.index > operation.index && this.fills(operation, target.column));
  }

  /** The columns an operation makes NOT NULL: alter_column(nullable=False) or raw ALTER ... SET NOT NULL. */
  private notNullColumns(operation: MigrationOperation): Array<{ table?: string; column: string }> {
    if (operation.name === 'alter_column') {
      const args = bindArguments(operation);
      const column = staticString(args.get('column_name')?.value);
      return column !== undefined && literalValue(args.get('nullable')?.value) === false ? [{ table: operationTable(operation), column }] : [];
    }
    return (operation.sql?.statements ?? []).flatMap((statement) =>
      (statement.actions ?? []).flatMap((action) => (action.kind === 'set_not_null' && action.column ? [{ table: statement.table, column: action.column }] : [])),
    );
  }

  /** Whether an UPDATE operation names the column (in its SQL or its Core `.values(col=...)`). */
  private fills(operation: MigrationOperation, column: string): boolean {
    const words = `${operation.sql?.text ?? ''} ${this.text(operation.call.from, operation.call.to)}`;
    return new RegExp(`(^|[^\\w])${column.replace(/[^\w]/g, '')}([^\\w]|$)`, 'i').test(words);
  }

  /** Whether an UPDATE of the table runs between two operations (a backfill before SET NOT NULL). */
  updatesBetween(from: number, to: number, kind: MigrationFunctionKind, table: string): boolean {
    if (!this.updates) {
      this.updates = new Map();
      for (const each of this.migration.operations) {
        const tables = new Set<string>();
        if (each.coreStatement?.kind === 'update' && each.coreStatement.table) tables.add(each.coreStatement.table.toLowerCase());
        for (const statement of each.sql?.statements ?? []) if (statement.kind === 'update' && statement.table) tables.add(statement.table.toLowerCase());
        for (const updated of tables) pushTo(this.updates, lockKey(each.functionKind, updated), each);
      }
    }
    const next = firstAfter(this.updates.get(lockKey(kind, table)), from);
    return next !== undefined && next.index < to;
  }

  typeChangeOf(operation: MigrationOperation): TypeChangeFacts | undefined {
    if (this.typeChanges.has(operation)) return this.typeChanges.get(operation);
    let facts: TypeChangeFacts | undefined;
    if (operation.name === 'alter_column' && (operation.receiver === 'op' || operation.receiver === 'batch')) {
      const args = bindArguments(operation);
      const to = readColumnType(args.get('type_')?.value);
      if (to) {
        const from = readColumnType(args.get('existing_type')?.value);
        facts = {
          table: operationTable(operation),
          column: staticString(args.get('column_name')?.value),
          from,
          to,
          change: compareColumnTypes(from, to),
        };
      }
    }
    this.typeChanges.set(operation, facts);
    return facts;
  }

  renameArtifacts(): RenameArtifact[] {
    if (!this.renames) this.renames = findRenameArtifacts(this);
    return this.renames;
  }

  /** The rename artifact an operation belongs to (as the drop or the create), if any. */
  renameArtifactOf(operation: MigrationOperation): RenameArtifact | undefined {
    if (!this.artifactsByOperation) {
      this.artifactsByOperation = new Map();
      for (const artifact of this.renameArtifacts()) {
        for (const step of [artifact.upgradeDrop, artifact.upgradeCreate, artifact.downgradeDrop, artifact.downgradeCreate]) {
          // The first artifact an operation belongs to answers, as a search in order would.
          if (step && !this.artifactsByOperation.has(step)) this.artifactsByOperation.set(step, artifact);
        }
      }
    }
    return this.artifactsByOperation.get(operation);
  }

  text(from: number, to: number): string {
    return this.migration.source.slice(from, to);
  }

  /** The quote character an operation's own string arguments use (the file's style otherwise). */
  quoteOf(operation: MigrationOperation): string {
    for (const value of [...operation.call.args.positional, ...operation.call.args.keywords.map((keyword) => keyword.value)]) {
      const first = this.migration.source[value.from];
      if (value.kind === 'literal' && (first === '"' || first === "'")) return first;
    }
    return this.quote;
  }

  /** A Python string literal in the file's own quote style (or the given quote). */
  pyString(value: string, quote = this.quote): string {
    return quote + value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n') + quote;
  }

  /** End of the statement's last line (before its newline). */
  statementLineEnd(site: StatementSite): number {
    const source = this.migration.source;
    let end = site.to;
    while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
    return end;
  }

  /** Whether an offset lies inside a string literal (e.g. a line of a triple-quoted SQL string). */
  isInsideString(offset: number): boolean {
    for (let node: SyntaxNode | null = this.migration.tree.resolveInner(offset, 1); node; node = node.parent) {
      if (node.name === 'String' || node.name === 'FormatString') return node.from < offset;
      if (node.name.endsWith('Statement') || node.name === 'Body') return false;
    }
    return false;
  }

  /**
   * Wraps a statement in a block (`with op.get_context().autocommit_block():`) as separate small
   * edits: the header line, one more indentation level on each of the statement's lines (not on
   * lines inside a multi-line string, whose text must not change), plus `innerEdits` that change
   * the statement itself. Undefined when the statement shares its line with other code.
   */
  wrapStatement(site: StatementSite, header: string, innerEdits: OffsetEdit[] = []): OffsetEdit[] | undefined {
    if (site.indent === undefined) return undefined;
    const source = this.migration.source;
    const edits: OffsetEdit[] = [{ from: site.lineStart, to: site.lineStart, newText: `${site.indent}${header}\n${this.indentUnit}` }];
    const end = this.statementLineEnd(site);
    for (let newline = source.indexOf('\n', site.from); newline >= 0 && newline < end; newline = source.indexOf('\n', newline + 1)) {
      const lineStart = newline + 1;
      const lineEnd = source.indexOf('\n', lineStart);
      const blank = source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd).trim() === '';
      const deleted = innerEdits.some((edit) => edit.from < lineStart && lineStart < edit.to);
      if (!blank && !deleted && !this.isInsideString(lineStart)) edits.push({ from: lineStart, to: lineStart, newText: this.indentUnit });
    }
    return [...edits, ...innerEdits];
  }

  /** Inserts whole lines after a statement, at the statement's indentation (plus `extraIndent`). */
  insertLinesAfter(site: StatementSite, lines: string[]): OffsetEdit | undefined {
    if (site.indent === undefined) return undefined;
    const end = this.statementLineEnd(site);
    return { from: end, to: end, newText: lines.map((line) => `\n${line ? site.indent + line : ''}`).join('') };
  }

  /** Inserts lines before a statement, at its indentation. */
  insertLinesBefore(site: StatementSite, lines: string[]): OffsetEdit | undefined {
    if (site.indent === undefined) return undefined;
    return { from: site.lineStart, to: site.lineStart, newText: lines.map((line) => `${line ? site.indent + line : ''}\n`).join('') };
  }
}

interface ColumnHistory {
  creations: Map<string, MigrationOperation[]>;
  changes: Map<string, MigrationOperation[]>;
}

const columnKey = (table: string, column: string) => `${table.toLowerCase()}.${column.toLowerCase()}`;
const lockKey = (kind: MigrationFunctionKind, table: string, transaction?: number) => `${kind}.${table.toLowerCase()}.${transaction ?? '*'}`;

function pushTo(lists: Map<string, MigrationOperation[]>, key: string, operation: MigrationOperation): void {
  const list = lists.get(key);
  if (list) list.push(operation);
  else lists.set(key, [operation]);
}

/** Position of the first operation with an index above `index` in a list ordered by index (binary search). */
function firstAbove(list: readonly MigrationOperation[], index: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].index > index) high = middle;
    else low = middle + 1;
  }
  return low;
}

function firstAfter(list: readonly MigrationOperation[] | undefined, index: number): MigrationOperation | undefined {
  return list?.[firstAbove(list, index)];
}

function lastBefore(list: readonly MigrationOperation[] | undefined, index: number): MigrationOperation | undefined {
  if (!list) return undefined;
  const position = firstAbove(list, index - 1) - 1;
  return position >= 0 ? list[position] : undefined;
}

/** Operations PostgreSQL runs as ALTER TABLE ... under an ACCESS EXCLUSIVE lock on their table. */
const EXCLUSIVE_OPERATIONS: ReadonlySet<string> = new Set([
  'add_column',
  'alter_column',
  'drop_column',
  'drop_constraint',
  'create_primary_key',
  'create_unique_constraint',
  'create_check_constraint',
  'rename_table',
  'drop_index',
]);

function takesExclusiveLock(operation: MigrationOperation): boolean {
  return (operation.receiver === 'op' || operation.receiver === 'batch') && EXCLUSIVE_OPERATIONS.has(operation.name);
}

function detectQuote(migration: MigrationFile): string {
  for (const operation of migration.operations) {
    const raw = migration.source[operation.call.args.from + 1];
    if (raw === '"' || raw === "'") return raw;
    for (const positional of operation.call.args.positional) {
      const first = migration.source[positional.from];
      if (positional.kind === 'literal' && (first === '"' || first === "'")) return first;
    }
  }
  return "'";
}

/** A SQL identifier, double-quoted only when PostgreSQL would otherwise fold or reject it. */
export function sqlIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function columnSignature(columns: ReturnType<typeof createTableColumns>, strict?: MigrationAnalysis): string | undefined {
  if (columns.length === 0 || columns.some((column) => !column.name)) return undefined;
  return columns
    .map((column) => `${column.name}:${strict ? columnShape(strict, column) : typeKey(column.type)}`)
    .sort()
    .join(',');
}

/** What a rename keeps and a drop + create would not: type, nullability, server default, foreign-key target. */
function columnShape(analysis: MigrationAnalysis, column: ColumnDefinition): string {
  const foreignKey = column.expression.args.positional.find((value) => isCall(value) && calleeLastSegment(value) === 'ForeignKey');
  const target = isCall(foreignKey) ? staticString(foreignKey.args.positional[0])?.split('.')[0] : undefined;
  const serverDefault = column.serverDefault ? analysis.text(column.serverDefault.from, column.serverDefault.to).replace(/^u(?=['"])/, '') : '';
  return `${typeKey(column.type)}|${column.nullable ? 'null' : 'not null'}|${serverDefault}|${target ?? ''}`;
}

/** Reflected (`sa.VARCHAR(length=50)`) and model (`sa.String(length=50)`) spellings compare equal. */
function typeKey(type: ColumnType | undefined): string {
  return type ? type.display : '?';
}

/** The first operation of each key, in order (a lookup that answers like `find`). */
function firstByKey(operations: readonly MigrationOperation[], keyOf: (operation: MigrationOperation) => string | undefined): Map<string, MigrationOperation> {
  const first = new Map<string, MigrationOperation>();
  for (const operation of operations) {
    const key = keyOf(operation);
    if (key !== undefined && !first.has(key)) first.set(key, operation);
  }
  return first;
}

/** Operations grouped by key, in order. */
function groupByKey(operations: readonly MigrationOperation[], keyOf: (operation: MigrationOperation) => string | undefined): Map<string, MigrationOperation[]> {
  const groups = new Map<string, MigrationOperation[]>();
  for (const operation of operations) {
    const key = keyOf(operation);
    if (key !== undefined) pushTo(groups, key, operation);
  }
  return groups;
}

const pairKey = (first: string, second: string) => `${first}\0${second}`;

function findRenameArtifacts(analysis: MigrationAnalysis): RenameArtifact[] {
  const artifacts: RenameArtifact[] = [];
  // Creates already taken by an artifact; the lookups below are built once instead of scanned per drop.
  const taken = new Set<MigrationOperation>();
  const upgrade = analysis.upgradeOperations;
  const downgrade = analysis.downgradeOperations;
  // Table renames: upgrade drops T_old and creates T_new; the downgrade recreates T_old with its
  // columns (that is where autogenerate writes the old shape) and drops T_new.
  const droppedTables = upgrade.filter((operation) => operation.name === 'drop_table' && operation.receiver === 'op');
  const createdTables = upgrade.filter((operation) => operation.name === 'create_table' && operation.receiver === 'op');
  const recreates = firstByKey(downgrade, (operation) => (operation.name === 'create_table' ? operationTable(operation) : undefined));
  const downgradeTableDrops = firstByKey(downgrade, (operation) => (operation.name === 'drop_table' ? operationTable(operation) : undefined));
  let createdBySignature: Map<string, MigrationOperation[]> | undefined;
  for (const drop of droppedTables) {
    const oldName = operationTable(drop);
    if (!oldName) continue;
    const recreate = recreates.get(oldName);
    if (!recreate) continue;
    const oldSignature = columnSignature(createTableColumns(recreate));
    if (!oldSignature) continue;
    createdBySignature ??= groupByKey(createdTables, (operation) => columnSignature(createTableColumns(operation)));
    const candidates = (createdBySignature.get(oldSignature) ?? []).filter((operation) => operationTable(operation) !== oldName && !taken.has(operation));
    const create = candidates[0];
    if (!create) continue;
    const strictOld = columnSignature(createTableColumns(recreate), analysis);
    const certain = candidates.length === 1 && columnSignature(createTableColumns(create), analysis) === strictOld;
    const newName = operationTable(create)!;
    taken.add(create);
    artifacts.push({
      kind: 'table',
      oldName,
      newName,
      upgradeDrop: drop,
      upgradeCreate: create,
      downgradeCreate: recreate,
      downgradeDrop: downgradeTableDrops.get(newName),
      certain,
      candidates,
    });
  }
  // Column renames: drop_column(t, old) + add_column(t, Column(new, same type)), with the downgrade
  // re-adding `old` with that type.
  const droppedColumns = upgrade.filter((operation) => operation.name === 'drop_column');
  const addedName = (operation: MigrationOperation) => readColumnDefinition(argument(operation, 'column'))?.name;
  const readds = firstByKey(downgrade, (operation) => {
    const table = operation.name === 'add_column' ? operationTable(operation) : undefined;
    const name = table === undefined ? undefined : addedName(operation);
    return table === undefined || name === undefined ? undefined : pairKey(table, name);
  });
  const downgradeColumnDrops = firstByKey(downgrade, (operation) => {
    const table = operation.name === 'drop_column' ? operationTable(operation) : undefined;
    const name = table === undefined ? undefined : staticString(argument(operation, 'column_name'));
    return table === undefined || name === undefined ? undefined : pairKey(table, name);
  });
  let addsByTableAndType: Map<string, MigrationOperation[]> | undefined;
  for (const drop of droppedColumns) {
    const table = operationTable(drop);
    const oldName = staticString(argument(drop, 'column_name'));
    if (!table || !oldName) continue;
    const readd = readds.get(pairKey(table, oldName));
    const oldColumn = readd ? readColumnDefinition(argument(readd, 'column')) : undefined;
    if (!readd || !oldColumn?.type) continue;
    addsByTableAndType ??= groupByKey(upgrade, (operation) => {
      const addedTable = operation.name === 'add_column' ? operationTable(operation) : undefined;
      const column = addedTable === undefined ? undefined : readColumnDefinition(argument(operation, 'column'));
      return addedTable === undefined || column?.name === undefined ? undefined : pairKey(addedTable, typeKey(column.type));
    });
    const candidates = (addsByTableAndType.get(pairKey(table, typeKey(oldColumn.type))) ?? []).filter((operation) => addedName(operation) !== oldName && !taken.has(operation));
    const add = candidates[0];
    if (!add) continue;
    const certain = candidates.length === 1 && columnShape(analysis, readColumnDefinition(argument(add, 'column'))!) === columnShape(analysis, oldColumn);
    const newName = readColumnDefinition(argument(add, 'column'))!.name!;
    taken.add(add);
    artifacts.push({
      kind: 'column',
      table,
      oldName,
      newName,
      upgradeDrop: drop,
      upgradeCreate: add,
      downgradeCreate: readd,
      downgradeDrop: downgradeColumnDrops.get(pairKey(table, newName)),
      certain,
      candidates,
    });
  }
  return artifacts;
}

export interface EnumUse {
  type: ColumnType;
  operation: MigrationOperation;
  /** The type is created by this operation (create_table creates its Enum types; add_column doesn't). */
  createsType: boolean;
  column?: string;
}

/** Every Enum type upgrade() creates or uses, in order (AW305; the types a revision leaves for later ones). */
export function enumUses(analysis: MigrationAnalysis): EnumUse[] {
  const uses: EnumUse[] = [];
  for (const operation of analysis.upgradeOperations) {
    if (operation.name === 'create_type' && operation.enumType?.enumName) {
      uses.push({ type: operation.enumType, operation, createsType: true });
    } else if (operation.name === 'create_table' && operation.receiver === 'op') {
      for (const column of createTableColumns(operation)) {
        if (column.type?.family === 'enum' && column.type.enumName && column.type.createType !== false) {
          uses.push({ type: column.type, operation, createsType: true, column: column.name });
        }
      }
    } else if (operation.name === 'add_column' && (operation.receiver === 'op' || operation.receiver === 'batch')) {
      const column = readColumnDefinition(bindArguments(operation).get('column')?.value);
      if (column?.type?.family === 'enum' && column.type.enumName) uses.push({ type: column.type, operation, createsType: false, column: column.name });
    } else if (operation.name === 'alter_column' && (operation.receiver === 'op' || operation.receiver === 'batch')) {
      const type = readColumnType(bindArguments(operation).get('type_')?.value);
      if (type?.family === 'enum' && type.enumName) uses.push({ type, operation, createsType: false, column: staticString(bindArguments(operation).get('column_name')?.value) });
    }
    for (const statement of operation.sql?.statements ?? []) {
      if (statement.kind === 'create_type' && statement.name) {
        uses.push({ type: { family: 'enum', display: `ENUM ${statement.name}`, enumName: statement.name, from: operation.call.from, to: operation.call.to }, operation, createsType: true });
      }
    }
  }
  return uses;
}

/** Names of the Enum types a revision's upgrade() creates (create_table's Enum columns, .create(bind), CREATE TYPE). */
export function createdEnumTypes(analysis: MigrationAnalysis): string[] {
  return [...new Set(enumUses(analysis).filter((use) => use.createsType && use.type.createType !== false).map((use) => use.type.enumName!))];
}
