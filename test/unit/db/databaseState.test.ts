import assert from 'node:assert/strict';
import {
  ancestorsOf,
  computeDatabaseState,
  graphViewFromRevisions,
  revisionGraphView,
  upgradeOrder,
} from '../../../src/core/db/databaseState';

// base -> a -> b -> c (branch point) -> d1 -> d2 ; c -> e1 ; merge m(d2, e1) ; x depends_on e1 (own branch from a)
const graph = graphViewFromRevisions([
  { id: 'a', parents: [] },
  { id: 'b', parents: ['a'] },
  { id: 'c', parents: ['b'] },
  { id: 'd1', parents: ['c'] },
  { id: 'd2', parents: ['d1'] },
  { id: 'e1', parents: ['c'] },
  { id: 'm', parents: ['d2', 'e1'] },
  { id: 'x', parents: ['a'], dependencies: ['e1'] },
]);

describe('computeDatabaseState', () => {
  it('empty rows: everything pending, in upgrade order', () => {
    const state = computeDatabaseState([], graph);
    assert.deepEqual(state.applied, []);
    assert.deepEqual(state.pending, ['a', 'b', 'c', 'd1', 'd2', 'e1', 'm', 'x']);
    assert.equal(state.upToDate, false);
    assert.equal(state.states.get('a'), 'pending');
  });

  it('one row: it and its ancestors are applied, the rest pending', () => {
    const state = computeDatabaseState(['d1'], graph);
    assert.deepEqual(state.current, ['d1']);
    assert.deepEqual(state.applied, ['a', 'b', 'c', 'd1']);
    assert.deepEqual(state.pending, ['d2', 'e1', 'm', 'x']);
    assert.equal(state.states.get('d1'), 'current');
    assert.equal(state.states.get('c'), 'applied');
    assert.equal(state.states.get('e1'), 'pending');
  });

  it('two rows on branches: both branches applied up to their rows', () => {
    const state = computeDatabaseState(['e1', 'd2'], graph);
    assert.deepEqual(state.current, ['d2', 'e1']);
    assert.deepEqual(state.pending, ['m', 'x']);
    assert.deepEqual(state.problems, []);
  });

  it('depends_on counts as applied (Alembic upgrades dependencies first)', () => {
    const state = computeDatabaseState(['x'], graph);
    assert.deepEqual(state.applied, ['a', 'b', 'c', 'e1', 'x']);
    assert.ok(state.pending.includes('d1'));
    // As `alembic current` prints it: e1 is a tip of the applied set although no row names it.
    assert.deepEqual(state.current, ['e1', 'x']);
    assert.equal(state.states.get('e1'), 'current');
  });

  it('all heads applied: up to date', () => {
    const state = computeDatabaseState(['m', 'x'], graph);
    assert.deepEqual(state.pending, []);
    assert.equal(state.upToDate, true);
    assert.deepEqual(state.appliedHeads.sort(), ['m', 'x']);
  });

  it('a row no file defines is a problem with Alembic words', () => {
    const state = computeDatabaseState(['0badc0ffee42'], graph);
    assert.deepEqual(state.unknown, ['0badc0ffee42']);
    assert.equal(state.states.get('0badc0ffee42'), 'unknown');
    assert.equal(state.problems[0]?.code, 'unknown-revision');
    assert.match(state.problems[0]!.message, /^database is at 0badc0ffee42, which no revision file defines/);
    assert.match(state.problems[0]!.message, /Can't locate revision identified by '0badc0ffee42'/);
    assert.equal(state.upToDate, false);
  });

  it('flags rows where one is an ancestor of another', () => {
    const state = computeDatabaseState(['b', 'd1'], graph);
    assert.deepEqual(state.problems.map((problem) => [problem.code, problem.revision]), [['overlapping-rows', 'b']]);
    assert.deepEqual(state.current, ['d1']);
  });

  it('survives dangling parents and cycles', () => {
    const broken = graphViewFromRevisions([
      { id: 'a', parents: ['missing'] },
      { id: 'b', parents: ['a', 'c'] },
      { id: 'c', parents: ['b'] },
    ]);
    assert.deepEqual([...ancestorsOf(['b'], broken)].sort(), ['a', 'b', 'c']);
    assert.deepEqual(upgradeOrder(broken).sort(), ['a', 'b', 'c']);
  });

  it('adapts a RevisionGraph-shaped object (nodes or ids)', () => {
    const nodes = new Map([
      ['a', { id: 'a' }],
      ['b', { id: 'b' }],
    ]);
    const view = revisionGraphView({
      heads: [{ id: 'b' }],
      get: (id) => nodes.get(id),
      revisions: () => nodes.values(),
      parentsOf: (id) => (id === 'b' ? [{ id: 'a' }] : []),
      dependenciesOf: () => [],
    });
    const state = computeDatabaseState(['a'], view);
    assert.deepEqual(state.pending, ['b']);
    assert.deepEqual(view.heads, ['b']);
  });

  it('handles a 5000-revision history', () => {
    const revisions = Array.from({ length: 5000 }, (_, index) => ({ id: `r${index}`, parents: index === 0 ? [] : [`r${index - 1}`] }));
    const state = computeDatabaseState(['r2500'], graphViewFromRevisions(revisions));
    assert.equal(state.applied.length, 2501);
    assert.equal(state.pending.length, 2499);
    assert.equal(state.pending[0], 'r2501');
  });
});
