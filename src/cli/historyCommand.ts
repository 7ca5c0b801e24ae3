// `alembic-workbench history`: every revision newest first, in the order and format of
// `alembic history` (`<down> -> <rev> (labels) (head) (branchpoint) (mergepoint), <message>`).
import { RevisionResolutionError, walkRevisions } from '../core/revisions/revisionSymbols';
import { CliCommand, CliIO, CliUsageError, ExitCode } from './cliTypes';
import { formatLogEntry, formatRevisionLine, paletteFor } from './format';
import { CliFailure, failOnBrokenHistory, openProject, parseCommandArgs, reportWarnings, SHARED_USAGE } from './projectArgs';
import { revisionJson } from './revisionJson';

const usage = `Usage: alembic-workbench history [options]

List the revisions newest first, in the order \`alembic history\` prints them.

Options:
  -r, --rev-range A:B   only revisions from A up to B (A: or :B allowed; symbols like heads, base, label@head)
  -v, --verbose         full entries (path, parents, docstring)
${SHARED_USAGE}

--json prints an array, newest first, of
  {"revision", "down_revisions", "branch_labels", "depends_on", "message", "file",
   "is_head", "is_branch_point", "is_merge_point"}.
`;

export const historyCommand: CliCommand = {
  name: 'history',
  summary: 'list revisions newest first, like alembic history',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      'rev-range': { type: 'string', short: 'r' },
      verbose: { type: 'boolean', short: 'v' },
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    if (positionals.length > 0) throw new CliUsageError(`history takes no arguments (got '${positionals.join(' ')}'); use -r A:B for a range`);
    let base: string | undefined;
    let head: string | undefined;
    const range = values['rev-range'] as string | undefined;
    if (range !== undefined) {
      const parts = range.trim().split(':');
      if (parts.length !== 2) throw new CliUsageError('History range requires [start]:[end], [start]:, or :[end]');
      [base, head] = parts;
    }
    const { model } = await openProject(values, io);
    failOnBrokenHistory(model, io);
    const graph = model.graph;
    // Alembic lists the shadowed copy of a duplicated id as an extra head; when that id has
    // children, `alembic history` then fails with "Requested revision ... overlaps".
    for (const [id, files] of graph.duplicates) {
      const node = graph.get(id);
      if (node && !node.isRealHead) {
        throw new CliFailure(
          `Revision ${id} is defined in ${files.length} files (${files.map((file) => file.filePath).join(', ')}), so \`alembic history\` fails ("Requested revision ... overlaps with other requested revisions ${id}"). Give one of them a new revision id.`,
          ExitCode.problemsFound,
        );
      }
    }
    reportWarnings(model, io, ['unreadable-header']);
    let nodes;
    try {
      nodes = walkRevisions(graph, base || 'base', head || 'heads');
    } catch (error) {
      if (error instanceof RevisionResolutionError) {
        throw new CliFailure(`${error.message}${error.detail ? `\n  (${error.detail})` : ''}`, ExitCode.revisionNotResolved);
      }
      throw error;
    }
    if (values.json) {
      io.stdout(`${JSON.stringify(nodes.map(revisionJson), null, 2)}\n`);
      return ExitCode.ok;
    }
    const palette = paletteFor(io, values['no-color'] === true);
    const lines: string[] = [];
    for (const node of nodes) {
      lines.push(
        values.verbose
          ? `${formatLogEntry(node, palette)}\n`
          : `${formatRevisionLine(node, palette, { includeParents: true, includeDoc: true, treeIndicators: true })}\n`,
      );
    }
    io.stdout(lines.join(''));
    return ExitCode.ok;
  },
};
