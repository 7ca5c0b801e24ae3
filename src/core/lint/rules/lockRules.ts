// AW101-AW109: operations that lock or rewrite a table that is already in use. Only upgrade() is
// checked (downgrades are checked for reversibility); tables created earlier in the same function
// are skipped: nobody else can see them yet.
import type { FindingTable } from '../findings';
import { bindArguments, operationTable, operationTableReference, readColumnDefinition, type MigrationOperation } from '../migrationOperations';
import { sqlIdentifier } from '../migrationAnalysis';
import { calleeLastSegment, dereference, isCall, literalValue, staticString, staticText, type PyExpression } from '../pythonExpressions';
import { addKeywordArgument, allEdits, autocommitHeader, findingAt, nameOf } from './ruleHelpers';
import type { LintRule, RuleContext, RuleFinding } from './ruleTypes';

const docs = (name: string) => `docs/rules/${name}.md`;

const isTableOp = (operation: MigrationOperation) => operation.receiver === 'op' || operation.receiver === 'batch';

function upgradeOps(context: RuleContext, name: string | string[]): MigrationOperation[] {
  const names = Array.isArray(name) ? name : [name];
  return context.analysis.upgradeOperations.filter((operation) => isTableOp(operation) && names.includes(operation.name));
}

const tableLabel = (table: string | undefined) => table ?? 'the table';
const columnLabel = (table: string | undefined, column: string | undefined) => `${table ?? '?'}.${column ?? '?'}`;

export const changingColumnType: LintRule = {
  code: 'AW101',
  name: 'changing-column-type',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql', 'mysql'],
  summary: 'alter_column(type_=...) rewrites the table under an exclusive lock (known-safe widenings are only info).',
  docsPath: docs('changing-column-type'),
  concurrencyOnly: true,
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of upgradeOps(context, 'alter_column')) {
      const facts = context.analysis.typeChangeOf(operation);
      if (!facts || facts.change.kind === 'same') continue;
      if (context.analysis.isNewTable(operation, facts.table) || context.analysis.isNewColumn(operation, facts.table, facts.column)) continue;
      // A narrowing change is reported once, by the more specific AW204.
      if (facts.change.kind === 'narrowing' && context.isEnabled('AW204')) continue;
      const target = columnLabel(facts.table, facts.column);
      const table = tableLabel(facts.table);
      const mysql = context.context.dialect === 'mysql';
      if (facts.change.kind === 'safe-widening') {
        // Its only cost is the brief lock, and this transaction already holds that lock on the table.
        if (context.analysis.exclusiveLockHolder(operation, facts.table)) continue;
        findings.push(
          findingAt(
            operation,
            mysql
              ? `Changing ${target}: ${facts.change.reason}. MySQL still copies the table unless it can do the change in place (ALGORITHM=INPLACE); check that before running it on a large table.`
              : `Changing ${target}: ${facts.change.reason}, so PostgreSQL only updates the catalog (no rewrite). It still takes a brief ACCESS EXCLUSIVE lock on ${table}, which waits behind long-running queries and blocks everything queued after it; run it with a lock_timeout.`,
            { severity: 'info' },
          ),
        );
        continue;
      }
      const change = `${facts.from?.display ?? 'its current type'} to ${facts.to.display}`;
      const unknown = facts.change.kind === 'unknown' ? ` (${facts.change.reason})` : '';
      findings.push(
        findingAt(
          operation,
          mysql
            ? `Changing the type of ${target} from ${change}${unknown} makes MySQL copy ${table} row by row while writes to it are blocked. Safer: add a new column of the new type, backfill it in batches, switch the app to it, then drop the old column.`
            : `Changing the type of ${target} from ${change}${unknown} rewrites ${table} and its indexes under an ACCESS EXCLUSIVE lock: every read and write on ${table} waits until the rewrite ends. Safer: add a new column of the new type, backfill it in batches, switch the app to it, then drop the old column (expand/contract).`,
        ),
      );
    }
    return findings;
  },
};

export const addingRequiredColumn: LintRule = {
  code: 'AW102',
  name: 'adding-required-column',
  category: 'lock',
  defaultSeverity: 'error',
  dialects: 'all',
  summary: 'add_column of a NOT NULL column without server_default fails on a table that has rows.',
  docsPath: docs('adding-required-column'),
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of upgradeOps(context, 'add_column')) {
      const column = readColumnDefinition(bindArguments(operation).get('column')?.value);
      if (!column || column.nullable || column.serverDefault) continue;
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table)) continue;
      const target = columnLabel(table, column.name);
      const pythonDefault = column.hasPythonDefault
        ? ' (default= is applied by SQLAlchemy to new INSERTs only; existing rows would get NULL)'
        : '';
      const advice = `Add it with nullable=True, backfill it, then alter_column(..., nullable=False) in a later revision; or give it a constant server_default${context.context.dialect === 'postgresql' ? ' (PostgreSQL 11+ adds that without a rewrite)' : ''}.`;
      // What happens differs by dialect: only MySQL succeeds, and then with made-up values.
      const { dialect } = context.context;
      const outcome =
        dialect === 'mysql'
          ? `succeeds on MySQL but fills the existing rows of ${tableLabel(table)} with the type's implicit default (0, '', a zero date), not a value you chose`
          : dialect === 'sqlite'
            ? `fails on SQLite even on an empty table ("Cannot add a NOT NULL column with default value NULL")`
            : `fails as soon as ${tableLabel(table)} has a row (${dialect === 'oracle' ? 'ORA-01758' : dialect === 'mssql' ? 'error 4901' : '"column contains null values"'})`;
      findings.push(
        findingAt(operation, `Adding NOT NULL column ${target} without a server_default ${outcome}${pythonDefault}. ${advice}`, dialect === 'mysql' ? { severity: 'warning' } : {}),
      );
    }
    return findings;
  },
};

export const settingNotNull: LintRule = {
  code: 'AW103',
  name: 'setting-not-null',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql', 'mysql'],
  summary: 'alter_column(nullable=False) on an existing table scans it under an exclusive lock and fails on NULLs.',
  docsPath: docs('setting-not-null'),
  check(context) {
    const findings: RuleFinding[] = [];
    const checkSteps = checkStepsByTable(context.analysis.upgradeOperations);
    for (const operation of upgradeOps(context, 'alter_column')) {
      const args = bindArguments(operation);
      if (literalValue(args.get('nullable')?.value) !== false) continue;
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table)) continue;
      const column = nameOf(operation, 'column_name');
      // add column -> backfill -> SET NOT NULL in one transaction: the table is locked since the
      // add_column and the column was just filled; the split advice below does not apply.
      const holder = context.analysis.exclusiveLockHolder(operation, table);
      if (holder && table && context.analysis.isNewColumn(operation, table, column) && context.analysis.updatesBetween(holder.index, operation.index, operation.functionKind, table)) continue;
      const { dialect, postgresVersion } = context.context;
      // The safe way this rule's advice teaches, done: PostgreSQL 12+ reads the validated check and skips the scan.
      if (dialect === 'postgresql' && postgresVersion >= 12 && table && column && hasValidatedNotNullCheck(checkSteps, operation, table, column)) continue;
      const target = columnLabel(table, column);
      let advice: string;
      if (dialect === 'mysql') {
        advice = `MySQL rebuilds ${tableLabel(table)} to change nullability. Backfill NULLs first and run it when the table is quiet.`;
      } else if (postgresVersion >= 12) {
        const constraint = `${column ?? 'col'}_not_null`;
        advice =
          `On PostgreSQL ${postgresVersion}: backfill NULLs, add CHECK (${column ?? 'col'} IS NOT NULL) NOT VALID ` +
          `(op.create_check_constraint('${constraint}', '${table ?? 't'}', '${column ?? 'col'} IS NOT NULL', postgresql_not_valid=True)), ` +
          `VALIDATE it in a separate transaction (no exclusive lock), then SET NOT NULL skips the scan; drop the check afterwards.`;
      } else {
        advice = `PostgreSQL ${postgresVersion} can't skip the scan (that needs 12+): backfill NULLs first and run it in a quiet window, or enforce it with a CHECK ... NOT VALID constraint validated separately.`;
      }
      findings.push(
        findingAt(
          operation,
          `Setting ${target} NOT NULL scans all of ${tableLabel(table)} under an ACCESS EXCLUSIVE lock (reads and writes wait) and fails if any row holds NULL. ${advice}`,
        ),
      );
    }
    return findings;
  },
};

/** `col IS NOT NULL`, optionally parenthesised or quoted: the check that lets SET NOT NULL skip its scan. */
function isNotNullCondition(condition: string, column: string): boolean {
  const match = /^\s*\(?\s*"?([A-Za-z_][\w$]*)"?\s+IS\s+NOT\s+NULL\s*\)?\s*$/i.exec(condition);
  return match !== null && match[1].toLowerCase() === column.toLowerCase();
}

/** Upgrade operations that may add, validate or drop a constraint, by lower-cased table (in order). */
type CheckSteps = Map<string, MigrationOperation[]>;

/** Built once per rule run, so each SET NOT NULL reads its table's few constraint steps, not the whole upgrade. */
function checkStepsByTable(operations: readonly MigrationOperation[]): CheckSteps {
  const steps: CheckSteps = new Map();
  for (const operation of operations) {
    const tables = new Set<string>();
    const table = isTableOp(operation) ? operationTable(operation) : undefined;
    if (table && (operation.name === 'create_check_constraint' || operation.name === 'drop_constraint')) tables.add(table.toLowerCase());
    for (const statement of operation.sql?.statements ?? []) if (statement.kind === 'alter_table' && statement.table) tables.add(statement.table.toLowerCase());
    for (const each of tables) {
      const list = steps.get(each);
      if (list) list.push(operation);
      else steps.set(each, [operation]);
    }
  }
  return steps;
}

/**
 * Whether, before `operation`, the upgrade left a valid CHECK (column IS NOT NULL) on the table: one
 * added without NOT VALID, or added NOT VALID and then VALIDATEd (op.create_check_constraint or raw
 * ALTER TABLE ... ADD CONSTRAINT), and not dropped since.
 */
function hasValidatedNotNullCheck(checkSteps: CheckSteps, operation: MigrationOperation, table: string, column: string): boolean {
  const sameTable = (name: string | undefined) => name?.toLowerCase() === table.toLowerCase();
  const checks = new Map<string, boolean>();
  for (const earlier of checkSteps.get(table.toLowerCase()) ?? []) {
    if (earlier.index >= operation.index) break;
    const args = bindArguments(earlier);
    const name = staticString(args.get('constraint_name')?.value)?.toLowerCase();
    if (isTableOp(earlier) && sameTable(operationTable(earlier)) && name) {
      const condition = staticText(args.get('condition')?.value);
      if (earlier.name === 'create_check_constraint' && condition !== undefined && isNotNullCondition(condition, column)) {
        checks.set(name, literalValue(args.get('postgresql_not_valid')?.value) !== true);
      }
      if (earlier.name === 'drop_constraint') checks.delete(name);
    }
    for (const statement of earlier.sql?.statements ?? []) {
      if (statement.kind !== 'alter_table' || !sameTable(statement.table)) continue;
      for (const action of statement.actions ?? []) {
        const actionName = action.constraintName?.toLowerCase();
        if (!actionName) continue;
        const condition = /\bCHECK\s*\((.*)\)/is.exec(action.text)?.[1];
        if (action.kind === 'add_constraint' && action.constraintKind === 'check' && condition !== undefined && isNotNullCondition(condition, column)) checks.set(actionName, !action.notValid);
        if (action.kind === 'validate_constraint' && checks.has(actionName)) checks.set(actionName, true);
        if (action.kind === 'drop_constraint') checks.delete(actionName);
      }
    }
  }
  return [...checks.values()].some((valid) => valid);
}

function isConcurrent(operation: MigrationOperation): boolean {
  return literalValue(bindArguments(operation).get('postgresql_concurrently')?.value) === true;
}

/** postgresql_concurrently=True plus, when needed, the autocommit block around the statement. */
function concurrentlyFix(context: RuleContext, operation: MigrationOperation, title: string) {
  if (operation.receiver !== 'op' || !operation.isWholeStatement) return undefined;
  const addKeyword = addKeywordArgument(operation, 'postgresql_concurrently=True');
  const edits = operation.inAutocommitBlock
    ? [addKeyword]
    : allEdits([context.analysis.wrapStatement(operation.statement, autocommitHeader(context.analysis), [addKeyword])]);
  return edits ? { title, edits } : undefined;
}

export const nonConcurrentIndex: LintRule = {
  code: 'AW104',
  name: 'non-concurrent-index',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql'],
  summary: 'create_index on an existing PostgreSQL table without postgresql_concurrently=True blocks writes.',
  docsPath: docs('non-concurrent-index'),
  concurrencyOnly: true,
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of upgradeOps(context, 'create_index')) {
      if (isConcurrent(operation)) continue;
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table)) continue;
      const index = nameOf(operation, 'index_name') ?? '(unnamed index)';
      findings.push(
        findingAt(
          operation,
          `Creating index ${index} on ${tableLabel(table)} without CONCURRENTLY takes a SHARE lock: every INSERT, UPDATE and DELETE on ${tableLabel(table)} waits until the whole index is built. ` +
            `Pass postgresql_concurrently=True inside with op.get_context().autocommit_block(): (CONCURRENTLY can't run in a transaction); keep it in its own revision, since the block commits what ran before it.`,
          { fix: concurrentlyFix(context, operation, 'Create the index concurrently (postgresql_concurrently=True in an autocommit block)') },
        ),
      );
    }
    return findings;
  },
};

export const concurrentIndexInTransaction: LintRule = {
  code: 'AW105',
  name: 'concurrent-index-in-transaction',
  category: 'lock',
  defaultSeverity: 'error',
  dialects: ['postgresql'],
  summary: 'A concurrent index create or drop outside autocommit_block() fails: Alembic runs migrations in a transaction.',
  docsPath: docs('concurrent-index-in-transaction'),
  check(context) {
    const findings: RuleFinding[] = [];
    const { analysis } = context;
    for (const operation of analysis.migration.operations) {
      if (operation.inAutocommitBlock) continue;
      let statementKind: string | undefined;
      if ((operation.name === 'create_index' || operation.name === 'drop_index') && isTableOp(operation) && isConcurrent(operation)) {
        statementKind = operation.name === 'create_index' ? 'CREATE INDEX CONCURRENTLY' : 'DROP INDEX CONCURRENTLY';
      }
      for (const statement of operation.sql?.statements ?? []) {
        if ((statement.kind === 'create_index' || statement.kind === 'drop_index') && statement.concurrently) {
          statementKind = statement.kind === 'create_index' ? 'CREATE INDEX CONCURRENTLY' : 'DROP INDEX CONCURRENTLY';
        }
      }
      if (!statementKind) continue;
      const wrap = operation.isWholeStatement ? analysis.wrapStatement(operation.statement, autocommitHeader(analysis)) : undefined;
      findings.push(
        findingAt(
          operation,
          `${statementKind} cannot run inside a transaction block, and Alembic runs each migration in one: ${operation.functionKind}() fails with "${statementKind} cannot run inside a transaction block". ` +
            `Wrap it in with op.get_context().autocommit_block():.`,
          { fix: wrap ? { title: 'Run it in an autocommit block', edits: wrap } : undefined },
        ),
      );
    }
    return findings;
  },
};

export const nonConcurrentIndexDrop: LintRule = {
  code: 'AW106',
  name: 'non-concurrent-index-drop',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql'],
  summary: 'drop_index without postgresql_concurrently=True takes an ACCESS EXCLUSIVE lock on the table.',
  docsPath: docs('non-concurrent-index-drop'),
  concurrencyOnly: true,
  check(context) {
    const findings: RuleFinding[] = [];
    // Where each index is first created and each table last dropped: lookups instead of a scan per drop_index.
    const firstIndexCreation = new Map<string | undefined, number>();
    const lastTableDrop = new Map<string, number>();
    for (const each of context.analysis.upgradeOperations) {
      if (each.name === 'create_index' && !firstIndexCreation.has(nameOf(each, 'index_name'))) firstIndexCreation.set(nameOf(each, 'index_name'), each.index);
      const dropped = each.name === 'drop_table' ? operationTable(each) : undefined;
      if (dropped !== undefined) lastTableDrop.set(dropped, each.index);
    }
    for (const operation of upgradeOps(context, 'drop_index')) {
      if (isConcurrent(operation)) continue;
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table)) continue;
      const index = nameOf(operation, 'index_name') ?? '(unnamed index)';
      const createdHere = (firstIndexCreation.get(index) ?? Infinity) < operation.index;
      // Dropping the index right before dropping its table (autogenerate's order) adds no lock of its own.
      const tableDroppedLater = table !== undefined && (lastTableDrop.get(table) ?? -Infinity) > operation.index;
      // The transaction already holds ACCESS EXCLUSIVE on the table: this lock adds no wait.
      if (createdHere || tableDroppedLater || context.analysis.exclusiveLockHolder(operation, table)) continue;
      findings.push(
        findingAt(
          operation,
          `Dropping index ${index} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${tableLabel(table)}: it waits for running queries, and every read and write queued behind it waits too. ` +
            `Pass postgresql_concurrently=True inside with op.get_context().autocommit_block():.`,
          { fix: concurrentlyFix(context, operation, 'Drop the index concurrently (postgresql_concurrently=True in an autocommit block)') },
        ),
      );
    }
    return findings;
  },
};

/** Both tables a foreign key locks: the source (first) and the referenced one. */
function lockedTables(operation: MigrationOperation): FindingTable[] | undefined {
  const source = operationTableReference(operation);
  const args = bindArguments(operation);
  const referent = staticString(args.get('referent_table')?.value);
  const referentSchema = staticString(args.get('referent_schema')?.value);
  const tables: FindingTable[] = source ? [source] : [];
  if (referent && !(referent === source?.name && referentSchema === source?.schema)) tables.push(referentSchema ? { name: referent, schema: referentSchema } : { name: referent });
  return tables.length > 0 ? tables : undefined;
}

export const foreignKeyLock: LintRule = {
  code: 'AW107',
  name: 'foreign-key-lock',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql'],
  summary: 'create_foreign_key between existing tables locks both and scans the source table (use NOT VALID + VALIDATE).',
  docsPath: docs('foreign-key-lock'),
  concurrencyOnly: true,
  check(context) {
    const findings: RuleFinding[] = [];
    const { analysis } = context;
    for (const operation of upgradeOps(context, 'create_foreign_key')) {
      const args = bindArguments(operation);
      if (literalValue(args.get('postgresql_not_valid')?.value) === true) continue;
      const source = operationTable(operation);
      if (analysis.isNewTable(operation, source)) continue;
      const referent = nameOf(operation, 'referent_table') ?? 'the referenced table';
      const name = nameOf(operation, 'constraint_name');
      let fix: RuleFinding['fix'];
      if (name && source && operation.receiver === 'op' && operation.isWholeStatement) {
        const validate = `${analysis.migration.opAlias}.execute(${analysis.pyString(`ALTER TABLE ${sqlIdentifier(source)} VALIDATE CONSTRAINT ${sqlIdentifier(name)}`)})`;
        const after = operation.inAutocommitBlock
          ? analysis.insertLinesAfter(operation.statement, [validate])
          : analysis.insertLinesAfter(operation.statement, [autocommitHeader(analysis), `${analysis.indentUnit}${validate}`]);
        const edits = allEdits([addKeywordArgument(operation, 'postgresql_not_valid=True'), after]);
        if (edits) fix = { title: 'Add the foreign key NOT VALID, then VALIDATE it outside the transaction', edits };
      }
      findings.push(
        findingAt(
          operation,
          `Adding foreign key ${name ?? '(unnamed)'} from ${tableLabel(source)} to ${referent} takes SHARE ROW EXCLUSIVE locks on both tables and scans all of ${tableLabel(source)} to validate it; writes to both wait meanwhile. ` +
            `Add it with postgresql_not_valid=True (only new rows are checked), then run ALTER TABLE ${source ?? '<table>'} VALIDATE CONSTRAINT ${name ?? '<name>'} in a separate transaction, which doesn't block writes.`,
          { fix, tables: lockedTables(operation) },
        ),
      );
    }
    return findings;
  },
};

export const uniqueConstraintLock: LintRule = {
  code: 'AW108',
  name: 'unique-constraint-lock',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql'],
  summary: 'create_unique_constraint / create_primary_key on an existing table builds an index under an exclusive lock.',
  docsPath: docs('unique-constraint-lock'),
  concurrencyOnly: true,
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of upgradeOps(context, ['create_unique_constraint', 'create_primary_key'])) {
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table)) continue;
      const primary = operation.name === 'create_primary_key';
      const name = nameOf(operation, 'constraint_name') ?? (primary ? `${table ?? 't'}_pkey` : `uq_${table ?? 't'}`);
      const kind = primary ? 'PRIMARY KEY' : 'UNIQUE';
      findings.push(
        findingAt(
          operation,
          `Adding ${primary ? 'a primary key' : `unique constraint ${name}`} on ${tableLabel(table)} builds its index while holding an ACCESS EXCLUSIVE lock: all reads and writes on ${tableLabel(table)} wait until it is built. ` +
            `Build the index first with op.create_index('${name}', '${table ?? 't'}', [...], unique=True, postgresql_concurrently=True) in an autocommit_block, then attach it: ` +
            `op.execute('ALTER TABLE ${table ?? 't'} ADD CONSTRAINT ${name} ${kind} USING INDEX ${name}').`,
        ),
      );
    }
    return findings;
  },
};

/** Functions PostgreSQL evaluates per row (a DEFAULT with them rewrites the table). */
const VOLATILE_FUNCTIONS = /\b(random|gen_random_uuid|uuid_generate_v[1-5]\w*|clock_timestamp|timeofday|nextval|setseed|txid_current|gen_random_bytes)\s*\(/i;
/** Evaluated once per transaction: no rewrite on 11+, but every existing row gets the same value. */
const TRANSACTION_TIME = /\b(now\s*\(|current_timestamp|current_date|current_time|localtimestamp|localtime|transaction_timestamp\s*\(|statement_timestamp\s*\()/i;

/** The SQL of a server_default: 'text', sa.text('now()'), func.now(), sa.func.gen_random_uuid(). */
function serverDefaultSql(expression: PyExpression | undefined): string | undefined {
  const value = dereference(expression);
  if (!value) return undefined;
  const text = staticText(value);
  if (text !== undefined) return text;
  if (!isCall(value)) return undefined;
  const segment = calleeLastSegment(value);
  if (segment === 'text' || segment === 'literal_column') return staticText(value.args.positional[0]);
  // func.<name>(...) renders as <name>(...)
  if (value.callee.kind === 'attribute') {
    const owner = value.callee.object;
    const ownerName = owner.kind === 'attribute' ? owner.attribute : owner.kind === 'name' ? owner.name : undefined;
    if (ownerName === 'func') return `${value.callee.attribute}()`;
  }
  return undefined;
}

export const volatileDefault: LintRule = {
  code: 'AW109',
  name: 'volatile-default',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql'],
  summary: 'add_column with a volatile server_default (random(), uuid, clock_timestamp()) rewrites the table; now() stamps old rows.',
  docsPath: docs('volatile-default'),
  concurrencyOnly: true,
  check(context) {
    const findings: RuleFinding[] = [];
    const version = context.context.postgresVersion;
    for (const operation of upgradeOps(context, 'add_column')) {
      const column = readColumnDefinition(bindArguments(operation).get('column')?.value);
      if (!column?.serverDefault) continue;
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table)) continue;
      const sql = serverDefaultSql(column.serverDefault);
      const target = columnLabel(table, column.name);
      const shown = sql ?? context.analysis.text(column.serverDefault.from, column.serverDefault.to);
      if (sql !== undefined && VOLATILE_FUNCTIONS.test(sql)) {
        findings.push(
          findingAt(
            operation,
            `server_default ${shown} on new column ${target} is volatile: PostgreSQL computes it for every existing row, rewriting ${tableLabel(table)} under an ACCESS EXCLUSIVE lock. ` +
              `Add the column without a default, backfill it in batches, then set the default for new rows with alter_column(..., server_default=...).`,
          ),
        );
      } else if (sql !== undefined && TRANSACTION_TIME.test(sql)) {
        findings.push(
          findingAt(
            operation,
            version >= 11
              ? `server_default ${shown} on new column ${target} is evaluated once: every existing row of ${tableLabel(table)} gets the migration's timestamp, not a real value (PostgreSQL ${version} adds it without a rewrite). Backfill old rows if they need a real value.`
              : `Before PostgreSQL 11 any server_default on a new column rewrites ${tableLabel(table)} under an ACCESS EXCLUSIVE lock (this project targets ${version}); and every existing row gets the migration's timestamp. Add the column without a default, backfill, then set the default.`,
            { severity: version >= 11 ? 'info' : 'warning' },
          ),
        );
      } else if (version < 11) {
        findings.push(
          findingAt(
            operation,
            `Before PostgreSQL 11 any server_default on a new column rewrites ${tableLabel(table)} under an ACCESS EXCLUSIVE lock (this project targets ${version}). Add the column without a default, set the default separately, and backfill in batches.`,
          ),
        );
      }
    }
    return findings;
  },
};

export const LOCK_RULES: readonly LintRule[] = [
  changingColumnType,
  addingRequiredColumn,
  settingNotNull,
  nonConcurrentIndex,
  concurrentIndexInTransaction,
  nonConcurrentIndexDrop,
  foreignKeyLock,
  uniqueConstraintLock,
  volatileDefault,
];
