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

/** Median time of `model.updateFile` + reading the graph again, over 21 edits. */
function editTiming(change: (text: string, edit: number) => string): number {
  const samples: number[] = [];
  for (let edit = 0; edit < 21; edit++) {
    const file = files[(edit * 7919) % files.length];
    const text = change(readFileSync(file, 'utf8'), edit);
    const before = performance.now();
    model.updateFile(file, text);
    void model.graph.heads;
    samples.push(performance.now() - before);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

// Editing upgrade()'s body (the common case) keeps the graph's shape; editing the header rebuilds it.
const bodyEditMs = editTiming((text, edit) => text.replace('# ### end Alembic commands ###', `# ### end Alembic commands ### edit ${edit}`));
const headerEditMs = editTiming((text, edit) => text.replace('branch_labels = None', `branch_labels = ('bench_${edit}',)`));
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
