// The offline SQL of one revision: `alembic upgrade <parent>:<revision> --sql`. Offline mode starts
// from exactly ONE revision (Alembic's MigrationContext takes a single `starting_rev`), so:
// - a base revision starts from `base`: the SQL includes creating the version table, which is what
//   applying it to an empty database really does;
// - a merge revision has several parents: starting from one of them makes Alembic also run the
//   other branch's revisions, so we start from the parent that brings the fewest along and keep only
//   the merge's own step (its version-table DELETE/UPDATE and any operations it has);
// - a revision with `depends_on` outside its parent's ancestry likewise pulls those in: only its own
//   step is kept.
// Alembic marks every step in the SQL with `-- Running upgrade <from> -> <to>`; that is what the
// extraction below cuts on. A range (`upgrade a:b --sql`) is shown whole.
import type { RevisionGraph, RevisionNode } from '../revisions/revisionGraph';
import { offlineUpgradeSql, type AlembicCommand } from './alembicCommand';

export interface OfflineSqlPlan {
  command: AlembicCommand;
  /** `base` or a revision id. */
  from: string;
  to: string;
  /** Keep only these revisions' steps of Alembic's output (undefined: all of it). */
  onlyStepsOf?: string[];
  /** What a reader of the SQL must know (why a step was left out), one sentence per entry. */
  notes: string[];
}

export class OfflineSqlPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfflineSqlPlanError';
  }
}

/** How to get the SQL of `revision` alone. */
export function planRevisionSql(graph: RevisionGraph, revision: string): OfflineSqlPlan {
  const node = graph.get(revision);
  if (!node) throw new OfflineSqlPlanError(`No migration file defines revision ${revision}.`);
  if (node.missingParents.length > 0) {
    throw new OfflineSqlPlanError(
      `Revision ${revision} names ${node.missingParents.join(', ')} as its parent, but no migration file defines it: Alembic cannot compute its SQL.`,
    );
  }
  const notes: string[] = [];
  let from: string;
  if (node.parents.length === 0) {
    from = 'base';
    notes.push('A base revision: the SQL starts from an empty database, so it also creates the version table.');
  } else if (node.parents.length === 1) {
    from = node.parents[0];
  } else {
    from = parentBringingFewestAlong(graph, node);
    const others = node.parents.filter((parent) => parent !== from);
    const alongFrom = extraRevisions(graph, node, from);
    notes.push(
      `${revision} merges ${node.parents.join(', ')}. Offline SQL can start from one revision only, so Alembic ran from ${from}` +
        (alongFrom.length > 0 ? `, which also runs ${alongFrom.join(', ')} (the branch of ${others.join(', ')});` : ';') +
        ` only the merge's own step is shown.`,
    );
  }
  const pulledIn = extraRevisions(graph, node, from);
  if (node.parents.length <= 1 && pulledIn.length > 0) {
    notes.push(`${revision} depends on revisions its parent does not have (${pulledIn.join(', ')}); only its own step is shown.`);
  }
  return { command: offlineUpgradeSql(from, revision), from, to: revision, onlyStepsOf: [revision], notes };
}

/** How to get the SQL of a range: everything `upgrade <from>:<to>` runs. */
export function planRangeSql(graph: RevisionGraph, from: string, to: string): OfflineSqlPlan {
  if (!graph.has(to)) throw new OfflineSqlPlanError(`No migration file defines revision ${to}.`);
  if (from !== 'base') {
    if (!graph.has(from)) throw new OfflineSqlPlanError(`No migration file defines revision ${from}.`);
    if (from === to || !graph.ancestorsOf([to], { includeDependencies: true }).has(from)) {
      throw new OfflineSqlPlanError(`${from} is not an ancestor of ${to}: upgrading from ${from} to ${to} runs nothing.`);
    }
  }
  return { command: offlineUpgradeSql(from, to), from, to, notes: [] };
}

/** Every revision `upgrade <from>:<node>` would run besides `node` itself, oldest first. */
function extraRevisions(graph: RevisionGraph, node: RevisionNode, from: string): string[] {
  const needed = graph.ancestorsOf([node.id], { includeDependencies: true });
  const already = from === 'base' ? new Set<string>() : graph.ancestorsOf([from], { includeDependencies: true });
  return graph
    .revisions()
    .filter((candidate) => candidate.id !== node.id && needed.has(candidate.id) && !already.has(candidate.id))
    .sort((a, b) => a.loadIndex - b.loadIndex)
    .map((candidate) => candidate.id);
}

function parentBringingFewestAlong(graph: RevisionGraph, node: RevisionNode): string {
  let best = node.parents[0];
  let bestCount = Number.POSITIVE_INFINITY;
  for (const parent of node.parents) {
    const count = extraRevisions(graph, node, parent).length;
    if (count < bestCount) {
      best = parent;
      bestCount = count;
    }
  }
  return best;
}

// ------------------------------------------------------------------------------------------------
// Cutting Alembic's offline output into steps
// ------------------------------------------------------------------------------------------------

const STEP_MARKER = /^-- Running (?:upgrade|downgrade) (.*) -> (\S+)\s*$/;

export interface OfflineSqlStep {
  /** The revision the step applies (the right side of `->`). */
  revision: string;
  text: string;
}

export interface OfflineSqlSections {
  /** Before the first step: `BEGIN;`, creating the version table (from base), env.py's own output. */
  preamble: string;
  steps: OfflineSqlStep[];
  /** After the last step: the closing `COMMIT;` when the whole run is one transaction. */
  postamble: string;
  /** Each step has its own BEGIN/COMMIT (env.py's `transaction_per_migration=True`). */
  transactionPerStep: boolean;
}

/** Splits the SQL Alembic printed in offline mode at its `-- Running upgrade a -> b` markers. */
export function splitOfflineSql(sql: string): OfflineSqlSections {
  const lines = sql.replace(/\r\n/g, '\n').split('\n');
  const markers = lines.flatMap((line, index) => (STEP_MARKER.test(line) ? [index] : []));
  if (markers.length === 0) return { preamble: sql, steps: [], postamble: '', transactionPerStep: false };
  const isBegin = (line: string) => /^\s*BEGIN\s*;\s*$/i.test(line);
  const isCommit = (line: string) => /^\s*COMMIT\s*;\s*$/i.test(line);
  // One BEGIN per step: each step is its own transaction, and its BEGIN comes just before its marker
  // (except the first step from base, which shares its BEGIN with creating the version table).
  const transactionPerStep = markers.length > 1 && lines.filter(isBegin).length >= markers.length;

  const starts = markers.map((marker, index) => {
    if (!transactionPerStep) return marker;
    const floor = index === 0 ? -1 : markers[index - 1];
    let line = marker - 1;
    while (line > floor && lines[line].trim() === '') line--;
    return line > floor && isBegin(lines[line]) ? line : marker;
  });
  let end = lines.length;
  if (!transactionPerStep) {
    let last = lines.length - 1;
    while (last > markers[markers.length - 1] && lines[last].trim() === '') last--;
    if (last > markers[markers.length - 1] && isCommit(lines[last])) end = last;
  }
  const steps = markers.map((marker, index) => ({
    revision: STEP_MARKER.exec(lines[marker])![2],
    text: lines.slice(starts[index], index + 1 < starts.length ? starts[index + 1] : end).join('\n'),
  }));
  return {
    preamble: lines.slice(0, starts[0]).join('\n'),
    steps,
    postamble: lines.slice(end).join('\n'),
    transactionPerStep,
  };
}

/**
 * Keeps only the steps of `revisions` (with the transaction around them), or the whole text when it
 * holds nothing else. `found` lists the revisions whose step was there.
 */
export function extractRevisionSteps(sql: string, revisions: readonly string[]): { text: string; found: string[] } {
  const sections = splitOfflineSql(sql);
  const wanted = new Set(revisions);
  const kept = sections.steps.filter((step) => wanted.has(step.revision));
  const found = kept.map((step) => step.revision);
  if (kept.length === sections.steps.length) return { text: sql, found };
  const startsWithFirstStep = kept.length > 0 && sections.steps[0] === kept[0];
  // The preamble belongs to the first step when each step is its own transaction; in one big
  // transaction, its BEGIN still opens ours (creating the version table was for the first step).
  const preamble = startsWithFirstStep
    ? sections.preamble
    : sections.transactionPerStep
      ? ''
      : sections.preamble
          .split('\n')
          .filter((line) => /^\s*BEGIN\s*;\s*$/i.test(line))
          .join('\n');
  const parts = [preamble, ...kept.map((step) => step.text), sections.postamble].map((part) => part.replace(/^\n+|\n+$/g, '')).filter(Boolean);
  return { text: `${parts.join('\n\n')}\n`, found };
}
