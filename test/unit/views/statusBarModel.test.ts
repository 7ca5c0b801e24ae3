import assert from 'node:assert/strict';
import { describeStatusBar, type StatusBarInput } from '../../../src/views/statusBarModel';
import { shortRevisionIds } from '../../../src/views/revisionTreeModel';
import { graphOf } from '../revisions/graphFixtures';
import { exampleModel, statusFromRows, unreachableStatus } from './treeTestKit';

describe('status bar model', () => {
  const graph = exampleModel().graph;
  const shortIds = shortRevisionIds(graph.revisions().map((node) => node.id));
  const base = (extra: Partial<StatusBarInput> = {}): StatusBarInput => ({
    trusted: true,
    heads: graph.heads,
    revisionCount: graph.size,
    shortId: (id) => shortIds.get(id) ?? id,
    ...extra,
  });

  it('pending work: the current revision and how many are pending; click opens the tree', () => {
    const shown = describeStatusBar(base({ database: statusFromRows(graph, ['e91f4c6b0a38']), targetDisplay: 'postgresql://aw_test:***@127.0.0.1:5432/scratch' }));
    assert.equal(shown.text, '$(database) Alembic: e91f4c6 (5 pending)');
    assert.equal(shown.action, 'focusRevisions');
    assert.equal(shown.severity, 'normal');
    assert.match(shown.tooltip, /Database \(`postgresql:\/\/aw_test:\*\*\*@127\.0\.0\.1:5432\/scratch`\): at e91f4c6b0a38, 5 pending/);
    assert.match(shown.tooltip, /Pending: `6a0e5b3`, `d7c1f8e`, `2c8d7e9`, `9f3b6a2`, `b5e2a7d`/);
    assert.match(shown.tooltip, /from the version table/);
  });

  it('an empty database: base and everything pending', () => {
    assert.equal(describeStatusBar(base({ database: statusFromRows(graph, []) })).text, '$(database) Alembic: base (12 pending)');
  });

  it('at head: up to date', () => {
    assert.equal(describeStatusBar(base({ database: statusFromRows(graph, ['b5e2a7d9c3f8']) })).text, '$(database) Alembic: up to date');
  });

  it('several heads: one item says so with what is pending, and opens the Revision Graph on click', () => {
    const forked = graphOf([{ id: 'aaa' }, { id: 'bbb', down: 'aaa' }, { id: 'ccc', down: 'aaa' }]);
    const forkedInput = (extra: Partial<StatusBarInput>) => ({ ...base(extra), heads: forked.heads, revisionCount: forked.size });
    const shown = describeStatusBar(forkedInput({ database: statusFromRows(forked, ['aaa']) }));
    assert.equal(shown.text, '$(git-merge) Alembic: 2 heads, 2 pending');
    assert.equal(shown.action, 'openRevisionGraph');
    assert.equal(shown.severity, 'warning');
    assert.match(shown.tooltip, /Revision Graph and merge them/);
    assert.match(shown.tooltip, /Pending: `bbb`, `ccc`/);
    assert.equal(describeStatusBar(forkedInput({ database: statusFromRows(forked, ['bbb', 'ccc']) })).text, '$(git-merge) Alembic: 2 heads, up to date');
    assert.equal(describeStatusBar(forkedInput({ database: unreachableStatus() })).text, '$(git-merge) Alembic: 2 heads, database unreachable');
    assert.equal(describeStatusBar(forkedInput({})).text, '$(git-merge) Alembic: 2 heads');
    const restricted = describeStatusBar(forkedInput({ trusted: false }));
    assert.equal(restricted.text, '$(git-merge) Alembic: 2 heads');
    assert.equal(restricted.action, 'openRevisionGraph');
  });

  it('unreachable: picks another target on click, or asks for the password when that is what failed', () => {
    const refused = describeStatusBar(base({ database: unreachableStatus() }));
    assert.equal(refused.text, '$(warning) Alembic: database unreachable');
    assert.equal(refused.action, 'selectDatabaseTarget');
    assert.match(refused.tooltip, /connection refused at 127\.0\.0\.1:5433/);
    const password = describeStatusBar(base({ database: unreachableStatus('unreachable: password authentication failed for user "meeting"', 'authentication-failed') }));
    assert.equal(password.action, 'setDatabasePassword');
    assert.match(password.tooltip, /enter the password/);
  });

  it('a database at a revision no file defines is an error', () => {
    const shown = describeStatusBar(base({ database: statusFromRows(graph, ['0123456789ab']) }));
    assert.equal(shown.text, '$(error) Alembic: unknown revision 0123456789ab');
    assert.equal(shown.severity, 'error');
  });

  it('Restricted Mode shows only the head count; several projects name the project', () => {
    const shown = describeStatusBar(base({ trusted: false, database: statusFromRows(graph, ['e91f4c6b0a38']) }));
    assert.equal(shown.text, '$(database) Alembic: 1 head');
    assert.match(shown.tooltip, /Restricted Mode/);
    assert.equal(describeStatusBar(base({ projectLabel: 'backend', refreshing: true })).text, '$(sync~spin) Alembic (backend): 1 head');
  });
});
