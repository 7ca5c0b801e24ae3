// The revision graph of one Alembic project, built from parsed revision files the way Alembic's
// `RevisionMap` builds it: heads, bases, branch points, merge points, `depends_on` edges, branch labels
// propagated as Alembic propagates them, and the order `alembic history` prints. Unlike Alembic it
// never stops at the first broken file: dangling references, duplicates and cycles become problems
// (see graphProblems.ts) and the rest of the graph stays usable.
import path from 'node:path';
import type { SourceRange } from '../python/pythonSource';
import { BLOCKING_PROBLEMS, findGraphProblems, GraphProblem, GraphProblemOptions } from './graphProblems';
import { alembicTopologicalSort, fallbackHistoryOrder, OrderableRevision } from './historyOrder';
import type { RevisionFile, RevisionReference } from './revisionFile';
import { ResolveOptions, resolveSymbol, ResolvedRevision } from './revisionSymbols';

export interface RevisionNode extends OrderableRevision {
  id: string;
  file: RevisionFile;
  /** Position in Alembic's revision map: file load order (a duplicate id keeps its first position). */
  loadIndex: number;
  /** Versioned down revisions that exist in the graph, in file order. */
  parents: string[];
  /** `down_revision` entries that name no revision (Alembic fails with KeyError on these). */
  missingParents: string[];
  /** Revisions whose `down_revision` names this one, in load order (Alembic's `nextrev`). */
  children: string[];
  /** `depends_on` resolved to revision ids (a branch label means the revision that declares it). */
  dependencies: string[];
  /** `depends_on` entries that name neither a revision nor a branch label. */
  missingDependencies: string[];
  /** Revisions whose `depends_on` names this one. */
  dependents: string[];
  /** Branch labels written in this file. */
  ownBranchLabels: string[];
  /** Branch labels as Alembic applies them (inherited from labelled ancestors and descendants), sorted. */
  branchLabels: string[];
  /** No versioned children: what `alembic heads` lists. */
  isHead: boolean;
  /** No children and nothing depends on it (a head for `alembic history`'s "(head)" marker). */
  isRealHead: boolean;
  /** `down_revision` is None (or empty). */
  isBase: boolean;
  /** A base with no `depends_on` either. */
  isRealBase: boolean;
  /** More than one versioned child (history's "(branchpoint)"). */
  isBranchPoint: boolean;
  /** More than one child counting dependents (stops branch label propagation). */
  isRealBranchPoint: boolean;
  /** More than one versioned down revision (history's "(mergepoint)"). */
  isMergePoint: boolean;
  /** Dependencies not already implied by an ancestor's dependencies (Alembic's normalized set). */
  normalizedDependencies: string[];
}

export type RevisionGraphOptions = GraphProblemOptions;

/** Alembic < 0.2 named files `<hex id>.py` and had no `revision` variable; Alembic still accepts that. */
const LEGACY_REVISION_FILE = /^([a-f0-9]+)\.py$/;

export class RevisionGraph {
  /** Files in load order, including unidentified and shadowed ones. */
  readonly files: RevisionFile[];
  /** Alembic's `heads`: revisions with no versioned children, in load order. */
  readonly heads: string[] = [];
  /** Revisions with no children nor dependents, in load order (history starts from these). */
  readonly realHeads: string[] = [];
  readonly bases: string[] = [];
  readonly realBases: string[] = [];
  /** Files without a readable revision id (they are not in the graph). */
  readonly unidentifiedFiles: RevisionFile[] = [];
  /** Ids defined by more than one file: all the files, in load order; the last one wins, as in Alembic. */
  readonly duplicates = new Map<string, RevisionFile[]>();
  /** Branch label -> the revision that declares it (the first one, when a label is declared twice). */
  readonly branchLabelOwners = new Map<string, string>();
  /** Labels declared more than once, or equal to a revision id: [label, every declaring revision]. */
  readonly branchLabelConflicts = new Map<string, string[]>();
  /** Strongly connected groups of revisions (down_revision and depends_on edges), and self-loops. */
  readonly cycles: string[][] = [];

  private readonly nodes = new Map<string, RevisionNode>();
  /** Set operations the last dependency normalisation made: a deterministic measure of its work, for tests. */
  normalizationSteps = 0;
  private historyCache?: RevisionNode[];
  private problemsCache?: GraphProblem[];

  private constructor(
    files: RevisionFile[],
    private readonly options: RevisionGraphOptions,
  ) {
    this.files = files;
  }

  /** Builds the graph from files in Alembic's load order (see projectModel.ts for that order). */
  static build(files: RevisionFile[], options: RevisionGraphOptions = {}): RevisionGraph {
    const graph = new RevisionGraph(files, options);
    graph.link();
    return graph;
  }

  get size(): number {
    return this.nodes.size;
  }

  get(id: string): RevisionNode | undefined {
    return this.nodes.get(id);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Every revision, in load order. */
  revisions(): RevisionNode[] {
    return [...this.nodes.values()];
  }

  childrenOf(id: string): RevisionNode[] {
    return this.lookupAll(this.nodes.get(id)?.children);
  }

  parentsOf(id: string): RevisionNode[] {
    return this.lookupAll(this.nodes.get(id)?.parents);
  }

  dependenciesOf(id: string): RevisionNode[] {
    return this.lookupAll(this.nodes.get(id)?.dependencies);
  }

  dependentsOf(id: string): RevisionNode[] {
    return this.lookupAll(this.nodes.get(id)?.dependents);
  }

  private lookupAll(ids: readonly string[] | undefined): RevisionNode[] {
    return (ids ?? []).map((id) => this.nodes.get(id)).filter((node): node is RevisionNode => node !== undefined);
  }

  /** The given revisions and everything below them. */
  ancestorsOf(ids: Iterable<string>, options: { includeDependencies?: boolean } = {}): Set<string> {
    return this.walk(ids, (node) => (options.includeDependencies ? [...node.parents, ...node.dependencies] : node.parents));
  }

  /** The given revisions and everything above them. */
  descendantsOf(ids: Iterable<string>, options: { includeDependencies?: boolean } = {}): Set<string> {
    return this.walk(ids, (node) => (options.includeDependencies ? [...node.children, ...node.dependents] : node.children));
  }

  private walk(start: Iterable<string>, next: (node: RevisionNode) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const todo = [...start];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      if (seen.has(id)) continue;
      const node = this.nodes.get(id);
      if (!node) continue;
      seen.add(id);
      for (const other of next(node)) if (!seen.has(other)) todo.push(other);
    }
    return seen;
  }

  /** Revisions in the order `alembic history` prints them (newest first). */
  history(): RevisionNode[] {
    if (!this.historyCache) {
      const lookup = (id: string) => this.nodes.get(id);
      let order: string[] | undefined;
      if (this.cycles.length === 0) order = alembicTopologicalSort(this.nodes.keys(), this.realHeads, lookup);
      if (!order || order.length !== this.nodes.size) order = fallbackHistoryOrder([...this.nodes.values()]);
      this.historyCache = order.map((id) => this.nodes.get(id) as RevisionNode);
    }
    return this.historyCache;
  }

  /** Resolves an Alembic revision symbol (see revisionSymbols.ts). Throws RevisionResolutionError. */
  resolve(symbol: string, options: ResolveOptions = {}): ResolvedRevision[] {
    return resolveSymbol(this, symbol, options);
  }

  /**
   * Swaps in a re-read file whose header (revision, down_revision, branch_labels, depends_on) did not
   * change, so the shape of the graph stays; the message, docstring and ranges come from the new
   * file. Returns false (and changes nothing) when the header did change: build a new graph then.
   */
  replaceFile(previous: RevisionFile, next: RevisionFile): boolean {
    if (!sameHeader(previous, next)) return false;
    const position = this.files.indexOf(previous);
    if (position < 0) return false;
    const node = next.revision === undefined ? undefined : this.nodes.get(next.revision);
    if (next.revision !== undefined && node?.file !== previous) return false;
    if (next.headerIssues.length > 0 || previous.headerIssues.length > 0) return false;
    this.files[position] = next;
    if (node) node.file = next;
    this.problemsCache = undefined;
    return true;
  }

  /** Everything wrong with the history, each tied to a file (see graphProblems.ts). */
  get problems(): GraphProblem[] {
    this.problemsCache ??= findGraphProblems(this, this.options);
    return this.problemsCache;
  }

  /** Only the problems that make Alembic itself fail (BLOCKING_PROBLEMS); skips the per-file name and docstring checks. */
  blockingProblems(): GraphProblem[] {
    if (this.problemsCache) return this.problemsCache.filter((problem) => BLOCKING_PROBLEMS.has(problem.name));
    return findGraphProblems(this, this.options, { blockingOnly: true });
  }

  /** Where a revision id or branch label is written, across all files (for find-references). */
  referencesTo(idOrLabel: string): Array<RevisionReference & { file: RevisionFile }> {
    const found: Array<RevisionReference & { file: RevisionFile }> = [];
    for (const file of this.files) {
      for (const reference of file.references) if (reference.id === idOrLabel) found.push({ ...reference, file });
    }
    return found;
  }

  /** Where a revision id (or branch label) is defined (for go-to-definition). */
  definitionOf(idOrLabel: string): { file: RevisionFile; range?: SourceRange } | undefined {
    const owner = this.nodes.get(idOrLabel) ?? this.nodes.get(this.branchLabelOwners.get(idOrLabel) ?? '');
    if (!owner) return undefined;
    const kind = this.nodes.has(idOrLabel) ? 'revision' : 'branch_label';
    const reference = owner.file.references.find((candidate) => candidate.kind === kind && candidate.id === idOrLabel);
    return { file: owner.file, range: reference?.range };
  }

  /** Revision ids and branch labels that start with `prefix` (completion, prefix resolution). */
  idsStartingWith(prefix: string): string[] {
    const matches: string[] = [];
    for (const id of this.nodes.keys()) if (id.startsWith(prefix)) matches.push(id);
    for (const label of this.branchLabelOwners.keys()) if (label.startsWith(prefix)) matches.push(label);
    return matches;
  }

  // -------------------------------------------------------------------------------------------

  private link(): void {
    let loadIndex = 0;
    for (const file of this.files) {
      let id = file.revision;
      if (id === undefined && file.headerIssues.length > 0 && file.headerIssues.some((issue) => issue.code === 'missing-revision')) {
        id = LEGACY_REVISION_FILE.exec(path.basename(file.filePath))?.[1];
      }
      if (id === undefined) {
        this.unidentifiedFiles.push(file);
        continue;
      }
      const existing = this.nodes.get(id);
      if (existing) {
        if (!this.duplicates.has(id)) this.duplicates.set(id, [existing.file]);
        (this.duplicates.get(id) as RevisionFile[]).push(file);
        // Alembic's map keeps the key's first position but the later file's revision.
        this.nodes.set(id, this.newNode(id, file, existing.loadIndex));
      } else {
        this.nodes.set(id, this.newNode(id, file, loadIndex++));
      }
    }

    for (const node of this.nodes.values()) {
      for (const label of node.ownBranchLabels) {
        const owner = this.branchLabelOwners.get(label);
        if (owner !== undefined || this.nodes.has(label)) {
          const conflict = this.branchLabelConflicts.get(label) ?? [owner ?? label];
          conflict.push(node.id);
          this.branchLabelConflicts.set(label, conflict);
          continue;
        }
        this.branchLabelOwners.set(label, node.id);
      }
    }

    // Edges, each looked up once; children and dependents come out in load order (Alembic's
    // `nextrev`) because nodes are visited in that order. Most revisions have one parent and no
    // dependency: allocate only what is needed.
    for (const node of this.nodes.values()) {
      const downs = node.file.downRevisions;
      for (let index = 0; index < downs.length; index++) {
        const down = downs[index];
        if (down === node.id || (index > 0 && downs.indexOf(down) !== index)) continue; // Self-loops are cycles; duplicates count once.
        const parent = this.nodes.get(down);
        if (parent) {
          node.parents = append(node.parents, down);
          parent.children = append(parent.children, node.id);
        } else node.missingParents = append(node.missingParents, down);
      }
      const dependsOn = node.file.dependsOn;
      for (let index = 0; index < dependsOn.length; index++) {
        const dependency = dependsOn[index];
        if (dependsOn.indexOf(dependency) !== index) continue;
        const target = this.nodes.has(dependency) ? dependency : this.branchLabelOwners.get(dependency);
        if (target === undefined) node.missingDependencies = append(node.missingDependencies, dependency);
        else if (target !== node.id && !node.dependencies.includes(target)) node.dependencies = append(node.dependencies, target);
      }
    }
    for (const node of this.nodes.values()) {
      for (const dependency of node.dependencies) {
        const target = this.nodes.get(dependency) as RevisionNode;
        target.dependents = append(target.dependents, node.id);
      }
    }

    for (const node of this.nodes.values()) {
      const form = node.file.downRevisionForm;
      const downCount = node.file.downRevisions.length;
      node.versionedDownCount = downCount;
      node.isBase = form !== 'missing' && form !== 'unreadable' && downCount === 0;
      node.isRealBase = node.isBase && node.file.dependsOn.length === 0;
      node.isHead = node.children.length === 0;
      node.isRealHead = node.isHead && node.dependents.length === 0;
      node.isBranchPoint = node.children.length > 1;
      node.isRealBranchPoint =
        node.dependents.length === 0 ? node.children.length > 1 : new Set([...node.children, ...node.dependents]).size > 1;
      node.isMergePoint = downCount > 1;
      if (node.isHead) this.heads.push(node.id);
      if (node.isRealHead) this.realHeads.push(node.id);
      if (node.isBase) this.bases.push(node.id);
      if (node.isRealBase) this.realBases.push(node.id);
    }

    this.findCycles();
    this.normalizeDependencies();
    this.propagateBranchLabels();
  }

  private newNode(id: string, file: RevisionFile, loadIndex: number): RevisionNode {
    return {
      id,
      file,
      loadIndex,
      parents: EMPTY,
      missingParents: EMPTY,
      children: EMPTY,
      dependencies: EMPTY,
      missingDependencies: EMPTY,
      dependents: EMPTY,
      ownBranchLabels: file.branchLabels.length === 0 ? EMPTY : [...new Set(file.branchLabels)],
      branchLabels: EMPTY,
      isHead: false,
      isRealHead: false,
      isBase: false,
      isRealBase: false,
      isBranchPoint: false,
      isRealBranchPoint: false,
      isMergePoint: false,
      normalizedDependencies: EMPTY,
      normalizedDownRevisions: EMPTY,
      hasNormalizedDependencies: false,
      versionedDownCount: 0,
    };
  }

  /**
   * Cycles over parent and dependency edges. Peeling revisions nothing points at (repeatedly) eats
   * an acyclic history whole in linear time; only what is left (cycles and what hangs below them)
   * goes through Tarjan's strongly connected components.
   */
  private findCycles(): void {
    for (const node of this.nodes.values()) {
      if (node.file.downRevisions.includes(node.id) || node.file.dependsOn.includes(node.id)) this.cycles.push([node.id]);
    }
    // Dense positions let plain typed arrays do the bookkeeping: a node's loadIndex is its position
    // in the map (ids are numbered in insertion order; a duplicate keeps its first number).
    const byPosition: RevisionNode[] = [];
    for (const node of this.nodes.values()) byPosition.push(node);
    const pointedAt = new Int32Array(byPosition.length);
    const ready: number[] = [];
    for (let index = 0; index < byPosition.length; index++) {
      const node = byPosition[index];
      pointedAt[index] = node.children.length + node.dependents.length;
      if (pointedAt[index] === 0) ready.push(index);
    }
    let peeled = 0;
    while (ready.length > 0) {
      const node = byPosition[ready.pop() as number];
      peeled++;
      for (let edge = 0; edge < node.parents.length + node.dependencies.length; edge++) {
        const id = edge < node.parents.length ? node.parents[edge] : node.dependencies[edge - node.parents.length];
        const target = (this.nodes.get(id) as RevisionNode).loadIndex;
        if (--pointedAt[target] === 0) ready.push(target);
      }
    }
    if (peeled === this.nodes.size) return;
    this.tarjan(new Set(byPosition.filter((_, index) => pointedAt[index] > 0).map((node) => node.id)));
  }

  /** Tarjan's strongly connected components, iteratively, over the given revisions. */
  private tarjan(members: Set<string>): void {
    const index = new Map<string, number>();
    const lowLink = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    let counter = 0;
    const edges = (node: RevisionNode) => [...node.parents, ...node.dependencies].filter((id) => members.has(id));
    for (const startId of members) {
      if (index.has(startId)) continue;
      const frames: Array<{ id: string; next: string[]; position: number }> = [];
      const enter = (id: string) => {
        index.set(id, counter);
        lowLink.set(id, counter);
        counter++;
        stack.push(id);
        onStack.add(id);
        frames.push({ id, next: edges(this.nodes.get(id) as RevisionNode), position: 0 });
      };
      enter(startId);
      while (frames.length > 0) {
        const frame = frames[frames.length - 1];
        if (frame.position < frame.next.length) {
          const target = frame.next[frame.position++];
          if (!index.has(target)) enter(target);
          else if (onStack.has(target)) lowLink.set(frame.id, Math.min(lowLink.get(frame.id) as number, index.get(target) as number));
          continue;
        }
        frames.pop();
        if (frames.length > 0) {
          const parent = frames[frames.length - 1].id;
          lowLink.set(parent, Math.min(lowLink.get(parent) as number, lowLink.get(frame.id) as number));
        }
        if (lowLink.get(frame.id) === index.get(frame.id)) {
          const component: string[] = [];
          let member: string;
          do {
            member = stack.pop() as string;
            onStack.delete(member);
            component.push(member);
          } while (member !== frame.id);
          if (component.length > 1) this.cycles.push(component.sort((a, b) => (this.nodes.get(a) as RevisionNode).loadIndex - (this.nodes.get(b) as RevisionNode).loadIndex));
        }
      }
    }
  }

  /**
   * Alembic drops a dependency when an ancestor (through down_revision) already depends on the same
   * revision; what is left joins down_revision as the revision's "normalized" down revisions.
   * Only a dependency declared by two or more revisions can be implied, so only those are carried
   * down the history, once, in topological order: a set shared along plain lines, copied only where
   * a revision adds to it or a merge joins two, and a dependency leaves the copies once its last
   * declaring revision is passed. The work is linear in the history times the dependencies alive at
   * one point of it (walking every declaring revision's ancestors was quadratic).
   */
  private normalizeDependencies(): void {
    const declarers = new Map<string, number>();
    for (const node of this.nodes.values()) {
      node.normalizedDependencies = node.dependencies;
      for (const dependency of new Set(node.dependencies)) declarers.set(dependency, (declarers.get(dependency) ?? 0) + 1);
    }
    const shared = (node: RevisionNode) => node.dependencies.filter((dependency) => (declarers.get(dependency) as number) > 1);
    if ([...declarers.values()].some((count) => count > 1)) {
      const implied = this.impliedDependencies(shared);
      for (const node of this.nodes.values()) {
        const above = implied.get(node.id);
        if (node.dependencies.length > 0 && above && above.size > 0) node.normalizedDependencies = node.dependencies.filter((dependency) => !above.has(dependency));
      }
    }
    for (const node of this.nodes.values()) {
      node.hasNormalizedDependencies = node.normalizedDependencies.length > 0;
      node.normalizedDownRevisions = node.hasNormalizedDependencies ? [...new Set([...node.parents, ...node.normalizedDependencies])] : node.parents;
    }
  }

  /**
   * Per revision, the `tracked` dependencies its strict ancestors (through down_revision) declare.
   * Kahn's order over parents; revisions on or above a cycle get their set from an ancestor walk.
   */
  private impliedDependencies(tracked: (node: RevisionNode) => string[]): Map<string, ReadonlySet<string>> {
    const none: ReadonlySet<string> = new Set();
    /** Declaring revisions not yet passed, per dependency: at 0 nobody below needs it any more. */
    const remaining = new Map<string, number>();
    for (const node of this.nodes.values()) for (const dependency of new Set(tracked(node))) remaining.set(dependency, (remaining.get(dependency) ?? 0) + 1);
    const alive = (dependency: string) => (remaining.get(dependency) as number) > 0;
    /** Dependencies of a revision and its ancestors; shared (never mutated once stored). */
    const carried = new Map<string, ReadonlySet<string>>();
    const implied = new Map<string, ReadonlySet<string>>();
    const waiting = new Map<string, number>();
    const ready: RevisionNode[] = [];
    for (const node of this.nodes.values()) for (const child of node.children) waiting.set(child, (waiting.get(child) ?? 0) + 1);
    for (const node of this.nodes.values()) if (!waiting.has(node.id)) ready.push(node);
    this.normalizationSteps = 0;
    while (ready.length > 0) {
      const node = ready.pop() as RevisionNode;
      let above: ReadonlySet<string> = none;
      for (const parent of node.parents) {
        const set = carried.get(parent);
        if (!set || set.size === 0 || set === above) continue;
        if (above.size === 0) above = set;
        else {
          const union = new Set<string>();
          for (const dependency of above) if (alive(dependency)) union.add(dependency);
          for (const dependency of set) if (alive(dependency)) union.add(dependency);
          this.normalizationSteps += above.size + set.size;
          above = union;
        }
      }
      implied.set(node.id, above);
      const own = tracked(node);
      if (own.length === 0) carried.set(node.id, above);
      else {
        for (const dependency of new Set(own)) remaining.set(dependency, (remaining.get(dependency) as number) - 1);
        const mine = new Set<string>();
        for (const dependency of above) if (alive(dependency)) mine.add(dependency);
        for (const dependency of own) if (alive(dependency)) mine.add(dependency);
        this.normalizationSteps += above.size + own.length;
        carried.set(node.id, mine);
      }
      this.normalizationSteps++;
      for (const child of node.children) {
        const left = (waiting.get(child) as number) - 1;
        waiting.set(child, left);
        if (left === 0) ready.push(this.nodes.get(child) as RevisionNode);
      }
    }
    for (const node of this.nodes.values()) {
      if (implied.has(node.id) || node.dependencies.length === 0) continue;
      const above = new Set<string>();
      for (const ancestor of this.ancestorsOf([node.id])) {
        if (ancestor !== node.id) for (const dependency of tracked(this.nodes.get(ancestor) as RevisionNode)) above.add(dependency);
      }
      implied.set(node.id, above);
    }
    return implied;
  }

  /**
   * Alembic's `_add_branches`: a label reaches every descendant of the revision that declares it, and
   * also the revisions below it, but only if the line from the declaring revision up to its newest
   * descendant is a plain line (no branch point or merge point on it); the walk down then stops at
   * the first branch point or merge point.
   */
  private propagateBranchLabels(): void {
    // Only revisions that get a label need a list (a revision has few labels: arrays beat sets).
    const labels = new Map<string, string[]>();
    const labelsOf = (id: string) => {
      let list = labels.get(id);
      if (!list) {
        list = [...(this.nodes.get(id) as RevisionNode).ownBranchLabels];
        labels.set(id, list);
      }
      return list;
    };
    const addAll = (target: string[], source: readonly string[]) => {
      for (const label of source) if (!target.includes(label)) target.push(label);
    };
    for (const declaring of this.nodes.values()) {
      if (declaring.ownBranchLabels.length === 0) continue;
      const current = labelsOf(declaring.id);
      for (const descendant of this.descendantsOf([declaring.id])) if (descendant !== declaring.id) addAll(labelsOf(descendant), current);
      // Is the line from the declaring revision to its newest descendant plain?
      let cursor: RevisionNode = declaring;
      let plain = true;
      const visited = new Set<string>();
      for (;;) {
        if (cursor.isRealBranchPoint || cursor.isMergePoint || visited.has(cursor.id)) {
          plain = false;
          break;
        }
        visited.add(cursor.id);
        if (cursor.children.length === 0) break;
        if (cursor.children.length > 1) {
          plain = false;
          break;
        }
        cursor = this.nodes.get(cursor.children[0]) as RevisionNode;
      }
      if (!plain) continue;
      let below = declaring.file.downRevisions.length === 1 ? this.nodes.get(declaring.file.downRevisions[0]) : undefined;
      while (below && !below.isRealBranchPoint && !below.isMergePoint && !visited.has(below.id)) {
        visited.add(below.id);
        addAll(labelsOf(below.id), current);
        below = below.file.downRevisions.length === 1 ? this.nodes.get(below.file.downRevisions[0]) : undefined;
      }
    }
    for (const [id, list] of labels) (this.nodes.get(id) as RevisionNode).branchLabels = list.sort();
  }
}

/** Shared by every revision with nothing in a list; never mutated (see `append`). */
const EMPTY: string[] = [];
Object.freeze(EMPTY);

function append(list: string[], item: string): string[] {
  if (list === EMPTY) return [item];
  list.push(item);
  return list;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function sameHeader(a: RevisionFile, b: RevisionFile): boolean {
  return (
    a.revision === b.revision &&
    a.downRevisionForm === b.downRevisionForm &&
    sameList(a.downRevisions, b.downRevisions) &&
    sameList(a.branchLabels, b.branchLabels) &&
    sameList(a.dependsOn, b.dependsOn)
  );
}
