// The order `alembic history` prints revisions in (newest first). Alembic walks the graph from the
// heads with its `RevisionMap._topological_sort`: it follows one head down its line for as long as no
// other pending head still needs a revision first, and breaks ties by the order revision files were
// loaded. Reproducing that walk (not just any topological order) is what makes our history line up
// with Alembic's, branch by branch.

export interface OrderableRevision {
  id: string;
  /** Position of the id in Alembic's revision map (file load order; a duplicate keeps the first). */
  loadIndex: number;
  /** Alembic's `_normalized_down_revisions`: down revisions, then dependencies not implied by ancestors. Only ids present in the graph. */
  normalizedDownRevisions: readonly string[];
  /** Whether the revision has normalized dependencies (Alembic then recomputes ancestor sets). */
  hasNormalizedDependencies: boolean;
  /** Number of versioned down revisions as written (merge points have more than one). */
  versionedDownCount: number;
}

export type RevisionLookup = (id: string) => OrderableRevision | undefined;

/**
 * Answers "is `candidate` among the ancestors (or is it) of `head`" without building ancestor sets.
 * Alembic keeps a full ancestor set per pending head and rebuilds them at every merge, which is
 * quadratic on a branchy history; but each of those sets is exactly the ancestors of that head,
 * so a search from the head, pruned by depth (an ancestor always sits deeper than its descendants),
 * gives the same answers.
 */
class AncestryOracle {
  private readonly depths = new Map<string, number>();
  private readonly visitedAt = new Map<string, number>();
  private query = 0;

  constructor(private readonly lookup: RevisionLookup) {}

  /** Longest distance to a base through normalized down revisions (iterative, memoized). */
  depth(id: string): number {
    const known = this.depths.get(id);
    if (known !== undefined) return known;
    const stack: Array<{ id: string; next: number }> = [{ id, next: 0 }];
    const onPath = new Set<string>([id]);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const downs = this.lookup(frame.id)?.normalizedDownRevisions ?? [];
      if (frame.next < downs.length) {
        const down = downs[frame.next++];
        if (!this.depths.has(down) && !onPath.has(down) && this.lookup(down)) {
          onPath.add(down);
          stack.push({ id: down, next: 0 });
        }
        continue;
      }
      let depth = 0;
      for (const down of downs) {
        const below = this.depths.get(down);
        if (below !== undefined && below + 1 > depth) depth = below + 1;
      }
      this.depths.set(frame.id, depth);
      onPath.delete(frame.id);
      stack.pop();
    }
    return this.depths.get(id) as number;
  }

  isAncestorOrSelf(candidate: string, head: string): boolean {
    if (candidate === head) return true;
    const floor = this.depth(candidate);
    if (floor >= this.depth(head)) return false;
    const query = ++this.query;
    const todo = [head];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      for (const down of this.lookup(id)?.normalizedDownRevisions ?? []) {
        if (down === candidate) return true;
        if (this.visitedAt.get(down) === query) continue;
        this.visitedAt.set(down, query);
        if (this.lookup(down) && this.depth(down) > floor) todo.push(down);
      }
    }
    return false;
  }
}

/**
 * Alembic's topological sort of `revisions` starting from `heads` (both ids). Returns undefined if
 * the walk does not finish (only possible on a graph with cycles, which Alembic rejects before).
 */
export function alembicTopologicalSort(revisions: Iterable<string>, heads: Iterable<string>, lookup: RevisionLookup): string[] | undefined {
  const todo = new Set(revisions);
  const currentHeads = [...new Set(heads)]
    .filter((id) => todo.has(id))
    .sort((a, b) => (lookup(a)?.loadIndex ?? 0) - (lookup(b)?.loadIndex ?? 0));
  const ancestry = new AncestryOracle(lookup);
  const output: string[] = [];
  let candidateIndex = 0;
  // Each step either emits a revision, moves a head down, drops a head or switches to another
  // head; bound the loop so a malformed graph can never hang the editor.
  let budget = (todo.size + 1) * (currentHeads.length + 2) * 4 + 1000;
  while (currentHeads.length > 0) {
    if (--budget < 0) return undefined;
    const candidate = currentHeads[candidateIndex];
    let switched = false;
    for (let index = 0; index < currentHeads.length; index++) {
      if (index !== candidateIndex && ancestry.isAncestorOrSelf(candidate, currentHeads[index])) {
        // Another pending head still needs this revision below it: walk that head first.
        candidateIndex = index;
        switched = true;
        break;
      }
    }
    if (switched) continue;
    if (todo.has(candidate)) {
      output.push(candidate);
      todo.delete(candidate);
    }
    const revision = lookup(candidate);
    const headsToAdd = (revision?.normalizedDownRevisions ?? []).filter((id) => todo.has(id) && !currentHeads.includes(id));
    if (headsToAdd.length === 0) {
      currentHeads.splice(candidateIndex, 1);
      candidateIndex = Math.max(candidateIndex - 1, 0);
    } else {
      currentHeads[candidateIndex] = headsToAdd[0];
      currentHeads.push(...headsToAdd.slice(1));
    }
  }
  return output;
}

/**
 * A topological order (children before parents) for graphs Alembic would reject (cycles): the
 * acyclic part newest first, then what is left in load order. Used so a broken history still shows.
 */
export function fallbackHistoryOrder(revisions: OrderableRevision[]): string[] {
  const byLoad = [...revisions].sort((a, b) => a.loadIndex - b.loadIndex);
  const lookup = new Map(byLoad.map((revision) => [revision.id, revision]));
  const pendingChildren = new Map<string, number>(byLoad.map((revision) => [revision.id, 0]));
  for (const revision of byLoad) {
    for (const down of new Set(revision.normalizedDownRevisions)) {
      if (down !== revision.id && pendingChildren.has(down)) pendingChildren.set(down, (pendingChildren.get(down) as number) + 1);
    }
  }
  const ready = byLoad.filter((revision) => pendingChildren.get(revision.id) === 0).map((revision) => revision.id);
  const output: string[] = [];
  const emitted = new Set<string>();
  while (ready.length > 0) {
    const id = ready.shift() as string;
    if (emitted.has(id)) continue;
    emitted.add(id);
    output.push(id);
    for (const down of new Set(lookup.get(id)?.normalizedDownRevisions ?? [])) {
      if (down === id || !pendingChildren.has(down) || emitted.has(down)) continue;
      const left = (pendingChildren.get(down) as number) - 1;
      pendingChildren.set(down, left);
      if (left === 0) ready.push(down);
    }
  }
  for (const revision of byLoad) if (!emitted.has(revision.id)) output.push(revision.id);
  return output;
}
