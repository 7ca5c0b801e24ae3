// The `alembic-workbench` command line: global options, the command table, --help and --version.
// Subcommands print through CliIO and return an exit code, so tests run them in-process.
// Only the version: a named import lets esbuild leave the rest of package.json (24 KB) out of the bundle.
import { version } from '../../package.json';
import { CliIO, CliUsageError, ExitCode } from './cliTypes';
import { commandIndexOf } from './commandLine';
import { CLI_COMMANDS } from './commands';
import { CliFailure } from './projectArgs';

function overview(): string {
  const width = Math.max(...CLI_COMMANDS.map((command) => command.name.length));
  return `Usage: alembic-workbench [-c PATH] [-n SECTION] <command> [options]

Reads an Alembic project the way Alembic does, without running Python.

Commands:
${CLI_COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run \`alembic-workbench <command> --help\` for a command's options.
Options before the command (-c/--config, -n/--name, --json, --no-color) apply to it.

Exit status: 0 ok, 1 problems found (check) or a history Alembic can't read, 2 bad arguments,
3 no project found, 4 a revision symbol that doesn't resolve.
`;
}

/** Runs the command line; returns the exit code. Never throws for user errors. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const commandIndex = commandIndexOf(argv);
  const leading = commandIndex < 0 ? argv : argv.slice(0, commandIndex);
  if (commandIndex < 0) {
    if (leading.includes('--version') || leading.includes('-V')) {
      io.stdout(`alembic-workbench ${version}\n`);
      return ExitCode.ok;
    }
    if (leading.includes('--help') || leading.includes('-h')) {
      io.stdout(overview());
      return ExitCode.ok;
    }
    io.stderr(overview());
    io.stderr('\nerror: no command given\n');
    return ExitCode.usage;
  }
  const name = argv[commandIndex];
  const entry = CLI_COMMANDS.find((command) => command.name === name);
  if (!entry) {
    io.stderr(`error: unknown command '${name}'. Commands: ${CLI_COMMANDS.map((command) => command.name).join(', ')}\n`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  try {
    return await command.run([...leading, ...argv.slice(commandIndex + 1)], io, main);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`error: ${error.message}\n\n${command.usage}`);
      return ExitCode.usage;
    }
    if (error instanceof CliFailure) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`error: ${(error as Error).stack ?? String(error)}\n`);
    return 70; // EX_SOFTWARE: a bug of ours, not the user's.
  }
}
