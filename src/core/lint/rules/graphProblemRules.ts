// AW601-AW607: the revision-graph problems of the core model (src/core/revisions/graphProblems.ts),
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
];
