// Converts the core model's revision-graph problems ({name, severity, message, file, range}) into
// AW6xx findings, honouring configured levels and ignore-file comments.
import { LineIndex, PythonNestingError, type SourceRange } from '../python/pythonSource';
import { parseMigrationTree } from './fastMigrationParser';
import type { Finding, Severity } from './findings';
import type { LintConfig } from './lintConfig';
import { GRAPH_RULES } from './rules/graphProblemRules';
import { isSuppressed, parseSuppressions, type Suppressions } from './suppressions';

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

/** The suppression comments of a file's text (for `suppressionsFor`); undefined when it has none. */
export function suppressionsInSource(source: string, file: string): Suppressions | undefined {
  if (!source.includes('alembic-workbench')) return undefined;
  try {
    return parseSuppressions(source, parseMigrationTree(source), new LineIndex(source), file);
  } catch (error) {
    // Nested too deeply to parse: lint reports that file as not analysed; its comments can't be read.
    if (error instanceof PythonNestingError) return undefined;
    throw error;
  }
}
