// Text output shared by the subcommands. Where Alembic has the same command, lines look like
// Alembic's (`history`, `heads`, `show`), so users recognise them; colour only on a terminal.
import type { RevisionNode } from '../core/revisions/revisionGraph';
import type { CliIO } from './cliTypes';

export interface Palette {
  id(text: string): string;
  marker(text: string): string;
  label(text: string): string;
  dim(text: string): string;
  error(text: string): string;
  warning(text: string): string;
}

const plain: Palette = {
  id: (text) => text,
  marker: (text) => text,
  label: (text) => text,
  dim: (text) => text,
  error: (text) => text,
  warning: (text) => text,
};

const ansi = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;

const coloured: Palette = {
  id: ansi('33'),
  marker: ansi('32'),
  label: ansi('36'),
  dim: ansi('2'),
  error: ansi('31;1'),
  warning: ansi('33;1'),
};

/** Colour on a terminal unless NO_COLOR is set (https://no-color.org) or --no-color was given. */
export function paletteFor(io: CliIO, noColor: boolean): Palette {
  if (noColor || !io.isTTY || io.env.NO_COLOR !== undefined || io.env.TERM === 'dumb') return plain;
  return coloured;
}

/** Alembic's `_format_down_revision`: "<base>" or the comma-separated down revisions as written. */
export function formatDownRevisions(node: RevisionNode): string {
  return node.file.downRevisions.length === 0 ? '<base>' : node.file.downRevisions.join(', ');
}

/** Alembic's `Script._head_only` (what `heads` and `history` print for one revision). */
export function formatRevisionLine(
  node: RevisionNode,
  palette: Palette,
  options: { includeParents: boolean; includeDoc: boolean; treeIndicators: boolean },
): string {
  let text = palette.id(node.id);
  if (options.includeParents) {
    const down = formatDownRevisions(node);
    text = node.file.dependsOn.length > 0 ? `${down} (${node.file.dependsOn.join(', ')}) -> ${text}` : `${down} -> ${text}`;
  }
  if (node.branchLabels.length > 0) text += ` ${palette.label(`(${node.branchLabels.join(', ')})`)}`;
  if (node.isRealHead) text += ` ${palette.marker('(head)')}`;
  else if (node.isHead) text += ` ${palette.marker('(effective head)')}`;
  if (options.treeIndicators) {
    if (node.isBranchPoint) text += ` ${palette.marker('(branchpoint)')}`;
    if (node.isMergePoint) text += ` ${palette.marker('(mergepoint)')}`;
  }
  if (options.includeDoc) text += `, ${node.file.message ?? ''}`;
  return text;
}

/** Alembic's `Script.log_entry` (`show`, and `-v/--verbose` listings). */
export function formatLogEntry(node: RevisionNode, palette: Palette): string {
  let entry = `Rev: ${palette.id(node.id)}`;
  if (node.isHead) entry += ` ${palette.marker('(head)')}`;
  if (node.isBranchPoint) entry += ` ${palette.marker('(branchpoint)')}`;
  if (node.isMergePoint) entry += ` ${palette.marker('(mergepoint)')}`;
  entry += '\n';
  entry += node.isMergePoint ? `Merges: ${formatDownRevisions(node)}\n` : `Parent: ${formatDownRevisions(node)}\n`;
  if (node.file.dependsOn.length > 0) entry += `Also depends on: ${node.file.dependsOn.join(', ')}\n`;
  if (node.isBranchPoint) entry += `Branches into: ${node.children.join(', ')}\n`;
  if (node.branchLabels.length > 0) entry += `Branch names: ${node.branchLabels.join(', ')}\n`;
  entry += `Path: ${node.file.filePath}\n`;
  // Python's str.splitlines(): no lines at all for an empty docstring.
  const docstring = node.file.docstring ?? '';
  // eslint-disable-next-line no-control-regex -- Python's line boundaries include these control characters.
  const lines = docstring === '' ? [] : docstring.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  entry += `\n${lines.map((line) => `    ${line}`).join('\n')}\n`;
  return entry;
}

