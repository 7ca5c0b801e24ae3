// Where the subcommand is in an `alembic-workbench` command line. Node built-ins only: the launcher
// reads it to decide whether a resident server may answer.

// Global options that take a value, so a value is never mistaken for the command name.
const OPTIONS_WITH_VALUE = new Set(['-c', '--config', '-n', '--name', '--file-order']);

/** Index of the subcommand's name in argv, or -1 when there is none. */
export function commandIndexOf(argv: readonly string[]): number {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') return -1;
    if (!arg.startsWith('-')) return index;
    if (OPTIONS_WITH_VALUE.has(arg)) index++;
  }
  return -1;
}
