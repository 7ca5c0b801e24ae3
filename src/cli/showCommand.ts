// `alembic-workbench show <symbol>`: the revision(s) a symbol denotes, like `alembic show`; with
// --upgrade/--downgrade, where `alembic upgrade/downgrade <symbol>` would go from --from revisions.
import { resolveSymbol, RevisionResolutionError } from '../core/revisions/revisionSymbols';
import { CliCommand, CliIO, CliUsageError, ExitCode } from './cliTypes';
import { formatLogEntry, paletteFor } from './format';
import { CliFailure, failOnBrokenHistory, openProject, parseCommandArgs, SHARED_USAGE } from './projectArgs';
import { revisionJson } from './revisionJson';

const usage = `Usage: alembic-workbench show <symbol> [options]

Show the revision(s) a symbol denotes, as \`alembic show\` does. Symbols: a full id, a unique
prefix (4+ characters), head, heads, base, <label>, <label>@head, <label>@<id>, -1 (below the heads).

Options:
      --upgrade         resolve the symbol as an \`alembic upgrade\` target (+2, <id>+1, head-1, label@+1)
      --downgrade       resolve the symbol as an \`alembic downgrade\` target (-1, label@-1, base)
      --from REV        the database's current revision, for relative targets (repeat for several)
${SHARED_USAGE}

--json prints an array of revisions (the shape of \`history --json\`); [] for base.
`;

export const showCommand: CliCommand = {
  name: 'show',
  summary: 'show the revision(s) a symbol denotes, like alembic show',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      upgrade: { type: 'boolean' },
      downgrade: { type: 'boolean' },
      from: { type: 'string', multiple: true },
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    if (positionals.length !== 1) throw new CliUsageError('show takes exactly one revision symbol, e.g. `show head`');
    if (values.upgrade && values.downgrade) throw new CliUsageError('choose --upgrade or --downgrade, not both');
    const symbol = positionals[0];
    if (symbol === 'current') {
      throw new CliUsageError("'current' is the database's revision; this command reads only the files. Pass it as --from REV with --upgrade/--downgrade.");
    }
    const { model } = await openProject(values, io);
    failOnBrokenHistory(model, io);
    const purpose = values.upgrade ? 'upgrade' : values.downgrade ? 'downgrade' : 'show';
    const from = ((values as Record<string, unknown>).from as string[] | undefined)?.flatMap((value) => value.split(',')).filter(Boolean);
    let resolved;
    try {
      resolved = resolveSymbol(model.graph, symbol, { purpose, from });
    } catch (error) {
      if (error instanceof RevisionResolutionError) {
        throw new CliFailure(`${error.message}${error.detail && error.detail !== error.message ? `\n  (${error.detail})` : ''}`, ExitCode.revisionNotResolved);
      }
      throw error;
    }
    const nodes = resolved.filter((entry) => entry !== 'base');
    if (values.json) {
      io.stdout(`${JSON.stringify(nodes.map(revisionJson), null, 2)}\n`);
      return ExitCode.ok;
    }
    const palette = paletteFor(io, values['no-color'] === true);
    for (const entry of resolved) {
      if (entry === 'base') {
        if (purpose !== 'show') io.stdout('<base>\n');
        continue;
      }
      io.stdout(`${formatLogEntry(entry, palette)}\n`);
    }
    return ExitCode.ok;
  },
};
