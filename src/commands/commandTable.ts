// Every command of the extension, registered in one place. A command lives in its own file and
// exports a CommandDefinition; adding one is a row here plus its entry in package.json.
// runCommandSafely is the one error wrapper: a command that throws shows a clear message with a
// way to the log, instead of VS Code's generic "command failed".
import * as vscode from 'vscode';
import { CommandAlreadyRunningError } from '../core/runner/processRunner';
import { UntrustedWorkspaceError } from '../core/runner/alembicRunner';
import type { Workbench } from '../workbench';
import { checkMigrationsCommand } from './checkMigrations';
import { configureRunnerCommand } from './configureRunner';
import { copyRevisionIdCommand } from './copyRevisionId';
import { downgradeOneCommand } from './downgradeOne';
import { downgradeToBaseCommand } from './downgradeToBase';
import { downgradeToRevisionCommand } from './downgradeToRevision';
import { generateEmptyMigrationCommand } from './generateEmptyMigration';
import { generateMigrationCommand } from './generateMigration';
import { groupByBranchCommand } from './groupByBranch';
import { lintWorkspaceCommand } from './lintWorkspace';
import { mergeHeadsCommand } from './mergeHeads';
import { openRevisionCommand } from './openRevision';
import { openRevisionGraphCommand } from './openRevisionGraph';
import { openRuleDocumentationCommand } from './openRuleDocumentation';
import { refreshCommand } from './refresh';
import { revealRevisionFileCommand } from './revealRevisionFile';
import { roundTripCommand } from './roundTrip';
import { selectDatabaseTargetCommand } from './selectDatabaseTarget';
import { setDatabasePasswordCommand } from './setDatabasePassword';
import { showCurrentCommand } from './showCurrent';
import { showFlatHistoryCommand } from './showFlatHistory';
import { showHistoryCommand } from './showHistory';
import { showOutputCommand } from './showOutput';
import { showSqlCommand } from './showSql';
import { stampRevisionCommand } from './stampRevision';
import { upgradeHeadCommand } from './upgradeHead';
import { upgradeOneCommand } from './upgradeOne';
import { upgradeToRevisionCommand } from './upgradeToRevision';

export interface CommandDefinition {
  /** `alembicWorkbench.<verbNoun>`, as declared in package.json. */
  id: string;
  create(workbench: Workbench): (...args: unknown[]) => unknown;
}

export const COMMANDS: readonly CommandDefinition[] = [
  showOutputCommand,
  refreshCommand,
  // The Revisions view and database state.
  openRevisionCommand,
  openRevisionGraphCommand,
  copyRevisionIdCommand,
  revealRevisionFileCommand,
  groupByBranchCommand,
  showFlatHistoryCommand,
  selectDatabaseTargetCommand,
  setDatabasePasswordCommand,
  // Lint.
  lintWorkspaceCommand,
  openRuleDocumentationCommand,
  // Running Alembic (src/editorRunner/commandExecution.ts)
  generateMigrationCommand,
  generateEmptyMigrationCommand,
  upgradeHeadCommand,
  upgradeToRevisionCommand,
  upgradeOneCommand,
  downgradeOneCommand,
  downgradeToRevisionCommand,
  downgradeToBaseCommand,
  stampRevisionCommand,
  mergeHeadsCommand,
  showCurrentCommand,
  showHistoryCommand,
  showSqlCommand,
  roundTripCommand,
  checkMigrationsCommand,
  configureRunnerCommand,
];

export function registerCommands(workbench: Workbench, commands: readonly CommandDefinition[] = COMMANDS): void {
  for (const command of commands) {
    const handler = command.create(workbench);
    workbench.track(vscode.commands.registerCommand(command.id, (...args: unknown[]) => runCommandSafely(workbench, command.id, () => handler(...args))));
  }
}

export async function runCommandSafely<T>(workbench: Workbench, commandId: string, work: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CommandAlreadyRunningError || error instanceof UntrustedWorkspaceError) {
      // Expected refusals: say why, nothing to debug.
      void vscode.window.showWarningMessage(error.message);
      return undefined;
    }
    workbench.log.error(`${commandId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const choice = await vscode.window.showErrorMessage(
      `Alembic Workbench: ${error instanceof Error ? error.message : String(error)}`,
      'Show Output',
    );
    if (choice === 'Show Output') workbench.log.show(false);
    return undefined;
  }
}
