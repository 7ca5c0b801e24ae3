// Runs in a fresh process so "cold" means cold: reads one project once and reports, as JSON on
// stdout, the load (read + parse), the graph build, the history order, and the rebuild after one
// file changes: an edit of a migration's body, and an edit of its header (median of 21 each).
import { readFileSync } from 'node:fs';
import { AlembicProjectModel } from '../../src/core/projectModel';
import { loadProjectConfig } from '../../src/core/project/projectConfig';

const ini = process.argv[2];
const started = performance.now();
const model = new AlembicProjectModel(loadProjectConfig(ini)).load();
const loaded = performance.now();
const graph = model.graph;
const built = performance.now();
graph.history();
const ordered = performance.now();
const files = model.files.map((file) => file.filePath);

/**
 * Median time of `model.updateFile` + reading the graph again, over 21 edits of different files;
 * each edit is undone (untimed) before the next, so they don't pile up.
 */
function editTiming(change: (text: string, file: string) => string): number {
  const samples: number[] = [];
  for (let edit = 0; edit < 21; edit++) {
    const file = files[(edit * 7919) % files.length];
    const original = readFileSync(file, 'utf8');
    const before = performance.now();
    model.updateFile(file, change(original, file));
    void model.graph.heads;
    samples.push(performance.now() - before);
    model.updateFile(file, original);
    void model.graph.heads;
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

// Editing upgrade()'s body (the common case) keeps the graph's shape. Editing the header (here:
// pointing down_revision at the grandparent, as when fixing a history after a rebase) rebuilds it.
const bodyEditMs = editTiming((text) => text.replace('# ### end Alembic commands ###', '# ### end Alembic commands ### edited'));
const headerEditMs = editTiming((text, file) => {
  const node = graph.revisions().find((candidate) => candidate.file.filePath === file);
  const grandparent = node?.parents[0] ? graph.get(node.parents[0])?.file.downRevisions[0] : undefined;
  return grandparent ? text.replace(/^down_revision = .*$/m, `down_revision = '${grandparent}'`) : text.replace('depends_on = None', 'depends_on = None  # edited');
});
process.stdout.write(
  JSON.stringify({
    loadMs: loaded - started,
    buildMs: built - loaded,
    historyMs: ordered - built,
    bodyEditMs,
    headerEditMs,
    revisions: graph.size,
    heads: graph.heads,
  }),
);
