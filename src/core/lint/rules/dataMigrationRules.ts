// AW501-AW503: data migrations and raw SQL. Literal SQL given to op.execute / conn.execute is
// classified (see sqlStatements.ts) so the lock and data-loss reasoning of the other rules applies
// to hand-written SQL too.
import { operationTable, type MigrationOperation } from '../migrationOperations';
import { isDataStatement, type AlterTableAction, type SqlStatement } from '../sqlStatements';
import { findingAt, plural } from './ruleHelpers';
import type { LintRule, RuleContext, RuleFinding } from './ruleTypes';

const docs = (name: string) => `docs/rules/${name}.md`;

interface DataChange {
  operation: MigrationOperation;
  kind: string;
  table?: string;
}

/** Row changes of one operation: DML in literal SQL, Core update/insert/delete, bulk_insert. */
function dataChangesOf(operation: MigrationOperation): DataChange[] {
  if (operation.name === 'bulk_insert') return [{ operation, kind: 'INSERT', table: operationTable(operation) }];
  if (operation.name === 'orm_write') return [{ operation, kind: `ORM session.${operation.call.callee.kind === 'attribute' ? operation.call.callee.attribute : 'write'}()` }];
  if (operation.coreStatement) return [{ operation, kind: operation.coreStatement.kind.toUpperCase(), table: operation.coreStatement.table }];
  return (operation.sql?.statements ?? []).filter(isDataStatement).map((statement) => ({ operation, kind: statement.kind.toUpperCase(), table: statement.table }));
}

/** Whether the operation changes schema (everything but pure data changes and no-op SQL). */
function isSchemaChange(operation: MigrationOperation): boolean {
  if (operation.name === 'bulk_insert' || operation.coreStatement || operation.receiver === 'session') return false;
  if (operation.name === 'execute') {
    return (operation.sql?.statements ?? []).some((statement) => !isDataStatement(statement) && statement.kind !== 'select' && statement.kind !== 'other' && statement.kind !== 'do_block');
  }
  return true;
}

function schemaTables(operation: MigrationOperation): string[] {
  const tables: string[] = [];
  const table = operation.name === 'execute' ? undefined : operationTable(operation);
  if (table) tables.push(table);
  for (const statement of operation.sql?.statements ?? []) if (statement.table) tables.push(statement.table);
  return tables;
}

export const dataMigrationMixed: LintRule = {
  code: 'AW501',
  name: 'data-migration-mixed',
  category: 'data-migration',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'DML (UPDATE/INSERT/DELETE, bulk_insert) in the same revision as schema changes.',
  docsPath: docs('data-migration-mixed'),
  check(context) {
    const { analysis } = context;
    const operations = analysis.upgradeOperations;
    // Seed rows for a table this revision creates belong with it (op.create_table + op.bulk_insert).
    // Backfilling a column this transaction just added is part of that schema change, not a data migration.
    const dataChanges = operations
      .flatMap(dataChangesOf)
      .filter((change) => !(change.table && analysis.isNewTable(change.operation, change.table)))
      .filter((change) => !analysis.isBackfill(change.operation, change.table, change.kind));
    const schemaOperations = operations.filter(isSchemaChange);
    if (dataChanges.length === 0 || schemaOperations.length === 0) return [];
    const first = dataChanges[0];
    const lockedBefore = new Set(
      schemaOperations.filter((operation) => operation.index < first.operation.index).flatMap((operation) => schemaTables(operation).map((table) => table.toLowerCase())),
    );
    const sameTable = first.table && lockedBefore.has(first.table.toLowerCase());
    const example = `${first.kind}${first.table ? ` ${first.table}` : ''}`;
    return [
      findingAt(
        first.operation,
        `This revision changes data (${plural(dataChanges.length, 'statement')}, e.g. ${example}) and schema (${plural(schemaOperations.length, 'operation')}) in one transaction: ` +
          (sameTable
            ? `the row changes run while the schema change still holds its ACCESS EXCLUSIVE lock on ${first.table}, so reads and writes on it wait for the whole backfill; `
            : 'a long data change holds the schema change\'s locks until commit; ') +
          `a failure rolls both back, and neither can be re-run or reverted alone. Move the data migration to its own revision (one migration per logical change).`,
      ),
    ];
  },
};

export const unboundedUpdate: LintRule = {
  code: 'AW502',
  name: 'unbounded-update',
  category: 'data-migration',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'UPDATE or DELETE without WHERE in a migration touches every row in one transaction.',
  docsPath: docs('unbounded-update'),
  check(context) {
    const { analysis } = context;
    const findings: RuleFinding[] = [];
    for (const operation of analysis.migration.operations) {
      const unbounded: Array<{ kind: string; table?: string }> = [];
      if (operation.coreStatement && !operation.coreStatement.hasWhere && operation.coreStatement.kind !== 'insert') unbounded.push(operation.coreStatement);
      for (const statement of operation.sql?.statements ?? []) {
        if ((statement.kind === 'update' || statement.kind === 'delete') && !statement.hasWhere) unbounded.push(statement);
      }
      for (const statement of unbounded) {
        if (statement.table && analysis.isNewTable(operation, statement.table)) continue;
        const table = statement.table ?? 'the table';
        findings.push(
          findingAt(
            operation,
            statement.kind === 'update'
              ? `UPDATE ${table} without WHERE rewrites every row in one transaction: all rows of ${table} stay locked until commit (concurrent writes wait) and the table and WAL bloat. ` +
                  `Limit it to the rows that need it (e.g. WHERE <col> IS NULL) and, on a large table, update in batches by primary key range in an autocommit_block.`
              : `DELETE FROM ${table} without WHERE removes every row in one transaction, holding row locks on all of them until commit; the downgrade can't bring them back. ` +
                  `Add the WHERE that selects the rows you mean; if you really mean all of them, suppress this finding with a comment saying why.`,
          ),
        );
      }
    }
    return findings;
  },
};

const VOLATILE_DEFAULT = /\b(random|gen_random_uuid|uuid_generate_v[1-5]\w*|clock_timestamp|timeofday|nextval)\s*\(/i;

/** The risk of one raw SQL statement (or ALTER TABLE action), or undefined when it is harmless. */
function rawSqlRisk(statement: SqlStatement, action: AlterTableAction | undefined, context: RuleContext, operation: MigrationOperation): string | undefined {
  const postgres = context.context.dialect === 'postgresql';
  const table = statement.table ?? 'the table';
  const isNew = statement.table !== undefined && context.analysis.isNewTable(operation, statement.table);
  if (action) {
    const column = action.column ?? '?';
    switch (action.kind) {
      case 'alter_column_type':
        if (isNew) return undefined;
        return `ALTER COLUMN ${column} TYPE rewrites ${table} and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait); see changing-column-type for the expand/contract way.`;
      case 'set_not_null':
        if (isNew) return undefined;
        return `SET NOT NULL on ${table}.${column} scans the whole table under an ACCESS EXCLUSIVE lock and fails on NULLs${
          postgres && context.context.postgresVersion >= 12 ? '; add a CHECK (... IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL skips the scan' : ''
        }.`;
      case 'add_column':
        if (isNew) return undefined;
        if (action.notNull && !action.defaultExpression) return `ADD COLUMN ${column} NOT NULL without DEFAULT fails as soon as ${table} has a row.`;
        if (postgres && action.defaultExpression && VOLATILE_DEFAULT.test(action.defaultExpression)) {
          return `ADD COLUMN ${column} with the volatile DEFAULT ${action.defaultExpression} rewrites ${table} under an ACCESS EXCLUSIVE lock.`;
        }
        return undefined;
      case 'drop_column':
        return `DROP COLUMN ${column} deletes the column's data for good and breaks app code that still reads it.`;
      case 'add_constraint':
        if (isNew || !postgres) return undefined;
        if (action.constraintKind === 'foreign_key' && !action.notValid) {
          return `ADD FOREIGN KEY on ${table} locks both tables and scans ${table}; add it NOT VALID and VALIDATE CONSTRAINT in a separate transaction.`;
        }
        if (action.constraintKind === 'check' && !action.notValid) {
          return `ADD CHECK on ${table} scans the whole table under an ACCESS EXCLUSIVE lock; add it NOT VALID and VALIDATE CONSTRAINT separately.`;
        }
        if ((action.constraintKind === 'unique' || action.constraintKind === 'primary_key') && !action.usingIndex) {
          return `ADD ${action.constraintKind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} on ${table} builds an index under an ACCESS EXCLUSIVE lock; build it with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX.`;
        }
        return undefined;
      case 'rename_column':
        if (isNew) return undefined;
        return `RENAME COLUMN ${column} breaks app code that still uses the old name during the deploy.`;
      case 'rename_table':
        if (isNew) return undefined;
        return `RENAME TO ${action.newName ?? '?'} breaks app code that still queries ${table} during the deploy.`;
      default:
        return undefined;
    }
  }
  switch (statement.kind) {
    case 'create_index':
      if (!postgres || statement.concurrently || isNew) return undefined;
      return `CREATE INDEX without CONCURRENTLY blocks writes to ${table} while the index builds; use CREATE INDEX CONCURRENTLY in an autocommit_block.`;
    case 'drop_index':
      if (!postgres || statement.concurrently) return undefined;
      return `DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table; use DROP INDEX CONCURRENTLY in an autocommit_block.`;
    case 'drop_table':
      return `DROP TABLE ${(statement.tables ?? []).join(', ') || table} deletes every row for good; the downgrade can only recreate it empty.`;
    case 'truncate':
      return `TRUNCATE ${(statement.tables ?? []).join(', ') || table} deletes every row for good and takes an ACCESS EXCLUSIVE lock.`;
    case 'alter_type':
      if (postgres && statement.addsEnumValue && context.context.postgresVersion < 12 && !operation.inAutocommitBlock) {
        return `ALTER TYPE ${statement.name ?? ''} ADD VALUE cannot run inside a transaction block before PostgreSQL 12 (this project targets ${context.context.postgresVersion}); run it in an autocommit_block.`;
      }
      return undefined;
    case 'refresh_materialized_view':
      if (!postgres || statement.concurrently) return undefined;
      return `REFRESH MATERIALIZED VIEW ${statement.name ?? ''} without CONCURRENTLY blocks every read of the view until it finishes.`;
    default:
      return undefined;
  }
}

export const rawSqlDdlRisk: LintRule = {
  code: 'AW503',
  name: 'raw-sql-ddl-risk',
  category: 'data-migration',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'Literal SQL with risky DDL: ALTER ... TYPE, SET NOT NULL, CREATE INDEX without CONCURRENTLY, DROP TABLE, TRUNCATE...',
  docsPath: docs('raw-sql-ddl-risk'),
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of context.analysis.upgradeOperations) {
      // The DROP TABLE of a hand-written rebuild drops rows it copied first.
      if (context.analysis.tableRebuildOf(operation)) continue;
      for (const statement of operation.sql?.statements ?? []) {
        const risks = statement.actions?.length
          ? statement.actions.map((action) => rawSqlRisk(statement, action, context, operation))
          : [rawSqlRisk(statement, undefined, context, operation)];
        for (const risk of risks) {
          if (risk) findings.push(findingAt(operation, `Raw SQL: ${risk}`));
        }
      }
    }
    return findings;
  },
};

export const DATA_MIGRATION_RULES: readonly LintRule[] = [dataMigrationMixed, unboundedUpdate, rawSqlDdlRisk];
