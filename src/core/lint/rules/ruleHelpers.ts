// Small helpers the rule files share: where a finding points, and the edits most fixes are made of.
import type { MigrationAnalysis } from '../migrationAnalysis';
import { bindArguments, operationTableReference, type MigrationOperation, type StatementSite } from '../migrationOperations';
import { staticString } from '../pythonExpressions';
import type { OffsetEdit, RelatedOffsets, RuleFinding } from './ruleTypes';

/**
 * A finding on an operation: the callee (`op.add_column`) is highlighted; the whole statement counts
 * for suppressions; the operation's table is recorded (the editor adds its size to lock findings).
 */
export function findingAt(operation: MigrationOperation, message: string, extra: Partial<RuleFinding> = {}): RuleFinding {
  const table = operationTableReference(operation);
  return {
    from: operation.calleeFrom,
    to: operation.calleeTo,
    message,
    statementFrom: operation.statement.from,
    statementTo: operation.statement.to,
    ...(table ? { tables: [table] } : {}),
    ...extra,
  };
}

/** A related location on an operation's callee. */
export function relatedAt(operation: MigrationOperation, message: string): RelatedOffsets {
  return { from: operation.calleeFrom, to: operation.calleeTo, message };
}

/** `'name'` for messages; `(unnamed)` when not literal. */
export function nameOf(operation: MigrationOperation, parameter: string): string | undefined {
  return staticString(bindArguments(operation).get(parameter)?.value);
}

/** Spans of all arguments of a call in source order (keyword spans include `name=`). */
function argumentSpans(operation: MigrationOperation): Array<{ from: number; to: number }> {
  const spans = [
    ...operation.call.args.positional.map((value) => ({ from: value.from, to: value.to })),
    ...operation.call.args.keywords.map((keyword) => ({ from: keyword.from, to: keyword.to })),
  ];
  return spans.sort((a, b) => a.from - b.from);
}

/** Appends `keyword=value` as the call's last argument. */
export function addKeywordArgument(operation: MigrationOperation, text: string): OffsetEdit {
  const spans = argumentSpans(operation);
  if (spans.length === 0) {
    const at = operation.call.args.from + 1;
    return { from: at, to: at, newText: text };
  }
  const last = spans[spans.length - 1].to;
  return { from: last, to: last, newText: `, ${text}` };
}

/** Removes one argument (by parameter name) together with its separator. */
export function removeArgument(operation: MigrationOperation, parameter: string): OffsetEdit | undefined {
  const bound = bindArguments(operation).get(parameter);
  if (!bound) return undefined;
  const span = bound.keywordFrom !== undefined ? { from: bound.keywordFrom, to: bound.keywordTo! } : { from: bound.value.from, to: bound.value.to };
  const spans = argumentSpans(operation);
  const index = spans.findIndex((candidate) => candidate.from === span.from);
  if (index < 0) return undefined;
  if (index + 1 < spans.length) return { from: span.from, to: spans[index + 1].from, newText: '' };
  if (index > 0) return { from: spans[index - 1].to, to: span.to, newText: '' };
  return { from: span.from, to: span.to, newText: '' };
}

/** Deletes a statement's whole lines (the statement must start its line). */
export function deleteStatement(analysis: MigrationAnalysis, site: StatementSite): OffsetEdit | undefined {
  if (site.indent === undefined) return undefined;
  const source = analysis.source;
  let end = analysis.statementLineEnd(site);
  if (source[end] === '\r') end++;
  if (source[end] === '\n') end++;
  return { from: site.lineStart, to: end, newText: '' };
}

/** Replaces a statement (from its first character to the end of its last line) with one line. */
export function replaceStatement(analysis: MigrationAnalysis, site: StatementSite, text: string): OffsetEdit | undefined {
  if (site.indent === undefined) return undefined;
  return { from: site.from, to: analysis.statementLineEnd(site), newText: text };
}

/** Where new statements go at the top of a function body: before its first statement that is not a docstring. */
export function firstCodeStatement(analysis: MigrationAnalysis, kind: 'upgrade' | 'downgrade'): StatementSite | undefined {
  const fn = analysis.functionOf(kind);
  if (!fn) return undefined;
  return fn.statements.find((site) => !/^[rRuUbB]*('''|"""|'|")/.test(analysis.source.slice(site.from, site.from + 4))) ?? fn.statements[fn.statements.length - 1];
}

export function autocommitHeader(analysis: MigrationAnalysis): string {
  return `with ${analysis.migration.opAlias}.get_context().autocommit_block():`;
}

/** Offers no fix when any edit could not be built (statement shares a line, etc.). */
export function allEdits(edits: Array<OffsetEdit | OffsetEdit[] | undefined>): OffsetEdit[] | undefined {
  const flat: OffsetEdit[] = [];
  for (const edit of edits) {
    if (edit === undefined) return undefined;
    if (Array.isArray(edit)) flat.push(...edit);
    else flat.push(edit);
  }
  return flat;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
