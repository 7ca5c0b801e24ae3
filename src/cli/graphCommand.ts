// `alembic-workbench graph`: the revision DAG drawn in the terminal, newest first, like
// `git log --graph`: one lane per line of history, merges and branch points as joining lanes.
import { layoutGraph, LaneEdge } from '../core/revisions/graphLayout';
import type { RevisionNode } from '../core/revisions/revisionGraph';
import { CliCommand, CliIO, CliUsageError, ExitCode } from './cliTypes';
import { Palette, paletteFor } from './format';
import { openProject, parseCommandArgs, SHARED_USAGE } from './projectArgs';
import { revisionJson } from './revisionJson';

const usage = `Usage: alembic-workbench graph [options]

Draw the revision graph, newest first. Works on broken histories too (missing parents and
cycles are marked), so it is the place to look when heads or history refuse.

${SHARED_USAGE}

--json prints an array, in drawing order, of revisions (the shape of \`history --json\`) with
"column", the lane the revision is drawn in.
`;

/** Text rows that carry lanes from one row to the next, one lane step per row. */
export function drawTransition(edges: LaneEdge[]): string[] {
  if (edges.every((edge) => edge.from === edge.to)) return [];
  const rows: string[] = [];
  const position = edges.map((edge) => edge.from);
  while (position.some((at, index) => at !== edges[index].to)) {
    const cells: string[] = [];
    const put = (column: number, char: string) => {
      const existing = cells[column];
      cells[column] = existing === undefined || existing === ' ' || existing === char ? char : existing === '|' ? char : 'X';
    };
    edges.forEach((edge, index) => {
      const at = position[index];
      if (at === edge.to) put(2 * at, '|');
      else if (edge.to < at) {
        put(2 * at - 1, '/');
        position[index] = at - 1;
      } else {
        put(2 * at + 1, '\\');
        position[index] = at + 1;
      }
    });
    rows.push(Array.from(cells, (cell) => cell ?? ' ').join('').trimEnd());
  }
  return rows;
}

function describe(node: RevisionNode, palette: Palette): string {
  const parts = [palette.id(node.id)];
  if (node.branchLabels.length > 0) parts.push(palette.label(`(${node.branchLabels.join(', ')})`));
  if (node.isHead) parts.push(palette.marker('(head)'));
  if (node.isBranchPoint) parts.push(palette.marker('(branchpoint)'));
  if (node.isMergePoint) parts.push(palette.marker('(mergepoint)'));
  if (node.isBase) parts.push(palette.marker('(base)'));
  if (node.dependencies.length > 0) parts.push(palette.dim(`[depends on ${node.dependencies.join(', ')}]`));
  if (node.missingParents.length > 0) parts.push(palette.error(`[missing ${node.missingParents.join(', ')}]`));
  if (node.missingDependencies.length > 0) parts.push(palette.error(`[missing dependency ${node.missingDependencies.join(', ')}]`));
  if (node.file.message) parts.push(node.file.message.split('\n')[0]);
  return parts.join(' ');
}

export const graphCommand: CliCommand = {
  name: 'graph',
  summary: 'draw the revision graph in the terminal',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {});
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    if (positionals.length > 0) throw new CliUsageError(`graph takes no arguments (got '${positionals.join(' ')}')`);
    const { model } = await openProject(values, io);
    const graph = model.graph;
    const rows = layoutGraph(graph);
    if (values.json) {
      io.stdout(`${JSON.stringify(rows.map((row) => ({ ...revisionJson(row.node), column: row.column })), null, 2)}\n`);
      return ExitCode.ok;
    }
    const palette = paletteFor(io, values['no-color'] === true);
    const lines: string[] = [];
    for (const row of rows) {
      lines.push(...drawTransition(row.before));
      const lanes = Array.from({ length: row.laneCount }, (_, index) => (index === row.column ? palette.marker('*') : '|')).join(' ');
      lines.push(`${lanes}  ${describe(row.node, palette)}`);
      lines.push(...drawTransition(row.after));
    }
    for (const file of graph.unidentifiedFiles) lines.push(palette.error(`!  ${file.filePath}: no readable revision id (not in the graph)`));
    if (graph.cycles.length > 0) lines.push(palette.error(`!  cycles: ${graph.cycles.map((cycle) => cycle.join(' -> ')).join('; ')}`));
    io.stdout(lines.length > 0 ? `${lines.join('\n')}\n` : 'No revisions.\n');
    return ExitCode.ok;
  },
};
