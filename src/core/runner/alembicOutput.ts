// Parsers for what Alembic prints on stdout. Alembic has no machine-readable output, so these read
// its human format (alembic/script/base.py: `cmd_format`, `log_entry`) defensively: a line they do
// not understand is kept, never fatal. Messages may contain anything, even newlines and " -> ".
import type { PathMapper } from '../compose/pathMapper';

export interface RevisionMarkers {
  head: boolean;
  effectiveHead: boolean;
  current: boolean;
  branchPoint: boolean;
  mergePoint: boolean;
}

export interface RevisionLine {
  revision: string;
  branchLabels: string[];
  markers: RevisionMarkers;
}

export interface HistoryEntry extends RevisionLine {
  /** Empty for a base (`<base>`). */
  downRevisions: string[];
  dependencies: string[];
  /** First paragraph of the docstring (the message); may span lines. */
  message: string;
  /** Verbose (`-v`) output only. */
  path?: string;
  branchesInto?: string[];
  /** Verbose only: the whole docstring, indentation removed. */
  longDoc?: string;
}

export interface CurrentOutput {
  /** One per applied head; empty when the database has no revision. */
  revisions: HistoryEntry[];
  /** Verbose only, as Alembic prints it (password shown as XXXXX by Alembic). */
  databaseUrl?: string;
}

const MARKER_WORDS: Record<string, keyof RevisionMarkers> = {
  head: 'head',
  'effective head': 'effectiveHead',
  current: 'current',
  branchpoint: 'branchPoint',
  mergepoint: 'mergePoint',
};

function noMarkers(): RevisionMarkers {
  return { head: false, effectiveHead: false, current: false, branchPoint: false, mergePoint: false };
}

/**
 * `<rev>[ (labels)][ (head)]...` as `heads` / `current` / `branches` print it. Returns undefined
 * when the line is not of that shape.
 */
export function parseRevisionLine(line: string): RevisionLine | undefined {
  const match = /^(\S+)((?: \([^()]*\))*)$/.exec(line.trim());
  if (!match || match[1] === '->') return undefined;
  return { revision: match[1], ...readParentheses(match[2]) };
}

function readParentheses(groups: string): { branchLabels: string[]; markers: RevisionMarkers } {
  const markers = noMarkers();
  const branchLabels: string[] = [];
  for (const [, inner] of groups.matchAll(/ \(([^()]*)\)/g)) {
    const marker = MARKER_WORDS[inner];
    if (marker) markers[marker] = true;
    else branchLabels.push(...splitComma(inner));
  }
  return { branchLabels, markers };
}

function splitComma(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function nonEmptyLines(stdout: string): string[] {
  return stdout
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** `alembic heads` (also `-v`). */
export function parseHeadsOutput(stdout: string): HistoryEntry[] {
  if (/^Rev: /m.test(stdout)) return parseVerboseEntries(stdout);
  return nonEmptyLines(stdout).flatMap((line) => {
    const parsed = parseRevisionLine(line);
    return parsed ? [{ ...parsed, downRevisions: [], dependencies: [], message: '' }] : [];
  });
}

/** `alembic current` (also `-v`, and several heads). */
export function parseCurrentOutput(stdout: string): CurrentOutput {
  const urlLine = /^Current revision\(s\) for (.*):$/m.exec(stdout);
  if (/^Rev: /m.test(stdout)) return { revisions: parseVerboseEntries(stdout), databaseUrl: urlLine?.[1] };
  const revisions = nonEmptyLines(stdout).flatMap((line) => {
    const parsed = parseRevisionLine(line);
    return parsed ? [{ ...parsed, downRevisions: [], dependencies: [], message: '' }] : [];
  });
  return { revisions, databaseUrl: urlLine?.[1] };
}

// `<down>[ (deps)] -> <rev>[ (labels)][ (markers)], <message>`
const HISTORY_LINE = /^(<base>|[^\s,()]+(?:, [^\s,()]+)*)(?: \(([^()]*)\))? -> (\S+)((?: \([^()]*\))*), (.*)$/;

/** `alembic history` (also `-v`), newest first as printed. */
export function parseHistoryOutput(stdout: string): HistoryEntry[] {
  if (/^Rev: /m.test(stdout)) return parseVerboseEntries(stdout);
  const entries: HistoryEntry[] = [];
  for (const line of stdout.replace(/\r\n/g, '\n').split('\n')) {
    const match = HISTORY_LINE.exec(line);
    if (match) {
      entries.push({
        downRevisions: match[1] === '<base>' ? [] : splitComma(match[1]),
        dependencies: match[2] ? splitComma(match[2]) : [],
        revision: match[3],
        ...readParentheses(match[4]),
        message: match[5],
      });
    } else if (entries.length > 0 && line !== '') {
      // A message with a newline continues on the next printed line.
      entries[entries.length - 1].message += `\n${line}`;
    }
  }
  return entries;
}

/** `Rev: ...` blocks of `-v` output (history, heads, current, show). */
export function parseVerboseEntries(stdout: string): HistoryEntry[] {
  const lines = stdout.replace(/\r\n/g, '\n').split('\n');
  const entries: HistoryEntry[] = [];
  let entry: HistoryEntry | undefined;
  let docLines: string[] = [];
  const close = () => {
    if (!entry) return;
    while (docLines.length && docLines[docLines.length - 1].trim() === '') docLines.pop();
    entry.longDoc = docLines.join('\n');
    entry.message = entry.longDoc.split(/\n\s*\n/)[0] ?? '';
    entries.push(entry);
    entry = undefined;
    docLines = [];
  };
  for (const line of lines) {
    const rev = /^Rev: (\S+)((?: \([^()]*\))*)$/.exec(line);
    if (rev) {
      close();
      entry = { revision: rev[1], ...readParentheses(rev[2]), downRevisions: [], dependencies: [], message: '' };
      continue;
    }
    if (!entry) continue;
    const field = /^(Parent|Merges|Also depends on|Branches into|Branch names|Path): (.*)$/.exec(line);
    if (field && entry.path === undefined) {
      const value = field[2];
      switch (field[1]) {
        case 'Parent':
        case 'Merges':
          entry.downRevisions = value === '<base>' ? [] : splitComma(value);
          break;
        case 'Also depends on':
          entry.dependencies = splitComma(value);
          break;
        case 'Branches into':
          entry.branchesInto = splitComma(value);
          break;
        case 'Branch names':
          entry.branchLabels = splitComma(value);
          break;
        case 'Path':
          entry.path = value;
          break;
      }
      continue;
    }
    if (entry.path !== undefined) {
      // The docstring, each line indented by four spaces; a blank line before it.
      if (docLines.length === 0 && line.trim() === '') continue;
      docLines.push(line.startsWith('    ') ? line.slice(4) : line.trim());
    }
  }
  close();
  return entries;
}

export interface GeneratedFile {
  /** As Alembic printed it (a container path under dockerCompose). */
  reportedPath: string;
  /** On this machine, when it could be mapped; else undefined. */
  hostPath?: string;
}

/**
 * Files written by `revision` / `merge`: `Generating <path> ...  done`. Container paths are mapped
 * back to the host when a mapper is given; a path that is already a host path passes through.
 */
export function parseGeneratedFiles(stdout: string, mapper?: PathMapper): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const [, reported] of stdout.replace(/\r\n/g, '\n').matchAll(/^\s*Generating (.+?) \.\.\.\s+done\s*$/gm)) {
    files.push({ reportedPath: reported, hostPath: mapper ? (mapper.toHost(reported) ?? undefined) : reported });
  }
  return files;
}

/** The revision file a `revision` or `merge` command created (the first `.py` it generated). */
export function parseCreatedRevisionFile(stdout: string, mapper?: PathMapper): GeneratedFile | undefined {
  return parseGeneratedFiles(stdout, mapper).find((file) => file.reportedPath.endsWith('.py'));
}
