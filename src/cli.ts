// The `alembic-workbench` command line, on the same core as the extension.
// PLACEHOLDER dispatcher for the lint branch: the core model's `src/cli/main.ts` (argument parsing,
// the command table, --help, --version) replaces this file; `lint` is then one row of its table.
import { CliUsageError, ExitCode, type CliIO } from './cli/cliTypes';
import { lintCommand } from './cli/lintCommand';

async function main(argv: string[]): Promise<number> {
  const io: CliIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
  const [name, ...args] = argv;
  if (name !== lintCommand.name) {
    io.stderr(`Usage: alembic-workbench lint [PATH...] [options]\n${name ? `Unknown command "${name}".\n` : ''}`);
    return ExitCode.usage;
  }
  try {
    return await lintCommand.run(args, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`alembic-workbench ${name}: ${error.message}\n\n${lintCommand.usage}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`alembic-workbench: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
