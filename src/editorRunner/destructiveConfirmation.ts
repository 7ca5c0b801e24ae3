// Downgrade, Stamp and Downgrade to base change what the database holds (or what Alembic believes
// it holds), so they ask first (and autogenerate, when it would compare against a protected
// database: the team guide says never to autogenerate in production), in a modal that shows the exact command line and the database it
// will reach (password masked), and what it undoes, with the downgrades that lose data or do
// nothing. A database matching `protectedEnvironments` also needs its name typed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_TARGET_NAME, type DatabaseTarget } from '../core/db/databaseTargets';
import { lintMigration } from '../core/lint/lintEngine';
import { operationTable } from '../core/lint/migrationOperations';
import { nameOf } from '../core/lint/rules/ruleHelpers';
import type { RevisionNode } from '../core/revisions/revisionGraph';
import { migrationPlan } from '../core/revisions/revisionSymbols';
import type { AlembicCommand } from '../core/runner/alembicCommand';
import type { AlembicRunner } from '../core/runner/alembicRunner';
import { describeProtectedMatch, findProtectedMatch, type ProtectedFact } from '../core/runner/protectedEnvironments';
import { maskUrlPassword } from '../core/util/maskSecrets';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import type { WorkbenchSettings } from '../settings';
import type { Workbench } from '../workbench';
import { lintSetupForProject } from './generatedRevisionReport';

export interface RunnerDatabase {
  /** Masked: `postgresql+psycopg2://app:***@db:5432/app`, or why it is not known. */
  display: string;
  /** Where the URL comes from ("DATABASE_URL from the environment"). */
  origin: string;
  /** What the user types for a protected database: its name, else the service or host. */
  confirmationName: string;
  /** What `protectedEnvironments` patterns are matched against (never a password). */
  facts: ProtectedFact[];
}

/**
 * The database Alembic will reach: the project's own target (what env.py reads: DATABASE_URL, the
 * Compose service's environment, alembic.ini), not a named target picked for the Revisions view.
 */
export async function describeRunnerDatabase(workbench: Workbench, project: WorkspaceProject, settings: WorkbenchSettings): Promise<RunnerDatabase> {
  let target: DatabaseTarget | undefined;
  try {
    const { targets, selected } = await workbench.database.targetsFor(project);
    target = targets.find((candidate) => candidate.name === PROJECT_TARGET_NAME) ?? selected;
  } catch (error) {
    workbench.log.warn(`${project.label}: could not tell which database Alembic uses: ${(error as Error).message}`);
  }
  const facts: ProtectedFact[] = [];
  const usesService = settings.runner.mode !== 'local';
  if (usesService) facts.push({ kind: 'service', value: settings.runner.dockerCompose.service });
  const spec = target?.spec;
  let databaseName: string | undefined;
  if (spec?.dialect === 'postgresql') {
    const host = spec.clientConfig.host;
    databaseName = spec.clientConfig.database;
    if (host) facts.push({ kind: 'host', value: host });
  } else if (spec?.dialect === 'sqlite') {
    databaseName = path.basename(spec.file);
  }
  if (databaseName) facts.push({ kind: 'database', value: databaseName });
  const display = spec?.display ?? (target?.url ? maskUrlPassword(target.url) : undefined);
  if (display) facts.push({ kind: 'url', value: display });
  if (target && target.name !== PROJECT_TARGET_NAME) facts.push({ kind: 'target', value: target.name });
  return {
    display: display ?? `not known here (${target?.error?.message ?? 'env.py decides'})`,
    origin: target?.originLabel ?? 'unknown',
    confirmationName: databaseName ?? (usesService ? settings.runner.dockerCompose.service : undefined) ?? facts.find((fact) => fact.kind === 'host')?.value ?? project.label,
    facts,
  };
}

export interface DestructiveCommand {
  project: WorkspaceProject;
  /** The runner and settings when the caller already prepared them; otherwise prepared here. */
  prepared?: { runner: AlembicRunner; settings: WorkbenchSettings };
  command: AlembicCommand;
  /** "Downgrade backend by one revision?" */
  question: string;
  /** The confirming button: "Downgrade". */
  confirmLabel: string;
  /** What it will do, one line each (see downgradePreview). */
  preview?: string[];
  /** Ask only when the database matches `protectedEnvironments` (autogenerate: harmless elsewhere). */
  onlyWhenProtected?: boolean;
}

/** Asks; true only when the user confirmed (and typed the name of a protected database). */
export async function confirmDestructiveCommand(workbench: Workbench, request: DestructiveCommand): Promise<boolean> {
  const { project, command } = request;
  const { runner, settings } = request.prepared ?? (await workbench.runners.prepareRunner(project));
  const invocation = runner.invocationFor(command);
  const database = await describeRunnerDatabase(workbench, project, settings);
  const protectedMatch = findProtectedMatch(settings.protectedEnvironments, database.facts);
  if (request.onlyWhenProtected && !protectedMatch) return true;
  const detail = [
    `Command: ${invocation.commandLine}`,
    `Runs in: ${invocation.cwd}`,
    `Database: ${database.display}`,
    `   (${database.origin})`,
    ...(protectedMatch ? ['', `Protected: ${describeProtectedMatch(protectedMatch)}; you will be asked to type "${database.confirmationName}".`] : []),
    ...(request.preview && request.preview.length > 0 ? ['', ...request.preview] : []),
  ].join('\n');
  const prompts = workbench.runners.prompts;
  const answer = await prompts.message('warning', request.question, { modal: true, detail }, request.confirmLabel);
  if (answer !== request.confirmLabel) {
    workbench.log.info(`${project.label}: not confirmed, nothing run: ${invocation.commandLine}`);
    return false;
  }
  if (!protectedMatch) return true;
  const typed = await prompts.inputBox({
    title: `Protected database: ${describeProtectedMatch(protectedMatch)}`,
    prompt: `Type "${database.confirmationName}" to run: ${invocation.commandLine}`,
    placeHolder: database.confirmationName,
    validateInput: (value) => (value === database.confirmationName ? undefined : `Type ${database.confirmationName} exactly to confirm.`),
  });
  if (typed !== database.confirmationName) {
    workbench.log.info(`${project.label}: protected database not confirmed, nothing run: ${invocation.commandLine}`);
    return false;
  }
  return true;
}

const REVERSIBILITY_RULES = new Set(['missing-downgrade', 'empty-downgrade', 'downgrade-does-not-reverse']);
const MAX_WARNINGS_PER_REVISION = 3;

/**
 * What `alembic downgrade <target>` will undo from the database's current state (as last read),
 * newest first, with each undone revision's risky downgrade findings; or why it can't be told.
 */
export function downgradePreview(workbench: Workbench, project: WorkspaceProject, target: string): string[] {
  const status = workbench.database.statusFor(project.id);
  if (!status || !status.reachable) return ['What this undoes is not known here: the database state could not be read.'];
  if (status.unknown.length > 0) return [`The database is at ${status.unknown.join(', ')}, which no migration file defines: Alembic will refuse.`];
  let steps: RevisionNode[];
  try {
    steps = migrationPlan(project.model.graph, 'downgrade', target, status.current).steps;
  } catch (error) {
    return [`Alembic will refuse this from where the database is (${status.current.join(', ') || 'base'}): ${(error as Error).message}`];
  }
  if (steps.length === 0) return [`Nothing to undo: the database (${status.current.join(', ') || 'base'}) is not above ${target}.`];
  const settings = workbench.settingsFor(project);
  const setup = lintSetupForProject(project.config, project.workspaceFolder.uri.fsPath, settings.lint.dialect);
  const lines = [`Undoes ${steps.length} revision${steps.length === 1 ? '' : 's'} (newest first):`];
  for (const step of steps) {
    lines.push(`  ${step.id}  ${firstLine(step.file.message ?? '')}`);
    for (const warning of downgradeWarnings(step, setup).slice(0, MAX_WARNINGS_PER_REVISION)) lines.push(`      ⚠ ${warning}`);
  }
  return lines;
}

function downgradeWarnings(step: RevisionNode, setup: ReturnType<typeof lintSetupForProject>): string[] {
  let source: string;
  try {
    source = readFileSync(step.file.filePath, 'utf8');
  } catch {
    return [];
  }
  const { findings, migration } = lintMigration(source, { filePath: step.file.filePath, context: setup.context, config: setup.config });
  const downgrade = migration.downgrade;
  const firstDowngradeLine = downgrade ? migration.lineIndex.position(downgrade.from).line : Number.POSITIVE_INFINITY;
  const lastDowngradeLine = downgrade ? migration.lineIndex.position(downgrade.to).line : Number.NEGATIVE_INFINITY;
  // Lint rules judge upgrades; a downgrade dropping what its upgrade added is "correct", yet it
  // loses whatever was written there since: say so.
  const dataLoss = migration.operations
    .filter((operation) => operation.functionKind === 'downgrade' && (operation.name === 'drop_column' || operation.name === 'drop_table'))
    .map((operation) => {
      const table = operationTable(operation) ?? '(a table)';
      const line = migration.lineIndex.position(operation.calleeFrom).line + 1;
      return operation.name === 'drop_column'
        ? `drops column ${table}.${nameOf(operation, 'column_name') ?? '(a column)'} and the data in it (line ${line})`
        : `drops table ${table} and its rows (line ${line})`;
    });
  const risky = findings
    .filter((finding) => finding.severity !== 'info')
    .filter(
      (finding) =>
        REVERSIBILITY_RULES.has(finding.rule) || (finding.range.start.line >= firstDowngradeLine && finding.range.start.line <= lastDowngradeLine),
    )
    .map((finding) => `${finding.rule} (line ${finding.range.start.line + 1}): ${finding.message}`);
  return [...risky, ...dataLoss];
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
