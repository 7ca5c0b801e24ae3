// The Markdown of the hover over a revision id: plain data in, a string out, no VS Code API (unit
// tested with plain mocha; hoverProvider.ts wraps it in a MarkdownString).
import type { FindingCounts } from '../core/lint/findings';
import type { RevisionNode } from '../core/revisions/revisionGraph';
import { escapeMarkdown } from '../core/util/markdown';

export type RevisionDatabaseMark = 'applied' | 'current' | 'pending' | 'unknown';

export interface RevisionHoverInput {
  node: RevisionNode;
  /** The file as the user knows it (relative to the workspace folder). */
  fileLabel: string;
  /** A link that opens the file (a URI string), if the caller has one. */
  fileLink?: string;
  /** What the selected database has, when it was read (trusted workspaces only). */
  database?: { state: RevisionDatabaseMark; targetName: string };
  /** Lint findings of the revision's file, when known. */
  findings?: FindingCounts;
}


const DATABASE_WORDS: Record<RevisionDatabaseMark, string> = {
  applied: 'applied',
  current: 'current (the database is at this revision)',
  pending: 'pending (not applied yet)',
  unknown: 'not in this history (the database knows another revision)',
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function idList(ids: readonly string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

export function revisionHoverMarkdown(input: RevisionHoverInput): string {
  const { node } = input;
  const lines: string[] = [];
  const message = node.file.message?.trim();
  lines.push(`**\`${node.id}\`**${message ? ` ${escapeMarkdown(message)}` : ''}`);
  const markers = [
    node.isHead ? 'head' : undefined,
    node.isBase ? 'base' : undefined,
    node.isMergePoint ? 'merge point' : undefined,
    node.isBranchPoint ? 'branch point' : undefined,
    node.branchLabels.length > 0 ? `branch ${node.branchLabels.map((label) => `\`${label}\``).join(', ')}` : undefined,
  ].filter((marker): marker is string => marker !== undefined);
  if (markers.length > 0) lines.push(markers.join(' · '));
  const file = input.fileLink ? `[${escapeMarkdown(input.fileLabel)}](${input.fileLink})` : escapeMarkdown(input.fileLabel);
  lines.push(`${node.file.createDate ? `Created ${escapeMarkdown(node.file.createDate)} · ` : ''}${file}`);
  const family = [
    node.parents.length > 0 ? `revises ${idList(node.parents)}` : node.isBase ? 'first revision (revises nothing)' : undefined,
    node.children.length > 0 ? `followed by ${idList(node.children)}` : undefined,
    node.dependencies.length > 0 ? `depends on ${idList(node.dependencies)}` : undefined,
  ].filter((part): part is string => part !== undefined);
  if (family.length > 0) lines.push(family.join(' · '));
  if (input.database) lines.push(`Database \`${escapeMarkdown(input.database.targetName)}\`: ${DATABASE_WORDS[input.database.state]}`);
  if (input.findings) {
    const { error, warning, info } = input.findings;
    const parts = [error ? plural(error, 'error') : '', warning ? plural(warning, 'warning') : '', info ? `${info} info` : ''].filter(Boolean);
    lines.push(`Lint: ${parts.length > 0 ? parts.join(', ') : 'no findings'}`);
  }
  // Two trailing spaces would be a Markdown line break; separate paragraphs read better in a hover.
  return lines.join('\n\n');
}
