// The messages between the Revision Graph webview and the extension, in one typed module that both
// sides import (no vscode, no DOM). The webview is untrusted input: the host accepts a message only
// through parseWebviewMessage, which checks every field and drops anything else.
import type { GraphScene, LaneEdgeKind, LaneSegment, RoutedEdge, RoutedEdgeKind, SceneNode } from '../core/revisions/graphScene';

export type CardState = 'applied' | 'current' | 'pending' | 'unknown';

/** The database for the selected target, as the cards show it. */
export interface GraphDatabaseState {
  targetName: string;
  /** One line: "at 12a9efe (head)", "unreachable: ...". */
  message: string;
  states: Record<string, CardState>;
}

export interface LintCounts {
  error: number;
  warning: number;
}

export interface GraphSceneMessage {
  type: 'scene';
  /** Counts up with every scene or row update the panel sends; the webview reports it back when shown. */
  version: number;
  /** Kept in the webview's state, so the tab finds its project again after a window reload. */
  projectId: string;
  projectLabel: string;
  scene: WireScene;
  /** Restricted Mode: no action that runs Alembic or edits a file. */
  readOnly: boolean;
}

/** What the webview keeps across a hide or a window reload (vscode.setState). */
export interface GraphViewState {
  projectId?: string;
  zoom: number;
  selected?: string;
  scrollTop: number;
}

/** Only texts changed (a message, a label), the layout did not: the rows to replace in the shown scene. */
export interface GraphSceneRowsMessage {
  type: 'sceneRows';
  version: number;
  rows: WireRow[];
}

export interface GraphDecorationsMessage {
  type: 'decorations';
  database?: GraphDatabaseState;
  lint: Record<string, LintCounts>;
}

export interface GraphFocusMessage {
  type: 'focus';
  revision: string;
}

export type HostMessage = GraphSceneMessage | GraphSceneRowsMessage | GraphDecorationsMessage | GraphFocusMessage;

// ------------------------------------------------------------------------------------------------
// The scene on the wire. GraphScene as JSON repeats every key and id on every card and edge (2.6 MB
// at 5000 revisions); this form sends each id once, numbers in flat arrays, and only non-default
// extras. The webview decodes it into ViewScene, the part of GraphScene it draws.

const LANE_EDGE_KINDS: readonly LaneEdgeKind[] = ['parent', 'merge', 'dangling'];
const ROUTED_EDGE_KINDS: readonly RoutedEdgeKind[] = ['dependency', 'cycle'];
const FLAGS = { ghost: 1, head: 2, mergePoint: 4, branchPoint: 8, base: 16, inCycle: 32, broken: 64 } as const;
/** Numbers per row in WireScene.layout, per segment, per route. */
const LAYOUT_STRIDE = 3;
const SEGMENT_STRIDE = 4;
const ROUTE_STRIDE = 6;

/** The texts of one row, and what it has beyond the defaults (no labels, nothing missing...). */
export interface WireRow {
  row: number;
  message?: string;
  labels?: string[];
  missingParents?: string[];
  missingDependencies?: string[];
  duplicateCount?: number;
  /** A ghost's referrers. */
  referencedBy?: string[];
}

export interface WireScene {
  /** The id of each row, top to bottom. */
  ids: string[];
  /** The shortest unambiguous prefix of each id (at least 7 characters for hex ids), '' when it is the id. */
  shortIds: string[];
  /** lane, cardLane, flags of each row. */
  layout: number[];
  /** The message of each row ('' for none). */
  messages: string[];
  /** Rows with anything beyond the defaults (labels, missing references...), without their message. */
  extras: WireRow[];
  /** fromRow, fromLane, toLane, kind of each lane segment. */
  segments: number[];
  /** fromRow, toRow, fromLane, toLane, track, kind of each gutter edge. */
  routes: number[];
  laneCount: number;
  trackCount: number;
  heads: string[];
}

/** A card as the webview draws it. */
export interface ViewNode extends Pick<SceneNode, 'kind' | 'id' | 'row' | 'lane' | 'cardLane' | 'message' | 'branchLabels' | 'isHead' | 'isMergePoint' | 'isBranchPoint' | 'isBase' | 'missingParents' | 'missingDependencies' | 'inCycle' | 'broken' | 'referencedBy'> {
  shortId: string;
  duplicateCount: number;
}

export interface ViewScene {
  nodes: ViewNode[];
  segments: LaneSegment[];
  routes: Array<Omit<RoutedEdge, 'from' | 'to'>>;
  laneCount: number;
  trackCount: number;
  heads: string[];
}

/** What a row has beyond its message, or undefined when nothing. */
function extrasOf(node: SceneNode, row: number): WireRow | undefined {
  const wire: WireRow = { row };
  if (node.branchLabels.length > 0) wire.labels = node.branchLabels;
  if (node.missingParents.length > 0) wire.missingParents = node.missingParents;
  if (node.missingDependencies.length > 0) wire.missingDependencies = node.missingDependencies;
  if (node.duplicateFiles.length > 0) wire.duplicateCount = node.duplicateFiles.length;
  if (node.referencedBy.length > 0) wire.referencedBy = node.referencedBy;
  return Object.keys(wire).length > 1 ? wire : undefined;
}

/** The scene in its compact form; `shortIds` maps full ids to their shortest unambiguous prefix. */
export function encodeScene(scene: GraphScene, shortIds: ReadonlyMap<string, string>): WireScene {
  const ids: string[] = [];
  const short: string[] = [];
  const layout: number[] = [];
  const messages: string[] = [];
  const extras: WireRow[] = [];
  scene.nodes.forEach((node, row) => {
    ids.push(node.id);
    const prefix = shortIds.get(node.id);
    short.push(prefix && prefix !== node.id ? prefix : '');
    const flags =
      (node.kind === 'ghost' ? FLAGS.ghost : 0) |
      (node.isHead ? FLAGS.head : 0) |
      (node.isMergePoint ? FLAGS.mergePoint : 0) |
      (node.isBranchPoint ? FLAGS.branchPoint : 0) |
      (node.isBase ? FLAGS.base : 0) |
      (node.inCycle ? FLAGS.inCycle : 0) |
      (node.broken ? FLAGS.broken : 0);
    layout.push(node.lane, node.cardLane, flags);
    messages.push(node.message);
    const wire = extrasOf(node, row);
    if (wire) extras.push(wire);
  });
  const segments: number[] = [];
  for (const segment of scene.segments) segments.push(segment.fromRow, segment.fromLane, segment.toLane, LANE_EDGE_KINDS.indexOf(segment.kind));
  const routes: number[] = [];
  for (const route of scene.routes) routes.push(route.fromRow, route.toRow, route.fromLane, route.toLane, route.track, ROUTED_EDGE_KINDS.indexOf(route.kind));
  return { ids, shortIds: short, layout, messages, extras, segments, routes, laneCount: scene.laneCount, trackCount: scene.trackCount, heads: scene.heads };
}

/** The card a row shows: its layout from `scene`, its texts from `wire` (a row of the scene or of an update). */
function viewNodeOf(scene: WireScene, row: number, wire: WireRow | undefined): ViewNode {
  const flags = scene.layout[row * LAYOUT_STRIDE + 2];
  return {
    kind: flags & FLAGS.ghost ? 'ghost' : 'revision',
    id: scene.ids[row],
    shortId: scene.shortIds[row] || scene.ids[row],
    row,
    lane: scene.layout[row * LAYOUT_STRIDE],
    cardLane: scene.layout[row * LAYOUT_STRIDE + 1],
    message: wire?.message ?? '',
    branchLabels: wire?.labels ?? [],
    isHead: (flags & FLAGS.head) !== 0,
    isMergePoint: (flags & FLAGS.mergePoint) !== 0,
    isBranchPoint: (flags & FLAGS.branchPoint) !== 0,
    isBase: (flags & FLAGS.base) !== 0,
    missingParents: wire?.missingParents ?? [],
    missingDependencies: wire?.missingDependencies ?? [],
    duplicateCount: wire?.duplicateCount ?? 0,
    inCycle: (flags & FLAGS.inCycle) !== 0,
    broken: (flags & FLAGS.broken) !== 0,
    referencedBy: wire?.referencedBy ?? [],
  };
}

/** The texts of a row of a scene (its message and extras) as one WireRow. */
function textsOf(scene: WireScene, extras: ReadonlyMap<number, WireRow>, row: number): WireRow {
  const wire: WireRow = { ...extras.get(row), row };
  if (scene.messages[row]) wire.message = scene.messages[row];
  return wire;
}

export function decodeScene(scene: WireScene): ViewScene {
  const extras = new Map(scene.extras.map((wire) => [wire.row, wire]));
  const nodes = scene.ids.map((_, row) => viewNodeOf(scene, row, textsOf(scene, extras, row)));
  const segments: LaneSegment[] = [];
  for (let at = 0; at < scene.segments.length; at += SEGMENT_STRIDE) {
    const [fromRow, fromLane, toLane, kind] = scene.segments.slice(at, at + SEGMENT_STRIDE);
    segments.push({ fromRow, fromLane, toLane, kind: LANE_EDGE_KINDS[kind] });
  }
  const routes: ViewScene['routes'] = [];
  for (let at = 0; at < scene.routes.length; at += ROUTE_STRIDE) {
    const [fromRow, toRow, fromLane, toLane, track, kind] = scene.routes.slice(at, at + ROUTE_STRIDE);
    routes.push({ fromRow, toRow, fromLane, toLane, track, kind: ROUTED_EDGE_KINDS[kind] });
  }
  return { nodes, segments, routes, laneCount: scene.laneCount, trackCount: scene.trackCount, heads: scene.heads };
}

/** `shown` (the decoded scene of `wire`) with the rows of an update replaced. */
export function applySceneRows(wire: WireScene, shown: ViewScene, rows: readonly WireRow[]): ViewScene {
  const nodes = [...shown.nodes];
  for (const update of rows) if (update.row >= 0 && update.row < nodes.length) nodes[update.row] = viewNodeOf(wire, update.row, update);
  return { ...shown, nodes };
}

function sameItems(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * The rows whose texts changed from `before` to `after`, when nothing else did (same ids, lanes,
 * flags, edges, heads); undefined when the layout changed and the whole scene must go.
 */
export function changedSceneRows(before: WireScene, after: WireScene): WireRow[] | undefined {
  const sameLayout =
    sameItems(before.ids, after.ids) &&
    sameItems(before.shortIds, after.shortIds) &&
    sameItems(before.layout, after.layout) &&
    sameItems(before.segments, after.segments) &&
    sameItems(before.routes, after.routes) &&
    sameItems(before.heads, after.heads) &&
    before.laneCount === after.laneCount &&
    before.trackCount === after.trackCount;
  if (!sameLayout) return undefined;
  const oldExtras = new Map(before.extras.map((wire) => [wire.row, JSON.stringify(wire)]));
  const newExtras = new Map(after.extras.map((wire) => [wire.row, wire]));
  const changed: WireRow[] = [];
  for (let row = 0; row < after.ids.length; row++) {
    const extras = newExtras.get(row);
    if (before.messages[row] !== after.messages[row] || (extras && JSON.stringify(extras)) !== oldExtras.get(row)) changed.push(textsOf(after, newExtras, row));
  }
  return changed;
}

/** What a card's menu (or its keyboard shortcut) asks the extension to do with its revision. */
export const CARD_ACTIONS = ['open', 'upgrade', 'downgrade', 'showSql', 'copyId', 'showFindings', 'repoint'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];
/** Actions that run Alembic or change a file: not offered in Restricted Mode, refused if asked. */
export const WRITING_ACTIONS: ReadonlySet<CardAction> = new Set(['upgrade', 'downgrade', 'showSql', 'repoint']);

/** The webview drew a scene or row update: which one, and where the user is (selection, scroll). */
export interface GraphShownMessage {
  type: 'shown';
  version: number;
  selected?: string;
  scrollTop: number;
}

export type WebviewMessage =
  | { type: 'ready' }
  | GraphShownMessage
  | { type: 'cardAction'; action: CardAction; revision: string; /** For `repoint`: the missing id to replace. */ missing?: string }
  | { type: 'mergeHeads' };

/** Longer than any revision id or branch label anyone writes; keeps a hostile message small. */
const MAX_ID_LENGTH = 200;

function isId(value: unknown): value is string {
  // Revision ids are free text in Alembic, but never empty, multi-line or huge.
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !/[\r\n\0]/.test(value);
}

export class InvalidWebviewMessageError extends Error {
  constructor(reason: string) {
    super(`Ignored a message from the Revision Graph: ${reason}`);
    this.name = 'InvalidWebviewMessageError';
  }
}

/** The message, checked field by field; throws InvalidWebviewMessageError for anything else. */
export function parseWebviewMessage(value: unknown): WebviewMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidWebviewMessageError('not an object');
  const message = value as Record<string, unknown>;
  const keys = Object.keys(message);
  const only = (...allowed: string[]) => {
    const extra = keys.filter((key) => !allowed.includes(key));
    if (extra.length > 0) throw new InvalidWebviewMessageError(`unexpected field ${extra.map((key) => `'${key.slice(0, 40)}'`).join(', ')}`);
  };
  switch (message.type) {
    case 'ready':
      only('type');
      return { type: 'ready' };
    case 'mergeHeads':
      only('type');
      return { type: 'mergeHeads' };
    case 'shown': {
      only('type', 'version', 'selected', 'scrollTop');
      const { version, selected, scrollTop } = message;
      if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) throw new InvalidWebviewMessageError('the version is not a count');
      if (typeof scrollTop !== 'number' || !Number.isFinite(scrollTop) || scrollTop < 0) throw new InvalidWebviewMessageError('the scroll position is not a number of pixels');
      if (selected !== undefined && !isId(selected)) throw new InvalidWebviewMessageError('the selection is not a revision id');
      return selected === undefined ? { type: 'shown', version, scrollTop } : { type: 'shown', version, selected, scrollTop };
    }
    case 'cardAction': {
      only('type', 'action', 'revision', 'missing');
      const action = message.action;
      if (typeof action !== 'string' || !(CARD_ACTIONS as readonly string[]).includes(action)) throw new InvalidWebviewMessageError('unknown card action');
      if (!isId(message.revision)) throw new InvalidWebviewMessageError('the revision is not a revision id');
      if (action === 'repoint') {
        if (!isId(message.missing)) throw new InvalidWebviewMessageError('repoint needs the missing id');
        return { type: 'cardAction', action, revision: message.revision, missing: message.missing };
      }
      if (message.missing !== undefined) throw new InvalidWebviewMessageError(`'missing' only goes with repoint`);
      return { type: 'cardAction', action: action as CardAction, revision: message.revision };
    }
    default:
      throw new InvalidWebviewMessageError(`unknown message type ${JSON.stringify(String(message.type)).slice(0, 60)}`);
  }
}
