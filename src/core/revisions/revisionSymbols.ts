// Alembic's revision symbols, resolved on a RevisionGraph exactly as Alembic 1.8.1's RevisionMap
// resolves them, failing where Alembic fails with the message Alembic prints after "FAILED:":
//
//   show / get_revisions:   head, heads, base, <id>, <unique prefix>, <label>, <label>@head,
//                           <label>@heads, <label>@<id>, -1 (from the heads), <label>@-1
//   upgrade targets:        the above, plus +2 (from the current revision), <id>+1, head-1,
//                           <label>@+1, <label>@head-1
//   downgrade targets:      the above, plus -1 (from the current revision), <label>@-1, base
//
// A prefix must match exactly one id or label longer than three characters; Alembic then says
// "Can't locate revision identified by '<prefix>'" for both "none" and "several" (we add which).
import type { RevisionGraph, RevisionNode } from './revisionGraph';
import { alembicTopologicalSort } from './historyOrder';

/** A resolved symbol: a revision, or 'base' (the empty revision before every base). */
export type ResolvedRevision = RevisionNode | 'base';

export type ResolutionErrorKind =
  | 'not-found'
  | 'ambiguous-prefix'
  | 'no-such-branch'
  | 'not-in-branch'
  | 'multiple-heads'
  | 'ambiguous-walk'
  | 'relative-out-of-range'
  | 'walked-too-far'
  | 'ambiguous-upgrade'
  | 'range-not-ancestor'
  | 'overlap'
  | 'invalid-symbol';

/** A symbol Alembic would refuse. `message` is what Alembic prints after "FAILED: ". */
export class RevisionResolutionError extends Error {
  override name = 'RevisionResolutionError';
  constructor(
    readonly kind: ResolutionErrorKind,
    message: string,
    /** The symbol (or part of it) that failed. */
    readonly argument: string,
    /** A more specific explanation than Alembic gives, when we have one. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface ResolveOptions {
  /**
   * What the symbol is for. 'show' (default) resolves like `alembic show`; 'upgrade' and
   * 'downgrade' resolve a target like `alembic upgrade/downgrade`, where relative forms count from
   * `from` (the database's current revisions).
   */
  purpose?: 'show' | 'upgrade' | 'downgrade';
  /** Current revision(s) of the database, for relative targets. Empty means the database is at base. */
  from?: string[];
}

// ---------------------------------------------------------------------------------------------
// Alembic's internal exceptions, converted to RevisionResolutionError at the public boundary.

class InternalRevisionError extends Error {
  constructor(
    message: string,
    readonly kind: ResolutionErrorKind,
  ) {
    super(message);
  }
}

class InternalResolutionError extends InternalRevisionError {
  constructor(
    message: string,
    readonly argument: string,
    kind: ResolutionErrorKind,
  ) {
    super(message, kind);
  }
}

class InternalMultipleHeads extends InternalRevisionError {
  constructor(
    readonly heads: string[],
    readonly argument: string,
  ) {
    super(`Multiple heads are present for given argument '${argument}'; ${heads.join(', ')}`, 'multiple-heads');
  }
}

class InternalRangeNotAncestor extends InternalRevisionError {
  constructor(
    readonly lower: string | undefined,
    readonly upper: string | undefined,
  ) {
    super(`Revision ${lower || 'base'} is not an ancestor of revision ${upper || 'base'}`, 'range-not-ancestor');
  }
}

/** Alembic's `_catch_revision_errors`: the wording users see on the command line. */
function withAlembicMessages<T>(work: () => T, context: { start?: string; end?: string; ancestor?: string } = {}): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InternalRangeNotAncestor) {
      const start = context.start ?? error.lower ?? 'None';
      const end = context.end ?? error.upper ?? 'None';
      const template = context.ancestor ?? 'Requested range %(start)s:%(end)s does not refer to ancestor/descendant revisions along the same branch';
      throw new RevisionResolutionError('range-not-ancestor', template.replace('%(start)s', start).replace('%(end)s', end), `${start}:${end}`, error.message);
    }
    if (error instanceof InternalMultipleHeads) {
      const headArgument = context.end || error.argument;
      throw new RevisionResolutionError(
        'multiple-heads',
        `Multiple head revisions are present for given argument '${headArgument}'; please specify a specific target revision, '<branchname>@${headArgument}' to narrow to a specific head, or 'heads' for all heads`,
        error.argument,
        `heads: ${error.heads.join(', ')}`,
      );
    }
    if (error instanceof InternalResolutionError) {
      throw new RevisionResolutionError(error.kind, `Can't locate revision identified by '${error.argument}'`, error.argument, error.message);
    }
    if (error instanceof InternalRevisionError) {
      throw new RevisionResolutionError(error.kind, error.message, '', undefined);
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

/** Python's int() accepts surrounding whitespace, a sign and underscores between digits. */
function pythonInt(text: string): number | undefined {
  return /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(text) ? Number(text.trim().replace(/_/g, '')) : undefined;
}

// Alembic's `_relative_destination`, matched at the start only (as re.match does).
const RELATIVE_DESTINATION = /^(?:(.+?)@)?([\p{L}\p{N}_]+)?([+-]\d+)/u;

type Maybe = RevisionNode | 'base' | null;

/** The resolver for one graph: the Python methods of RevisionMap, one for one. */
class SymbolResolver {
  constructor(private readonly graph: RevisionGraph) {}

  /** Keys of Alembic's revision map: ids in load order, then branch labels. */
  private mapKeys(): string[] {
    return [...this.graph.revisions().map((node) => node.id), ...this.graph.branchLabelOwners.keys()];
  }

  private mapLookup(key: string): RevisionNode | undefined {
    return this.graph.get(key) ?? this.graph.get(this.graph.branchLabelOwners.get(key) ?? '\u0000');
  }

  resolveRevisionNumber(id: string | undefined): { ids: string[]; branchLabel?: string } {
    let branchLabel: string | undefined;
    let rest = id;
    if (rest !== undefined && rest.includes('@')) {
      const at = rest.indexOf('@');
      branchLabel = rest.slice(0, at);
      rest = rest.slice(at + 1);
    }
    if (rest === 'heads') {
      return { ids: branchLabel ? this.filterForLineage(this.graph.heads, branchLabel) : [...this.graph.realHeads], branchLabel };
    }
    if (rest === 'head') {
      const head = this.currentHead(branchLabel);
      return { ids: head ? [head] : [], branchLabel };
    }
    if (rest === 'base' || rest === undefined) return { ids: [], branchLabel };
    return { ids: [rest], branchLabel };
  }

  currentHead(branchLabel?: string): string | undefined {
    let heads = [...this.graph.heads];
    if (branchLabel) heads = this.filterForLineage(heads, branchLabel);
    if (heads.length > 1) throw new InternalMultipleHeads(heads, branchLabel ? `${branchLabel}@head` : 'head');
    return heads[0];
  }

  filterForLineage(targets: string[], checkAgainst: string, includeDependencies = false): string[] {
    const { ids, branchLabel } = this.resolveRevisionNumber(checkAgainst);
    const shares = [...(branchLabel ? [branchLabel] : []), ...ids];
    return targets.filter((target) => this.sharesLineage(target, shares, includeDependencies));
  }

  sharesLineage(target: string, testAgainst: string[], includeDependencies = false): boolean {
    if (testAgainst.length === 0) return true;
    const resolvedTarget = this.revisionForIdent(target);
    const resolvedTests = testAgainst.map((test) => this.revisionForIdent(test));
    if (!resolvedTarget) return false;
    const related = new Set([
      ...this.graph.descendantsOf([resolvedTarget.id], { includeDependencies }),
      ...this.ancestors([resolvedTarget.id], includeDependencies),
    ]);
    return resolvedTests.some((test) => test !== null && related.has(test.id));
  }

  /** `_get_ancestor_nodes`: with dependencies means the normalized down revisions. */
  ancestors(ids: Iterable<string>, includeDependencies: boolean): Set<string> {
    if (!includeDependencies) return this.graph.ancestorsOf(ids);
    const seen = new Set<string>();
    const todo = [...ids];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      if (seen.has(id)) continue;
      const node = this.graph.get(id);
      if (!node) continue;
      seen.add(id);
      todo.push(...node.normalizedDownRevisions);
    }
    return seen;
  }

  resolveBranch(label: string): RevisionNode | null {
    const exact = this.mapLookup(label);
    if (exact) return exact;
    try {
      return this.revisionForIdent(label);
    } catch (error) {
      if (error instanceof InternalResolutionError) throw new InternalResolutionError(`No such branch: '${label}'`, label, 'no-such-branch');
      throw error;
    }
  }

  /** `_revision_for_ident`; '' stands for Alembic's empty tuple (base), which maps to None. */
  revisionForIdent(resolvedId: string, checkBranch?: string): RevisionNode | null {
    const branchRevision = checkBranch ? this.resolveBranch(checkBranch) : null;
    if (resolvedId === '') return null;
    let revision = this.mapLookup(resolvedId) ?? null;
    if (!revision) {
      let candidates = this.mapKeys().filter((key) => key.length > 3 && key.startsWith(resolvedId));
      if (branchRevision && checkBranch) candidates = this.filterForLineage(candidates, checkBranch);
      if (candidates.length === 0) {
        throw new InternalResolutionError(
          `No such revision or branch '${resolvedId}'${resolvedId.length < 4 ? '; please ensure at least four characters are present for partial revision identifier matches' : ''}`,
          resolvedId,
          'not-found',
        );
      }
      if (candidates.length > 1) {
        throw new InternalResolutionError(
          `Multiple revisions start with '${resolvedId}': ${candidates
            .slice(0, 3)
            .map((candidate) => `'${candidate}'`)
            .join(', ')}...`,
          resolvedId,
          'ambiguous-prefix',
        );
      }
      revision = this.mapLookup(candidates[0]) as RevisionNode;
    }
    if (checkBranch && revision && branchRevision && !this.sharesLineage(revision.id, [branchRevision.id])) {
      throw new InternalResolutionError(`Revision ${revision.id} is not a member of branch '${checkBranch}'`, resolvedId, 'not-in-branch');
    }
    return revision;
  }

  getRevisions(id: string | undefined | Array<string | null | undefined>): Maybe[] {
    if (Array.isArray(id)) return id.flatMap((element) => this.getRevisions(element ?? undefined));
    const { ids, branchLabel } = this.resolveRevisionNumber(id);
    if (ids.length === 1) {
      const steps = pythonInt(ids[0]);
      if (steps !== undefined && steps < 0) {
        // `branch@-n`: walk down from the heads.
        let heads = this.getRevisions('heads').filter((head): head is RevisionNode => head !== null && head !== 'base');
        if (branchLabel !== undefined) heads = heads.filter((head) => head.branchLabels.includes(branchLabel));
        return heads.map((head) => this.walk(head, steps));
      }
    }
    return ids.map((resolved) => this.revisionForIdent(resolved, branchLabel));
  }

  getRevision(id: string | undefined): RevisionNode | null {
    const { ids, branchLabel } = this.resolveRevisionNumber(id);
    if (ids.length > 1) throw new InternalMultipleHeads(ids, id ?? 'None');
    return this.revisionForIdent(ids[0] ?? '', branchLabel);
  }

  /** `_walk`: steps up (> 0) or down (< 0); null when it walks off the tree and noOverwalk. */
  walk(start: Maybe | string, steps: number, branchLabel?: string, noOverwalk = true): Maybe {
    let initial: Maybe = typeof start === 'string' && start !== 'base' ? this.getRevision(start) : (start as Maybe);
    for (let step = 0; step < Math.abs(steps); step++) {
      let children: Maybe[];
      if (steps > 0) {
        const walkUp = this.getRevisions(initial === null || initial === 'base' ? [...this.graph.bases] : [...initial.children]).filter(
          (node): node is RevisionNode => node !== null && node !== 'base',
        );
        children = branchLabel ? this.filterNodesForLineage(walkUp, branchLabel) : walkUp;
      } else if (initial === 'base') {
        children = [];
      } else {
        children = this.getRevisions(initial === null ? [...this.graph.heads] : [...initial.file.downRevisions]);
        if (children.length === 0) children = ['base'];
      }
      if (children.length === 0) return noOverwalk ? null : initial;
      if (children.length > 1) throw new InternalRevisionError('Ambiguous walk', 'ambiguous-walk');
      initial = children[0];
    }
    return initial;
  }

  private filterNodesForLineage(nodes: RevisionNode[], branchLabel: string): RevisionNode[] {
    const keep = new Set(this.filterForLineage(nodes.map((node) => node.id), branchLabel));
    return nodes.filter((node) => keep.has(node.id));
  }

  parseUpgradeTarget(current: string[], target: string, assertRelativeLength: boolean): Maybe[] {
    const match = RELATIVE_DESTINATION.exec(target);
    if (!match) return this.getRevisions(target);
    const [, branchLabel, symbol, relativeText] = match;
    const relative = Number(relativeText);
    if (relative > 0) {
      if (symbol === undefined) {
        let startRevisions: Array<RevisionNode | string | null> = current.length > 0 ? [...current] : [null];
        if (branchLabel) {
          const currentNodes = this.getRevisions(current.length > 0 ? current : [null]).filter((node): node is RevisionNode => node !== null && node !== 'base');
          startRevisions = this.filterNodesForLineage(currentNodes, branchLabel);
          if (startRevisions.length === 0) {
            // The branch is not at a head: back up to where it leaves the current revisions.
            const active = this.filterForLineage([...this.ancestors(currentNodes.map((node) => node.id), true)], branchLabel);
            const downs = new Set(active.flatMap((id) => (this.graph.get(id) as RevisionNode).normalizedDownRevisions));
            startRevisions = active.filter((id) => !downs.has(id));
            if (startRevisions.length === 0) startRevisions = [null];
          }
        }
        if (startRevisions.length > 1) throw new InternalRevisionError('Ambiguous upgrade from multiple current revisions', 'ambiguous-upgrade');
        const revision = this.walk(startRevisions[0], relative, branchLabel, assertRelativeLength);
        if (revision === null) {
          throw new InternalRevisionError(`Relative revision ${relativeText} didn't produce ${Math.abs(relative)} migrations`, 'relative-out-of-range');
        }
        return [revision];
      }
      return [this.walk(this.getRevision(symbol), relative, branchLabel, assertRelativeLength)];
    }
    if (symbol === undefined) {
      throw new InternalRevisionError(`Relative revision ${relative} didn't produce ${Math.abs(relative)} migrations`, 'relative-out-of-range');
    }
    const start = branchLabel === undefined ? this.getRevision(symbol) : this.getRevision(`${branchLabel}@${symbol}`);
    return [this.walk(start, relative, undefined, assertRelativeLength)];
  }

  parseDowngradeTarget(current: string[], target: string | undefined, assertRelativeLength: boolean): { branchLabel?: string; revision: Maybe; warning?: string } {
    if (target === undefined) return { revision: null };
    const match = RELATIVE_DESTINATION.exec(target);
    if (match) {
      let [, branchLabel, symbol] = match;
      const relativeText = match[3];
      const relative = Number(relativeText);
      let warning: string | undefined;
      if (relative >= 0) {
        if (symbol === undefined) {
          throw new InternalRevisionError(`Relative revision ${relativeText} didn't produce ${Math.abs(relative)} migrations`, 'relative-out-of-range');
        }
        const revision = this.walk(symbol, relative, branchLabel, assertRelativeLength);
        if (revision === null) throw new InternalRevisionError('Walked too far', 'walked-too-far');
        return { branchLabel, revision };
      }
      const relativeToCurrent = symbol === undefined;
      if (relativeToCurrent) {
        if (branchLabel) {
          let candidates = this.filterForLineage([...current], branchLabel);
          if (candidates.length === 0) {
            candidates = this.filterForLineage([...this.allCurrent(current)], branchLabel);
          }
          if (candidates.length !== 1) {
            throw new InternalRevisionError(
              `Ambiguous walk: ${candidates.length === 0 ? 'no current revision is' : 'several current revisions are'} on branch '${branchLabel}'`,
              'ambiguous-walk',
            );
          }
          symbol = candidates[0];
        } else {
          if (current.length === 0) {
            throw new InternalRevisionError(`Relative revision ${relativeText} didn't produce ${Math.abs(relative)} migrations`, 'relative-out-of-range');
          }
          if (new Set(current).size > 1) warning = 'downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.';
          symbol = current[0];
          // Restricts the walk to the branch of the first current revision, as Alembic does.
          branchLabel = symbol;
        }
      }
      const start = branchLabel === undefined ? this.getRevision(symbol) : this.getRevision(`${branchLabel}@${symbol}`);
      const revision = this.walk(start, relative, undefined, assertRelativeLength);
      if (revision === null) {
        if (relativeToCurrent) {
          throw new InternalRevisionError(`Relative revision ${relativeText} didn't produce ${Math.abs(relative)} migrations`, 'relative-out-of-range');
        }
        throw new InternalRevisionError('Walked too far', 'walked-too-far');
      }
      return { branchLabel, revision, warning };
    }
    const at = target.lastIndexOf('@');
    return { branchLabel: at > 0 ? target.slice(0, at) : undefined, revision: this.getRevision(target.slice(at + 1)) };
  }

  /** `_get_all_current`: the current revisions and their ancestors, reduced to branch heads. */
  allCurrent(ids: string[]): string[] {
    const top = this.getRevisions(ids).filter((node): node is RevisionNode => node !== null && node !== 'base');
    const all = this.ancestors(top.map((node) => node.id), true);
    return [...all].filter((id) => ![...this.graph.descendantsOf([id])].some((other) => other !== id && all.has(other)));
  }

  /** `_iterate_related_revisions(check=True)` over down revisions incl. dependencies. */
  checkedAncestors(targets: RevisionNode[]): Set<string> {
    const seen = new Set<string>();
    const targetIds = new Set(targets.map((target) => target.id));
    for (const target of targets) {
      const perTarget = new Set<string>();
      const todo = [target.id];
      while (todo.length > 0) {
        const id = todo.pop() as string;
        perTarget.add(id);
        if (seen.has(id)) continue;
        seen.add(id);
        todo.push(...((this.graph.get(id) as RevisionNode).normalizedDownRevisions ?? []));
      }
      const overlaps = [...perTarget].filter((id) => targetIds.has(id) && id !== target.id);
      if (overlaps.length > 0) {
        throw new InternalRevisionError(`Requested revision ${target.id} overlaps with other requested revisions ${overlaps.join(', ')}`, 'overlap');
      }
    }
    return seen;
  }

  /** `_collect_upgrade_revisions`. */
  collectUpgradeRevisions(
    upper: string,
    lower: string | string[] | undefined,
    options: { inclusive: boolean; implicitBase: boolean; assertRelativeLength: boolean },
  ): { needs: Set<string>; targets: RevisionNode[] } {
    const lowerTuple = lower === undefined ? [] : typeof lower === 'string' ? [lower] : lower;
    let targets = this.parseUpgradeTarget(lowerTuple, upper, options.assertRelativeLength).filter(
      (node): node is RevisionNode => node !== null && node !== 'base',
    );
    if (typeof lower === 'string' && lower.includes('@')) {
      let branch = lower.slice(0, lower.indexOf('@'));
      const branchRevision = this.getRevision(branch);
      if (branchRevision && branchRevision.id === branch && branchRevision.branchLabels.length === 1) branch = branchRevision.branchLabels[0];
      targets = targets.filter((target) => target.branchLabels.includes(branch));
    }
    const required = this.checkedAncestors(targets);
    for (const target of targets) required.add(target.id);
    let currentRevisions: Maybe[] = this.getRevisions(lower);
    if (!options.implicitBase && currentRevisions.some((node) => node !== null && node !== 'base' && !required.has(node.id))) {
      throw new InternalRangeNotAncestor(typeof lower === 'string' ? lower : lowerTuple.join(', '), upper);
    }
    let effectiveLower = lower;
    if (typeof lower === 'string' && currentRevisions.length > 0 && currentRevisions[0] === null) {
      const { revision } = this.parseDowngradeTarget([upper], lower, options.assertRelativeLength);
      if (revision === 'base' || revision === null) {
        currentRevisions = [];
        effectiveLower = undefined;
      } else {
        currentRevisions = [revision];
        effectiveLower = revision.id;
      }
    }
    const currentNodes = currentRevisions.filter((node): node is RevisionNode => node !== null && node !== 'base');
    const currentSet = this.checkedAncestors(currentNodes);
    for (const node of currentNodes) currentSet.add(node.id);
    const needs = new Set([...required].filter((id) => !currentSet.has(id)));
    if (options.inclusive) {
      for (const node of this.getRevisions(effectiveLower)) if (node !== null && node !== 'base') needs.add(node.id);
    }
    if (currentNodes.length > 0 && !options.implicitBase) {
      const above = this.graph.descendantsOf(currentNodes.map((node) => node.id));
      for (const id of [...needs]) if (!above.has(id)) needs.delete(id);
    }
    return { needs, targets };
  }

  /** `_collect_downgrade_revisions`: what to drop to go from `current` down to `target`. */
  collectDowngradeRevisions(
    current: string[],
    target: string,
    options: { inclusive: boolean; implicitBase: boolean; assertRelativeLength: boolean },
  ): { drop: Set<string>; heads: RevisionNode[]; warning?: string } {
    const { branchLabel, revision, warning } = this.parseDowngradeTarget(current, target, options.assertRelativeLength);
    const targetRevision = revision === 'base' ? null : revision;
    let roots: RevisionNode[];
    if (targetRevision === null) {
      roots = this.graph.revisions().filter((node) => node.file.downRevisions.length === 0);
    } else if (options.inclusive) {
      roots = [targetRevision];
    } else {
      roots = this.getRevisions([...targetRevision.children]).filter((node): node is RevisionNode => node !== null && node !== 'base');
    }
    if (branchLabel && roots.length > 1) {
      const branch = this.resolveBranch(branchLabel);
      const ancestors = branch ? this.graph.ancestorsOf([branch.id]) : new Set<string>();
      roots = this.getRevisions(roots.map((node) => node.id).filter((id) => ancestors.has(id))).filter(
        (node): node is RevisionNode => node !== null && node !== 'base',
      );
      if (roots.length === 0) throw new InternalRevisionError('Not a valid downgrade target from current heads', 'range-not-ancestor');
    }
    const heads = this.getRevisions(current).filter((node): node is RevisionNode => node !== null && node !== 'base');
    const drop = this.graph.descendantsOf(
      roots.map((node) => node.id),
      { includeDependencies: true },
    );
    const active = this.ancestors(
      heads.map((node) => node.id),
      true,
    );
    for (const id of [...drop]) if (!active.has(id)) drop.delete(id);
    if (options.implicitBase) {
      const kept = this.ancestors(
        roots.map((node) => node.id),
        true,
      );
      for (const id of active) if (!kept.has(id)) drop.add(id);
    }
    if (targetRevision !== null && drop.size === 0 && !heads.some((head) => head.id === targetRevision.id)) {
      throw new InternalRangeNotAncestor('Nothing to drop', current.join(', '));
    }
    return { drop, heads, warning };
  }
}

function resolvedOnly(results: Maybe[], symbol: string): ResolvedRevision[] {
  return results.map((result) => {
    if (result === null) {
      throw new RevisionResolutionError('relative-out-of-range', `Relative revision ${symbol} didn't produce ${Math.abs(pythonInt(symbol.split('@').pop() ?? '') ?? 0)} migrations`, symbol);
    }
    return result;
  });
}

/**
 * Resolves `symbol` like Alembic. Returns the revisions it denotes ('base' for the empty revision;
 * an empty list for `base` in show mode, as `alembic show base` prints nothing). Throws
 * RevisionResolutionError with Alembic's message.
 */
export function resolveSymbol(graph: RevisionGraph, symbol: string, options: ResolveOptions = {}): ResolvedRevision[] {
  const resolver = new SymbolResolver(graph);
  const current = options.from ?? [];
  switch (options.purpose ?? 'show') {
    case 'show':
      return resolvedOnly(withAlembicMessages(() => resolver.getRevisions(symbol)), symbol);
    case 'upgrade':
      return resolvedOnly(
        withAlembicMessages(() => resolver.parseUpgradeTarget(current, symbol, true), {
          end: symbol,
          ancestor: 'Destination %(end)s is not a valid upgrade target from current head(s)',
        }),
        symbol,
      );
    case 'downgrade': {
      const { revision } = withAlembicMessages(() => resolver.parseDowngradeTarget(current, symbol, true), {
        end: symbol,
        ancestor: 'Destination %(end)s is not a valid downgrade target from current head(s)',
      });
      return resolvedOnly([revision === null ? 'base' : revision], symbol);
    }
  }
}

/** The warning Alembic prints for `downgrade -1` from several heads, if it would. */
export function downgradeWarning(graph: RevisionGraph, symbol: string, from: string[]): string | undefined {
  try {
    return new SymbolResolver(graph).parseDowngradeTarget(from, symbol, true).warning;
  } catch {
    return undefined;
  }
}

/**
 * The revisions `alembic history -r <base>:<head>` lists, in its order (newest first). Defaults are
 * Alembic's: base "base", head "heads". Throws RevisionResolutionError where Alembic fails.
 */
export function walkRevisions(graph: RevisionGraph, base = 'base', head = 'heads'): RevisionNode[] {
  return withAlembicMessages(
    () => {
      const resolver = new SymbolResolver(graph);
      const { needs, targets } = resolver.collectUpgradeRevisions(head, base, { inclusive: true, implicitBase: false, assertRelativeLength: false });
      const order =
        alembicTopologicalSort(
          needs,
          targets.map((target) => target.id),
          (id) => graph.get(id),
        ) ?? [...needs];
      return order.map((id) => graph.get(id) as RevisionNode);
    },
    { start: base, end: head },
  );
}

export interface MigrationPlan {
  direction: 'upgrade' | 'downgrade';
  /** Revisions in the order Alembic would run them (upgrade: oldest first; downgrade: newest first). */
  steps: RevisionNode[];
  /** Alembic's warning for `downgrade -1` from several heads, if it applies. */
  warning?: string;
}

/**
 * What `alembic upgrade <target>` / `alembic downgrade <target>` would run from the database's
 * current revisions (`current`, empty for an empty database), in Alembic's order; throws
 * RevisionResolutionError where Alembic fails, with its message.
 */
export function migrationPlan(graph: RevisionGraph, direction: 'upgrade' | 'downgrade', target: string, current: string[]): MigrationPlan {
  const lookup = (id: string) => graph.get(id);
  if (direction === 'upgrade') {
    return withAlembicMessages(
      () => {
        const resolver = new SymbolResolver(graph);
        const { needs, targets } = resolver.collectUpgradeRevisions(target, current, { inclusive: false, implicitBase: true, assertRelativeLength: true });
        const order = alembicTopologicalSort(needs, targets.map((node) => node.id), lookup) ?? [...needs];
        return { direction, steps: order.reverse().map((id) => graph.get(id) as RevisionNode) };
      },
      { end: target, ancestor: 'Destination %(end)s is not a valid upgrade target from current head(s)' },
    );
  }
  return withAlembicMessages(
    () => {
      const resolver = new SymbolResolver(graph);
      const { drop, heads, warning } = resolver.collectDowngradeRevisions(current, target, { inclusive: false, implicitBase: false, assertRelativeLength: true });
      const order = alembicTopologicalSort(drop, heads.map((node) => node.id), lookup) ?? [...drop];
      return { direction, steps: order.map((id) => graph.get(id) as RevisionNode), warning };
    },
    { end: target, ancestor: 'Destination %(end)s is not a valid downgrade target from current head(s)' },
  );
}
