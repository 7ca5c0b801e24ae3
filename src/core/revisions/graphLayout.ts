// Lanes for drawing the revision DAG newest first, the way `git log --graph` lays out commits: each
// revision sits in a lane; a lane carries the id its next row is waiting for; a merge opens lanes for
// its extra parents, and lanes waiting for the same revision join when it comes. Plain data: the CLI
// draws it as text; graphScene.ts turns it into the Revision Graph's picture (ghosts, depends_on).
import type { RevisionGraph, RevisionNode } from './revisionGraph';

/** A line from a lane of one row to a lane of the next. */
export interface LaneEdge {
  from: number;
  to: number;
}

/** What the lanes need of a row: its id and the ids it waits for below it. */
export interface LaneItem {
  id: string;
  parents: readonly string[];
}

export interface LayoutRow<T extends LaneItem = RevisionNode> {
  node: T;
  /** Lane of the revision. */
  column: number;
  /** Lanes open on the revision's own row. */
  laneCount: number;
  /** Lanes joining before the row (several children waiting for this revision). */
  before: LaneEdge[];
  /** From this row's lanes to the next row's lanes (parents, lanes passing by). */
  after: LaneEdge[];
}

export function layoutGraph(graph: RevisionGraph, order: RevisionNode[] = graph.history()): LayoutRow[] {
  return layoutLanes(order);
}

/** Lanes for any rows given newest first; every parent must come after its children in `order`. */
export function layoutLanes<T extends LaneItem>(order: readonly T[]): LayoutRow<T>[] {
  let lanes: string[] = [];
  const rows: LayoutRow<T>[] = [];
  for (const node of order) {
    const matches: number[] = [];
    lanes.forEach((id, index) => {
      if (id === node.id) matches.push(index);
    });
    let before: LaneEdge[];
    let column: number;
    if (matches.length === 0) {
      // A head (or a revision whose children are missing): a new lane on the right.
      before = lanes.map((_, index) => ({ from: index, to: index }));
      column = lanes.length;
      lanes = [...lanes, node.id];
    } else {
      column = matches[0];
      const joined = lanes.filter((id, index) => id !== node.id || index === column);
      const newIndex = new Map<number, number>();
      let next = 0;
      lanes.forEach((id, index) => {
        if (id === node.id && index !== column) newIndex.set(index, column);
        else newIndex.set(index, next++);
      });
      before = lanes.map((_, index) => ({ from: index, to: newIndex.get(index) as number }));
      lanes = joined;
    }
    const laneCount = lanes.length;

    // Parents already waited for by another lane join that lane; the others open lanes here.
    const parents = node.parents;
    const opened = parents.filter((parent) => !lanes.some((id, index) => id === parent && index !== column));
    const nextLanes = [...lanes.slice(0, column), ...opened, ...lanes.slice(column + 1)];
    const after: LaneEdge[] = [];
    lanes.forEach((_, index) => {
      if (index < column) after.push({ from: index, to: index });
      else if (index > column) after.push({ from: index, to: index - 1 + opened.length });
    });
    for (const parent of parents) {
      const openedAt = opened.indexOf(parent);
      if (openedAt >= 0) after.push({ from: column, to: column + openedAt });
      else {
        const existing = lanes.findIndex((id, index) => id === parent && index !== column);
        after.push({ from: column, to: existing < column ? existing : existing - 1 + opened.length });
      }
    }
    rows.push({ node, column, laneCount, before, after });
    lanes = nextLanes;
  }
  return rows;
}
