// From the version table's rows and the revision graph to what the editor shows: which revisions
// are applied, which are the database's current ones, which are pending, and which rows name a
// revision no file defines (Alembic's "Can't locate revision" before the user runs into it).
//
// Written against a small graph interface so the real RevisionGraph (src/core/revisions) plugs
// in through `revisionGraphView`, and tests can build graphs by hand.

/** What this module needs from a revision graph. Ids are full revision ids. */
export interface RevisionGraphView {
  has(id: string): boolean;
  /** down_revision ids. */
  parentsOf(id: string): readonly string[];
  /** depends_on ids (already resolved from branch labels). */
  dependenciesOf(id: string): readonly string[];
  readonly heads: readonly string[];
  /** Every revision id, in a stable order (file order is fine). */
  revisionIds(): Iterable<string>;
}

export type RevisionDatabaseState = 'applied' | 'current' | 'pending' | 'unknown';

export interface DatabaseStateProblem {
  code: 'unknown-revision' | 'overlapping-rows';
  severity: 'error' | 'warning';
  message: string;
  revision: string;
}

export interface DatabaseState {
  /** The rows as read (sorted). Empty = base. */
  rows: string[];
  /**
   * The database's current revisions as `alembic current` prints them: applied revisions with no
   * applied child. Usually the known rows; a revision applied only as a `depends_on` of another
   * branch is current too (Alembic writes no row for it).
   */
  current: string[];
  /** Every revision whose changes are in the database: the current ones and their ancestors, depends_on included. */
  applied: string[];
  /** Revisions not applied, in upgrade order (parents first). */
  pending: string[];
  /** Rows no revision file defines. */
  unknown: string[];
  /** State of every revision of the graph, and of unknown rows. */
  states: Map<string, RevisionDatabaseState>;
  /** Heads of the graph that are applied (the database is "at head" when every head is). */
  appliedHeads: string[];
  upToDate: boolean;
  problems: DatabaseStateProblem[];
}

export function computeDatabaseState(rows: readonly string[], graph: RevisionGraphView): DatabaseState {
  const uniqueRows = [...new Set(rows)].sort();
  const knownRows = uniqueRows.filter((row) => graph.has(row));
  const unknown = uniqueRows.filter((row) => !graph.has(row));
  const problems: DatabaseStateProblem[] = unknown.map((revision) => ({
    code: 'unknown-revision',
    severity: 'error',
    revision,
    message:
      `database is at ${revision}, which no revision file defines: Alembic will fail with ` +
      `"Can't locate revision identified by '${revision}'" (a revision file was deleted or not pulled yet, ` +
      'or the database was upgraded from another branch)',
  }));

  const applied = ancestorsOf(knownRows, graph);
  const withAppliedChild = new Set<string>();
  for (const id of applied) for (const parent of graph.parentsOf(id)) withAppliedChild.add(parent);
  const current = [...applied].filter((id) => !withAppliedChild.has(id)).sort();

  // A row that is an ancestor of another row: Alembic never writes such a table ("overlaps").
  for (const row of knownRows) {
    const others = knownRows.filter((other) => other !== row);
    if (others.length > 0 && ancestorsOf(others, graph).has(row)) {
      problems.push({
        code: 'overlapping-rows',
        severity: 'warning',
        revision: row,
        message: `the version table lists ${row} and also a revision that descends from it; Alembic expects only the newest revision of each branch`,
      });
    }
  }

  const order = upgradeOrder(graph);
  const pending = order.filter((id) => !applied.has(id));
  const states = new Map<string, RevisionDatabaseState>();
  for (const id of order) states.set(id, applied.has(id) ? 'applied' : 'pending');
  for (const id of current) states.set(id, 'current');
  for (const id of unknown) states.set(id, 'unknown');

  const appliedHeads = graph.heads.filter((head) => applied.has(head));
  return {
    rows: uniqueRows,
    current,
    applied: order.filter((id) => applied.has(id)),
    pending,
    unknown,
    states,
    appliedHeads,
    upToDate: pending.length === 0 && unknown.length === 0,
    problems,
  };
}

/** The given revisions and all their ancestors, following down_revision and depends_on. */
export function ancestorsOf(ids: Iterable<string>, graph: RevisionGraphView): Set<string> {
  const seen = new Set<string>();
  const stack = [...ids].filter((id) => graph.has(id));
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of [...graph.parentsOf(id), ...graph.dependenciesOf(id)]) {
      // A dangling down_revision is the graph's problem to report; here it just ends the walk.
      if (!seen.has(next) && graph.has(next)) stack.push(next);
    }
  }
  return seen;
}

/** Every revision, parents (and dependencies) before children; ties keep the graph's order. */
export function upgradeOrder(graph: RevisionGraphView): string[] {
  const ids = [...graph.revisionIds()];
  const position = new Map(ids.map((id, index) => [id, index]));
  const remaining = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const id of ids) {
    const requirements = [...new Set([...graph.parentsOf(id), ...graph.dependenciesOf(id)])].filter((parent) => position.has(parent));
    remaining.set(id, requirements.length);
    for (const parent of requirements) {
      const list = children.get(parent);
      if (list) list.push(id);
      else children.set(parent, [id]);
    }
  }
  // A min-heap would be tidier; a sorted ready list is plenty for a few thousand revisions.
  const ready = ids.filter((id) => remaining.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    const released: string[] = [];
    for (const child of children.get(id) ?? []) {
      const left = remaining.get(child)! - 1;
      remaining.set(child, left);
      if (left === 0) released.push(child);
    }
    if (released.length > 0) {
      ready.push(...released);
      ready.sort((a, b) => position.get(a)! - position.get(b)!);
    }
  }
  // Revisions in a cycle never become ready; keep them (pending) rather than lose them.
  if (order.length < ids.length) {
    const placed = new Set(order);
    order.push(...ids.filter((id) => !placed.has(id)));
  }
  return order;
}

/** A RevisionGraphView from plain records, e.g. `[{ id, parents, dependencies }]` (tests, the CLI). */
export function graphViewFromRevisions(
  revisions: ReadonlyArray<{ id: string; parents?: readonly string[]; dependencies?: readonly string[] }>,
): RevisionGraphView {
  const byId = new Map(revisions.map((revision) => [revision.id, revision]));
  const hasChild = new Set<string>();
  for (const revision of revisions) {
    for (const parent of revision.parents ?? []) hasChild.add(parent);
  }
  return {
    has: (id) => byId.has(id),
    parentsOf: (id) => byId.get(id)?.parents ?? [],
    dependenciesOf: (id) => byId.get(id)?.dependencies ?? [],
    heads: revisions.filter((revision) => !hasChild.has(revision.id)).map((revision) => revision.id),
    revisionIds: () => byId.keys(),
  };
}

type IdOrNode = string | { id: string };

/**
 * Adapts the project model's RevisionGraph (`get`, `revisions()`, `parentsOf`, `dependenciesOf`,
 * `heads`) to RevisionGraphView; nodes or ids are both accepted where the graph returns either.
 */
export function revisionGraphView(graph: {
  heads: readonly IdOrNode[];
  get(id: string): unknown;
  revisions(): Iterable<IdOrNode>;
  parentsOf(id: string): Iterable<IdOrNode>;
  dependenciesOf(id: string): Iterable<IdOrNode>;
}): RevisionGraphView {
  const idOf = (item: IdOrNode) => (typeof item === 'string' ? item : item.id);
  return {
    has: (id) => graph.get(id) !== undefined,
    parentsOf: (id) => [...graph.parentsOf(id)].map(idOf),
    dependenciesOf: (id) => [...graph.dependenciesOf(id)].map(idOf),
    get heads() {
      return graph.heads.map(idOf);
    },
    revisionIds: () => [...graph.revisions()].map(idOf),
  };
}
