// What the status bar item says, as plain data (no VS Code API: unit-tested with plain mocha).
//   "Alembic: e91f4c6 (5 pending)"   the database's current revision and what is left to apply
//   "Alembic: up to date"
//   "Alembic: 2 heads, 3 pending"    the history forked: click opens the Revision Graph (merge there)
//   "Alembic: database unreachable"  click picks another target or sets a password
//   "Alembic: 1 head"                Restricted Mode, or no database state yet
import type { DatabaseStatus } from '../core/db/databaseStatusService';
import { escapeMarkdown } from '../core/util/markdown';

export type StatusBarAction = 'openRevisionGraph' | 'focusRevisions' | 'selectDatabaseTarget' | 'setDatabasePassword';

export interface StatusBarInput {
  trusted: boolean;
  /** Set when the workspace has several projects, to say which one the item is about. */
  projectLabel?: string;
  heads: readonly string[];
  revisionCount: number;
  shortId: (id: string) => string;
  database?: DatabaseStatus;
  /** The selected target as it may be shown (password masked), for the tooltip. */
  targetDisplay?: string;
  /** A database read is under way. */
  refreshing?: boolean;
}

export interface StatusBarPresentation {
  text: string;
  /** Markdown. */
  tooltip: string;
  action: StatusBarAction;
  severity: 'normal' | 'warning' | 'error';
}

/** Database errors a typed password can fix. */
export const PASSWORD_ERROR_KINDS: ReadonlySet<string> = new Set(['password-required', 'authentication-failed']);

const LIST_LIMIT = 8;

export function describeStatusBar(input: StatusBarInput): StatusBarPresentation {
  const name = `Alembic${input.projectLabel ? ` (${input.projectLabel})` : ''}`;
  const headCount = `${input.heads.length} head${input.heads.length === 1 ? '' : 's'}`;
  const status = input.database;
  const tooltip: string[] = [`**Alembic Workbench**${input.projectLabel ? ` · ${escapeMarkdown(input.projectLabel)}` : ''}`, ''];
  const facts: string[] = [`${input.revisionCount} revision${input.revisionCount === 1 ? '' : 's'}, ${headCount}: ${listIds(input.heads, input.shortId)}`];

  // Several heads matter most (`upgrade head` fails): one item says so, with what is pending when known.
  const forked = input.heads.length > 1;
  const forkedHint = 'Several heads: `alembic upgrade head` fails until they are merged. Click to open the Revision Graph and merge them.';
  if (!input.trusted) {
    facts.push('Restricted Mode: the database is not read and no Alembic command runs until you trust this workspace.');
    if (forked) return finish({ text: `$(git-merge) ${name}: ${headCount}`, action: 'openRevisionGraph', severity: 'warning' }, tooltip, facts, forkedHint);
    return finish({ text: `$(database) ${name}: ${headCount}`, action: 'focusRevisions', severity: 'normal' }, tooltip, facts, 'Click to open the Revisions view.');
  }

  const where = input.targetDisplay ? ` (${escapeMarkdown(status?.targetName && status.targetName !== 'project' ? `${status.targetName}: ` : '')}\`${input.targetDisplay.replace(/`/g, "'")}\`)` : '';
  if (status) facts.push(`Database${where}: ${escapeMarkdown(status.message)}`);
  else facts.push(input.refreshing ? 'Reading the database...' : 'Database state not read yet.');
  if (status?.reachable && status.pending.length > 0) facts.push(`Pending: ${listIds(status.pending, input.shortId)}`);
  for (const note of status?.notes ?? []) facts.push(`_${escapeMarkdown(note)}_`);
  if (status) facts.push(`Read at ${new Date(status.readAt).toLocaleTimeString()} from ${status.source === 'alembic' ? '`alembic current`' : status.source === 'database' ? 'the version table' : 'nowhere'}.`);

  if (forked) {
    const database = !status ? '' : !status.reachable ? ', database unreachable' : status.pending.length > 0 ? `, ${status.pending.length} pending` : ', up to date';
    return finish({ text: `$(git-merge) ${name}: ${headCount}${database}`, action: 'openRevisionGraph', severity: 'warning' }, tooltip, facts, forkedHint);
  }
  if (!status) {
    return finish({ text: `${input.refreshing ? '$(sync~spin)' : '$(database)'} ${name}: ${headCount}`, action: 'focusRevisions', severity: 'normal' }, tooltip, facts, 'Click to open the Revisions view.');
  }
  if (!status.reachable) {
    const password = PASSWORD_ERROR_KINDS.has(status.error?.kind ?? '');
    return finish(
      { text: `$(warning) ${name}: database unreachable`, action: password ? 'setDatabasePassword' : 'selectDatabaseTarget', severity: 'warning' },
      tooltip,
      facts,
      password ? 'Click to enter the password (kept in VS Code\'s secret storage).' : 'Click to pick another database target.',
    );
  }
  if (status.unknown.length > 0) {
    return finish({ text: `$(error) ${name}: unknown revision ${status.unknown.map(input.shortId).join(', ')}`, action: 'focusRevisions', severity: 'error' }, tooltip, facts, 'Click to open the Revisions view.');
  }
  if (status.pending.length === 0) {
    return finish({ text: `$(database) ${name}: up to date`, action: 'focusRevisions', severity: 'normal' }, tooltip, facts, 'Click to open the Revisions view.');
  }
  const at = status.current.length === 0 ? 'base' : status.current.map(input.shortId).join(', ');
  return finish({ text: `$(database) ${name}: ${at} (${status.pending.length} pending)`, action: 'focusRevisions', severity: 'normal' }, tooltip, facts, 'Click to open the Revisions view.');
}

function finish(presentation: Omit<StatusBarPresentation, 'tooltip'>, tooltip: string[], facts: string[], hint: string): StatusBarPresentation {
  return { ...presentation, tooltip: [...tooltip, facts.join('  \n'), '', `_${hint}_`].join('\n') };
}

function listIds(ids: readonly string[], short: (id: string) => string): string {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, LIST_LIMIT).map((id) => `\`${short(id)}\``).join(', ');
  return ids.length > LIST_LIMIT ? `${shown} and ${ids.length - LIST_LIMIT} more` : shown;
}
