// The command table. Each entry is one line, and a command's module is loaded only when it runs,
// so adding a subcommand (e.g. `lint`) is one line here plus its own file.
import type { CliCommand } from './cliTypes';

export interface CommandEntry {
  name: string;
  /** One line for `alembic-workbench --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

export const CLI_COMMANDS: readonly CommandEntry[] = [
  { name: 'heads', summary: 'show the heads of the revision history (alembic heads)', load: async () => (await import('./headsCommand')).headsCommand },
  { name: 'history', summary: 'list revisions newest first, like alembic history', load: async () => (await import('./historyCommand')).historyCommand },
  { name: 'show', summary: 'show the revision(s) a symbol denotes, like alembic show', load: async () => (await import('./showCommand')).showCommand },
  { name: 'check', summary: 'report every problem in the history and config (exit 1 on errors)', load: async () => (await import('./checkCommand')).checkCommand },
  { name: 'graph', summary: 'draw the revision graph in the terminal', load: async () => (await import('./graphCommand')).graphCommand },
  { name: 'status', summary: 'where the database stands against the files (exit codes for deploy gates)', load: async () => (await import('./statusCommand')).statusCommand },
  { name: 'lint', summary: 'lint migrations for risky operations (locks, rewrites, data loss, rollback)', load: async () => (await import('./lintCommand')).lintCommand },
  { name: 'server', summary: 'keep a resident process that answers heads/history/show/check/graph faster', load: async () => (await import('./serverCommand')).serverCommand },
];
