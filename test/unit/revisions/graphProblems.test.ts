import assert from 'node:assert/strict';
import { parseRevisionFile } from '../../../src/core/revisions/revisionFile';
import { RevisionGraph } from '../../../src/core/revisions/revisionGraph';
import { graphOf, revisionFileOf, revisionSource } from './graphFixtures';

function summary(graph: RevisionGraph): string[] {
  return graph.problems.map((problem) => `${problem.name}:${problem.severity}:${problem.revision ?? '-'}:${problem.range ? problem.range.start.line : '-'}`);
}

describe('graph problems', () => {
  it('finds nothing wrong in a healthy history', () => {
    const graph = graphOf([{ id: 'a1' }, { id: 'b2', down: 'a1' }], { fileTemplate: '%(rev)s_%(slug)s' });
    assert.deepEqual(graph.problems, []);
  });

  it('names each problem with file, line and revision, and never throws', () => {
    const files = [
      revisionFileOf({ id: 'base0' }),
      revisionFileOf({ id: 'dup1', down: 'base0', fileName: 'dup1_one.py' }),
      revisionFileOf({ id: 'dup1', down: 'base0', fileName: 'dup1_two.py' }),
      revisionFileOf({ id: 'dangle', down: ['base0', 'deadbeefcafe'], dependsOn: ['nolabel'] }),
      revisionFileOf({ id: 'cyc1', down: 'cyc2' }),
      revisionFileOf({ id: 'cyc2', down: 'cyc1' }),
      parseRevisionFile(`"""no id"""\ndown_revision = None\n`, '/project/versions/noid.py'),
      parseRevisionFile(`revision = 'nodown'\n`, '/project/versions/nodown.py'),
      revisionFileOf({ id: 'lab1', down: 'dup1', labels: ['shared'] }),
      revisionFileOf({ id: 'lab2', down: 'dup1', labels: ['shared'] }),
    ];
    const graph = RevisionGraph.build(files);
    const found = summary(graph);
    for (const expected of [
      'duplicate-revision:error:dup1:12',
      'dangling-reference:error:dangle:13',
      'dangling-reference:error:dangle:15',
      'revision-cycle:error:cyc1:13',
      'revision-cycle:error:cyc2:13',
      'missing-revision-id:error:-:-',
      'missing-down-revision:error:nodown:-',
      'duplicate-branch-label:error:lab2:14',
    ]) {
      assert.ok(found.includes(expected), `missing ${expected} in\n${found.join('\n')}`);
    }
    const dangling = graph.problems.find((problem) => problem.name === 'dangling-reference' && problem.message.includes('deadbeefcafe'));
    assert.match(dangling?.message ?? '', /KeyError: 'deadbeefcafe'/);
    assert.equal(dangling?.file, '/project/versions/dangle_revision_dangle.py');
  });

  it('makes multiple heads an error unless branch labels tell them apart', () => {
    const diverged = graphOf([{ id: 'a1' }, { id: 'left', down: 'a1' }, { id: 'right', down: 'a1' }]);
    assert.deepEqual(summary(diverged).filter((line) => line.startsWith('multiple-heads')), ['multiple-heads:error:left:12', 'multiple-heads:error:right:12']);
    const labelled = graphOf([{ id: 'a1', labels: ['one'] }, { id: 'b1', labels: ['two'] }]);
    assert.deepEqual(summary(labelled), ['multiple-heads:warning:a1:12', 'multiple-heads:warning:b1:12']);
  });

  it('checks file names against file_template and docstrings against the variables', () => {
    const files = [
      revisionFileOf({ id: 'a1b2c3', fileName: '2026_01_01_0000-a1b2c3_first.py', message: 'first' }),
      revisionFileOf({ id: 'd4e5f6', down: 'a1b2c3', fileName: 'd4e5f6_second.py', message: 'second' }),
      parseRevisionFile(revisionSource({ id: 'g7h8', down: 'd4e5f6' }).replace('Revision ID: g7h8', 'Revision ID: 0ld1d').replace('Revises: d4e5f6', 'Revises: a1b2c3'), '/project/versions/2026_01_01_0000-g7h8_third.py'),
    ];
    const graph = RevisionGraph.build(files, { fileTemplate: '%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s' });
    assert.deepEqual(summary(graph), ['docstring-mismatch:warning:g7h8:2', 'docstring-mismatch:warning:g7h8:3', 'filename-mismatch:warning:d4e5f6:12']);
  });

  it('learns a file naming the files share instead of file_template, says so once, and reports only files that follow neither', () => {
    // CKAN's NNN_<rev>_<slug>.py: every file breaks the default file_template the same way.
    const specs = [
      { id: '103676e0a497', fileName: '001_103676e0a497_create_existing_tables.py' },
      { id: '86fdd8c54775', down: '103676e0a497', fileName: '002_86fdd8c54775_add_author.py' },
      { id: 'f22b4f5241a5', down: '86fdd8c54775', fileName: '003_f22b4f5241a5_add_user_object.py' },
      { id: 'f92ee205e46d', down: 'f22b4f5241a5', fileName: '004_f92ee205e46d_add_group_object.py' },
      { id: '12c2232c15f5', down: 'f92ee205e46d', fileName: '005_12c2232c15f5_add_ratings.py' },
    ];
    const conforming = graphOf(specs, { fileTemplate: '%(rev)s_%(slug)s' });
    assert.deepEqual(summary(conforming), ['filename-mismatch:info:12c2232c15f5:12']);
    assert.match(conforming.problems[0].message, /5 of 5 revision files are named NNN_<rev>_<slug>\.py, not by file_template '%\(rev\)s_%\(slug\)s'/);

    // One file out of line with the others: that file, once; the convention note stays single.
    const deviating = graphOf([...specs.slice(0, 4), { id: '12c2232c15f5', down: 'f92ee205e46d', fileName: 'ratings_12c2232c15f5.py' }], { fileTemplate: '%(rev)s_%(slug)s' });
    const mismatches = deviating.problems.filter((problem) => problem.name === 'filename-mismatch');
    assert.deepEqual(mismatches.map((problem) => `${problem.severity}:${problem.revision}`).sort(), ['info:12c2232c15f5', 'warning:12c2232c15f5']);
    assert.match(mismatches.find((problem) => problem.severity === 'warning')!.message, /ratings_12c2232c15f5\.py follows neither the project's own naming \(NNN_<rev>_<slug>\.py, 4 files\)/);

    // Files that mostly follow file_template teach nothing: the odd one out is reported as before.
    const mostlyTemplate = graphOf([{ id: 'a1' }, { id: 'b2', down: 'a1' }, { id: 'c3', down: 'b2' }, { id: 'd4', down: 'c3', fileName: '004_d4_x.py' }], { fileTemplate: '%(rev)s_%(slug)s' });
    assert.deepEqual(summary(mostlyTemplate), ['filename-mismatch:warning:d4:12']);
  });

  it('reads a docstring "Revises: None" as Python None', () => {
    const base = parseRevisionFile(revisionSource({ id: 'a1' }).replace('Revises: \n', 'Revises: None\n'), '/project/versions/a1_first.py');
    assert.deepEqual(base.docstringRevises, ['None']);
    assert.deepEqual(summary(RevisionGraph.build([base], { fileTemplate: '%(rev)s_%(slug)s' })), []);
    const wrong = parseRevisionFile(revisionSource({ id: 'b2', down: 'a1' }).replace('Revises: a1', 'Revises: None'), '/project/versions/b2_second.py');
    assert.deepEqual(summary(RevisionGraph.build([base, wrong])), ['docstring-mismatch:warning:b2:3']);
  });

  it('warns about headers it cannot read without failing the graph', () => {
    const graph = RevisionGraph.build([revisionFileOf({ id: 'a1' }), parseRevisionFile(`revision = 'b2'\ndown_revision = PREVIOUS\n`, '/project/versions/b2_x.py')]);
    // b2's parent is unknown, so no "multiple heads" claim either.
    assert.deepEqual(summary(graph), ['unreadable-header:warning:b2:1']);
    assert.equal(graph.size, 2);
  });
});
