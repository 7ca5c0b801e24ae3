// Edge cases of Alembic's printed formats (alembic/script/base.py cmd_format / log_entry). The
// integration suite parses the real Alembic's output of the example project; these pin the shapes
// that project doesn't have (dependencies, effective heads, multi-line messages, odd paths).
import assert from 'node:assert/strict';
import {
  parseCreatedRevisionFile,
  parseCurrentOutput,
  parseGeneratedFiles,
  parseHeadsOutput,
  parseHistoryOutput,
  parseRevisionLine,
  parseVerboseEntries,
} from '../../../src/core/runner/alembicOutput';
import { PathMapper } from '../../../src/core/compose/pathMapper';

describe('alembicOutput', () => {
  it('reads revision lines with labels and markers', () => {
    assert.deepEqual(parseRevisionLine('b5e2a7d9c3f8 (tags) (head)'), {
      revision: 'b5e2a7d9c3f8',
      branchLabels: ['tags'],
      markers: { head: true, effectiveHead: false, current: false, branchPoint: false, mergePoint: false },
    });
    assert.deepEqual(parseRevisionLine('abc (a, b) (effective head) (mergepoint)')?.branchLabels, ['a', 'b']);
    assert.equal(parseRevisionLine('abc (effective head) (mergepoint)')?.markers.effectiveHead, true);
    assert.equal(parseRevisionLine('INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.'), undefined);
  });

  it('reads history lines: bases, merges, dependencies, messages with commas, arrows and newlines', () => {
    const stdout = [
      '9f3b6a2d4e15, d7c1f8e4a2b6 -> b5e2a7d9c3f8 (tags) (head) (mergepoint), merge tags and user mappings branches',
      'e91f4c6b0a38 (4b1d3f0a9c21) -> 77aa (current), depends, with commas -> and an arrow',
      '5d2e8f1a7c03 -> e91f4c6b0a38 (branchpoint), first line',
      'second line of the same message',
      '<base> -> 4b1d3f0a9c21, create users and meetings tables',
      '',
    ].join('\n');
    const entries = parseHistoryOutput(stdout);
    assert.deepEqual(
      entries.map((entry) => [entry.revision, entry.downRevisions, entry.dependencies, entry.branchLabels, entry.message]),
      [
        ['b5e2a7d9c3f8', ['9f3b6a2d4e15', 'd7c1f8e4a2b6'], [], ['tags'], 'merge tags and user mappings branches'],
        ['77aa', ['e91f4c6b0a38'], ['4b1d3f0a9c21'], [], 'depends, with commas -> and an arrow'],
        ['e91f4c6b0a38', ['5d2e8f1a7c03'], [], [], 'first line\nsecond line of the same message'],
        ['4b1d3f0a9c21', [], [], [], 'create users and meetings tables'],
      ],
    );
    assert.equal(entries[0].markers.mergePoint, true);
    assert.equal(entries[1].markers.current, true);
    assert.equal(entries[2].markers.branchPoint, true);
  });

  it('reads verbose entries (history -v, heads -v, current -v, show)', () => {
    const stdout = [
      'Current revision(s) for postgresql+psycopg2://meeting:XXXXX@db:5432/meeting_assistant:',
      'Rev: e91f4c6b0a38 (branchpoint)',
      'Parent: 5d2e8f1a7c03',
      'Also depends on: 4b1d3f0a9c21',
      'Branches into: 2c8d7e9f1b60, 6a0e5b3c8d29',
      'Path: /app/alembic/versions/2026_11_25_2225-e91f4c6b0a38_drop meeting description.py',
      '',
      '    drop meeting description',
      '    ',
      '    Revision ID: e91f4c6b0a38',
      '    Revises: 5d2e8f1a7c03',
      '    Create Date: 2026-11-25 22:25:40.123456',
      '',
      'Rev: 4b1d3f0a9c21',
      'Parent: <base>',
      'Branch names: users, core',
      'Path: /app/alembic/versions/x.py',
      '',
      '    create users',
      '',
    ].join('\n');
    const current = parseCurrentOutput(stdout);
    assert.equal(current.databaseUrl, 'postgresql+psycopg2://meeting:XXXXX@db:5432/meeting_assistant');
    const [first, second] = current.revisions;
    assert.equal(first.revision, 'e91f4c6b0a38');
    assert.deepEqual(first.downRevisions, ['5d2e8f1a7c03']);
    assert.deepEqual(first.dependencies, ['4b1d3f0a9c21']);
    assert.deepEqual(first.branchesInto, ['2c8d7e9f1b60', '6a0e5b3c8d29']);
    assert.equal(first.path, '/app/alembic/versions/2026_11_25_2225-e91f4c6b0a38_drop meeting description.py');
    assert.equal(first.message, 'drop meeting description');
    assert.match(first.longDoc!, /^drop meeting description\n\nRevision ID: e91f4c6b0a38\nRevises: 5d2e8f1a7c03\nCreate Date: /);
    assert.deepEqual(second.downRevisions, []);
    assert.deepEqual(second.branchLabels, ['users', 'core']);
    assert.equal(parseVerboseEntries(stdout).length, 2);
  });

  it('reads current and heads in their short forms, including several heads and none', () => {
    assert.deepEqual(
      parseCurrentOutput('9f3b6a2d4e15 (head)\nd7c1f8e4a2b6 (head)\n').revisions.map((entry) => entry.revision),
      ['9f3b6a2d4e15', 'd7c1f8e4a2b6'],
    );
    assert.deepEqual(parseCurrentOutput('').revisions, []);
    const heads = parseHeadsOutput('9f3b6a2d4e15 (tags) (head)\nd7c1f8e4a2b6 (head)\n');
    assert.deepEqual(heads.map((head) => [head.revision, head.branchLabels]), [['9f3b6a2d4e15', ['tags']], ['d7c1f8e4a2b6', []]]);
  });

  it('finds the files revision/merge generated and maps container paths to the host', () => {
    const stdout =
      'Generating /app/alembic/versions/2026_11_25_2300-0a1b2c3d4e5f_add tags.py ...  done\n' +
      'Running post write hook "black" ...\n  reformatted\ndone\n';
    const mapper = new PathMapper([{ containerPath: '/app', hostPath: '/home/u/p/backend' }]);
    assert.deepEqual(parseGeneratedFiles(stdout, mapper), [
      {
        reportedPath: '/app/alembic/versions/2026_11_25_2300-0a1b2c3d4e5f_add tags.py',
        hostPath: '/home/u/p/backend/alembic/versions/2026_11_25_2300-0a1b2c3d4e5f_add tags.py',
      },
    ]);
    assert.equal(parseCreatedRevisionFile(stdout)?.hostPath, '/app/alembic/versions/2026_11_25_2300-0a1b2c3d4e5f_add tags.py');
    assert.equal(parseCreatedRevisionFile('Generating /elsewhere/x.py ...  done\n', mapper)?.hostPath, undefined);
    assert.equal(parseCreatedRevisionFile('FAILED: Target database is not up to date.\n'), undefined);
  });
});
