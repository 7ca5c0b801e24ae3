// Table sizes in lint messages: for the findings that lock or rewrite a table (AW101-AW109) and
// the one that empties it (AW203), a line like "Rewrites meetings: ~2.3M rows, 1.1 GB." tells how
// much the risk weighs on this database. Plain data: the caller supplies the statistics (from
// src/core/db/tableStats.ts) and decides whether it may read a database at all.
import { describeTableSize, type TableReference, type TableStats } from '../db/tableStats';
import type { Finding, FindingTable } from './findings';

/** What the operation does to the table, per rule; `[warning-or-error verb, info verb]`. */
const VERBS: Record<string, [string, string]> = {
  AW101: ['rewrites', 'locks'],
  AW102: ['adds a required column to', 'adds a required column to'],
  AW103: ['scans', 'scans'],
  AW104: ['blocks writes to', 'blocks writes to'],
  AW105: ['indexes', 'indexes'],
  AW106: ['locks', 'locks'],
  AW107: ['scans', 'scans'],
  AW108: ['locks', 'locks'],
  AW109: ['rewrites', 'stamps every row of'],
  AW203: ['loses the data of', 'loses the data of'],
};

/** The rules whose messages get table sizes. */
export const TABLE_SIZE_CODES: ReadonlySet<string> = new Set(Object.keys(VERBS));

export function tableReference(table: FindingTable): TableReference {
  return table.schema ? { table: table.name, schema: table.schema } : { table: table.name };
}

/** The tables whose sizes a finding's message should carry (none for other rules). */
export function tablesToMeasure(finding: Pick<Finding, 'code' | 'tables'>): FindingTable[] {
  return TABLE_SIZE_CODES.has(finding.code) ? (finding.tables ?? []) : [];
}

/**
 * "Rewrites meetings: ~2.3M rows, 1.1 GB." for a finding whose tables have known statistics;
 * undefined when none is known (not looked up yet, no such table, not PostgreSQL).
 */
export function tableSizeNote(finding: Pick<Finding, 'code' | 'tables' | 'severity'>, statsOf: (table: TableReference) => TableStats | undefined): string | undefined {
  const tables = tablesToMeasure(finding);
  const parts: string[] = [];
  tables.forEach((table, index) => {
    const stats = statsOf(tableReference(table));
    if (!stats) return;
    const [verb, infoVerb] = VERBS[finding.code];
    // A foreign key scans its own table and locks the one it references.
    const action = finding.code === 'AW107' && index > 0 ? 'locks' : finding.severity === 'info' ? infoVerb : verb;
    parts.push(`${action} ${describeTableSize(stats)}`);
  });
  if (parts.length === 0) return undefined;
  const sentence = parts.join('; ');
  return `${sentence[0].toUpperCase()}${sentence.slice(1)}.`;
}

/** The message with its size note on a line of its own (unchanged when there is no note). */
export function withTableSizeNote(message: string, note: string | undefined): string {
  return note ? `${message}\n${note}` : message;
}
