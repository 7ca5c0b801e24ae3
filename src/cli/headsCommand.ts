// `alembic-workbench heads`: the heads of the revision history, like `alembic heads`.
import { CliCommand, CliIO, CliUsageError, ExitCode } from './cliTypes';
import { formatLogEntry, formatRevisionLine, paletteFor } from './format';
import { failOnBrokenHistory, openProject, parseCommandArgs, reportWarnings, SHARED_USAGE } from './projectArgs';

const usage = `Usage: alembic-workbench heads [options]

Show the heads of the revision history, as \`alembic heads\` does.

Options:
  -v, --verbose              full entries (path, parents, docstring)
      --resolve-dependencies heads counting depends_on (revisions nothing depends on)
${SHARED_USAGE}

--json prints {"heads": ["<id>", ...]}.
`;

export const headsCommand: CliCommand = {
  name: 'heads',
  summary: 'show the heads of the revision history (alembic heads)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      verbose: { type: 'boolean', short: 'v' },
      'resolve-dependencies': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    if (positionals.length > 0) throw new CliUsageError(`heads takes no arguments (got '${positionals.join(' ')}')`);
    const { model } = await openProject(values, io);
    failOnBrokenHistory(model, io);
    reportWarnings(model, io, ['duplicate-revision', 'unreadable-header']);
    const graph = model.graph;
    const ids = values['resolve-dependencies'] ? graph.realHeads : graph.heads;
    if (values.json) {
      io.stdout(`${JSON.stringify({ heads: ids }, null, 2)}\n`);
      return ExitCode.ok;
    }
    const palette = paletteFor(io, values['no-color'] === true);
    for (const id of ids) {
      const node = graph.get(id);
      if (!node) continue;
      io.stdout(
        values.verbose
          ? `${formatLogEntry(node, palette)}\n`
          : `${formatRevisionLine(node, palette, { includeParents: false, includeDoc: false, treeIndicators: false })}\n`,
      );
    }
    return ExitCode.ok;
  },
};
