// The Revision Graph's picture (src/core/revisions/graphScene.ts) at 100, 1000 and 5000 revisions:
// the scene built from a loaded graph (median of several builds in this process), and the size of
// the message that carries it to the webview. The webview then puts only the cards in view in the
// DOM, so its cost does not grow with the history. Target at 5000: scene <= 100 ms.
import path from 'node:path';
import { AlembicProjectModel } from '../src/core/projectModel';
import { loadProjectConfig } from '../src/core/project/projectConfig';
import { buildGraphScene } from '../src/core/revisions/graphScene';
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
        const bytes = Buffer.byteLength(JSON.stringify(scene));
        const buildMs = median(samples);
        rows.push([`${size} ${shape}`, formatMs(buildMs), String(scene.laneCount), `${(bytes / 1024).toFixed(0)} KB`]);
        if (size === 5000) targets.push(`${shape} 5000, Revision Graph scene ${formatMs(buildMs)} (<= 100 ms) ${buildMs <= 100 ? 'PASS' : 'MISS'}`);
      } finally {
        history.cleanup();
      }
    }
  }
  printTable('Revision Graph scene (in process, median of 9 builds; the graph already built)', ['history', 'scene build', 'lanes', 'message to the webview'], rows);
  if (targets.length > 0) {
    console.log('\nTargets at 5000 revisions:');
    for (const line of targets) console.log(`  ${line}`);
  }
}
