// Runs bundled (esbuild) in a fresh process, as the extension runs: reads one project, then times
// the Revisions view's model (everything getChildren computes) flat and grouped by branch, the
// first time (cold code) and after a change (median of 11), and prints JSON on stdout.
import { revisionGraphView } from '../../src/core/db/databaseState';
import { restateDatabaseStatus, type DatabaseStatus } from '../../src/core/db/databaseStatusService';
import { loadProjectConfig } from '../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../src/core/projectModel';
import { buildProjectTree, treeRoots } from '../../src/views/revisionTreeModel';

const model = AlembicProjectModel.load(loadProjectConfig(process.argv[2]));
const graph = model.graph;
graph.history();
const middle = graph.revisions()[graph.size >> 1].id;
const unread: DatabaseStatus = {
  projectId: 'bench', targetId: 'bench#project', targetName: 'project', source: 'database', reachable: true, initialised: true, rows: [middle],
  current: [], applied: [], pending: [], unknown: [], states: {}, upToDate: false, problems: [], message: '', notes: [], readAt: 0, durationMs: 0,
};
const database = restateDatabaseStatus(unread, revisionGraphView(graph));

function time(groupByBranch: boolean): { first: number; again: number; items: number } {
  const build = () => treeRoots([buildProjectTree({ projectId: 'bench', label: 'bench', graph, database }, { groupByBranch })]);
  let started = performance.now();
  const items = build().length;
  const first = performance.now() - started;
  const samples: number[] = [];
  for (let run = 0; run < 11; run++) {
    started = performance.now();
    build();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { first, again: samples[5], items };
}

const flat = time(false);
const grouped = time(true);
process.stdout.write(JSON.stringify({ flat, grouped }));
