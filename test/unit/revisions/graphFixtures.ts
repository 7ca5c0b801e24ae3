// Small histories for graph tests, written as real revision file text and read with the real
// reader, so the graph is tested on what parseRevisionFile produces.
import { parseRevisionFile, RevisionFile } from '../../../src/core/revisions/revisionFile';
import { RevisionGraph, RevisionGraphOptions } from '../../../src/core/revisions/revisionGraph';

export interface RevisionSpec {
  id: string;
  down?: string | string[] | null;
  labels?: string[];
  dependsOn?: string[];
  message?: string;
  /** File name; default `<id>_<slug>.py`. */
  fileName?: string;
}

function pythonValue(value: string | string[] | null | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `'${value}'`;
  return `(${value.map((item) => `'${item}'`).join(', ')}${value.length === 1 ? ',' : ''})`;
}

export function revisionSource(spec: RevisionSpec): string {
  const down = spec.down === undefined ? null : spec.down;
  const revises = down === null ? '' : typeof down === 'string' ? down : down.join(', ');
  return [
    `"""${spec.message ?? `revision ${spec.id}`}`,
    '',
    `Revision ID: ${spec.id}`,
    `Revises: ${revises}`,
    'Create Date: 2026-01-01 00:00:00.000000',
    '',
    '"""',
    'from alembic import op',
    'import sqlalchemy as sa',
    '',
    '',
    '# revision identifiers, used by Alembic.',
    `revision = '${spec.id}'`,
    `down_revision = ${pythonValue(down)}`,
    `branch_labels = ${spec.labels?.length ? pythonValue(spec.labels) : 'None'}`,
    `depends_on = ${spec.dependsOn?.length ? pythonValue(spec.dependsOn) : 'None'}`,
    '',
    '',
    'def upgrade() -> None:',
    '    pass',
    '',
    '',
    'def downgrade() -> None:',
    '    pass',
    '',
  ].join('\n');
}

export function revisionFileOf(spec: RevisionSpec): RevisionFile {
  const slug = (spec.message ?? `revision ${spec.id}`).toLowerCase().replace(/\W+/g, '_');
  return parseRevisionFile(revisionSource(spec), `/project/versions/${spec.fileName ?? `${spec.id}_${slug}.py`}`);
}

/** A graph from specs, in the given (load) order. */
export function graphOf(specs: RevisionSpec[], options: RevisionGraphOptions = {}): RevisionGraph {
  return RevisionGraph.build(specs.map(revisionFileOf), options);
}

export function ids(nodes: Array<{ id: string }>): string[] {
  return nodes.map((node) => node.id);
}
