// What git knows of a revision id no file defines (the database names it; Alembic says "Can't
// locate revision identified by ..."): the commits, on any branch, that added or removed a Python
// file mentioning it. Tells "deleted in a1b2c3d" from "only on the feature branch" from "never
// committed here" without the user digging through `git log -S`.
import type { GitRunner } from '../util/git';

export interface RevisionCommit {
  commit: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
  subject: string;
  /** Python files the commit changed that mention the id: A added, D deleted, M modified, R renamed. */
  files: Array<{ status: string; path: string }>;
}

export type RevisionGitHistory =
  | { kind: 'found'; commits: RevisionCommit[] }
  | { kind: 'never-committed' }
  /** Not a repository, git missing, or git failed. */
  | { kind: 'unavailable'; reason: string };

const RECORD = '\u001e';

/** Commits (newest first, all refs) whose Python files gained or lost the id. */
export function revisionGitHistory(revision: string, cwd: string, runGit: GitRunner, options: { limit?: number } = {}): RevisionGitHistory {
  const top = runGit(['rev-parse', '--show-toplevel'], cwd);
  if (top.code !== 0) return { kind: 'unavailable', reason: top.stderr.trim().split('\n')[0] || 'not inside a git repository' };
  const root = top.stdout.trim();
  const log = runGit(
    ['log', '--all', `--max-count=${options.limit ?? 10}`, `--format=${RECORD}%h%x09%cs%x09%s`, '--name-status', '--no-renames', `-S${revision}`, '--', '*.py'],
    root,
  );
  if (log.code !== 0) return { kind: 'unavailable', reason: log.stderr.trim().split('\n')[0] || `git log failed (exit ${log.code})` };
  const commits: RevisionCommit[] = [];
  for (const record of log.stdout.split(RECORD)) {
    const lines = record.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) continue;
    const [commit = '', date = '', ...subject] = lines[0].split('\t');
    const files = lines.slice(1).map((line) => {
      const [status = '', ...rest] = line.split('\t');
      return { status, path: rest.join('\t') };
    });
    commits.push({ commit, date, subject: subject.join('\t'), files });
  }
  return commits.length > 0 ? { kind: 'found', commits } : { kind: 'never-committed' };
}

/** One line for people: "added in 1a2b3c4 (2026-11-02, add tags); deleted in 9f8e7d6 (...)". */
export function describeRevisionGitHistory(history: RevisionGitHistory): string {
  if (history.kind === 'unavailable') return `git history not available (${history.reason})`;
  if (history.kind === 'never-committed') return 'no commit on any branch of this repository mentions it (made and applied elsewhere, or not pushed yet)';
  return history.commits
    .map((commit) => {
      const statuses = new Set(commit.files.map((file) => file.status));
      const verb = statuses.has('D') && !statuses.has('A') ? 'deleted' : statuses.has('A') && !statuses.has('D') ? 'added' : 'changed';
      const files = commit.files.map((file) => file.path).join(', ');
      return `${verb} in ${commit.commit} (${commit.date}, "${commit.subject}")${files ? `: ${files}` : ''}`;
    })
    .join('; ');
}
