// Alembic: Stamp Revision: writes a revision into alembic_version without running any migration
// (`alembic stamp <rev>`), for a database whose schema already matches it. When the database holds a
// revision no file defines (migrated from another branch), plain stamp fails on it too: `--purge`
// empties the version table first, and is offered then.
import * as vscode from 'vscode';
import type { RevisionNode } from '../core/revisions/revisionGraph';
import type { AlembicCommand } from '../core/runner/alembicCommand';
import { refuseUnlessTrusted, runAlembicCommand } from '../editorRunner/commandExecution';
import { confirmDestructiveCommand } from '../editorRunner/destructiveConfirmation';
import { freshDatabaseStatus } from '../editorRunner/migrationCommands';
import { isRevisionArgument, resolveProject, resolveRevision } from './commandArguments';
import type { CommandDefinition } from './commandTable';

interface StampTarget {
  label: string;
  description?: string;
  detail?: string;
  revision: string;
}

export const stampRevisionCommand: CommandDefinition = {
  id: 'alembicWorkbench.stampRevision',
  create: (workbench) => async (argument?: unknown) => {
    const prompts = workbench.runners.prompts;
    let project;
    let revision: string | undefined;
    if (namesRevision(argument)) {
      const resolved = await resolveRevision(workbench, argument, 'Stamp the database as which revision?');
      project = resolved?.project;
      revision = resolved?.node.id;
    } else {
      project = await resolveProject(workbench, argument);
    }
    if (!project) return undefined;
    if (!refuseUnlessTrusted(workbench, 'alembic stamp')) return undefined;
    const status = await freshDatabaseStatus(workbench, project);

    if (!revision) {
      const graph = project.model.graph;
      const heads = graph.heads;
      const special: StampTarget[] = [
        {
          label: heads.length > 1 ? 'heads' : 'head',
          description: heads.length > 1 ? `every head: ${heads.join(', ')}` : `the latest revision${heads[0] ? `: ${heads[0]}` : ''}`,
          detail: 'The schema already matches the models (e.g. created by create_all()).',
          revision: heads.length > 1 ? 'heads' : 'head',
        },
        { label: 'base', description: 'no revision', detail: 'Empties alembic_version: no migration counts as applied.', revision: 'base' },
      ];
      const revisions: StampTarget[] = graph.history().map((node: RevisionNode) => ({
        label: node.id,
        description: [status?.states[node.id] ?? '', node.isHead ? 'head' : '', ...node.branchLabels].filter(Boolean).join(' · '),
        detail: node.file.message,
        revision: node.id,
      }));
      const picked = await prompts.pickOne([...special, ...revisions], {
        placeHolder: `Stamp ${project.label}'s database as which revision? (no migration runs)`,
        matchOnDescription: true,
        matchOnDetail: true,
      });
      revision = picked?.revision;
    }
    if (!revision) return undefined;

    const unknown = status?.unknown ?? [];
    let purge = (argument as { purge?: unknown } | undefined)?.purge === true;
    if (unknown.length > 0 && !purge) {
      const withPurge = { label: 'Stamp with --purge', detail: `Empties alembic_version (which holds ${unknown.join(', ')}), then writes ${revision}.`, purge: true };
      const plain = { label: 'Stamp without --purge', detail: `Alembic will fail: it can't locate ${unknown.join(', ')} in this project's files.`, purge: false };
      const how = await prompts.pickOne([withPurge, plain], {
        placeHolder: `The database is at ${unknown.join(', ')}, which no migration file defines`,
      });
      if (!how) return undefined;
      purge = how.purge;
    }

    const command: AlembicCommand = { kind: 'stamp', revisions: [revision], purge };
    const holds = status?.reachable ? (status.rows.length > 0 ? status.rows.join(', ') : 'no revision') : 'unknown (could not read it)';
    const confirmed = await confirmDestructiveCommand(workbench, {
      project,
      command,
      question: `Stamp ${project.label}'s database as ${revision}${purge ? ' (purging the version table)' : ''}?`,
      confirmLabel: 'Stamp',
      preview: [
        `No migration runs: Alembic only records ${revision} as applied. Use it when the schema already matches ${revision}.`,
        `The version table now holds: ${holds}.`,
      ],
    });
    if (!confirmed) return undefined;
    return runAlembicCommand(workbench, { project, command, title: `Stamping ${project.label} as ${revision}` });
  },
};

/** A tree item, CodeLens or revision file names the revision; the palette and failure buttons don't. */
function namesRevision(argument: unknown): boolean {
  if (argument instanceof vscode.Uri) return true;
  return isRevisionArgument(argument) || isRevisionArgument((argument as { revisionReference?: unknown } | undefined)?.revisionReference);
}
