// The lint engine's output: plain data the CLI formats and the editor turns into diagnostics and
// quick fixes. Ranges are zero-based (line and UTF-16 column), as editors count them.
import type { SourceRange } from '../python/pythonSource';

export type Severity = 'error' | 'warning' | 'info';

/** A configured severity: a finding's severity, or `off` to turn a rule off. */
export type RuleLevel = Severity | 'off';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

/** A mechanical change that resolves a finding; applying all of its edits yields valid Python. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** A table a finding concerns (the one it locks, rewrites or empties), for size-aware messages. */
export interface FindingTable {
  name: string;
  /** Undefined: the search path decides, as for an unqualified name in the migration. */
  schema?: string;
}

/** Another place a finding refers to, e.g. the upgrade operation a downgrade fails to undo. */
export interface RelatedLocation {
  message: string;
  range: SourceRange;
  /** Undefined: the finding's own file. */
  filePath?: string;
}

export interface Finding {
  code: string;
  rule: string;
  severity: Severity;
  message: string;
  filePath: string;
  range: SourceRange;
  fix?: Fix;
  /** The tables the operation works on, first the one it changes (AW107 adds the referenced table). */
  tables?: FindingTable[];
  related?: RelatedLocation[];
}

/** Something wrong with the configuration or a suppression comment: reported, never ignored. */
export interface ConfigProblem {
  message: string;
  filePath: string;
  range: SourceRange;
  kind: 'config' | 'suppression' | 'internal';
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** How many findings of each severity (a file's, a project's, a run's). */
export type FindingCounts = Record<Severity, number>;

export function comparePositions(a: SourceRange['start'], b: SourceRange['start']): number {
  return a.line - b.line || a.column - b.column;
}

/** File, then position, then code: the order compilers print in. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.filePath !== b.filePath) return a.filePath < b.filePath ? -1 : 1;
  return comparePositions(a.range.start, b.range.start) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function offsetOf(lineStarts: number[], text: string, position: SourceRange['start']): number {
  const line = Math.min(Math.max(position.line, 0), lineStarts.length - 1);
  return Math.min(lineStarts[line] + position.column, text.length);
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let offset = 0; offset < text.length; offset++) {
    const code = text.charCodeAt(offset);
    if (code === 10) starts.push(offset + 1);
    else if (code === 13 && text.charCodeAt(offset + 1) !== 10) starts.push(offset + 1);
  }
  return starts;
}

export class OverlappingEditsError extends Error {
  override name = 'OverlappingEditsError';
}

/**
 * Applies text edits to a source (ranges relative to that source). Identical duplicate edits are
 * applied once (two findings may carry the same fix, e.g. naming a constraint in upgrade and
 * downgrade); edits that overlap otherwise are refused with OverlappingEditsError.
 */
export function applyTextEdits(source: string, edits: readonly TextEdit[]): string {
  const lineStarts = lineStartsOf(source);
  const resolved = edits.map((edit) => ({
    from: offsetOf(lineStarts, source, edit.range.start),
    to: offsetOf(lineStarts, source, edit.range.end),
    newText: edit.newText,
  }));
  const unique = resolved.filter(
    (edit, index) =>
      resolved.findIndex((other) => other.from === edit.from && other.to === edit.to && other.newText === edit.newText) === index,
  );
  // Stable sort: insertions at the same offset keep the order they were given in.
  unique.sort((a, b) => a.from - b.from || a.to - b.to);
  for (let index = 1; index < unique.length; index++) {
    const previous = unique[index - 1];
    const current = unique[index];
    const sameNonEmptyRange = current.from === previous.from && current.to === previous.to && current.from !== current.to;
    if (current.from < previous.to || sameNonEmptyRange) {
      throw new OverlappingEditsError('Two edits change the same text; apply one fix, lint again, then apply the next.');
    }
  }
  let result = '';
  let cursor = 0;
  for (const edit of unique) {
    result += source.slice(cursor, edit.from) + edit.newText;
    cursor = edit.to;
  }
  return result + source.slice(cursor);
}
