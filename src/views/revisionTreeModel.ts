// What the Revisions view shows, as plain data: no VS Code API here, so it is unit-tested with plain
// mocha and the TreeDataProvider (revisionTreeProvider.ts) only converts nodes into TreeItems.
//
// From one project's revision graph, its database status and its lint finding counts this builds:
//  - the flat history: Alembic's `history` order (newest first), except that every head is lifted
//    to the top, so a branch someone forgot to merge is never buried under older revisions;
//  - or the history grouped by branch: the graph cut into segments at branch points and merges
//    (a segment is a run of revisions where each one has exactly one parent and that parent exactly
//    one child), labelled by the branch label written in it, else by its head, else by its range;
//  - message nodes for what is not a revision but must be seen: the database at a revision no file
//    defines, files without a revision id, files whose id another file also uses.
// Each revision carries a state for its icon (applied | current | pending | unknown | problem) and
// a `contextValue` `revision:<state>:<flags>` that package.json's menus match with regexes.
import path from 'node:path';
import type { RevisionDatabaseState } from '../core/db/databaseState';
import type { FindingCounts } from '../core/lint/findings';
import type { DatabaseStatus } from '../core/db/databaseStatusService';
import { BLOCKING_PROBLEMS, findGraphProblems } from '../core/revisions/graphProblems';
import type { RevisionGraph, RevisionNode } from '../core/revisions/revisionGraph';
import { escapeMarkdown } from '../core/util/markdown';

export type RevisionTreeState = 'applied' | 'current' | 'pending' | 'unknown' | 'problem';

/** Graph facts about a revision, as they appear in `contextValue` (in this order). */
export type RevisionFlag = 'head' | 'branchpoint' | 'mergepoint' | 'base' | 'labelled';

export const NO_FINDINGS: Readonly<FindingCounts> = Object.freeze({ error: 0, warning: 0, info: 0 });

/** Why a project has no database state to show. */
export type DatabaseUnavailableReason = 'untrusted' | 'not-read';

export interface ProjectTreeInput {
  projectId: string;
  /** "backend", or a longer label when several projects are open. */
  label: string;
  graph: RevisionGraph;
  /** Tooltips show file paths relative to this folder (the workspace folder). */
  displayRoot?: string;
  /** Config file, for the project's tooltip. */
  configFile?: string;
  /** The latest database status; undefined when none was read (see `databaseUnavailable`). */
  database?: DatabaseStatus;
  databaseUnavailable?: DatabaseUnavailableReason;
  /** Lint findings of a revision file (the Problems panel's counts for it). */
  findingsFor?: (filePath: string) => FindingCounts | undefined;
  /** Version-folder entries the model could not read. */
  loadErrors?: ReadonlyArray<{ file: string; message: string }>;
  /** Set for a project Flask-Migrate runs: what showed it (the node's tooltip). */
  flaskMigrateEvidence?: string;
}

export interface RevisionTreeOptions {
  groupByBranch: boolean;
  /** Reference time for relative dates (ms since the epoch); default: now. */
  now?: number;
  /** Locale of relative dates ("3 hours ago"); default English. */
  locale?: string;
}

interface NodeBase {
  /** Unique in the whole view and stable across rebuilds: the TreeItem id. */
  readonly key: string;
  readonly projectId: string;
  /** Key of the parent node; undefined at the top of a project. */
  readonly parentKey?: string;
}

export interface RevisionTreeNodeData extends NodeBase {
  readonly kind: 'revision';
  readonly revision: string;
  /** What commands receive from a tree item (see commands/commandArguments.ts). */
  readonly revisionReference: { projectId: string; revision: string };
  readonly shortId: string;
  /** Alembic's message (the docstring's first paragraph); '' when the file has none. */
  readonly message: string;
  /** `<short id> <message>` */
  readonly label: string;
  /** Labels and markers, the database marker, the relative date. */
  readonly description: string;
  readonly state: RevisionTreeState;
  /** The database's view of the revision, whatever `state` shows. */
  readonly databaseState: RevisionDatabaseState;
  readonly flags: readonly RevisionFlag[];
  /** Human words for the flags: head, merge point, branch point, base. */
  readonly markers: readonly string[];
  readonly branchLabels: readonly string[];
  /** `revision:<state>:<flags>`; for a problem, the database state is added to the flags. */
  readonly contextValue: string;
  readonly filePath: string;
  readonly revises: readonly string[];
  readonly dependsOn: readonly string[];
  readonly createDate?: string;
  readonly relativeDate?: string;
  readonly findings: FindingCounts;
  /** Errors in the history itself (dangling down_revision, cycle, duplicate id...). */
  readonly graphErrors: readonly string[];
}

export interface BranchGroupNodeData extends NodeBase {
  readonly kind: 'branch';
  readonly label: string;
  readonly description: string;
  /** Newest first. */
  readonly children: RevisionTreeNodeData[];
  /** What ends the segment. */
  readonly endsAt: 'head' | 'branchpoint' | 'merge' | 'open';
  readonly startsAt: 'base' | 'merge' | 'branch';
  /** Own branch labels written in the segment. */
  readonly branchLabels: readonly string[];
  /** Open it at first: it holds a head, the database's current revision or pending work. */
  readonly expanded: boolean;
  /** The most notable state inside: problem > pending > current > applied > unknown. */
  readonly state: RevisionTreeState;
  readonly pendingCount: number;
}

export interface MessageNodeData extends NodeBase {
  readonly kind: 'message';
  readonly severity: 'error' | 'warning' | 'info';
  readonly label: string;
  readonly description?: string;
  /** Plain text. */
  readonly detail?: string;
  /** A file to open on click. */
  readonly filePath?: string;
  /** Only says "no revisions yet": left out when the project is the only one (the welcome view says it). */
  readonly emptyNotice?: boolean;
}

export interface ProjectNodeData extends NodeBase {
  readonly kind: 'project';
  readonly label: string;
  readonly description: string;
  readonly children: Array<RevisionTreeNodeData | BranchGroupNodeData | MessageNodeData>;
}

export type RevisionTreeNode = ProjectNodeData | BranchGroupNodeData | RevisionTreeNodeData | MessageNodeData;

export interface ProjectTree {
  readonly input: ProjectTreeInput;
  readonly project: ProjectNodeData;
  readonly byKey: ReadonlyMap<string, RevisionTreeNode>;
  readonly byRevision: ReadonlyMap<string, RevisionTreeNodeData>;
  /** Absolute file path -> its revision node. */
  readonly byFile: ReadonlyMap<string, RevisionTreeNodeData>;
  readonly headCount: number;
  /** Undefined when the database state is unknown. */
  readonly pendingCount: number | undefined;
  readonly shortIds: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------

export function buildProjectTree(input: ProjectTreeInput, options: RevisionTreeOptions): ProjectTree {
  const { graph, projectId } = input;
  const now = options.now ?? Date.now();
  const dates = new RelativeDates(options.locale ?? 'en', now);
  const history = liftHeads(graph.history());
  const shortIds = shortIdsOf(graph);
  const database = input.database?.reachable ? input.database : undefined;
  const graphErrors = graphErrorsByRevision(graph);
  const projectKey = `project:${projectId}`;
  const mode = options.groupByBranch ? 'branch' : 'flat';

  const byKey = new Map<string, RevisionTreeNode>();
  const byRevision = new Map<string, RevisionTreeNodeData>();
  const byFile = new Map<string, RevisionTreeNodeData>();

  const revisionNode = (node: RevisionNode, parentKey: string): RevisionTreeNodeData => {
    const databaseState: RevisionDatabaseState = database ? (database.states[node.id] ?? 'unknown') : 'unknown';
    const findings = input.findingsFor?.(node.file.filePath) ?? NO_FINDINGS;
    const errors = graphErrors.get(node.id) ?? [];
    const state: RevisionTreeState = findings.error > 0 || errors.length > 0 ? 'problem' : databaseState;
    const flags = flagsOf(node);
    const shortId = shortIds.get(node.id) ?? node.id;
    const message = node.file.message?.trim() ?? '';
    const relativeDate = dates.describeFile(node.file);
    const markers = flags.length === 0 ? NO_MARKERS : markersOf(flags);
    // Built by hand: this runs for every revision on every rebuild (5000 at a time).
    let description = node.branchLabels.length > 0 ? node.branchLabels.map((label) => `(${label})`).join(' ') : '';
    if (markers.length > 0) description = description ? `${description} ${markers.join(', ')}` : markers.join(', ');
    if (databaseState === 'current') description = description ? `${description} · current` : 'current';
    if (relativeDate) description = description ? `${description} · ${relativeDate}` : relativeDate;
    const contextFlags = state === 'problem' ? (flags.length > 0 ? `${flags.join(',')},${databaseState}` : databaseState) : flags.join(',');
    const data: RevisionTreeNodeData = {
      kind: 'revision',
      key: `revision:${projectId}:${mode}:${node.id}`,
      projectId,
      parentKey,
      revision: node.id,
      revisionReference: { projectId, revision: node.id },
      shortId,
      message,
      label: message ? `${shortId} ${message}` : shortId,
      description,
      state,
      databaseState,
      flags,
      markers,
      branchLabels: node.branchLabels,
      contextValue: `revision:${state}:${contextFlags}`,
      filePath: node.file.filePath,
      revises: node.file.downRevisions,
      dependsOn: node.file.dependsOn,
      createDate: node.file.createDate,
      relativeDate,
      findings,
      graphErrors: errors,
    };
    byKey.set(data.key, data);
    byRevision.set(node.id, data);
    // The model's paths are absolute and normalised already; lookups resolve theirs.
    byFile.set(node.file.filePath, data);
    return data;
  };

  const children: ProjectNodeData['children'] = messageNodes(input, projectKey, database);
  if (options.groupByBranch) {
    for (const segment of branchSegments(graph, history)) {
      const groupKey = `branch:${projectId}:${segment.nodes[segment.nodes.length - 1].id}`;
      const revisions = segment.nodes.map((node) => revisionNode(node, groupKey));
      const group = branchGroup(groupKey, projectId, projectKey, segment, revisions, shortIds, database !== undefined);
      byKey.set(group.key, group);
      children.push(group);
    }
  } else {
    for (const node of history) children.push(revisionNode(node, projectKey));
  }
  if (history.length === 0 && children.length === 0) {
    children.push({ kind: 'message', key: `message:${projectId}:empty`, projectId, parentKey: projectKey, severity: 'info', label: 'No revisions yet', emptyNotice: true });
  }
  for (const child of children) if (child.kind === 'message') byKey.set(child.key, child);

  const pendingCount = database ? database.pending.length : undefined;
  const project: ProjectNodeData = {
    kind: 'project',
    key: projectKey,
    projectId,
    label: input.label,
    description: projectDescription(graph, input, shortIds),
    children,
  };
  byKey.set(projectKey, project);
  return { input, project, byKey, byRevision, byFile, headCount: graph.heads.length, pendingCount, shortIds };
}

/**
 * What the view shows at its top: the project's content when it is alone, else one node per project;
 * then one node per config that could not be read as a project.
 */
export function treeRoots(trees: readonly ProjectTree[], unreadable: readonly MessageNodeData[] = []): RevisionTreeNode[] {
  if (trees.length === 1 && unreadable.length === 0) return trees[0].project.children.filter((node) => !(node.kind === 'message' && node.emptyNotice));
  return [...trees.map((tree) => tree.project), ...unreadable];
}

/** A config that looks like Alembic's but can't be read as a project: the reason and the fix, shown. */
export function unreadableConfigNode(config: { id: string; file: string; section?: string; message: string }, displayRoot: string): MessageNodeData {
  const relative = path.relative(displayRoot, config.file).split(path.sep).join('/');
  return {
    kind: 'message',
    key: `unreadable:${config.id}`,
    projectId: '',
    severity: 'error',
    label: config.section && config.section !== 'alembic' ? `${relative} [${config.section}]` : relative,
    description: 'not readable as an Alembic project',
    detail: config.message,
    filePath: config.file,
  };
}

export function childrenOf(node: RevisionTreeNode): RevisionTreeNode[] {
  return node.kind === 'project' || node.kind === 'branch' ? node.children : [];
}

// ---------------------------------------------------------------------------------------------
// Order, ids, flags

/** Alembic's history order with the heads moved to the top (their relative order kept). */
export function liftHeads(history: readonly RevisionNode[]): RevisionNode[] {
  const heads = history.filter((node) => node.isHead);
  if (heads.every((node, index) => history[index] === node)) return [...history];
  return [...heads, ...history.filter((node) => !node.isHead)];
}

const shortIdCache = new WeakMap<RevisionGraph, Map<string, string>>();

/** shortRevisionIds of a graph, computed once per graph (a graph is rebuilt when a header changes). */
export function shortIdsOf(graph: RevisionGraph): Map<string, string> {
  let ids = shortIdCache.get(graph);
  if (!ids) {
    ids = shortRevisionIds(graph.revisions().map((node) => node.id));
    shortIdCache.set(graph, ids);
  }
  return ids;
}

const HEX_REVISION_ID = /^[0-9a-f]{12,}$/;
const SHORT_ID_LENGTH = 7;

/**
 * Display ids: Alembic's hex ids shortened like git's (7 characters, longer where needed to stay
 * unique in this project, so a short id can still be typed as a revision prefix); other ids
 * (hand-written `0001_initial`) are shown whole.
 */
export function shortRevisionIds(ids: readonly string[]): Map<string, string> {
  const sorted = [...ids].sort();
  const result = new Map<string, string>();
  for (let index = 0; index < sorted.length; index++) {
    const id = sorted[index];
    if (!HEX_REVISION_ID.test(id)) {
      result.set(id, id);
      continue;
    }
    const shared = Math.max(commonPrefixLength(id, sorted[index - 1]), commonPrefixLength(id, sorted[index + 1]));
    const length = Math.max(SHORT_ID_LENGTH, shared + 1);
    result.set(id, length >= id.length ? id : id.slice(0, length));
  }
  return result;
}

function commonPrefixLength(a: string, b: string | undefined): number {
  if (b === undefined) return 0;
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

const MARKER_WORDS: Record<Exclude<RevisionFlag, 'labelled'>, string> = {
  head: 'head',
  branchpoint: 'branch point',
  mergepoint: 'merge point',
  base: 'base',
};

const NO_MARKERS: readonly string[] = [];

function markersOf(flags: readonly RevisionFlag[]): string[] {
  const markers: string[] = [];
  for (const flag of flags) if (flag !== 'labelled') markers.push(MARKER_WORDS[flag]);
  return markers;
}

function flagsOf(node: RevisionNode): RevisionFlag[] {
  const flags: RevisionFlag[] = [];
  if (node.isHead) flags.push('head');
  if (node.isBranchPoint) flags.push('branchpoint');
  if (node.isMergePoint) flags.push('mergepoint');
  if (node.isBase) flags.push('base');
  if (node.branchLabels.length > 0) flags.push('labelled');
  return flags;
}

/**
 * Errors that make a revision a problem even before lint runs: what breaks Alembic itself (a
 * dangling down_revision, a cycle, a bad header) and a duplicate id. The cheap blocking pass only:
 * the full problem list checks every file name and docstring, which costs tens of milliseconds at
 * 5000 revisions and only yields warnings.
 */
function graphErrorsByRevision(graph: RevisionGraph): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const add = (revision: string | undefined, message: string) => {
    if (revision === undefined) return;
    const list = errors.get(revision);
    if (list) list.push(message);
    else errors.set(revision, [message]);
  };
  for (const problem of findGraphProblems(graph, {}, { blockingOnly: true })) {
    if (problem.severity === 'error' && BLOCKING_PROBLEMS.has(problem.name)) add(problem.revision, problem.message);
  }
  for (const [id, files] of graph.duplicates) {
    add(id, `Revision ${id} is defined in ${files.length} files (${files.map((file) => path.basename(file.filePath)).join(', ')}); Alembic keeps the last one and \`alembic history\` fails.`);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Branch segments

interface BranchSegment {
  /** Oldest first while building; reversed (newest first) when done. */
  nodes: RevisionNode[];
  /** Position of the segment's newest revision in the (lifted) history. */
  order: number;
}

/**
 * Cuts the history into segments: a revision continues its parent's segment when it has exactly
 * one parent and is that parent's only child; a base, a merge, or a child of a branch point starts
 * a new one. Segments come newest first, those ending at a head first.
 */
function branchSegments(graph: RevisionGraph, history: readonly RevisionNode[]): BranchSegment[] {
  const position = new Map(history.map((node, index) => [node.id, index]));
  const segmentOf = new Map<string, BranchSegment>();
  const segments: BranchSegment[] = [];
  // Oldest first, so a parent's segment exists before its child looks for it.
  for (let index = history.length - 1; index >= 0; index--) {
    const node = history[index];
    const parent = node.parents.length === 1 ? graph.get(node.parents[0]) : undefined;
    const continues = parent !== undefined && parent.children.length === 1 ? segmentOf.get(parent.id) : undefined;
    // A cycle can hand us a child before its parent: it then starts its own segment.
    if (continues && continues.nodes[continues.nodes.length - 1].id === parent?.id) {
      continues.nodes.push(node);
      segmentOf.set(node.id, continues);
    } else {
      const segment: BranchSegment = { nodes: [node], order: 0 };
      segments.push(segment);
      segmentOf.set(node.id, segment);
    }
  }
  for (const segment of segments) {
    segment.nodes.reverse();
    segment.order = position.get(segment.nodes[0].id) ?? 0;
  }
  return segments.sort((a, b) => Number(b.nodes[0].isHead) - Number(a.nodes[0].isHead) || a.order - b.order);
}

const STATE_RANK: Record<RevisionTreeState, number> = { problem: 4, pending: 3, current: 2, applied: 1, unknown: 0 };

function branchGroup(
  key: string,
  projectId: string,
  parentKey: string,
  segment: BranchSegment,
  revisions: RevisionTreeNodeData[],
  shortIds: ReadonlyMap<string, string>,
  databaseKnown: boolean,
): BranchGroupNodeData {
  const tip = segment.nodes[0];
  const bottom = segment.nodes[segment.nodes.length - 1];
  const short = (id: string) => shortIds.get(id) ?? id;
  const ownLabels = [...new Set([...segment.nodes].reverse().flatMap((node) => node.ownBranchLabels))];
  const endsAt: BranchGroupNodeData['endsAt'] = tip.isHead ? 'head' : tip.children.length > 1 ? 'branchpoint' : tip.children.length === 1 ? 'merge' : 'open';
  const startsAt: BranchGroupNodeData['startsAt'] = bottom.parents.length === 0 ? 'base' : bottom.parents.length > 1 ? 'merge' : 'branch';
  const label =
    ownLabels.length > 0
      ? ownLabels.join(', ')
      : endsAt === 'head'
        ? `head ${short(tip.id)}`
        : segment.nodes.length === 1
          ? short(tip.id)
          : `${short(bottom.id)}..${short(tip.id)}`;
  const pendingCount = revisions.filter((revision) => revision.databaseState === 'pending').length;
  const count = `${revisions.length} revision${revisions.length === 1 ? '' : 's'}`;
  const start = startsAt === 'base' ? 'from base' : startsAt === 'merge' ? 'from a merge' : '';
  const end =
    endsAt === 'head'
      ? ownLabels.length > 0
        ? 'head'
        : ''
      : endsAt === 'branchpoint'
        ? 'then branches'
        : endsAt === 'merge'
          ? `merges into ${short(tip.children[0])}`
          : '';
  const state = revisions.reduce<RevisionTreeState>((best, revision) => (STATE_RANK[revision.state] > STATE_RANK[best] ? revision.state : best), 'unknown');
  return {
    kind: 'branch',
    key,
    projectId,
    parentKey,
    label,
    description: [count, start, end, databaseKnown && pendingCount > 0 ? `${pendingCount} pending` : ''].filter(Boolean).join(' · '),
    children: revisions,
    endsAt,
    startsAt,
    branchLabels: ownLabels,
    expanded: tip.isHead || revisions.some((revision) => revision.state === 'problem' || revision.databaseState === 'current' || revision.databaseState === 'pending'),
    state,
    pendingCount,
  };
}

// ---------------------------------------------------------------------------------------------
// Messages and the project node

function messageNodes(input: ProjectTreeInput, projectKey: string, database: DatabaseStatus | undefined): MessageNodeData[] {
  const { graph, projectId } = input;
  const messages: MessageNodeData[] = [];
  const push = (suffix: string, node: Omit<MessageNodeData, 'kind' | 'key' | 'projectId' | 'parentKey'>) =>
    messages.push({ kind: 'message', key: `message:${projectId}:${suffix}`, projectId, parentKey: projectKey, ...node });

  if (input.flaskMigrateEvidence !== undefined) {
    push('flavor', { severity: 'info', label: 'Flask-Migrate project', description: 'run with flask db', detail: `${input.flaskMigrateEvidence}. Flask-Migrate passes this folder as script_location.` });
  }
  for (const row of database?.unknown ?? []) {
    const problem = database?.problems.find((candidate) => candidate.code === 'unknown-revision' && candidate.revision === row);
    push(`unknown-row:${row}`, {
      severity: 'error',
      label: `Database is at ${row}`,
      description: 'no revision file defines it',
      detail: problem?.message ?? `The version table names ${row}, which no revision file of this project defines.`,
    });
  }
  for (const file of graph.unidentifiedFiles) {
    push(`unidentified:${file.filePath}`, {
      severity: 'error',
      label: path.basename(file.filePath),
      description: 'no revision id: not part of the history',
      detail: file.headerIssues.map((issue) => issue.message).join('\n') || 'The file declares no readable `revision = ...`.',
      filePath: file.filePath,
    });
  }
  for (const [id, files] of graph.duplicates) {
    const used = graph.get(id)?.file;
    for (const file of files) {
      if (file === used) continue;
      push(`duplicate:${file.filePath}`, {
        severity: 'error',
        label: path.basename(file.filePath),
        description: `duplicate id ${id}: ignored by Alembic`,
        detail: `Revision ${id} is also defined in ${used ? path.basename(used.filePath) : 'another file'}; Alembic keeps that one and \`alembic history\` fails. Give this file a new id.`,
        filePath: file.filePath,
      });
    }
  }
  for (const error of input.loadErrors ?? []) {
    push(`load-error:${error.file}`, { severity: 'warning', label: path.basename(error.file), description: 'could not be read', detail: error.message, filePath: error.file });
  }
  return messages;
}

function projectDescription(graph: RevisionGraph, input: ProjectTreeInput, shortIds: ReadonlyMap<string, string>): string {
  const heads = graph.heads.length > 1 ? `${graph.heads.length} heads` : '';
  const status = input.database;
  let database = '';
  if (input.databaseUnavailable === 'untrusted') database = 'Restricted Mode';
  else if (status && !status.reachable) database = 'database unreachable';
  else if (status) database = describeDatabasePosition(status, (id) => shortIds.get(id) ?? id);
  const flavor = input.flaskMigrateEvidence !== undefined ? 'Flask-Migrate' : '';
  return [flavor, `${graph.size} revision${graph.size === 1 ? '' : 's'}`, heads, database].filter(Boolean).join(' · ');
}

/** "at e91f4c6 · 5 pending", "up to date", "at base · 12 pending", "at unknown 1234abc". */
export function describeDatabasePosition(status: DatabaseStatus, short: (id: string) => string): string {
  if (status.unknown.length > 0) return `at unknown ${status.unknown.map(short).join(', ')}`;
  if (status.pending.length === 0) return status.current.length === 0 ? 'empty history' : 'up to date';
  const at = status.current.length === 0 ? 'at base' : `at ${status.current.map(short).join(', ')}`;
  return `${at} · ${status.pending.length} pending`;
}

// ---------------------------------------------------------------------------------------------
// Tooltips (Markdown text; the VS Code layer wraps it in a MarkdownString)

export function revisionTooltipMarkdown(node: RevisionTreeNodeData, tree: ProjectTree): string {
  const input = tree.input;
  const short = (id: string) => tree.shortIds.get(id) ?? id;
  const lines: string[] = [];
  const headline = [...node.branchLabels.map((label) => `(${label})`), ...node.markers].join(' ');
  const title = `**${escapeMarkdown(node.revision)}**${headline ? ` · ${escapeMarkdown(headline)}` : ''}`;
  lines.push(node.message ? `${title}  \n${escapeMarkdown(node.message)}` : title);
  lines.push('');
  const facts: string[] = [];
  facts.push(`Revises: ${node.revises.length === 0 ? '— (base)' : node.revises.map((id) => `\`${id}\``).join(', ')}`);
  if (node.dependsOn.length > 0) facts.push(`Depends on: ${node.dependsOn.map((id) => `\`${id}\``).join(', ')}`);
  if (node.branchLabels.length > 0) facts.push(`Branch labels: ${node.branchLabels.map((label) => `\`${label}\``).join(', ')}`);
  if (node.createDate) facts.push(`Created: ${escapeMarkdown(node.createDate)}${node.relativeDate ? ` (${escapeMarkdown(node.relativeDate)})` : ''}`);
  const shownPath = input.displayRoot ? path.relative(input.displayRoot, node.filePath) : node.filePath;
  facts.push(`File: ${escapeMarkdown(shownPath)}`);
  facts.push(`Findings: ${describeFindings(node.findings)}`);
  facts.push(`Database: ${describeRevisionDatabaseState(node, input, short)}`);
  lines.push(facts.join('  \n'));
  if (node.graphErrors.length > 0) {
    lines.push('');
    for (const error of node.graphErrors) lines.push(`$(error) ${escapeMarkdown(error)}`);
  }
  return lines.join('\n');
}

export function describeFindings(findings: FindingCounts): string {
  const parts = [
    findings.error ? `${findings.error} error${findings.error === 1 ? '' : 's'}` : '',
    findings.warning ? `${findings.warning} warning${findings.warning === 1 ? '' : 's'}` : '',
    findings.info ? `${findings.info} info` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function describeRevisionDatabaseState(node: RevisionTreeNodeData, input: ProjectTreeInput, short: (id: string) => string): string {
  const status = input.database;
  const target = status && status.targetName !== 'project' ? ` (${escapeMarkdown(status.targetName)})` : '';
  if (input.databaseUnavailable === 'untrusted') return 'unknown: Restricted Mode reads no database';
  if (!status) return 'unknown: not read yet';
  if (!status.reachable) return `unknown: ${escapeMarkdown(status.message)}`;
  switch (node.databaseState) {
    case 'current':
      return `**current**${target}: the database is at this revision`;
    case 'applied':
      return `applied${target}`;
    case 'pending': {
      const at = status.current.length > 0 ? status.current.map(short).join(', ') : 'base';
      return `pending${target}: not applied yet (the database is at ${escapeMarkdown(at)})`;
    }
    default:
      return `unknown${target}`;
  }
}


// ---------------------------------------------------------------------------------------------
// Relative dates

const CREATE_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads Alembic's "Create Date:" (`datetime.now()` printed by Python: local time, or with an
 * offset when `timezone` is set in alembic.ini). Undefined when it doesn't look like one.
 */
export function parseCreateDate(text: string | undefined): number | undefined {
  const match = text ? CREATE_DATE.exec(text.trim()) : null;
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone] = match;
  const milliseconds = Math.floor(Number(fraction.padEnd(6, '0')) / 1000);
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), milliseconds] as const;
  if (!zone) {
    const local = new Date(...fields).getTime();
    return Number.isNaN(local) ? undefined : local;
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  return Date.UTC(...fields) - offsetMinutes * 60_000;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const formatters = new Map<string, Intl.RelativeTimeFormat>();
/** Create Date parsed once per file object (a file object lives until the file is re-read). */
const createDates = new WeakMap<object, number | undefined>();

/** "3 hours ago", "yesterday", "in 2 days" (clocks differ), "now". */
export class RelativeDates {
  private readonly format: Intl.RelativeTimeFormat;

  constructor(
    locale: string,
    private readonly now: number,
  ) {
    let format = formatters.get(locale);
    if (!format) {
      format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      formatters.set(locale, format);
    }
    this.format = format;
  }

  describe(createDate: string | undefined): string | undefined {
    return this.describeTime(parseCreateDate(createDate));
  }

  /** Same as describe(file.createDate), parsing each file's date only once. */
  describeFile(file: { createDate?: string }): string | undefined {
    let time: number | undefined;
    if (createDates.has(file)) time = createDates.get(file);
    else {
      time = parseCreateDate(file.createDate);
      createDates.set(file, time);
    }
    return this.describeTime(time);
  }

  private describeTime(time: number | undefined): string | undefined {
    if (time === undefined) return undefined;
    const seconds = (time - this.now) / 1000;
    const magnitude = Math.abs(seconds);
    for (const [unit, size] of UNITS) {
      if (magnitude >= size) return this.format.format(Math.trunc(seconds / size), unit);
    }
    return this.format.format(0, 'second');
  }
}
