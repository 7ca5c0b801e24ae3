// AW110: DDL that takes a strong lock on an existing PostgreSQL table, with no lock_timeout (or
// statement_timeout) in force. Without one, the statement waits behind any long query and every
// query after it queues behind the waiting statement. Kept apart from lockRules.ts, which judges each
// operation: this rule judges the revision (one finding, at its first strong lock).
import { bindArguments, operationTable, type MigrationFile, type MigrationOperation } from '../migrationOperations';
import { literalValue } from '../pythonExpressions';
import { findingAt } from './ruleHelpers';
import type { LintRule, RuleContext, RuleFix } from './ruleTypes';

/** The lock each Alembic operation takes on an existing table (PostgreSQL), when it blocks reads or writes. */
const OPERATION_LOCKS: Record<string, string> = {
  add_column: 'ACCESS EXCLUSIVE',
  drop_column: 'ACCESS EXCLUSIVE',
  alter_column: 'ACCESS EXCLUSIVE',
  rename_table: 'ACCESS EXCLUSIVE',
  drop_table: 'ACCESS EXCLUSIVE',
  drop_index: 'ACCESS EXCLUSIVE',
  drop_constraint: 'ACCESS EXCLUSIVE',
  create_primary_key: 'ACCESS EXCLUSIVE',
  create_unique_constraint: 'ACCESS EXCLUSIVE',
  create_check_constraint: 'ACCESS EXCLUSIVE',
  create_exclude_constraint: 'ACCESS EXCLUSIVE',
  create_foreign_key: 'SHARE ROW EXCLUSIVE',
  create_index: 'SHARE',
};
const SQL_LOCKS: Record<string, string> = {
  alter_table: 'ACCESS EXCLUSIVE',
  drop_table: 'ACCESS EXCLUSIVE',
  truncate: 'ACCESS EXCLUSIVE',
  drop_index: 'ACCESS EXCLUSIVE',
  create_index: 'SHARE',
};
/** `SET [SESSION|LOCAL] lock_timeout ...` or `SELECT set_config('lock_timeout', ...)`; statement_timeout bounds the wait too. */
const SETS_TIMEOUT = /^\s*(?:SET\s+(?:SESSION\s+|LOCAL\s+)?|SELECT\s+set_config\s*\(\s*')(?:lock_timeout|statement_timeout)\b/i;
const SETS_LOCAL_TIMEOUT = /^\s*(?:SET\s+LOCAL\s|SELECT\s+set_config\s*\([^,]*,[^,]*,\s*true\s*\))/i;

interface StrongLock {
  operation: MigrationOperation;
  /** `op.add_column on users`, `ALTER TABLE on users`. */
  what: string;
  lock: string;
}

/** The timeout statements an operation runs: session-wide, or for its transaction only (SET LOCAL). */
function timeoutSet(operation: MigrationOperation): 'session' | 'transaction' | undefined {
  if (operation.name !== 'execute' && operation.name !== 'exec_driver_sql') return undefined;
  const statement = operation.sql?.statements.find((item) => SETS_TIMEOUT.test(item.text));
  if (!statement) return undefined;
  return SETS_LOCAL_TIMEOUT.test(statement.text) ? 'transaction' : 'session';
}

/** The strong lock an operation takes on a table that existed before this revision, if any. */
function strongLock(context: RuleContext, operation: MigrationOperation): StrongLock | undefined {
  if (operation.receiver === 'type') return undefined;
  if (operation.name === 'execute' || operation.name === 'exec_driver_sql') {
    for (const statement of operation.sql?.statements ?? []) {
      const lock = SQL_LOCKS[statement.kind];
      if (!lock || statement.concurrently) continue;
      // VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes go on.
      if (statement.kind === 'alter_table' && statement.actions?.length && statement.actions.every((action) => action.kind === 'validate_constraint')) continue;
      if (context.analysis.isNewTable(operation, statement.table)) continue;
      const verb = statement.text.split(/\s+/).slice(0, statement.kind === 'truncate' ? 1 : 2).join(' ').toUpperCase();
      return { operation, what: `${verb}${statement.table ? ` on ${statement.table}` : ''}`, lock };
    }
    return undefined;
  }
  if (operation.receiver !== 'op' && operation.receiver !== 'batch') return undefined;
  const lock = OPERATION_LOCKS[operation.name];
  if (!lock) return undefined;
  if (literalValue(bindArguments(operation).get('postgresql_concurrently')?.value) === true) return undefined;
  const table = operationTable(operation);
  if (context.analysis.isNewTable(operation, table)) return undefined;
  const receiver = operation.receiver === 'batch' ? 'batch_op' : 'op';
  return { operation, what: `${receiver}.${operation.name}${table ? ` on ${table}` : ''}`, lock };
}

/** The first strong lock of upgrade() taken with no timeout in force, if any. */
function firstUnboundedLock(context: RuleContext): StrongLock | undefined {
  const { analysis } = context;
  let sessionTimeout = false;
  const transactionsWithTimeout = new Set<number>();
  for (const operation of analysis.upgradeOperations) {
    const timeout = timeoutSet(operation);
    if (timeout === 'session') sessionTimeout = true;
    // SET LOCAL ends with its transaction (autocommit_block() commits it).
    if (timeout === 'transaction' && !operation.inAutocommitBlock) transactionsWithTimeout.add(analysis.transactionOf(operation));
    if (timeout) continue;
    if (sessionTimeout) return undefined;
    const lock = strongLock(context, operation);
    if (lock && !(!operation.inAutocommitBlock && transactionsWithTimeout.has(analysis.transactionOf(operation)))) return lock;
  }
  return undefined;
}

export const missingLockTimeout: LintRule = {
  code: 'AW110',
  name: 'missing-lock-timeout',
  category: 'lock',
  defaultSeverity: 'warning',
  dialects: ['postgresql'],
  summary: 'DDL that takes a strong lock on an existing PostgreSQL table with no lock_timeout (or statement_timeout) set in upgrade() or env.py.',
  docsPath: 'docs/rules/missing-lock-timeout.md',
  concurrencyOnly: true,
  check(context) {
    if (context.context.connectionSetsLockTimeout) return [];
    const found = firstUnboundedLock(context);
    if (!found) return [];
    const fix = timeoutFix(context.analysis.migration);
    return [
      findingAt(
        found.operation,
        `${found.what} takes ${/^[AEIOU]/.test(found.lock) ? 'an' : 'a'} ${found.lock} lock with no lock_timeout set: if a long query holds the table, the migration waits and every query after it queues behind it. ` +
          `Set lock_timeout at the top of upgrade() (or once in env.py) so the migration gives up quickly and can be retried.`,
        fix ? { fix } : {},
      ),
    ];
  },
};

/** Inserts the SET at the top of upgrade(), after its docstring. */
function timeoutFix({ upgrade, source, opAlias }: MigrationFile): RuleFix | undefined {
  if (!upgrade) return undefined;
  const [first, second] = upgrade.statements;
  const isDocstring = first !== undefined && /^[rRuU]?("""|'''|"|')/.test(source.slice(first.from, first.to));
  const at = isDocstring ? second : first;
  if (!at || at.indent === undefined) return undefined;
  return {
    title: `Set lock_timeout at the top of upgrade()`,
    edits: [{ from: at.lineStart, to: at.lineStart, newText: `${at.indent}${opAlias}.execute("SET lock_timeout = '5s'")\n` }],
  };
}

export const LOCK_TIMEOUT_RULES: readonly LintRule[] = [missingLockTimeout];
