// AW301-AW305: can `alembic downgrade` undo what `alembic upgrade` did? A missing or empty
// downgrade, an upgrade step with no inverse, a constraint nobody can name, and PostgreSQL Enum
// types that are never created or never dropped.
import path from 'node:path';
import type { LintContext } from '../lintContext';
import { renderConventionName, type ConventionKey } from '../namingConvention';
import { enumUses, type MigrationAnalysis } from '../migrationAnalysis';
import { bindArguments, operationTable, readColumnDefinition, type MigrationOperation } from '../migrationOperations';
import { literalValue, staticString, staticStringList } from '../pythonExpressions';
import { DowngradeEffects, renderInverseLines, reversalOf, type InverseOperation } from '../reversal';
import { allEdits, findingAt, firstCodeStatement, nameOf, plural, relatedAt } from './ruleHelpers';
import type { LintRule, OffsetEdit, RelatedOffsets, RuleContext, RuleFinding } from './ruleTypes';

const docs = (name: string) => `docs/rules/${name}.md`;

interface UpgradeReversal {
  inverses: InverseOperation[];
  /** The upgrade operations the inverses undo (same order). */
  reversed: MigrationOperation[];
  /** Every upgrade operation can be reversed mechanically. */
  complete: boolean;
}

function upgradeReversal(context: RuleContext): UpgradeReversal {
  const inverses: InverseOperation[] = [];
  const reversed: MigrationOperation[] = [];
  let complete = true;
  for (const operation of context.analysis.upgradeOperations) {
    // A rebuild's steps leave the table under its own name: nothing of them is left behind to undo.
    if (context.analysis.tableRebuildOf(operation)) continue;
    const reversal = reversalOf(operation, context.analysis, context.context.dialect);
    if (reversal.kind === 'inverse') {
      inverses.push(reversal);
      reversed.push(operation);
    } else if (reversal.kind === 'irreversible') complete = false;
  }
  return { inverses, reversed, complete };
}

/** The upgrade operations a downgrade leaves in place, as related locations (the first few). */
function notUndone(reversal: UpgradeReversal): RelatedOffsets[] {
  return reversal.reversed.slice(0, 5).map((operation, index) => relatedAt(operation, `upgrade() ${reversal.inverses[index].effect}: not undone`));
}

function effectsSummary(inverses: InverseOperation[]): string {
  const shown = inverses.slice(0, 3).map((inverse) => inverse.effect);
  return shown.join(', ') + (inverses.length > 3 ? `, and ${plural(inverses.length - 3, 'more change')}` : '');
}

/** The generated downgrade body: the upgrade's inverses in reverse order. */
function generatedDowngradeLines(context: RuleContext, reversal: UpgradeReversal): string[] | undefined {
  if (!reversal.complete || reversal.inverses.length === 0) return undefined;
  return renderInverseLines([...reversal.inverses].reverse(), context.analysis.indentUnit);
}

export const missingDowngrade: LintRule = {
  code: 'AW301',
  name: 'missing-downgrade',
  category: 'reversibility',
  defaultSeverity: 'error',
  dialects: 'all',
  summary: 'The revision has no downgrade() function: `alembic downgrade` crashes on it.',
  docsPath: docs('missing-downgrade'),
  judgesDowngrades: true,
  check(context) {
    const { analysis } = context;
    const upgrade = analysis.migration.upgrade;
    if (analysis.migration.downgrade || !upgrade || upgrade.isEmpty) return [];
    const reversal = upgradeReversal(context);
    if (reversal.inverses.length === 0) return [];
    const lines = generatedDowngradeLines(context, reversal);
    let fix: RuleFinding['fix'];
    if (lines) {
      const indent = analysis.indentUnit;
      const body = lines.map((line) => (line ? indent + line : '')).join('\n');
      const end = upgrade.to;
      const newline = analysis.source[end - 1] === '\n' ? '' : '\n';
      fix = {
        title: 'Add a downgrade() that reverses the upgrade',
        edits: [{ from: end, to: end, newText: `${newline}\n\ndef downgrade()${upgrade.returnAnnotation ? ` ${upgrade.returnAnnotation}` : ''}:\n${body}\n` }],
      };
    }
    return [
      {
        from: upgrade.nameFrom,
        to: upgrade.nameTo,
        message:
          `This revision has no downgrade(), but upgrade() ${effectsSummary(reversal.inverses)}: "alembic downgrade" through it crashes (the module has no downgrade attribute). ` +
          `Add a downgrade() that reverses it, or one that raises NotImplementedError to mark the revision irreversible.`,
        fix,
        related: notUndone(reversal),
      },
    ];
  },
};

export const emptyDowngrade: LintRule = {
  code: 'AW302',
  name: 'empty-downgrade',
  category: 'reversibility',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'downgrade() is only pass/docstring/comments while upgrade() changes the schema.',
  docsPath: docs('empty-downgrade'),
  judgesDowngrades: true,
  check(context) {
    const { analysis } = context;
    const downgrade = analysis.migration.downgrade;
    if (!downgrade || !downgrade.isEmpty) return [];
    const reversal = upgradeReversal(context);
    if (reversal.inverses.length === 0) return [];
    const lines = generatedDowngradeLines(context, reversal);
    let fix: RuleFinding['fix'];
    const indent = downgrade.bodyIndent ?? analysis.indentUnit;
    if (lines) {
      const body = lines.map((line, index) => (line ? (index === 0 ? '' : indent) + line : '')).join('\n');
      const placeholder = downgrade.placeholderStatements[0];
      if (placeholder && placeholder.indent !== undefined) {
        fix = { title: 'Write a downgrade() that reverses the upgrade', edits: [{ from: placeholder.from, to: placeholder.to, newText: body }] };
      } else {
        const last = downgrade.statements[downgrade.statements.length - 1];
        const end = last ? analysis.statementLineEnd(last) : undefined;
        if (end !== undefined && last.indent !== undefined) {
          fix = { title: 'Write a downgrade() that reverses the upgrade', edits: [{ from: end, to: end, newText: `\n${indent}${body}` }] };
        }
      }
    }
    const leftovers = reversal.inverses.map((inverse) => inverse.effect.replace(/^(creates|adds) /, '')).slice(0, 3).join(', ');
    return [
      {
        from: downgrade.nameFrom,
        to: downgrade.nameTo,
        message:
          `downgrade() does nothing, but upgrade() ${effectsSummary(reversal.inverses)}: "alembic downgrade" reports success and leaves ${leftovers || 'its changes'} behind, and the next "alembic upgrade" fails with "already exists". ` +
          `Reverse the upgrade here, or raise NotImplementedError("...") to make the revision explicitly irreversible.`,
        fix,
        related: notUndone(reversal),
      },
    ];
  },
};

export const downgradeDoesNotReverse: LintRule = {
  code: 'AW303',
  name: 'downgrade-does-not-reverse',
  category: 'reversibility',
  defaultSeverity: 'warning',
  dialects: 'all',
  summary: 'An upgrade operation (created table, added column, created index...) has no matching inverse in downgrade().',
  docsPath: docs('downgrade-does-not-reverse'),
  judgesDowngrades: true,
  check(context) {
    const { analysis } = context;
    const downgrade = analysis.migration.downgrade;
    if (!downgrade || downgrade.isEmpty || downgrade.raises) return [];
    const insertBefore = firstCodeStatement(analysis, 'downgrade');
    const effects = new DowngradeEffects(analysis.downgradeOperations);
    // What the upgrade drops after each step (walked backwards): an index or constraint it creates and
    // drops again itself (a CHECK that only helps SET NOT NULL) leaves nothing to undo.
    const laterInUpgrade = new DowngradeEffects([]);
    const findings: RuleFinding[] = [];
    for (const operation of [...analysis.upgradeOperations].reverse()) {
      const reversal = reversalOf(operation, analysis, context.context.dialect);
      const isCreation = operation.name.startsWith('create_') && (operation.receiver === 'op' || operation.receiver === 'batch');
      const droppedByUpgrade = isCreation && reversal.kind === 'inverse' && reversal.isUndoneBy(laterInUpgrade);
      laterInUpgrade.add(operation);
      // Enum types have their own rule (AW305) that also knows when they are created implicitly.
      if (operation.name === 'create_type' && context.isEnabled('AW305')) continue;
      // A hand-written rebuild changes the table in place: its rename and create are not objects to drop.
      if (analysis.tableRebuildOf(operation)) continue;
      if (reversal.kind !== 'inverse' || droppedByUpgrade) continue;
      if (reversal.isUndoneBy(effects) || undoneAsNetEffect(analysis, operation, effects)) continue;
      let fix: RuleFinding['fix'];
      if (insertBefore && insertBefore.indent !== undefined) {
        const lines = [...renderInverseLines([reversal], analysis.indentUnit), ...(reversal.batchHeader ? [''] : [])];
        const edit = analysis.insertLinesBefore(insertBefore, lines);
        if (edit) fix = { title: `Undo it in downgrade(): ${reversal.undo}`, edits: [edit] };
      }
      findings.push(
        findingAt(
          operation,
          `upgrade() ${reversal.effect}, but downgrade() never undoes it: after a downgrade it stays, and upgrading again fails with "already exists". Add ${reversal.undo} to downgrade().`,
          { fix, related: [{ from: downgrade.nameFrom, to: downgrade.nameTo, message: `downgrade() does not undo it: add ${reversal.undo}` }] },
        ),
      );
    }
    return findings.reverse();
  },
};

/**
 * The downgrade is judged against what the upgrade left, not step by step: a change to a column the
 * upgrade itself added is undone with that column, and an added column later renamed is undone by
 * dropping it under its final name (fastapi template d98dd8ec85a3: new_id added, renamed to id; the
 * downgrade drops id). A column the upgrade adds and drops again needs no undoing.
 */
function undoneAsNetEffect(analysis: MigrationAnalysis, operation: MigrationOperation, effects: DowngradeEffects): boolean {
  const table = operationTable(operation);
  if (!table || (operation.name !== 'add_column' && operation.name !== 'alter_column')) return false;
  const args = bindArguments(operation);
  const column = operation.name === 'add_column' ? readColumnDefinition(args.get('column')?.value)?.name : staticString(args.get('column_name')?.value);
  if (!column) return false;
  // A change to a column this upgrade added is undone with the column: the add_column's own check speaks for both.
  if (operation.name === 'alter_column') return analysis.isNewColumn(operation, table, column);
  const final = analysis.finalColumnName(operation, table, column);
  if (final === undefined) return true;
  return effects.columns.has(`${table}.${final}`.toLowerCase()) || effects.tables.has(table.toLowerCase());
}

const CONSTRAINT_OPERATIONS: Record<string, { type: string; label: string }> = {
  create_foreign_key: { type: 'foreignkey', label: 'Foreign key' },
  create_unique_constraint: { type: 'unique', label: 'Unique constraint' },
  create_primary_key: { type: 'primary', label: 'Primary key' },
  create_check_constraint: { type: 'check', label: 'Check constraint' },
};

/** PostgreSQL's identifier limit: longer convention names are cut and given a stable hash suffix. */
const MAX_IDENTIFIER = 63;

function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function fitIdentifier(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const suffix = `_${shortHash(name)}`;
  return name.slice(0, MAX_IDENTIFIER - suffix.length) + suffix;
}

interface ConstraintNames {
  /** The name the fix gives it: the project's naming convention, else the style SQLAlchemy documents. */
  convention?: string;
  /** The pattern used, for the message. */
  pattern?: string;
  /** The file the project's convention comes from (undefined: the documented default style). */
  source?: string;
  /** What PostgreSQL called it when it ran unnamed. */
  postgres?: string;
}

function constraintNames(operation: MigrationOperation, context: LintContext): ConstraintNames {
  const args = bindArguments(operation);
  const table = operationTable(operation);
  if (!table) return {};
  const columns = staticStringList(args.get(operation.name === 'create_foreign_key' ? 'local_cols' : 'columns')?.value) ?? [];
  const fromProject = projectConventionName(operation, table, columns, context);
  switch (operation.name) {
    case 'create_foreign_key': {
      const referent = staticString(args.get('referent_table')?.value);
      if (!columns[0] || !referent) return fromProject ?? {};
      return {
        convention: fitIdentifier(`fk_${table}_${columns[0]}_${referent}`),
        pattern: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
        ...fromProject,
        postgres: `${table}_${columns.join('_')}_fkey`,
      };
    }
    case 'create_unique_constraint':
      if (!columns[0]) return fromProject ?? {};
      return { convention: fitIdentifier(`uq_${table}_${columns[0]}`), pattern: 'uq_%(table_name)s_%(column_0_name)s', ...fromProject, postgres: `${table}_${columns.join('_')}_key` };
    case 'create_primary_key':
      return { convention: fitIdentifier(`pk_${table}`), pattern: 'pk_%(table_name)s', ...fromProject, postgres: `${table}_pkey` };
    default:
      return fromProject ?? {};
  }
}

const CONVENTION_KEYS: Record<string, ConventionKey> = {
  create_foreign_key: 'fk',
  create_unique_constraint: 'uq',
  create_primary_key: 'pk',
  create_check_constraint: 'ck',
};

/** The name under the project's own naming convention (found in env.py or the models), when it has one for this kind. */
function projectConventionName(operation: MigrationOperation, table: string, columns: string[], context: LintContext): ConstraintNames | undefined {
  const convention = context.namingConvention;
  const key = CONVENTION_KEYS[operation.name];
  const pattern = key ? convention?.patterns[key] : undefined;
  if (!convention || !pattern) return undefined;
  const args = bindArguments(operation);
  const name = renderConventionName(
    pattern,
    {
      table,
      columns,
      referredTable: staticString(args.get('referent_table')?.value),
      referredColumns: staticStringList(args.get('remote_cols')?.value),
    },
    context.dialect,
  );
  return name ? { convention: name, pattern, source: path.basename(convention.file) } : undefined;
}

function conventionLabel(names: ConstraintNames): string {
  return names.source ? `the project's naming convention "${names.pattern}" from ${names.source}` : `naming convention "${names.pattern}"`;
}

function isUnnamed(operation: MigrationOperation): boolean {
  const name = bindArguments(operation).get('constraint_name');
  return name !== undefined && name.value.kind === 'literal' && name.value.value === null;
}

function constraintType(operation: MigrationOperation): string | undefined {
  if (operation.name === 'drop_constraint') {
    const type = literalValue(bindArguments(operation).get('type_')?.value);
    return typeof type === 'string' ? type : undefined;
  }
  return CONSTRAINT_OPERATIONS[operation.name]?.type;
}

/** Unnamed constraint creations and drops, grouped by function, table, type and operation name, and by side (create or drop). */
type UnnamedConstraints = Map<string, MigrationOperation[]>;

const unnamedKey = (kind: string, table: string, type: string, group: string) => [kind, table, type, group].join('\0');

function unnamedConstraints(analysis: MigrationAnalysis): UnnamedConstraints {
  const groups: UnnamedConstraints = new Map();
  for (const operation of analysis.migration.operations) {
    const type = constraintType(operation);
    const table = operationTable(operation);
    if (!type || !table || !isUnnamed(operation)) continue;
    const side = operation.name === 'drop_constraint' ? 'drop side' : 'create side';
    for (const group of [operation.name, side]) {
      const key = unnamedKey(operation.functionKind, table, type, group);
      const list = groups.get(key);
      if (list) list.push(operation);
      else groups.set(key, [operation]);
    }
  }
  return groups;
}

/** The unnamed create/drop on the same table and of the same type in the other function, when it is the only one. */
function counterpart(groups: UnnamedConstraints, operation: MigrationOperation): MigrationOperation | undefined {
  const type = constraintType(operation);
  const table = operationTable(operation);
  if (!type || !table) return undefined;
  const isDrop = operation.name === 'drop_constraint';
  const sameSide = groups.get(unnamedKey(operation.functionKind, table, type, operation.name)) ?? [];
  const otherSide = groups.get(unnamedKey(operation.functionKind === 'upgrade' ? 'downgrade' : 'upgrade', table, type, isDrop ? 'create side' : 'drop side')) ?? [];
  return sameSide.length === 1 && otherSide.length === 1 ? otherSide[0] : undefined;
}

export const unnamedConstraint: LintRule = {
  code: 'AW304',
  name: 'unnamed-constraint',
  category: 'reversibility',
  defaultSeverity: 'error',
  dialects: 'all',
  summary: 'create_foreign_key(None, ...), drop_constraint(None, ...) and other constraints without a name: the downgrade can\'t find them.',
  docsPath: docs('unnamed-constraint'),
  check(context) {
    const { analysis } = context;
    const findings: RuleFinding[] = [];
    // Built once: finding each unnamed constraint's partner is then a lookup, not two scans of the file.
    let groups: UnnamedConstraints | undefined;
    for (const operation of analysis.migration.operations) {
      if (operation.receiver !== 'op' && operation.receiver !== 'batch') continue;
      if (!CONSTRAINT_OPERATIONS[operation.name] && operation.name !== 'drop_constraint') continue;
      if (!isUnnamed(operation)) continue;
      const table = operationTable(operation) ?? '?';
      groups ??= unnamedConstraints(analysis);
      const partner = counterpart(groups, operation);
      const creator = operation.name === 'drop_constraint' ? partner : operation;
      const names = creator ? constraintNames(creator, context.context) : {};
      let fix: RuleFinding['fix'];
      if (names.convention) {
        const edits: OffsetEdit[] = [];
        for (const target of [operation, partner]) {
          const nameArgument = target ? bindArguments(target).get('constraint_name')?.value : undefined;
          if (target && nameArgument) edits.push({ from: nameArgument.from, to: nameArgument.to, newText: analysis.pyString(names.convention, analysis.quoteOf(target)) });
        }
        edits.sort((a, b) => a.from - b.from);
        fix = { title: `Name it ${names.convention} (${conventionLabel(names)})`, edits };
      }
      const related = partner
        ? [relatedAt(partner, partner.name === 'drop_constraint' ? 'the downgrade drops it here, by the same missing name' : 'where the constraint is created, without a name')]
        : undefined;
      const sqliteBatch = operation.receiver === 'batch' && context.context.dialect === 'sqlite' ? ' Batch mode on SQLite refuses it outright ("Constraint must have a name").' : '';
      const alreadyRan = names.postgres && context.context.dialect === 'postgresql' ? ` If this revision already ran somewhere, PostgreSQL named it ${names.postgres} there: use that name instead.` : '';
      if (operation.name === 'drop_constraint') {
        findings.push(
          findingAt(
            operation,
            `drop_constraint(None, ...) on ${table} can't run: SQLAlchemy needs the constraint's name to emit DROP CONSTRAINT (CompileError "it has no name").` +
              (names.convention
                ? ` Name the constraint where it is created and here, e.g. ${names.convention} (${conventionLabel(names)}).${alreadyRan}`
                : ` Use the constraint's real name (PostgreSQL names a foreign key <table>_<column>_fkey, a unique constraint <table>_<columns>_key).`) +
              sqliteBatch,
            { fix, related },
          ),
        );
      } else {
        const label = CONSTRAINT_OPERATIONS[operation.name].label;
        findings.push(
          findingAt(
            operation,
            `${label} on ${table} has no name: the database picks one${names.postgres && context.context.dialect === 'postgresql' ? ` (PostgreSQL: ${names.postgres})` : ''}, so a downgrade can't drop it (drop_constraint(None, ...) fails with "it has no name").` +
              sqliteBatch +
              (names.convention
                ? names.source
                  ? ` Name it ${names.convention} (${conventionLabel(names)}, as autogenerate would).`
                  : ` Name it, e.g. ${names.convention} (${conventionLabel(names)}; set a naming_convention on your MetaData so autogenerate names them all).`
                : ' Give it a name (and set a naming_convention on your MetaData so autogenerate names them all).'),
            { fix, related },
          ),
        );
      }
    }
    return findings;
  },
};

function enumTypesDroppedBy(operation: MigrationOperation): string[] {
  if (operation.name === 'drop_type') return operation.enumType?.enumName ? [operation.enumType.enumName] : [];
  return (operation.sql?.statements ?? []).flatMap((statement) => (statement.kind === 'drop_type' ? (statement.names ?? []) : []));
}

/** A map key of names that may be missing: a missing name matches only another missing one. */
function optionalKey(...names: Array<string | undefined>): string {
  return names.map((name) => (name === undefined ? '\u0001' : `=${name}`)).join('\0');
}

export const enumTypeLifecycle: LintRule = {
  code: 'AW305',
  name: 'enum-type-lifecycle',
  category: 'reversibility',
  defaultSeverity: 'error',
  dialects: ['postgresql'],
  summary: 'On PostgreSQL, an Enum column added before its type exists, or an Enum type the downgrade never drops.',
  docsPath: docs('enum-type-lifecycle'),
  check(context) {
    const { analysis } = context;
    const op = analysis.migration.opAlias;
    const findings: RuleFinding[] = [];
    const uses = enumUses(analysis);
    // Where each type is first created, so "created earlier?" is a lookup rather than a scan of every use.
    const firstCreation = new Map<string, number>();
    for (const use of uses) if (use.createsType && !firstCreation.has(use.type.enumName!)) firstCreation.set(use.type.enumName!, use.operation.index);
    // (a) used before it exists
    for (const use of uses) {
      if (use.createsType || use.type.createType === false) continue;
      const name = use.type.enumName!;
      const createdEarlier = (firstCreation.get(name) ?? Infinity) < use.operation.index;
      // An earlier revision of the history created it (Neutron's `directions`, made with its first table).
      if (createdEarlier || context.earlierEnumTypes.has(name.toLowerCase())) continue;
      const typeText = analysis.text(use.type.from, use.type.to);
      const createLine = `${typeText}.create(${op}.get_bind(), checkfirst=True)`;
      // A message is one line: a type written over several lines is shown by its name only.
      const messageCreateLine = typeText.includes('\n') ? `sa.Enum(..., name="${name}").create(${op}.get_bind(), checkfirst=True)` : createLine;
      const edit = use.operation.isWholeStatement && use.operation.receiver === 'op' ? analysis.insertLinesBefore(use.operation.statement, [createLine]) : undefined;
      findings.push(
        findingAt(
          use.operation,
          `${use.operation.name}(...) uses Enum type ${name}, but on PostgreSQL ${use.operation.name} doesn't create the type: the upgrade fails with 'type "${name}" does not exist'. ` +
            `Create it first: ${messageCreateLine} (or, if an earlier revision created it, say so with postgresql.ENUM(..., create_type=False)).`,
          { fix: edit ? { title: `Create type ${name} before using it`, edits: [edit] } : undefined },
        ),
      );
    }
    // (b) never dropped by the downgrade (not asked of a project that writes no downgrades)
    const downgrade = analysis.migration.downgrade;
    if (downgrade && !downgrade.isEmpty && !downgrade.raises && context.downgradesExpected) {
      const seen = new Set<string>();
      // What the downgrade drops, built once: each type's questions below are then lookups.
      const droppedTypes = new Set<string>();
      const lastTableDrop = new Map<string, MigrationOperation>();
      const lastColumnDrop = new Map<string, MigrationOperation>();
      for (const operation of analysis.downgradeOperations) {
        for (const type of enumTypesDroppedBy(operation)) droppedTypes.add(type.toLowerCase());
        if (operation.name === 'drop_table') lastTableDrop.set(optionalKey(operationTable(operation)), operation);
        if (operation.name === 'drop_column') lastColumnDrop.set(optionalKey(operationTable(operation), nameOf(operation, 'column_name')), operation);
      }
      for (const use of uses) {
        const name = use.type.enumName!;
        // create_type=False: an earlier revision owns the type, and its downgrade drops it.
        if (seen.has(name) || use.type.createType === false) continue;
        // Owned by the earlier revision that created it, unless this one creates it again.
        if (!use.createsType && context.earlierEnumTypes.has(name.toLowerCase())) continue;
        seen.add(name);
        if (droppedTypes.has(name.toLowerCase())) continue;
        const typeText = use.operation.name === 'execute' ? undefined : analysis.text(use.type.from, use.type.to);
        const dropLine = typeText ? `${typeText}.drop(${op}.get_bind(), checkfirst=True)` : `${op}.execute(${analysis.pyString(`DROP TYPE IF EXISTS ${name}`)})`;
        // After the downgrade operation that removes the last column using the type (the later of the two drops).
        const tableDrop = use.operation.name === 'create_table' ? lastTableDrop.get(optionalKey(operationTable(use.operation))) : undefined;
        const columnDrop = lastColumnDrop.get(optionalKey(operationTable(use.operation), use.column));
        const remover = tableDrop && (!columnDrop || tableDrop.index > columnDrop.index) ? tableDrop : columnDrop;
        const anchor = remover && remover.receiver === 'op' && remover.isWholeStatement ? remover.statement : downgrade.statements[downgrade.statements.length - 1];
        const edit = anchor ? analysis.insertLinesAfter(anchor, [dropLine]) : undefined;
        findings.push(
          findingAt(
            use.operation,
            `Enum type ${name} is created by this upgrade but downgrade() never drops it: dropping the ${use.operation.name === 'create_table' ? 'table' : 'column'} leaves the type behind, so upgrading again fails with 'type "${name}" already exists'. ` +
              `Add ${dropLine} to downgrade(), after the ${use.operation.name === 'create_table' ? 'table' : 'column'} is dropped.`,
            {
              severity: 'warning',
              fix: edit ? { title: `Drop type ${name} in downgrade()`, edits: allEdits([edit]) ?? [] } : undefined,
              related: remover ? [relatedAt(remover, `the ${remover.name === 'drop_table' ? 'table' : 'column'} is dropped here; type ${name} stays`)] : undefined,
            },
          ),
        );
      }
    }
    return findings;
  },
};

export const REVERSIBILITY_RULES: readonly LintRule[] = [missingDowngrade, emptyDowngrade, downgradeDoesNotReverse, unnamedConstraint, enumTypeLifecycle];
