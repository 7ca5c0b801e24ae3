// AW201-AW205: operations that lose data or break the app code still running during a deploy.
// Only upgrade() is checked: a downgrade that drops what its upgrade created is its job.
import type { RenameArtifact } from '../migrationAnalysis';
import { bindArguments, operationTable, readColumnDefinition, type MigrationOperation } from '../migrationOperations';
import { keywordArgument, staticString } from '../pythonExpressions';
import { allEdits, deleteStatement, findingAt, nameOf, relatedAt, replaceStatement } from './ruleHelpers';
import type { LintRule, RuleContext, RuleFinding } from './ruleTypes';

const docs = (name: string) => `docs/rules/${name}.md`;
const isTableOp = (operation: MigrationOperation) => operation.receiver === 'op' || operation.receiver === 'batch';

/** Whether AW203 reports this operation as part of a rename artifact (then the generic drop rules stay quiet). */
function coveredByRenameRule(context: RuleContext, operation: MigrationOperation): boolean {
  // Only a certain rename takes over: a "possible rename" is an info, and the drop keeps its own warning.
  return context.isEnabled('AW203') && context.analysis.renameArtifactOf(operation)?.certain === true;
}

export const droppingColumn: LintRule = {
  code: 'AW201',
  name: 'dropping-column',
  category: 'data-loss',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'drop_column deletes the column\'s data for good and breaks app code that still reads it.',
  docsPath: docs('dropping-column'),
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of context.analysis.upgradeOperations) {
      if (operation.name !== 'drop_column' || !isTableOp(operation)) continue;
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table) || coveredByRenameRule(context, operation)) continue;
      if (context.analysis.isNewColumn(operation, table, nameOf(operation, 'column_name'))) continue;
      const column = nameOf(operation, 'column_name') ?? '?';
      findings.push(
        findingAt(
          operation,
          `Dropping column ${table ?? '?'}.${column} deletes its data for good (the downgrade can only re-add it empty), and app instances still running during the deploy break if they read it (SQLAlchemy selects every mapped column). ` +
            `Release code that no longer uses ${column} first, back up what you may need, then drop it in a later revision.`,
        ),
      );
    }
    return findings;
  },
};

export const droppingTable: LintRule = {
  code: 'AW202',
  name: 'dropping-table',
  category: 'data-loss',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'drop_table deletes every row for good; the downgrade can only recreate it empty.',
  docsPath: docs('dropping-table'),
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of context.analysis.upgradeOperations) {
      if (operation.name !== 'drop_table' || operation.receiver !== 'op') continue;
      const table = operationTable(operation);
      // The drop of a hand-written rebuild's temporary table: its rows were copied first.
      if (context.analysis.isNewTable(operation, table) || coveredByRenameRule(context, operation) || context.analysis.tableRebuildOf(operation)) continue;
      findings.push(
        findingAt(
          operation,
          `Dropping table ${table ?? '?'} deletes all its rows for good; the downgrade can only recreate it empty. ` +
            `Make sure no running code uses it (deploy that first), and keep the data until you are sure: e.g. rename it to ${table ?? 'table'}_old now and drop that in a later revision.`,
        ),
      );
    }
    return findings;
  },
};

function renameFix(context: RuleContext, artifact: RenameArtifact): RuleFinding['fix'] {
  const { analysis } = context;
  const op = analysis.migration.opAlias;
  const quote = (value: string) => analysis.pyString(value);
  const upgradeCreate = artifact.upgradeCreate;
  const inBatch = upgradeCreate.receiver === 'batch';
  const renameColumn = (from: string, to: string) =>
    inBatch
      ? `batch_op.alter_column(${quote(from)}, new_column_name=${quote(to)})`
      : `${op}.alter_column(${quote(artifact.table ?? '')}, ${quote(from)}, new_column_name=${quote(to)})`;
  const forward = artifact.kind === 'table' ? `${op}.rename_table(${quote(artifact.oldName)}, ${quote(artifact.newName)})` : renameColumn(artifact.oldName, artifact.newName);
  const backward = artifact.kind === 'table' ? `${op}.rename_table(${quote(artifact.newName)}, ${quote(artifact.oldName)})` : renameColumn(artifact.newName, artifact.oldName);
  const edits = [replaceStatement(analysis, upgradeCreate.statement, forward), deleteStatement(analysis, artifact.upgradeDrop.statement)];
  if (artifact.downgradeCreate && artifact.downgradeDrop && artifact.downgradeDrop.receiver === upgradeCreate.receiver) {
    edits.push(replaceStatement(analysis, artifact.downgradeCreate.statement, backward), deleteStatement(analysis, artifact.downgradeDrop.statement));
  }
  const wholeStatements = [artifact.upgradeCreate, artifact.upgradeDrop, artifact.downgradeCreate, artifact.downgradeDrop].every((operation) => !operation || operation.isWholeStatement);
  const all = wholeStatements ? allEdits(edits) : undefined;
  if (!all) return undefined;
  return {
    title: artifact.kind === 'table' ? `Rename table ${artifact.oldName} to ${artifact.newName} instead (keeps its rows)` : `Rename column ${artifact.oldName} to ${artifact.newName} instead (keeps its values)`,
    edits: all,
  };
}

export const renameAsDropCreate: LintRule = {
  code: 'AW203',
  name: 'rename-as-drop-create',
  category: 'data-loss',
  defaultSeverity: 'error',
  dialects: 'all',
  summary: 'A table or column dropped and re-created with the same shape: autogenerate\'s rendering of a rename, which loses the data.',
  docsPath: docs('rename-as-drop-create'),
  check(context) {
    return context.analysis.renameArtifacts().map((artifact) => {
      if (!artifact.certain) return possibleRename(artifact);
      const message =
        artifact.kind === 'table'
          ? `Dropping table ${artifact.oldName} and creating ${artifact.newName} with the same columns is how autogenerate renders a rename: every row of ${artifact.oldName} is lost. ` +
            `Use op.rename_table('${artifact.oldName}', '${artifact.newName}') (and the reverse in downgrade) to keep the data.`
          : `Dropping ${artifact.table}.${artifact.oldName} and adding ${artifact.table}.${artifact.newName} of the same type is how autogenerate renders a column rename: every value of ${artifact.oldName} is lost. ` +
            `Use op.alter_column('${artifact.table}', '${artifact.oldName}', new_column_name='${artifact.newName}') to keep the data.`;
      const created = artifact.kind === 'table' ? `table ${artifact.newName}` : `${artifact.table}.${artifact.newName}`;
      return findingAt(artifact.upgradeDrop, message, {
        fix: renameFix(context, artifact),
        related: [relatedAt(artifact.upgradeCreate, `${created} is created here with the same shape, but empty`)],
      });
    });
  },
};

/** Same type but several candidates, or one that differs in nullability, default or foreign key: say so, fix nothing. */
function possibleRename(artifact: RenameArtifact): RuleFinding {
  const created = (operation: MigrationOperation) =>
    artifact.kind === 'table' ? `table ${operationTable(operation) ?? '?'}` : `${artifact.table}.${readColumnDefinition(bindArguments(operation).get('column')?.value)?.name ?? '?'}`;
  const old = artifact.kind === 'table' ? `table ${artifact.oldName}` : `${artifact.table}.${artifact.oldName}`;
  const names = artifact.candidates.map(created).join(', ');
  return findingAt(
    artifact.upgradeDrop,
    `Possible rename: ${old} is dropped while ${names} ${artifact.candidates.length === 1 ? 'is' : 'are'} created with the same type, ` +
      `but ${artifact.candidates.length === 1 ? 'it differs in nullability, server default or foreign-key target' : 'nothing tells which one it would be'}. ` +
      `If it is a rename, use ${artifact.kind === 'table' ? 'op.rename_table' : 'op.alter_column(..., new_column_name=...)'} to keep the data; otherwise ignore this.`,
    { severity: 'info', related: artifact.candidates.map((operation) => relatedAt(operation, `${created(operation)} is created here`)) },
  );
}

export const narrowingColumnType: LintRule = {
  code: 'AW204',
  name: 'narrowing-column-type',
  category: 'data-loss',
  defaultSeverity: 'error',
  dialects: ['postgresql', 'mysql', 'mssql', 'oracle'],
  summary: 'A type change that can truncate or fail (String(50) -> String(20), BigInteger -> Integer, Text -> String(n)).',
  docsPath: docs('narrowing-column-type'),
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of context.analysis.upgradeOperations) {
      if (operation.name !== 'alter_column' || !isTableOp(operation)) continue;
      const facts = context.analysis.typeChangeOf(operation);
      if (!facts || facts.change.kind !== 'narrowing') continue;
      if (context.analysis.isNewTable(operation, facts.table) || context.analysis.isNewColumn(operation, facts.table, facts.column)) continue;
      const target = `${facts.table ?? '?'}.${facts.column ?? '?'}`;
      const stringy = (family: string | undefined) => family === 'string' || family === 'text' || family === 'char';
      const needsUsing =
        context.context.dialect === 'postgresql' &&
        stringy(facts.from?.family) &&
        !stringy(facts.to.family) &&
        keywordArgument(operation.call, 'postgresql_using') === undefined;
      const using = needsUsing
        ? ` PostgreSQL even refuses it without an explicit cast: add postgresql_using='${facts.column ?? 'col'}::${facts.to.display.toLowerCase()}'.`
        : '';
      findings.push(
        findingAt(
          operation,
          `Changing ${target}: ${facts.change.reason}. The upgrade aborts on existing data (MySQL without strict mode cuts it silently), and a downgrade can't bring cut data back. ` +
            `Check the data first (e.g. the longest or largest value), clean it up in a data migration, then narrow the type.${using}`,
        ),
      );
    }
    return findings;
  },
};

export const renamingTableOrColumn: LintRule = {
  code: 'AW205',
  name: 'renaming-table-or-column',
  category: 'data-loss',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'rename_table / alter_column(new_column_name=...) breaks app code still running during the deploy.',
  docsPath: docs('renaming-table-or-column'),
  concurrencyOnly: true,
  check(context) {
    const findings: RuleFinding[] = [];
    for (const operation of context.analysis.upgradeOperations) {
      if (!isTableOp(operation)) continue;
      const table = operationTable(operation);
      if (context.analysis.isNewTable(operation, table)) continue;
      if (operation.name === 'rename_table') {
        // A step of a hand-written rebuild: the table keeps its name when the revision ends.
        if (context.analysis.tableRebuildOf(operation)) continue;
        const newName = nameOf(operation, 'new_table_name') ?? '?';
        findings.push(
          findingAt(
            operation,
            `Renaming table ${table ?? '?'} to ${newName} breaks every app instance that still queries ${table ?? 'the old name'} until the new code runs everywhere. ` +
              `Deploy code that works with both names first (e.g. keep a view named ${table ?? 'old'} over ${newName} during the rollout), or create ${newName}, copy and dual-write, switch reads, then drop ${table ?? 'the old table'}.`,
          ),
        );
      } else if (operation.name === 'alter_column') {
        const newName = staticString(bindArguments(operation).get('new_column_name')?.value);
        if (!newName) continue;
        // A column this upgrade added (fastapi template d98dd8ec85a3: new_id added, backfilled, renamed to id): no running code knows it.
        if (context.analysis.isNewColumn(operation, table, nameOf(operation, 'column_name'))) continue;
        const column = nameOf(operation, 'column_name') ?? '?';
        findings.push(
          findingAt(
            operation,
            `Renaming ${table ?? '?'}.${column} to ${newName} breaks app instances that still read or write ${column} during the deploy. ` +
              `Expand/contract instead: add ${newName}, write both, backfill, switch reads, then drop ${column} in a later release.`,
          ),
        );
      }
    }
    return findings;
  },
};

export const DATA_LOSS_RULES: readonly LintRule[] = [droppingColumn, droppingTable, renameAsDropCreate, narrowingColumnType, renamingTableOrColumn];
