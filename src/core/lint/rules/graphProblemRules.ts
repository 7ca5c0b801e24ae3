// AW601-AW615: the revision-graph problems (and one project problem, AW615) of the core model (src/core/revisions/graphProblems.ts),
// reported as lint findings so CI and the editor show them next to the migration rules. These
// rules have no per-file check: the graph is project-wide, so its problems come in through
// graphProblemsToFindings() (../graphFindings.ts).
import type { Severity } from '../findings';
import type { LintRule } from './ruleTypes';

function graphRule(code: string, name: string, defaultSeverity: Severity, summary: string): LintRule {
  return { code, name, category: 'revision-graph', defaultSeverity, dialects: 'all', summary, docsPath: `docs/rules/${name}.md`, check: () => [] };
}

export const GRAPH_RULES: readonly LintRule[] = [
  graphRule('AW601', 'duplicate-revision', 'error', 'Two revision files declare the same revision id.'),
  graphRule('AW602', 'dangling-reference', 'error', 'down_revision, a merge tuple or depends_on names a revision that does not exist.'),
  graphRule('AW603', 'revision-cycle', 'error', 'Revisions depend on each other in a cycle.'),
  graphRule('AW604', 'missing-revision-id', 'error', 'A revision file has no readable `revision = "..."`.'),
  graphRule('AW605', 'multiple-heads', 'warning', 'The history has more than one head: `alembic upgrade head` fails until they are merged.'),
  graphRule('AW606', 'filename-mismatch', 'warning', "A file name disagrees with its revision id or the project's file_template."),
  graphRule('AW607', 'docstring-mismatch', 'warning', 'The docstring\'s "Revision ID" / "Revises" lines disagree with the variables.'),
  graphRule('AW608', 'missing-down-revision', 'error', 'A revision file has no module-level `down_revision` (Alembic fails with AttributeError).'),
  graphRule('AW609', 'invalid-revision-id', 'error', 'A revision id is empty or contains "@", "-" or "+", which Alembic rejects.'),
  graphRule('AW610', 'invalid-header', 'error', 'A header variable has the wrong type (e.g. `revision = 42`, `down_revision = (None, "a")`).'),
  graphRule('AW611', 'unreadable-header', 'warning', 'A header value only Python could compute (a name, a call, an f-string): the static reader skips it.'),
  graphRule('AW612', 'duplicate-branch-label', 'error', 'Two revisions declare the same branch label, or a label equals a revision id.'),
  graphRule('AW613', 'syntax-error', 'error', 'The revision file is not valid Python: Alembic fails to import it.'),
  graphRule('AW614', 'config-error', 'error', 'alembic.ini / pyproject.toml holds a setting Alembic rejects, or a versions folder can\'t be read.'),
  // Not a graph problem but a project one, found in the application code (../../project/startupSchemaCalls.ts).
  graphRule('AW615', 'create-all-at-startup', 'warning', 'Application code creates tables with metadata.create_all() beside Alembic: upgrades then fail with "already exists".'),
];
