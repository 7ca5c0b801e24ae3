// The scene's compact wire form (graphProtocol.ts): what the webview decodes is the core's scene,
// card for card and edge for edge; defaults are left out; a change of texts alone becomes a row
// update, any change of layout a whole scene. Sizes are measured in `npm run bench`, not here.
import assert from 'node:assert/strict';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { buildGraphScene, type GraphScene } from '../../../src/core/revisions/graphScene';
import { applySceneRows, changedSceneRows, decodeScene, encodeScene, type WireScene } from '../../../src/graph/graphProtocol';
import { shortRevisionIds } from '../../../src/views/revisionTreeModel';
import { graphOf, type RevisionSpec } from '../revisions/graphFixtures';

const EXAMPLE_INI = path.resolve(__dirname, '..', '..', '..', 'examples', 'meeting-assistant', 'backend', 'alembic.ini');

const broken: RevisionSpec[] = [
  { id: 'a1', labels: ['core'] },
  { id: 'b2', down: 'gone1', message: 'first copy' },
  { id: 'b2', down: 'a1', message: 'second copy', fileName: 'b2_again.py' },
  { id: 'c3', down: 'b2', dependsOn: ['nothere'] },
  { id: 'd4', down: 'gone2', message: '' },
  { id: 'e5', down: 'gone2' },
  { id: 'x1', down: 'x2' },
  { id: 'x2', down: 'x1' },
];

function wireOf(scene: GraphScene): WireScene {
  return encodeScene(scene, shortRevisionIds(scene.nodes.map((node) => node.id)));
}

/** What the webview must get of the core's scene: every field it draws. */
function assertSameAsCore(scene: GraphScene, wire: WireScene): void {
  const decoded = decodeScene(wire);
  const shortIds = shortRevisionIds(scene.nodes.map((node) => node.id));
  assert.equal(decoded.nodes.length, scene.nodes.length);
  scene.nodes.forEach((node, row) => {
    const view = decoded.nodes[row];
    assert.deepEqual(
      view,
      {
        kind: node.kind,
        id: node.id,
        shortId: shortIds.get(node.id) ?? node.id,
        row,
        lane: node.lane,
        cardLane: node.cardLane,
        message: node.message,
        branchLabels: node.branchLabels,
        isHead: node.isHead,
        isMergePoint: node.isMergePoint,
        isBranchPoint: node.isBranchPoint,
        isBase: node.isBase,
        missingParents: node.missingParents,
        missingDependencies: node.missingDependencies,
        duplicateCount: node.duplicateFiles.length,
        inCycle: node.inCycle,
        broken: node.broken,
        referencedBy: node.referencedBy,
      },
      `row ${row} (${node.id})`,
    );
  });
  assert.deepEqual(decoded.segments, scene.segments);
  assert.deepEqual(
    decoded.routes,
    scene.routes.map(({ from: _from, to: _to, ...rest }) => rest),
  );
  assert.equal(decoded.laneCount, scene.laneCount);
  assert.equal(decoded.trackCount, scene.trackCount);
  assert.deepEqual(decoded.heads, scene.heads);
}

describe('Revision Graph scene on the wire (graphProtocol.ts)', () => {
  it('decodes to the core scene on a history with ghosts, duplicates, cycles, labels and depends_on', () => {
    const scene = buildGraphScene(graphOf(broken));
    assert.ok(scene.nodes.some((node) => node.kind === 'ghost') && scene.routes.some((route) => route.kind === 'cycle'));
    assertSameAsCore(scene, wireOf(scene));
  });

  it('decodes to the core scene on the example project, after a JSON round trip as postMessage does', () => {
    const scene = buildGraphScene(AlembicProjectModel.load(loadProjectConfig(EXAMPLE_INI)).graph);
    assertSameAsCore(scene, JSON.parse(JSON.stringify(wireOf(scene))) as WireScene);
  });

  it('says each id once and leaves defaults out', () => {
    const scene = buildGraphScene(graphOf([{ id: 'aaaa0000aaaa' }, { id: 'bbbb1111bbbb', down: 'aaaa0000aaaa', message: 'add users' }, { id: 'short', down: 'bbbb1111bbbb' }]));
    const wire = wireOf(scene);
    assert.deepEqual(wire.ids, ['short', 'bbbb1111bbbb', 'aaaa0000aaaa']);
    assert.deepEqual(wire.shortIds, ['', 'bbbb111', 'aaaa000'], 'no short id when it is the id');
    assert.deepEqual(wire.extras, [], 'no labels, nothing missing or duplicated: no extras');
    assert.deepEqual(wire.messages, ['revision short', 'add users', 'revision aaaa0000aaaa']);
    assert.equal(wire.layout.length, 3 * 3);
    assert.equal(wire.segments.length, 2 * 4);
    const json = JSON.stringify(wire);
    for (const key of ['filePath', 'parents', 'dependencies', 'duplicateFiles', 'referencedBy', 'isHead']) assert.ok(!json.includes(`"${key}"`), key);
  });

  it('a message edited: only that row changes, and the updated view equals a fresh decode', () => {
    const before = wireOf(buildGraphScene(graphOf(broken)));
    const edited = broken.map((spec) => (spec.id === 'c3' ? { ...spec, message: 'add the audit table' } : spec));
    const after = wireOf(buildGraphScene(graphOf(edited)));
    const rows = changedSceneRows(before, after);
    assert.ok(rows);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].message, 'add the audit table');
    assert.equal(before.ids[rows[0].row], 'c3');
    assert.deepEqual(applySceneRows(before, decodeScene(before), rows), decodeScene(after));
  });

  it('a branch label removed: the row update says the texts in full, so the label goes', () => {
    const before = wireOf(buildGraphScene(graphOf([{ id: 'a1', labels: ['core'] }, { id: 'b2', down: 'a1' }])));
    const after = wireOf(buildGraphScene(graphOf([{ id: 'a1' }, { id: 'b2', down: 'a1' }])));
    const rows = changedSceneRows(before, after);
    // b2 carries the label Alembic applies down the branch too.
    assert.deepEqual(rows, [{ row: 0, message: 'revision b2' }, { row: 1, message: 'revision a1' }]);
    const updated = applySceneRows(before, decodeScene(before), rows);
    assert.deepEqual(updated.nodes.map((node) => node.branchLabels), [[], []]);
    assert.deepEqual(updated, decodeScene(after));
  });

  it('nothing changed: no row; a changed layout (a new head, a re-pointed parent): the whole scene', () => {
    const before = wireOf(buildGraphScene(graphOf(broken)));
    assert.deepEqual(changedSceneRows(before, wireOf(buildGraphScene(graphOf(broken)))), []);
    assert.equal(changedSceneRows(before, wireOf(buildGraphScene(graphOf([...broken, { id: 'f6', down: 'a1' }])))), undefined);
    const repointed = broken.map((spec) => (spec.id === 'd4' ? { ...spec, down: 'a1' } : spec));
    assert.equal(changedSceneRows(before, wireOf(buildGraphScene(graphOf(repointed)))), undefined);
  });
});
