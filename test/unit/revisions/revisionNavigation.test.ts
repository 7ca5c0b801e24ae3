// Definition and references over revision ids, on histories written as real revision files and on
// the example project's files as Alembic generated them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { applyTextEdits } from '../../../src/core/lint/findings';
import { parseRevisionFile } from '../../../src/core/revisions/revisionFile';
import { findDefinition, findReferences, referenceAt, repointEdits, revisionNamed } from '../../../src/core/revisions/revisionNavigation';
import { EXAMPLE_PROJECT } from '../../support/realAlembic';
import { graphOf, revisionFileOf, revisionSource } from './graphFixtures';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

describe('revision navigation', () => {
  const specs = [
    { id: 'aaa111', message: 'base' },
    { id: 'bbb222', down: 'aaa111', labels: ['tags'] },
    { id: 'ccc333', down: 'aaa111' },
    { id: 'ddd444', down: ['bbb222', 'ccc333'], message: 'merge' },
    { id: 'eee555', down: 'ddd444', dependsOn: ['tags'] },
  ];
  const graph = graphOf(specs);

  it('finds the id under the cursor, at either edge too', () => {
    const file = revisionFileOf(specs[3]);
    const source = revisionSource(specs[3]);
    const line = lineOf(source, 'down_revision');
    const column = source.split('\n')[line].indexOf('ccc333');
    assert.equal(referenceAt(file, { line, column })?.id, 'ccc333');
    assert.equal(referenceAt(file, { line, column: column + 6 })?.id, 'ccc333');
    assert.equal(referenceAt(file, { line, column: 0 }), undefined);
    const revises = lineOf(source, 'Revises:');
    const inDocstring = referenceAt(file, { line: revises, column: source.split('\n')[revises].indexOf('bbb222') + 2 });
    assert.deepEqual([inDocstring?.kind, inDocstring?.id], ['docstring_revises', 'bbb222']);
  });

  it('goes to the revision = line of a parent, and of the owner of a branch label', () => {
    const definition = findDefinition(graph, 'ccc333');
    assert.equal(definition?.filePath, '/project/versions/ccc333_revision_ccc333.py');
    assert.equal(definition?.range.start.line, lineOf(revisionSource(specs[2]), "revision = 'ccc333'"));
    const label = findDefinition(graph, 'tags');
    assert.equal(label?.kind, 'branch_label');
    assert.equal(label?.range.start.line, lineOf(revisionSource(specs[1]), 'branch_labels'));
    assert.equal(revisionNamed(graph, 'tags')?.id, 'bbb222');
    assert.equal(findDefinition(graph, 'nothere'), undefined);
  });

  it('lists children (down_revision and Revises:) and dependents (depends_on by label), the declaration on request', () => {
    const sites = findReferences(graph, 'bbb222', { includeDeclaration: true });
    const label = (site: { filePath: string; kind: string; id: string }) => `${path.basename(site.filePath).slice(0, 6)}:${site.kind}:${site.id}`;
    assert.deepEqual(
      sites.map(label).sort(),
      ['bbb222:revision:bbb222', 'bbb222:branch_label:tags', 'bbb222:docstring_revision_id:bbb222', 'ddd444:docstring_revises:bbb222', 'ddd444:down_revision:bbb222', 'eee555:depends_on:tags'].sort(),
    );
    // File, then position.
    assert.deepEqual(sites.map((site) => site.filePath), [...sites.map((site) => site.filePath)].sort());
    const withoutDeclaration = findReferences(graph, 'bbb222');
    assert.deepEqual(withoutDeclaration.map((site) => site.kind).sort(), ['depends_on', 'docstring_revises', 'down_revision']);
  });

  it('reads open files from their current text: a child added in an unsaved edit is found, at its current position', () => {
    const edited = revisionSource(specs[4]).replace("down_revision = 'ddd444'", "\n\ndown_revision = 'ccc333'");
    const current = parseRevisionFile(edited, '/project/versions/eee555_revision_eee555.py');
    const sites = findReferences(graph, 'ccc333', { currentFile: (file) => (file === current.filePath ? current : undefined) });
    const fromEdit = sites.filter((site) => site.filePath === current.filePath);
    assert.deepEqual(fromEdit.map((site) => [site.kind, site.range.start.line]), [['down_revision', lineOf(edited, "down_revision = 'ccc333'")]]);
  });

  it('on the example project: the branch point e91f4c6b0a38 is named by both branches', () => {
    const model = AlembicProjectModel.load(loadProjectConfig(path.join(EXAMPLE_PROJECT, 'backend', 'alembic.ini')));
    const sites = findReferences(model.graph, 'e91f4c6b0a38');
    const files = [...new Set(sites.map((site) => path.basename(site.filePath).split('-')[1].slice(0, 12)))].sort();
    assert.deepEqual(files, ['2c8d7e9f1b60', '6a0e5b3c8d29']);
    assert.deepEqual(sites.map((site) => site.kind).sort(), ['docstring_revises', 'docstring_revises', 'down_revision', 'down_revision']);
  });

  it('re-points a dangling down_revision and its Revises: line, and nothing else', () => {
    const spec = { id: 'fff666', down: ['ddd444', 'gone99'], dependsOn: ['gone99'] };
    const source = revisionSource(spec);
    const file = parseRevisionFile(source, '/project/versions/fff666_x.py');
    const edits = repointEdits(file, 'gone99', 'eee555');
    assert.equal(edits.length, 3, 'down_revision, depends_on and the Revises: line');
    const fixed = parseRevisionFile(applyTextEdits(source, edits), file.filePath);
    assert.deepEqual(fixed.downRevisions, ['ddd444', 'eee555']);
    assert.deepEqual(fixed.dependsOn, ['eee555']);
    assert.ok(applyTextEdits(source, edits).includes('Revises: ddd444, eee555'));
    assert.deepEqual(repointEdits(file, 'nothere', 'eee555'), []);
    assert.throws(() => repointEdits(file, 'gone99', "x' + evil"), /Can't write the revision id/);
  });
});
