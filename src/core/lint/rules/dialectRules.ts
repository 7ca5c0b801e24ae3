// AW401: SQLite can't ALTER columns or constraints; Alembic's batch mode copies the table instead.
import { bindArguments, operationTable, type MigrationOperation } from '../migrationOperations';
import { allEdits, findingAt, removeArgument } from './ruleHelpers';
import type { LintRule, OffsetEdit, RuleContext, RuleFinding } from './ruleTypes';

const CONSTRAINT_OPERATIONS = new Set(['create_foreign_key', 'create_unique_constraint', 'create_check_constraint', 'create_primary_key', 'drop_constraint']);

function batchFix(context: RuleContext, operation: MigrationOperation): RuleFinding['fix'] {
  const { analysis } = context;
  if (!operation.isWholeStatement || operation.call.callee.kind !== 'attribute') return undefined;
  const args = bindArguments(operation);
  const tableParameter = operation.name === 'create_foreign_key' ? 'source_table' : 'table_name';
  const tableArgument = args.get(tableParameter);
  if (!tableArgument) return undefined;
  const schema = args.get(operation.name === 'create_foreign_key' ? 'source_schema' : 'schema');
  const header = `with ${analysis.migration.opAlias}.batch_alter_table(${analysis.text(tableArgument.value.from, tableArgument.value.to)}${
    schema ? `, schema=${analysis.text(schema.value.from, schema.value.to)}` : ''
  }) as batch_op:`;
  const receiver = operation.call.callee.object;
  const inner: Array<OffsetEdit | undefined> = [{ from: receiver.from, to: receiver.to, newText: 'batch_op' }, removeArgument(operation, tableParameter)];
  if (schema) inner.push(removeArgument(operation, schema.name));
  const innerEdits = allEdits(inner);
  if (!innerEdits) return undefined;
  // Removing two neighbouring arguments can produce overlapping spans; keep it simple and refuse.
  const sorted = [...innerEdits].sort((a, b) => a.from - b.from);
  if (sorted.some((edit, index) => index > 0 && edit.from < sorted[index - 1].to)) return undefined;
  const edits = analysis.wrapStatement(operation.statement, header, innerEdits);
  return edits ? { title: `Run it in batch mode (with op.batch_alter_table(...) as batch_op)`, edits } : undefined;
}

export const sqliteAlterOutsideBatch: LintRule = {
  code: 'AW401',
  name: 'sqlite-alter-outside-batch',
  category: 'dialect',
  defaultSeverity: 'error',
  dialects: ['sqlite'],
  summary: 'On SQLite, ALTER-type operations (alter_column, constraints, drop_column) outside batch_alter_table fail.',
  docsPath: 'docs/rules/sqlite-alter-outside-batch.md',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of context.analysis.migration.operations) {
      if (operation.receiver !== 'op') continue;
      const table = operationTable(operation) ?? '?';
      const args = bindArguments(operation);
      let message: string | undefined;
      let severity: RuleFinding['severity'];
      if (operation.name === 'alter_column') {
        const onlyRename = args.has('new_column_name') && ![...args.keys()].some((name) => !['table_name', 'column_name', 'new_column_name', 'schema', 'existing_type', 'existing_nullable', 'existing_server_default', 'existing_comment'].includes(name));
        if (onlyRename) continue; // SQLite 3.25+ renames columns in place.
        message = `SQLite has no ALTER COLUMN: op.alter_column on ${table} fails with 'near "ALTER": syntax error'.`;
      } else if (CONSTRAINT_OPERATIONS.has(operation.name)) {
        message = `SQLite can't add or drop constraints with ALTER: op.${operation.name} on ${table} fails ("No support for ALTER of constraints in SQLite dialect").`;
      } else if (operation.name === 'drop_column') {
        message = `op.drop_column on ${table} needs SQLite 3.35+ and still fails when the column is indexed, unique, part of a key or a foreign key, or used by a view or trigger.`;
        severity = 'info';
      } else continue;
      findings.push(
        findingAt(
          operation,
          `${message} Run it in batch mode: with op.batch_alter_table('${table}') as batch_op: batch_op.${operation.name}(...); Alembic then copies the table ("move and copy"). Set render_as_batch=True in env.py so autogenerate writes batch operations.`,
          { severity, fix: batchFix(context, operation) },
        ),
      );
    }
    return findings;
  },
};

export const DIALECT_RULES: readonly LintRule[] = [sqliteAlterOutsideBatch];
