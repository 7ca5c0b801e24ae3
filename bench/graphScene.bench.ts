// The Revision Graph's picture (src/core/revisions/graphScene.ts) at 100, 1000 and 5000 revisions:
// the scene built from a loaded graph (median of several builds in this process), and the size of
// the message that carries it to the webview (the compact wire form of graphProtocol.ts, beside the
// scene as plain JSON, which is what was sent before). The webview then puts only the cards in view in the
// DOM, so its cost does not grow with the history. Target at 5000: scene <= 100 ms.
import path from 'node:path';
import { AlembicProjectModel } from '../src/core/projectModel';
import { loadProjectConfig } from '../src/core/project/projectConfig';
import { buildGraphScene } from '../src/core/revisions/graphScene';
import { encodeScene, type GraphSceneMessage } from '../src/graph/graphProtocol';
import { shortRevisionIds } from '../src/views/revisionTreeModel';
import { formatMs, median, printTable } from './benchKit';
import { generateHistory, type HistoryShape } from './support/historyGenerator';

export async function runBenchmark(): Promise<void> {
  const sizes = (process.env.AW_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
  const rows: string[][] = [];
  const targets: string[] = [];
  for (const size of sizes) {
    for (const shape of ['linear', 'branched'] as HistoryShape[]) {
      const history = generateHistory(size, shape);
      try {
        const graph = AlembicProjectModel.load(loadProjectConfig(path.join(history.root, 'alembic.ini'))).graph;
        graph.history();
        const samples: number[] = [];
        let scene = buildGraphScene(graph);
        for (let run = 0; run < 9; run++) {
          const started = performance.now();
          scene = buildGraphScene(graph);
          samples.push(performance.now() - started);
        }
        const plainBytes = Buffer.byteLength(JSON.stringify(scene));
        const wire = encodeScene(scene, shortRevisionIds(scene.nodes.map((node) => node.id)));
        const message: GraphSceneMessage = { type: 'scene', version: 1, projectId: 'bench', projectLabel: 'bench', scene: wire, readOnly: false };
        const wireBytes = Buffer.byteLength(JSON.stringify(message));
        const buildMs = median(samples);
        const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
        rows.push([`${size} ${shape}`, formatMs(buildMs), String(scene.laneCount), kb(wireBytes), kb(plainBytes)]);
        if (size === 5000) targets.push(`${shape} 5000, Revision Graph scene ${formatMs(buildMs)} (<= 100 ms) ${buildMs <= 100 ? 'PASS' : 'MISS'}`);
      } finally {
        history.cleanup();
      }
    }
  }
  printTable('Revision Graph scene (in process, median of 9 builds; the graph already built)', ['history', 'scene build', 'lanes', 'message to the webview', 'scene as plain JSON'], rows);
  if (targets.length > 0) {
    console.log('\nTargets at 5000 revisions:');
    for (const line of targets) console.log(`  ${line}`);
  }
}
