// The steps several commands share: upgrading to a target, downgrading with confirmation, creating
// a revision (Generate, Generate Empty) and reading what the database holds. The command files in
// src/commands/ resolve their arguments and call these.
import type { DatabaseStatus } from '../core/db/databaseStatusService';
import type { AlembicCommand } from '../core/runner/alembicCommand';
import type { AlembicRunResult } from '../core/runner/alembicRunner';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import type { Workbench } from '../workbench';
import { refuseUnlessTrusted, runAlembicCommand } from './commandExecution';
import { type CreatedRevision, presentCreatedRevision } from './createdRevision';
import { confirmDestructiveCommand, downgradePreview } from './destructiveConfirmation';
import { validateRevisionMessage } from './revisionMessageInput';

/** The database state, read again now (it may have changed outside VS Code); undefined when unknown. */
export async function freshDatabaseStatus(workbench: Workbench, project: WorkspaceProject): Promise<DatabaseStatus | undefined> {
  try {
    await workbench.database.refresh(project.id);
  } catch (error) {
    workbench.log.warn(`${project.label}: could not read the database state: ${(error as Error).message}`);
  }
  return workbench.database.statusFor(project.id);
}

/**
 * `alembic upgrade <target>`. On a database matching `protectedEnvironments` it asks first, with the
 * name typed: the team guide's production steps (test in staging, back up) come before it.
 */
export async function upgradeTo(workbench: Workbench, project: WorkspaceProject, target: string, title: string): Promise<AlembicRunResult | undefined> {
  const command: AlembicCommand = { kind: 'upgrade', target };
  if (!refuseUnlessTrusted(workbench, `alembic upgrade ${target}`)) return undefined;
  const confirmed = await confirmDestructiveCommand(workbench, {
    project,
    command,
    onlyWhenProtected: true,
    question: `Upgrade a protected database in ${project.label}?`,
    confirmLabel: 'Upgrade',
    preview: ['Before migrating a production-like database: test these migrations in staging, back the database up, and expect lock findings to block the tables they name for as long as the rewrite takes.'],
  });
  if (!confirmed) return undefined;
  return runAlembicCommand(workbench, { project, command, title });
}

export interface DowngradeQuestion {
  /** "Downgrade backend by one revision?" */
  question: string;
  confirmLabel: string;
  title: string;
}

/** `alembic downgrade <target>` after the user confirmed (command line, database, what it undoes). */
export async function downgradeTo(workbench: Workbench, project: WorkspaceProject, target: string, question: DowngradeQuestion): Promise<AlembicRunResult | undefined> {
  const command: AlembicCommand = { kind: 'downgrade', target };
  if (!refuseUnlessTrusted(workbench, `alembic downgrade ${target}`)) return undefined;
  await freshDatabaseStatus(workbench, project);
  const confirmed = await confirmDestructiveCommand(workbench, {
    project,
    command,
    question: question.question,
    confirmLabel: question.confirmLabel,
    preview: downgradePreview(workbench, project, target),
  });
  if (!confirmed) return undefined;
  return runAlembicCommand(workbench, { project, command, title: question.title });
}

export interface GenerateOutcome {
  result: AlembicRunResult;
  created?: CreatedRevision;
}

export interface GenerateOptions {
  autogenerate: boolean;
}

/** Generate Migration / Generate Empty Migration: ask for the message, run, open and lint the file. */
export async function generateRevision(workbench: Workbench, project: WorkspaceProject, options: GenerateOptions): Promise<GenerateOutcome | undefined> {
  const description = options.autogenerate ? 'alembic revision --autogenerate' : 'alembic revision';
  if (!refuseUnlessTrusted(workbench, description)) return undefined;
  const heads = project.model.graph.heads;
  const message = await workbench.runners.prompts.inputBox({
    title: options.autogenerate ? `Generate Migration (autogenerate) in ${project.label}` : `Generate Empty Migration in ${project.label}`,
    prompt: options.autogenerate
      ? 'What changed in the models? Alembic compares them with the database and writes the operations.'
      : 'What will this migration do? You write its upgrade() and downgrade().',
    placeHolder: 'add meeting summary',
    validateInput: validateRevisionMessage,
  });
  if (message === undefined) return undefined;
  const command: AlembicCommand = { kind: 'revision', message, autogenerate: options.autogenerate };
  if (options.autogenerate) {
    // Autogenerate connects to the database and writes whatever differs from the models: against
    // production that turns drift (a hotfix, a manual index) into a migration. Asked only there.
    const confirmed = await confirmDestructiveCommand(workbench, {
      project,
      command,
      onlyWhenProtected: true,
      question: `Autogenerate against a protected database in ${project.label}?`,
      confirmLabel: 'Generate Anyway',
      preview: [
        'Autogenerate compares the models with this database and writes every difference into the new migration.',
        'Generate migrations against a development database, then test them in staging (the team guide: never autogenerate in production).',
      ],
    });
    if (!confirmed) return undefined;
  }
  const result = await runAlembicCommand(workbench, {
    project,
    command,
    title: options.autogenerate
      ? `Generating a migration for ${project.label}${heads.length === 1 ? ` on ${heads[0]}` : ''}`
      : `Creating an empty migration in ${project.label}`,
  });
  if (!result) return undefined;
  if (!result.ok) return { result };
  const created = await presentCreatedRevision(workbench, project, result, options.autogenerate ? 'autogenerate' : 'empty');
  return { result, created };
}

/** A revision as a quick-pick line: `a64b9c0e2f57  change transcript ...`. */
export function revisionLabel(project: WorkspaceProject, revision: string): string {
  const message = project.model.graph.get(revision)?.file.message?.split('\n')[0];
  return message ? `${revision} (${message})` : revision;
}
