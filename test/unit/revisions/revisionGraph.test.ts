import assert from 'node:assert/strict';
import { layoutGraph } from '../../../src/core/revisions/graphLayout';
import { graphOf, ids } from './graphFixtures';

describe('RevisionGraph', () => {
  it('finds heads, bases, parents and children of a linear history', () => {
    const graph = graphOf([{ id: 'a1' }, { id: 'b2', down: 'a1' }, { id: 'c3', down: 'b2' }]);
    assert.deepEqual(graph.heads, ['c3']);
    assert.deepEqual(graph.bases, ['a1']);
    assert.deepEqual(ids(graph.parentsOf('b2')), ['a1']);
    assert.deepEqual(ids(graph.childrenOf('b2')), ['c3']);
    assert.deepEqual(ids(graph.history()), ['c3', 'b2', 'a1']);
    assert.deepEqual([...graph.ancestorsOf(['b2'])].sort(), ['a1', 'b2']);
    assert.deepEqual([...graph.descendantsOf(['b2'])].sort(), ['b2', 'c3']);
    const b2 = graph.get('b2');
    assert.ok(b2 && !b2.isHead && !b2.isBase && !b2.isBranchPoint && !b2.isMergePoint);
  });

  it('orders a branch and its merge as Alembic does (corpus 13_branch_and_merge)', () => {
    // The merge's tuple order decides which branch history shows first.
    const graph = graphOf([
      { id: '00895308c34d', down: '9bd2f33449c0' },
      { id: '12a9efe6d93b', down: ['470db97f7b91', 'b560279929ea'] },
      { id: '470db97f7b91', down: '00895308c34d', labels: ['tags'] },
      { id: '9bd2f33449c0' },
      { id: 'b560279929ea', down: '00895308c34d' },
    ]);
    assert.deepEqual(ids(graph.history()), ['12a9efe6d93b', '470db97f7b91', 'b560279929ea', '00895308c34d', '9bd2f33449c0']);
    assert.deepEqual(graph.heads, ['12a9efe6d93b']);
    const merge = graph.get('12a9efe6d93b');
    assert.ok(merge?.isMergePoint && merge.isHead);
    assert.ok(graph.get('00895308c34d')?.isBranchPoint);
    // The label reaches the merge (a descendant) but not the other branch nor the branch point.
    assert.deepEqual(merge?.branchLabels, ['tags']);
    assert.deepEqual(graph.get('b560279929ea')?.branchLabels, []);
    assert.deepEqual(graph.get('00895308c34d')?.branchLabels, []);
  });

  it('lists unmerged heads in load order and orders their history by load order', () => {
    const graph = graphOf([
      { id: 'base1' },
      { id: 'right', down: 'base1' },
      { id: 'left', down: 'base1' },
    ]);
    assert.deepEqual(graph.heads, ['right', 'left']);
    assert.deepEqual(ids(graph.history()), ['right', 'left', 'base1']);
  });

  it('propagates a branch label down a plain line to the branch point, as Alembic does', () => {
    const graph = graphOf([
      { id: 'root' },
      { id: 'fork', down: 'root' },
      { id: 'x1', down: 'fork' },
      { id: 'x2', down: 'x1', labels: ['feature'] },
      { id: 'x3', down: 'x2' },
      { id: 'y1', down: 'fork' },
    ]);
    assert.deepEqual(graph.get('x3')?.branchLabels, ['feature']);
    assert.deepEqual(graph.get('x2')?.branchLabels, ['feature']);
    assert.deepEqual(graph.get('x1')?.branchLabels, ['feature']);
    // The walk down stops at the branch point.
    assert.deepEqual(graph.get('fork')?.branchLabels, []);
    assert.deepEqual(graph.get('y1')?.branchLabels, []);
  });

  it('does not walk a label down when the labelled revision branches above itself', () => {
    const graph = graphOf([{ id: 'root' }, { id: 'lab', down: 'root', labels: ['l'] }, { id: 'c1', down: 'lab' }, { id: 'c2', down: 'lab' }]);
    assert.deepEqual(graph.get('root')?.branchLabels, []);
    assert.deepEqual(graph.get('c1')?.branchLabels, ['l']);
    assert.deepEqual(graph.get('c2')?.branchLabels, ['l']);
  });

  it('separates several bases with labels and resolves depends_on through a label', () => {
    const graph = graphOf([
      { id: 'acct1', labels: ['accounts'] },
      { id: 'acct2', down: 'acct1' },
      { id: 'shop1', labels: ['shop'] },
      { id: 'shop2', down: 'shop1', dependsOn: ['accounts'] },
    ]);
    assert.deepEqual(graph.bases, ['acct1', 'shop1']);
    assert.deepEqual(graph.realBases, ['acct1', 'shop1']);
    assert.deepEqual(graph.heads, ['acct2', 'shop2']);
    assert.deepEqual(graph.get('shop2')?.dependencies, ['acct1'], 'a label means the revision that declares it');
    assert.deepEqual(graph.get('acct2')?.branchLabels, ['accounts']);
    assert.deepEqual(graph.get('shop2')?.branchLabels, ['shop']);
    // acct1 has a dependent, so it is not a "real" branch point but has two children in total.
    assert.ok(graph.get('acct1')?.isRealBranchPoint);
    assert.ok(!graph.get('acct1')?.isBranchPoint);
  });

  it('tells heads from real heads when something depends on a head', () => {
    const graph = graphOf([{ id: 'a1' }, { id: 'b1' }, { id: 'b2', down: 'b1', dependsOn: ['a1'] }]);
    assert.deepEqual(graph.heads, ['a1', 'b2']);
    assert.deepEqual(graph.realHeads, ['b2']);
    assert.ok(graph.get('a1')?.isHead && !graph.get('a1')?.isRealHead);
    assert.deepEqual(ids(graph.dependentsOf('a1')), ['b2']);
    assert.deepEqual(graph.realBases, ['a1', 'b1']);
    // history starts from real heads and reaches a1 through the dependency.
    assert.deepEqual(ids(graph.history()), ['b2', 'b1', 'a1']);
  });

  it('drops a dependency an ancestor already has (Alembic normalizes depends_on)', () => {
    const graph = graphOf([{ id: 'o1' }, { id: 'm1' }, { id: 'm2', down: 'm1', dependsOn: ['o1'] }, { id: 'm3', down: 'm2', dependsOn: ['o1'] }]);
    assert.deepEqual(graph.get('m2')?.normalizedDependencies, ['o1']);
    assert.deepEqual(graph.get('m3')?.normalizedDependencies, []);
    assert.deepEqual(graph.get('m3')?.normalizedDownRevisions, ['m2']);
  });

  it('keeps the last file of a duplicated id at the first one\'s place, and reports both files', () => {
    const graph = graphOf([
      { id: 'a1' },
      { id: 'dup', down: 'a1', message: 'first copy', fileName: 'dup_first.py' },
      { id: 'c3', down: 'dup' },
      { id: 'dup', down: 'a1', message: 'second copy', fileName: 'dup_second.py' },
    ]);
    assert.equal(graph.size, 3);
    assert.equal(graph.get('dup')?.file.message, 'second copy');
    assert.equal(graph.get('dup')?.loadIndex, 1);
    assert.deepEqual(
      graph.duplicates.get('dup')?.map((file) => file.filePath),
      ['/project/versions/dup_first.py', '/project/versions/dup_second.py'],
    );
    assert.deepEqual(ids(graph.history()), ['c3', 'dup', 'a1']);
  });

  it('keeps a broken history usable: dangling parents, cycles and files without ids', () => {
    const graph = graphOf([
      { id: 'ok1' },
      { id: 'ok2', down: 'ok1' },
      { id: 'lost', down: 'deadbeefcafe' },
      { id: 'cyc1', down: 'cyc2' },
      { id: 'cyc2', down: 'cyc1' },
      { id: 'self', down: 'self' },
    ]);
    assert.deepEqual(graph.get('lost')?.missingParents, ['deadbeefcafe']);
    assert.deepEqual(
      graph.cycles.map((cycle) => [...cycle].sort()).sort((a, b) => a.length - b.length),
      [['self'], ['cyc1', 'cyc2']],
    );
    assert.equal(graph.history().length, graph.size);
    const order = ids(graph.history());
    assert.ok(order.indexOf('ok2') < order.indexOf('ok1'), 'children still come before parents');
    assert.equal(layoutGraph(graph).length, graph.size);
  });

  it('finds references and definitions for the editor', () => {
    const graph = graphOf([{ id: 'a1', labels: ['core'] }, { id: 'b2', down: 'a1' }, { id: 'c3', down: 'b2', dependsOn: ['core'] }]);
    const references = graph.referencesTo('a1').map((reference) => `${reference.kind}@${reference.file.revision}`);
    assert.deepEqual(references.sort(), ['docstring_revises@b2', 'docstring_revision_id@a1', 'down_revision@b2', 'revision@a1']);
    assert.equal(graph.definitionOf('core')?.file.revision, 'a1');
    assert.deepEqual(graph.definitionOf('b2')?.range, { start: { line: 12, column: 12 }, end: { line: 12, column: 14 } });
    assert.deepEqual(graph.idsStartingWith('c'), ['c3', 'core']);
  });

  it('lays out lanes for a merge, a branch point and separate bases', () => {
    const graph = graphOf([
      { id: 'r1' },
      { id: 'r2', down: 'r1' },
      { id: 'l1', down: 'r2' },
      { id: 'l2', down: 'r2' },
      { id: 'm1', down: ['l1', 'l2'] },
      { id: 'other' },
    ]);
    const rows = layoutGraph(graph);
    // Alembic's walk finishes the merge's second branch, then turns to the other head before
    // going below the branch point.
    assert.deepEqual(
      rows.map((row) => `${row.node.id}@${row.column}`),
      ['m1@0', 'l1@0', 'l2@1', 'other@1', 'r2@0', 'r1@0'],
    );
    assert.deepEqual(rows[0].after, [
      { from: 0, to: 0 },
      { from: 0, to: 1 },
    ]);
    // l2's lane joins r2's lane right after l2.
    assert.deepEqual(rows[2].after, [{ from: 0, to: 0 }, { from: 1, to: 0 }]);
  });
});
