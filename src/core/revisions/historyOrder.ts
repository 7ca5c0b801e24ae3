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

/** Ids of `start` and everything below it through normalized down revisions. */
export function normalizedAncestors(start: string, lookup: RevisionLookup): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    const revision = lookup(id);
    if (!revision) continue;
    seen.add(id);
    for (const down of revision.normalizedDownRevisions) if (!seen.has(down)) todo.push(down);
  }
  return seen;
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
  const ancestorsByIndex = currentHeads.map((id) => normalizedAncestors(id, lookup));
  const output: string[] = [];
  let candidateIndex = 0;
  // Each step either emits a revision, moves a head down, drops a head or switches to another
  // head; bound the loop so a malformed graph can never hang the editor.
  let budget = (todo.size + 1) * (currentHeads.length + 2) * 4 + 1000;
  while (currentHeads.length > 0) {
    if (--budget < 0) return undefined;
    const candidate = currentHeads[candidateIndex];
    let switched = false;
    for (let index = 0; index < ancestorsByIndex.length; index++) {
      if (index !== candidateIndex && ancestorsByIndex[index].has(candidate)) {
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
      ancestorsByIndex.splice(candidateIndex, 1);
      candidateIndex = Math.max(candidateIndex - 1, 0);
    } else if (revision && !revision.hasNormalizedDependencies && revision.versionedDownCount === 1) {
      // Plain movement down a line: the ancestor set only loses the emitted revision.
      currentHeads[candidateIndex] = headsToAdd[0];
      ancestorsByIndex[candidateIndex].delete(candidate);
    } else {
      currentHeads[candidateIndex] = headsToAdd[0];
      currentHeads.push(...headsToAdd.slice(1));
      ancestorsByIndex[candidateIndex] = normalizedAncestors(headsToAdd[0], lookup);
      ancestorsByIndex.push(...headsToAdd.slice(1).map((id) => normalizedAncestors(id, lookup)));
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
