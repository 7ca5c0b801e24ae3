// The text of a revision file as Alembic 1.8.1's default template writes it, for tests that need
// one: the graph fixtures, and the VS Code suites that add revisions to the example project.
// One template, so a change to it (or to what the reader must cope with) is made in one place.

export interface RevisionSpec {
  id: string;
  down?: string | string[] | null;
  labels?: string[];
  dependsOn?: string[];
  /** The docstring's first line; default `revision <id>`. */
  message?: string;
  /** File name, for the fixtures that read the text under one; default `<id>_<slug>.py`. */
  fileName?: string;
  /** Default 2026-01-01 00:00:00.000000. */
  createDate?: string;
  /** upgrade()'s body, unindented; default `pass`. */
  upgrade?: string;
  /** downgrade()'s body, unindented; default `pass`; null writes no downgrade() at all. */
  downgrade?: string | null;
}

function pythonValue(value: string | string[] | null | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `'${value}'`;
  return `(${value.map((item) => `'${item}'`).join(', ')}${value.length === 1 ? ',' : ''})`;
}

function functionBody(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => (line ? `    ${line}` : line))
    .join('\n');
}

export function revisionSource(spec: RevisionSpec): string {
  const down = spec.down === undefined ? null : spec.down;
  const revises = down === null ? '' : typeof down === 'string' ? down : down.join(', ');
  const downgrade = spec.downgrade === undefined ? 'pass' : spec.downgrade;
  return [
    `"""${spec.message ?? `revision ${spec.id}`}`,
    '',
    `Revision ID: ${spec.id}`,
    `Revises: ${revises}`,
    `Create Date: ${spec.createDate ?? '2026-01-01 00:00:00.000000'}`,
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
    functionBody(spec.upgrade ?? 'pass'),
    ...(downgrade === null ? [] : ['', '', 'def downgrade() -> None:', functionBody(downgrade)]),
    '',
  ].join('\n');
}
