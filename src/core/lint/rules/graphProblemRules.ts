// AW601-AW607: the revision-graph problems of the core model (src/core/revisions/graphProblems.ts),
// reported as lint findings so CI and the editor show them next to the migration rules. These
// rules have no per-file check: the graph is project-wide, so its problems come in through
// graphProblemsToFindings().
import type { SourceRange } from '../../python/pythonSource';
import type { Finding, Severity } from '../findings';
import type { LintConfig } from '../lintConfig';
import { isSuppressed, type Suppressions } from '../suppressions';
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

/** A problem as the core model reports it. */
export interface GraphProblemInput {
  name: string;
  severity: Severity;
  message: string;
  file: string;
  range?: SourceRange;
}

export interface GraphFindingOptions {
  config?: LintConfig;
  /** Suppression comments of a file (ignore-file[...] in a revision file silences its graph findings). */
  suppressionsFor?: (file: string) => Suppressions | undefined;
}

const START: SourceRange = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/** Converts the core model's graph problems to findings; configured levels and suppressions apply. */
export function graphProblemsToFindings(problems: readonly GraphProblemInput[], options: GraphFindingOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const problem of problems) {
    const rule = GRAPH_RULES.find((candidate) => candidate.name === problem.name);
    if (!rule) continue;
    const configured = options.config?.ruleLevels.get(rule.code);
    if (configured === 'off') continue;
    const range = problem.range ?? START;
    const suppressions = options.suppressionsFor?.(problem.file);
    if (suppressions && isSuppressed(suppressions, rule.code, range.start.line, range.end.line)) continue;
    findings.push({
      code: rule.code,
      rule: rule.name,
      severity: configured ?? problem.severity,
      message: problem.message,
      filePath: problem.file,
      range,
    });
  }
  return findings;
}
