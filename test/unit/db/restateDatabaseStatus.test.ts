import assert from 'node:assert/strict';
import { graphViewFromRevisions } from '../../../src/core/db/databaseState';
import { restateDatabaseStatus, type DatabaseStatus } from '../../../src/core/db/databaseStatusService';
import { statusAsRead } from '../../support/databaseStatuses';

const before = graphViewFromRevisions([
  { id: 'a', parents: [] },
  { id: 'b', parents: ['a'] },
  { id: 'c', parents: ['b'] },
]);

function readAt(rows: string[], extra: Partial<DatabaseStatus> = {}): DatabaseStatus {
  return statusAsRead(rows, { notes: ['a note'], readAt: 1234, durationMs: 5, ...extra });
}

describe('restateDatabaseStatus', () => {
  it('computes the states of the rows against the graph and keeps when the database was read', () => {
    const status = restateDatabaseStatus(readAt(['c']), before);
    assert.deepEqual(status.current, ['c']);
    assert.deepEqual(status.applied, ['a', 'b', 'c']);
    assert.deepEqual(status.pending, []);
    assert.equal(status.upToDate, true);
    assert.equal(status.message, 'at c (head), up to date');
    assert.equal(status.readAt, 1234);
    assert.equal(status.durationMs, 5);
    assert.deepEqual(status.notes, ['a note']);
    assert.equal(status.source, 'database');
  });

  it('a revision file added on top: pending, without another read', () => {
    const upToDate = restateDatabaseStatus(readAt(['c']), before);
    const after = graphViewFromRevisions([
      { id: 'a', parents: [] },
      { id: 'b', parents: ['a'] },
      { id: 'c', parents: ['b'] },
      { id: 'd', parents: ['c'] },
    ]);
    const status = restateDatabaseStatus(upToDate, after);
    assert.deepEqual(status.pending, ['d']);
    assert.equal(status.states.d, 'pending');
    assert.equal(status.states.c, 'current');
    assert.equal(status.upToDate, false);
    assert.equal(status.message, 'at c, 1 pending');
    assert.equal(status.readAt, 1234);
  });

  it('the file of the current revision deleted: the row becomes unknown, with Alembic\'s failure spelled out', () => {
    const status = restateDatabaseStatus(
      readAt(['c']),
      graphViewFromRevisions([
        { id: 'a', parents: [] },
        { id: 'b', parents: ['a'] },
      ]),
    );
    assert.deepEqual(status.unknown, ['c']);
    assert.equal(status.problems[0].code, 'unknown-revision');
    assert.match(status.problems[0].message, /Can't locate revision identified by 'c'/);
  });

  it('keeps an incomplete `alembic current` read incomplete, and leaves an unreachable status alone', () => {
    const partial = restateDatabaseStatus(readAt(['b'], { source: 'alembic', initialised: undefined, problems: [{ code: 'incomplete', severity: 'warning', message: 'x' }] }), before);
    assert.ok(partial.problems.some((problem) => problem.code === 'incomplete'));
    assert.equal(partial.source, 'alembic');
    const down = readAt([], { reachable: false, source: 'none', message: 'unreachable: connection refused' });
    assert.equal(restateDatabaseStatus(down, before), down);
  });
});
