import assert from 'node:assert/strict';
import { ResolvedRevision, resolveSymbol, RevisionResolutionError, walkRevisions } from '../../../src/core/revisions/revisionSymbols';
import { graphOf, ids } from './graphFixtures';

function names(resolved: ResolvedRevision[]): string[] {
  return resolved.map((entry) => (entry === 'base' ? 'base' : entry.id));
}

function failure(work: () => unknown): RevisionResolutionError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof RevisionResolutionError, `expected RevisionResolutionError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the symbol to fail');
}

// The corpus history: a line, a branch point, a labelled branch, a merge.
const merged = () =>
  graphOf([
    { id: 'b3f5a3011739' },
    { id: '12e1c988c2b0', down: 'b3f5a3011739' },
    { id: '00895308c34d', down: '12e1c988c2b0' },
    { id: '470db97f7b91', down: '00895308c34d', labels: ['tags'] },
    { id: 'b560279929ea', down: '00895308c34d' },
    { id: '12a9efe6d93b', down: ['470db97f7b91', 'b560279929ea'] },
  ]);

const twoHeads = () =>
  graphOf([
    { id: 'b3f5a3011739' },
    { id: '00895308c34d', down: 'b3f5a3011739' },
    { id: '470db97f7b91', down: '00895308c34d', labels: ['tags'] },
    { id: 'b560279929ea', down: '00895308c34d' },
  ]);

describe('revision symbols', () => {
  it('resolves head, heads, base and full ids', () => {
    const graph = merged();
    assert.deepEqual(names(resolveSymbol(graph, 'head')), ['12a9efe6d93b']);
    assert.deepEqual(names(resolveSymbol(graph, 'heads')), ['12a9efe6d93b']);
    assert.deepEqual(names(resolveSymbol(graph, 'base')), []);
    assert.deepEqual(names(resolveSymbol(graph, '00895308c34d')), ['00895308c34d']);
  });

  it('accepts prefixes of ids longer than three characters, as Alembic does (corpus e3 show)', () => {
    const graph = merged();
    assert.deepEqual(names(resolveSymbol(graph, '12e1')), ['12e1c988c2b0']);
    assert.deepEqual(names(resolveSymbol(graph, '12a')), ['12a9efe6d93b'], 'three characters work when unique');
    assert.deepEqual(names(resolveSymbol(graph, 'b56')), ['b560279929ea']);
    const ambiguous = failure(() => resolveSymbol(graph, '12'));
    assert.equal(ambiguous.message, "Can't locate revision identified by '12'");
    assert.equal(ambiguous.kind, 'ambiguous-prefix');
    assert.match(ambiguous.detail ?? '', /Multiple revisions start with '12'/);
    const unknown = failure(() => resolveSymbol(graph, 'deadbeefcafe'));
    assert.equal(unknown.message, "Can't locate revision identified by 'deadbeefcafe'");
    assert.equal(unknown.kind, 'not-found');
  });

  it('resolves branch labels and label@head, and the label prefix', () => {
    const graph = twoHeads();
    assert.deepEqual(names(resolveSymbol(graph, 'tags')), ['470db97f7b91']);
    assert.deepEqual(names(resolveSymbol(graph, 'tags@head')), ['470db97f7b91']);
    assert.deepEqual(names(resolveSymbol(graph, 'tags@heads')), ['470db97f7b91']);
    assert.deepEqual(names(resolveSymbol(graph, 'tag')), ['470db97f7b91'], 'labels longer than three characters match by prefix');
    const notMember = failure(() => resolveSymbol(graph, 'tags@b560279929ea'));
    assert.equal(notMember.kind, 'not-in-branch');
    assert.equal(notMember.message, "Can't locate revision identified by 'b560279929ea'");
  });

  it('fails on head with several heads with the message Alembic prints (corpus 14_upgrade_head)', () => {
    const error = failure(() => resolveSymbol(twoHeads(), 'head'));
    assert.equal(error.kind, 'multiple-heads');
    assert.equal(
      error.message,
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
    assert.deepEqual(names(resolveSymbol(twoHeads(), 'heads')), ['470db97f7b91', 'b560279929ea']);
  });

  it('walks down from the heads for -n, and refuses an ambiguous walk from a merge', () => {
    assert.deepEqual(names(resolveSymbol(twoHeads(), '-1')), ['00895308c34d', '00895308c34d']);
    assert.deepEqual(names(resolveSymbol(twoHeads(), 'tags@-1')), ['00895308c34d']);
    const ambiguous = failure(() => resolveSymbol(merged(), '-1'));
    assert.equal(ambiguous.message, 'Ambiguous walk');
    assert.deepEqual(names(resolveSymbol(merged(), '12e1c988c2b0')), ['12e1c988c2b0']);
  });

  it('resolves upgrade targets relative to the current revision', () => {
    const graph = merged();
    assert.deepEqual(names(resolveSymbol(graph, '+1', { purpose: 'upgrade', from: ['b3f5a3011739'] })), ['12e1c988c2b0']);
    assert.deepEqual(names(resolveSymbol(graph, '+2', { purpose: 'upgrade', from: ['b3f5a3011739'] })), ['00895308c34d']);
    assert.deepEqual(names(resolveSymbol(graph, '+1', { purpose: 'upgrade', from: [] })), ['b3f5a3011739'], 'from base');
    assert.deepEqual(names(resolveSymbol(graph, '12e1c988c2b0+1', { purpose: 'upgrade' })), ['00895308c34d']);
    assert.deepEqual(names(resolveSymbol(graph, '470db97f7b91-1', { purpose: 'upgrade' })), ['00895308c34d']);
    assert.equal(failure(() => resolveSymbol(graph, 'head-1', { purpose: 'upgrade' })).message, 'Ambiguous walk', 'head is a merge');
    assert.deepEqual(names(resolveSymbol(twoHeads(), 'tags@head-1', { purpose: 'upgrade' })), ['00895308c34d']);
    const branching = failure(() => resolveSymbol(graph, '+1', { purpose: 'upgrade', from: ['00895308c34d'] }));
    assert.equal(branching.message, 'Ambiguous walk');
    assert.deepEqual(names(resolveSymbol(graph, 'tags@+1', { purpose: 'upgrade', from: ['00895308c34d'] })), ['470db97f7b91']);
    const atHead = failure(() => resolveSymbol(graph, '+2', { purpose: 'upgrade', from: ['12a9efe6d93b'] }));
    assert.equal(atHead.message, "Relative revision +2 didn't produce 2 migrations");
  });

  it('resolves downgrade targets, including base and -1 from the current revision', () => {
    const graph = merged();
    assert.deepEqual(names(resolveSymbol(graph, '-1', { purpose: 'downgrade', from: ['00895308c34d'] })), ['12e1c988c2b0']);
    assert.deepEqual(names(resolveSymbol(graph, 'base', { purpose: 'downgrade', from: ['00895308c34d'] })), ['base']);
    assert.deepEqual(names(resolveSymbol(graph, '-3', { purpose: 'downgrade', from: ['00895308c34d'] })), ['base']);
    const fromMerge = failure(() => resolveSymbol(graph, '-1', { purpose: 'downgrade', from: ['12a9efe6d93b'] }));
    assert.equal(fromMerge.message, 'Ambiguous walk', 'corpus downgrade_minus1_from_mergepoint');
    const tooFar = failure(() => resolveSymbol(graph, '-4', { purpose: 'downgrade', from: ['00895308c34d'] }));
    assert.equal(tooFar.message, "Relative revision -4 didn't produce 4 migrations");
    const nothing = failure(() => resolveSymbol(graph, '-1', { purpose: 'downgrade', from: [] }));
    assert.equal(nothing.kind, 'relative-out-of-range');
  });

  it('walks history ranges like `alembic history -r` (corpus history_range)', () => {
    const graph = merged();
    assert.deepEqual(ids(walkRevisions(graph)), ['12a9efe6d93b', '470db97f7b91', 'b560279929ea', '00895308c34d', '12e1c988c2b0', 'b3f5a3011739']);
    assert.deepEqual(ids(walkRevisions(graph, '12e1c988c2b0', '00895308c34d')), ['00895308c34d', '12e1c988c2b0']);
    assert.deepEqual(ids(walkRevisions(graph, 'base', '12e1c988c2b0')), ['12e1c988c2b0', 'b3f5a3011739']);
    assert.deepEqual(ids(walkRevisions(graph, '470db97f7b91', 'heads')), ['12a9efe6d93b', '470db97f7b91']);
    const sideways = failure(() => walkRevisions(graph, '470db97f7b91', 'b560279929ea'));
    assert.equal(sideways.message, 'Requested range 470db97f7b91:b560279929ea does not refer to ancestor/descendant revisions along the same branch');
  });
});
