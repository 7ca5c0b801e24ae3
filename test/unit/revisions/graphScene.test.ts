import assert from 'node:assert/strict';
import path from 'node:path';
import { generateHistory } from '../../../bench/support/historyGenerator';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { buildGraphScene, type GraphScene } from '../../../src/core/revisions/graphScene';
import { graphOf, type RevisionSpec } from './graphFixtures';

const EXAMPLE_INI = path.resolve(__dirname, '../../../examples/meeting-assistant/backend/alembic.ini');

/** A card as the webview draws it, in grid units: from half a lane left of cardLane, rightwards; 0.7 rows tall. */
const CARD_HALF_HEIGHT = 0.35;
const CARD_LEFT_PADDING = 0.5;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  what: string;
}

/** Every edge as the boxes its strokes stay inside (a lane segment's curve stays in its bounding box). */
function edgeBoxes(scene: GraphScene): Box[] {
  const boxes: Box[] = [];
  for (const segment of scene.segments) {
    boxes.push({
      left: Math.min(segment.fromLane, segment.toLane),
      right: Math.max(segment.fromLane, segment.toLane),
      top: segment.fromRow,
      bottom: segment.fromRow + 1,
      what: `${segment.kind} segment ${segment.fromRow}:${segment.fromLane}->${segment.fromRow + 1}:${segment.toLane}`,
    });
  }
  for (const route of scene.routes) {
    const gutter = -(route.track + 1);
    const what = `${route.kind} ${route.from}->${route.to}`;
    boxes.push({ left: gutter, right: gutter, top: Math.min(route.fromRow, route.toRow), bottom: Math.max(route.fromRow, route.toRow), what });
    boxes.push({ left: gutter, right: route.fromLane, top: route.fromRow, bottom: route.fromRow, what });
    boxes.push({ left: gutter, right: route.toLane, top: route.toRow, bottom: route.toRow, what });
  }
  return boxes;
}

function edgesCrossingCards(scene: GraphScene): string[] {
  const crossings: string[] = [];
  const byRow = new Map(scene.nodes.map((node) => [node.row, node]));
  for (const box of edgeBoxes(scene)) {
    for (let row = Math.floor(box.top - CARD_HALF_HEIGHT); row <= Math.ceil(box.bottom + CARD_HALF_HEIGHT); row++) {
      const node = byRow.get(row);
      if (!node) continue;
      const cardLeft = node.cardLane - CARD_LEFT_PADDING;
      const overlapsRows = box.top < row + CARD_HALF_HEIGHT && box.bottom > row - CARD_HALF_HEIGHT;
      if (overlapsRows && box.right >= cardLeft) crossings.push(`${box.what} crosses the card of ${node.id}`);
    }
  }
  return crossings;
}

function lanesOf(scene: GraphScene): string[] {
  return scene.nodes.map((node) => `${node.id}@${node.row}:${node.lane}`);
}

describe('Revision Graph scene (graphScene.ts)', () => {
  const branchy: RevisionSpec[] = [
    { id: 'base1' },
    { id: 'r2', down: 'base1', labels: ['core'] },
    { id: 'l1', down: 'r2' },
    { id: 'l2', down: 'r2' },
    { id: 'l3', down: 'r2' },
    { id: 'm1', down: ['l1', 'l2', 'l3'] },
    { id: 'base2', labels: ['audit'] },
    { id: 'a2', down: 'base2', dependsOn: ['core'] },
    { id: 'top', down: ['m1', 'a2'] },
  ];

  it('lays out the same lanes every time, as git log --graph would', () => {
    const first = buildGraphScene(graphOf(branchy));
    const second = buildGraphScene(graphOf(branchy));
    assert.deepEqual(second, first);
    assert.deepEqual(lanesOf(first), ['top@0:0', 'm1@1:0', 'l1@2:0', 'a2@3:3', 'base2@4:3', 'l2@5:1', 'l3@6:1', 'r2@7:0', 'base1@8:0']);
    assert.equal(first.laneCount, 4);
    // The merge's first parent continues its lane; the other parents are merge edges.
    // (the lane top's second parent opened passes by, moving right to make room).
    assert.deepEqual(
      first.segments.filter((segment) => segment.fromRow === 1).sort((a, b) => a.fromLane - b.fromLane || a.toLane - b.toLane),
      [
        { fromRow: 1, fromLane: 0, toLane: 0, kind: 'parent' },
        { fromRow: 1, fromLane: 0, toLane: 1, kind: 'merge' },
        { fromRow: 1, fromLane: 0, toLane: 2, kind: 'merge' },
        { fromRow: 1, fromLane: 1, toLane: 3, kind: 'merge' },
      ],
    );
    // Each card starts right of every edge at its row: l2 right of the three lanes coming down to it.
    assert.deepEqual(
      first.nodes.map((node) => node.cardLane),
      [2, 4, 4, 4, 4, 3, 3, 2, 1],
    );
    const top = first.nodes[0];
    assert.ok(top.isHead && top.isMergePoint && !top.broken);
    assert.deepEqual(top.branchLabels, ['audit', 'core']);
  });

  it('draws depends_on as a gutter route, and no edge crosses a card', () => {
    const scene = buildGraphScene(graphOf(branchy));
    assert.deepEqual(
      scene.routes.map((route) => ({ from: route.from, to: route.to, kind: route.kind, track: route.track })),
      [{ from: 'a2', to: 'r2', kind: 'dependency', track: 0 }],
    );
    assert.equal(scene.trackCount, 1);
    assert.deepEqual(edgesCrossingCards(scene), []);
  });

  it('puts a ghost card under each dangling reference, and marks duplicates and cycles', () => {
    const graph = graphOf([
      { id: 'a1' },
      { id: 'b2', down: 'gone1', message: 'first copy' },
      { id: 'b2', down: 'a1', message: 'second copy', fileName: 'b2_again.py' },
      { id: 'c3', down: 'b2', dependsOn: ['nothere'] },
      { id: 'd4', down: 'gone2' },
      { id: 'e5', down: 'gone2' },
      { id: 'x1', down: 'x2' },
      { id: 'x2', down: 'x1' },
    ]);
    const scene = buildGraphScene(graph);
    const byId = new Map(scene.nodes.map((node) => [`${node.kind}:${node.id}`, node]));
    const gone2 = byId.get('ghost:gone2');
    assert.ok(gone2, 'one ghost for gone2, referenced twice');
    assert.deepEqual([...gone2.referencedBy].sort(), ['d4', 'e5']);
    assert.ok(gone2.row > (byId.get('revision:d4')?.row ?? Infinity) && gone2.row > (byId.get('revision:e5')?.row ?? Infinity), 'the ghost sits below both referrers');
    assert.equal(scene.nodes.filter((node) => node.kind === 'ghost').length, 2, 'gone2 and nothere (gone1 is in a shadowed duplicate)');
    const dangling = scene.segments.filter((segment) => segment.kind === 'dangling');
    assert.ok(dangling.length >= 2, 'edges to the ghost are dangling edges');
    const nothere = byId.get('ghost:nothere');
    assert.ok(nothere);
    assert.ok(scene.routes.some((route) => route.kind === 'dependency' && route.from === 'c3' && route.to === 'nothere'));
    const b2 = byId.get('revision:b2');
    assert.ok(b2?.broken && b2.duplicateFiles.length === 2 && b2.message === 'second copy');
    assert.ok(byId.get('revision:x1')?.inCycle && byId.get('revision:x2')?.inCycle);
    assert.equal(scene.routes.filter((route) => route.kind === 'cycle').length, 1, 'one of the two cycle edges points back up');
    assert.ok(byId.get('revision:d4')?.broken && !byId.get('revision:a1')?.broken);
    assert.deepEqual(edgesCrossingCards(scene), []);
  });

  it('gives overlapping depends_on routes different tracks', () => {
    const scene = buildGraphScene(
      graphOf([
        { id: 'a' },
        { id: 'b', down: 'a' },
        { id: 'c', down: 'b', dependsOn: ['a'] },
        { id: 'd', down: 'c', dependsOn: ['b'] },
        { id: 'e', down: 'd', dependsOn: ['d'] },
      ]),
    );
    const tracks = Object.fromEntries(scene.routes.map((route) => [`${route.from}->${route.to}`, route.track]));
    assert.notEqual(tracks['c->a'], tracks['d->b'], 'c->a and d->b overlap over rows');
    assert.equal(tracks['e->d'], 0, 'e->d starts above the others end: track 0 again');
    assert.deepEqual(edgesCrossingCards(scene), []);
  });

  it('has no edge crossing a card on the example project', () => {
    const model = AlembicProjectModel.load(loadProjectConfig(EXAMPLE_INI));
    const scene = buildGraphScene(model.graph);
    assert.equal(scene.nodes.length, model.graph.size);
    assert.ok(scene.segments.length >= model.graph.size - 1);
    assert.deepEqual(edgesCrossingCards(scene), []);
  });

  it('has no edge crossing a card on a merge-heavy generated history, and stays narrow', function () {
    this.timeout(60000);
    const history = generateHistory(600, 'branched');
    try {
      const model = AlembicProjectModel.load(loadProjectConfig(path.join(history.root, 'alembic.ini')));
      const scene = buildGraphScene(model.graph);
      assert.equal(scene.nodes.length, 600);
      assert.ok(scene.nodes.filter((node) => node.isMergePoint).length >= 100, 'a fifth are merges');
      assert.deepEqual(edgesCrossingCards(scene), []);
      assert.equal(scene.laneCount, 2, 'a two-way fork never needs a third lane');
      assert.deepEqual(buildGraphScene(model.graph), scene, 'deterministic');
    } finally {
      history.cleanup();
    }
  });

  it('checks itself: a card moved left over a lane is reported', () => {
    const scene = buildGraphScene(graphOf(branchy));
    const moved = { ...scene, nodes: scene.nodes.map((node) => (node.id === 'l2' ? { ...node, cardLane: 1 } : node)) };
    assert.notDeepEqual(edgesCrossingCards(moved), []);
  });
});
