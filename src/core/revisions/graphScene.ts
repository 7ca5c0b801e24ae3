// The Revision Graph's picture as plain data, in grid units (rows top to bottom, newest first; lanes
// left to right): the lanes of graphLayout.ts, a ghost card for every reference to a revision that
// does not exist, `depends_on` and cycle edges routed in a gutter left of lane 0 (so no long edge
// runs across the cards), and where each row's card may start so that no edge crosses it. The
// webview only scales these numbers; the layout tests check the geometry here.
import { layoutLanes, type LaneItem } from './graphLayout';
import type { RevisionGraph, RevisionNode } from './revisionGraph';

/** How a lane segment's edge reaches its parent. */
export type LaneEdgeKind = 'parent' | 'merge' | 'dangling';
/** Edges drawn in the gutter: `depends_on`, and a down_revision that points back up (a cycle). */
export type RoutedEdgeKind = 'dependency' | 'cycle';

export interface SceneNode {
  kind: 'revision' | 'ghost';
  /** The revision id (for a ghost: the id that was referenced and does not exist). */
  id: string;
  row: number;
  lane: number;
  /** The first lane right of every edge touching this row: the card starts there. */
  cardLane: number;
  /** First paragraph of the docstring (empty for a ghost). */
  message: string;
  /** The revision file (undefined for a ghost). */
  filePath?: string;
  /** Branch labels as Alembic applies them. */
  branchLabels: string[];
  isHead: boolean;
  isMergePoint: boolean;
  isBranchPoint: boolean;
  isBase: boolean;
  /** Versioned parents that exist, then the ghost parents, in file order. */
  parents: string[];
  dependencies: string[];
  /** down_revision / depends_on entries that name nothing. */
  missingParents: string[];
  missingDependencies: string[];
  /** Every file that declares this id, when more than one does (the last one wins, as in Alembic). */
  duplicateFiles: string[];
  inCycle: boolean;
  /** Something about this revision makes Alembic fail (or it is a ghost). */
  broken: boolean;
  /** For a ghost: the revisions that reference it. */
  referencedBy: string[];
}

/** An edge between two consecutive rows, from one lane to another. */
export interface LaneSegment {
  fromRow: number;
  fromLane: number;
  toLane: number;
  kind: LaneEdgeKind;
}

/** An edge between any two rows, drawn through gutter track `track` (x = -(track + 1)). */
export interface RoutedEdge {
  from: string;
  to: string;
  fromRow: number;
  toRow: number;
  /** Lanes of the two ends (where the edge leaves the node and where it arrives). */
  fromLane: number;
  toLane: number;
  track: number;
  kind: RoutedEdgeKind;
}

export interface GraphScene {
  nodes: SceneNode[];
  segments: LaneSegment[];
  routes: RoutedEdge[];
  /** The most lanes any row uses. */
  laneCount: number;
  /** Gutter tracks used by the routed edges. */
  trackCount: number;
  heads: string[];
}

interface SceneItem extends LaneItem {
  node?: RevisionNode;
  ghostOf?: string[];
}

/** The picture of a graph, in the order `alembic history` prints it. Deterministic for a given graph. */
export function buildGraphScene(graph: RevisionGraph, order: readonly RevisionNode[] = graph.history()): GraphScene {
  const position = new Map<string, number>();
  order.forEach((node, index) => position.set(node.id, index));

  // Each missing id gets one ghost, right below the last revision that references it.
  const ghostReferrers = new Map<string, string[]>();
  const ghostsAfter = new Map<number, string[]>();
  for (const node of order) {
    for (const missing of [...node.missingParents, ...node.missingDependencies]) {
      const referrers = ghostReferrers.get(missing);
      if (referrers) {
        if (!referrers.includes(node.id)) referrers.push(node.id);
      } else ghostReferrers.set(missing, [node.id]);
    }
  }
  for (const [missing, referrers] of ghostReferrers) {
    const last = Math.max(...referrers.map((id) => position.get(id) as number));
    ghostsAfter.set(last, [...(ghostsAfter.get(last) ?? []), missing]);
  }

  // A parent placed above its child only happens inside a cycle: that edge goes to the gutter.
  const backEdges: Array<{ from: string; to: string }> = [];
  const items: SceneItem[] = [];
  order.forEach((node, index) => {
    const laneParents: string[] = [];
    for (const parent of node.parents) {
      if ((position.get(parent) ?? -1) > index) laneParents.push(parent);
      else backEdges.push({ from: node.id, to: parent });
    }
    items.push({ id: node.id, parents: [...laneParents, ...node.missingParents], node });
    for (const ghost of ghostsAfter.get(index) ?? []) items.push({ id: ghost, parents: [], ghostOf: ghostReferrers.get(ghost) });
  });

  const rows = layoutLanes(items);
  const rowOf = new Map<string, number>();
  rows.forEach((row, index) => rowOf.set(row.node.id, index));

  // Lane segments between consecutive rows; a lane keeps the kind of the edge that opened it.
  const segments: LaneSegment[] = [];
  const reach = rows.map((row) => row.column);
  let stateKinds: LaneEdgeKind[] = [];
  rows.forEach((row, index) => {
    const rowKinds: LaneEdgeKind[] = [];
    for (const edge of row.before) rowKinds[edge.to] ??= stateKinds[edge.from] ?? 'parent';
    const next = rows[index + 1];
    const nextKinds: LaneEdgeKind[] = [];
    let parentIndex = 0;
    for (const edge of row.after) {
      let kind: LaneEdgeKind;
      if (edge.from === row.column) {
        const parent = row.node.parents[parentIndex];
        kind = row.node.node?.missingParents.includes(parent) ? 'dangling' : parentIndex === 0 ? 'parent' : 'merge';
        parentIndex++;
        nextKinds[edge.to] ??= kind;
      } else {
        kind = rowKinds[edge.from] ?? 'parent';
        nextKinds[edge.to] = kind;
      }
      if (!next) continue;
      const toLane = next.before[edge.to]?.to ?? edge.to;
      segments.push({ fromRow: index, fromLane: edge.from, toLane, kind });
      const widest = Math.max(edge.from, toLane);
      reach[index] = Math.max(reach[index], widest);
      reach[index + 1] = Math.max(reach[index + 1], widest);
    }
    stateKinds = nextKinds;
  });

  const routes = routeGutterEdges(order, rows, rowOf, backEdges);
  const cycleMembers = new Set(graph.cycles.flat());
  const nodes: SceneNode[] = rows.map((row, index) => {
    const node = row.node.node;
    const cardLane = reach[index] + 1;
    if (!node) {
      return {
        kind: 'ghost',
        id: row.node.id,
        row: index,
        lane: row.column,
        cardLane,
        message: '',
        branchLabels: [],
        isHead: false,
        isMergePoint: false,
        isBranchPoint: false,
        isBase: false,
        parents: [],
        dependencies: [],
        missingParents: [],
        missingDependencies: [],
        duplicateFiles: [],
        inCycle: false,
        broken: true,
        referencedBy: row.node.ghostOf ?? [],
      };
    }
    const duplicateFiles = (graph.duplicates.get(node.id) ?? []).map((file) => file.filePath);
    const inCycle = cycleMembers.has(node.id);
    return {
      kind: 'revision',
      id: node.id,
      row: index,
      lane: row.column,
      cardLane,
      message: node.file.message ?? '',
      filePath: node.file.filePath,
      branchLabels: node.branchLabels,
      isHead: node.isHead,
      isMergePoint: node.isMergePoint,
      isBranchPoint: node.isBranchPoint,
      isBase: node.isBase,
      parents: [...node.parents, ...node.missingParents],
      dependencies: [...node.dependencies, ...node.missingDependencies],
      missingParents: node.missingParents,
      missingDependencies: node.missingDependencies,
      duplicateFiles,
      inCycle,
      broken: node.missingParents.length > 0 || node.missingDependencies.length > 0 || duplicateFiles.length > 0 || inCycle,
      referencedBy: [],
    };
  });

  return {
    nodes,
    segments,
    routes,
    laneCount: rows.reduce((widest, row) => Math.max(widest, row.laneCount), 0),
    trackCount: routes.reduce((most, route) => Math.max(most, route.track + 1), 0),
    heads: [...graph.heads],
  };
}

/**
 * `depends_on` (to revisions and to ghosts) and cycle back-edges, each on a gutter track no other
 * routed edge uses over the same rows (greedy interval colouring, in row order).
 */
function routeGutterEdges(
  order: readonly RevisionNode[],
  rows: ReturnType<typeof layoutLanes<SceneItem>>,
  rowOf: Map<string, number>,
  backEdges: Array<{ from: string; to: string }>,
): RoutedEdge[] {
  const wanted: Array<Omit<RoutedEdge, 'track'>> = [];
  const add = (from: string, to: string, kind: RoutedEdgeKind) => {
    const fromRow = rowOf.get(from);
    const toRow = rowOf.get(to);
    if (fromRow === undefined || toRow === undefined) return;
    wanted.push({ from, to, fromRow, toRow, fromLane: rows[fromRow].column, toLane: rows[toRow].column, kind });
  };
  for (const node of order) for (const dependency of [...node.dependencies, ...node.missingDependencies]) add(node.id, dependency, 'dependency');
  for (const edge of backEdges) add(edge.from, edge.to, 'cycle');
  const top = (edge: Omit<RoutedEdge, 'track'>) => Math.min(edge.fromRow, edge.toRow);
  const bottom = (edge: Omit<RoutedEdge, 'track'>) => Math.max(edge.fromRow, edge.toRow);
  wanted.sort((a, b) => top(a) - top(b) || bottom(a) - bottom(b) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const trackEnds: number[] = [];
  return wanted.map((edge) => {
    let track = trackEnds.findIndex((end) => end < top(edge));
    if (track < 0) track = trackEnds.length;
    trackEnds[track] = bottom(edge);
    return { ...edge, track };
  });
}
