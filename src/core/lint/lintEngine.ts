// lintMigration: one revision file's source in, findings and config problems out. No I/O, no
// VS Code: the CLI and the editor call the same function. A rule runs once per project dialect it
// applies to; code under a dialect guard (`if bind.dialect.name == "mysql":`) counts for that
// dialect only. A rule that throws is reported as an
// internal problem and the other rules' findings are kept.
import { compareFindings, type ConfigProblem, type Finding, type Fix, type RuleLevel, type Severity } from './findings';
import { emptyLintConfig, type LintConfig } from './lintConfig';
import { dialectGuardRegions, guardDialectsAt } from './dialectGuards';
import { createLintContext, dialectLabel, type Dialect, type LintContext } from './lintContext';
import { MigrationAnalysis } from './migrationAnalysis';
import { LineIndex, PythonNestingError } from '../python/pythonSource';
import { emptyMigration, extractMigration, type MigrationFile } from './migrationOperations';
import { LINT_RULES } from './ruleCatalog';
import type { LintRule, RuleContext, RuleFinding } from './rules/ruleTypes';
import { isSuppressed, parseSuppressions, type Suppressions } from './suppressions';

export interface LintOptions {
  filePath: string;
  /** Dialect and PostgreSQL version; built from `config` (then the default) when omitted. */
  context?: LintContext;
  config?: LintConfig;
  /**
   * Enum type names created by the revisions before this one in the history (`enumTypesBefore`):
   * a type made by an earlier revision is not "missing".
   */
  earlierEnumTypes?: ReadonlySet<string>;
  /** Rules to run (default: all). */
  rules?: readonly LintRule[];
}

export interface LintResult {
  findings: Finding[];
  /** Problems of the configuration (pyproject) and of this file's suppression comments. */
  configProblems: ConfigProblem[];
  /** The extracted migration, for callers that want the operations too (the editor's code lenses). */
  migration: MigrationFile;
}

/** The level a rule runs at: configured, else its default; `off` when turned off (by level or by a project policy). */
export function ruleLevel(rule: LintRule, config: LintConfig | undefined): RuleLevel {
  if (rule.judgesDowngrades && config?.downgradePolicy === 'none') return 'off';
  if (rule.concurrencyOnly && config?.migrationsBeforeServing) return 'off';
  return config?.ruleLevels.get(rule.code) ?? rule.defaultSeverity;
}

export function lintMigration(source: string, options: LintOptions): LintResult {
  const config = options.config ?? emptyLintConfig();
  const context = options.context ?? createLintContext({ config });
  let migration: MigrationFile;
  let suppressions: Suppressions;
  try {
    migration = extractMigration(source);
    suppressions = parseSuppressions(source, migration.tree, migration.lineIndex, options.filePath);
  } catch (error) {
    return notAnalysed(source, options.filePath, config, error as Error);
  }
  const { lineIndex } = migration;
  const configProblems: ConfigProblem[] = [...config.problems, ...suppressions.problems];
  const projectDialects = context.dialects;
  const dialectsOf = (rule: LintRule) => (rule.dialects === 'all' ? projectDialects : projectDialects.filter((dialect) => rule.dialects.includes(dialect)));
  const rules = (options.rules ?? LINT_RULES).filter((rule) => ruleLevel(rule, config) !== 'off' && dialectsOf(rule).length > 0);
  const analysis = new MigrationAnalysis(migration);
  const earlierEnumTypes = new Set([...(options.earlierEnumTypes ?? [])].map((name) => name.toLowerCase()));
  // One rule context per dialect: a rule's facts and advice depend on the dialect it is checked for.
  const ruleContexts = new Map<Dialect, RuleContext>(
    projectDialects.map((dialect) => {
      const enabled = new Set(rules.filter((rule) => dialectsOf(rule).includes(dialect)).map((rule) => rule.code));
      return [
        dialect,
        {
          analysis,
          context: { ...context, dialect },
          filePath: options.filePath,
          downgradesExpected: config.downgradePolicy !== 'none',
          earlierEnumTypes,
          isEnabled: (code: string) => enabled.has(code),
        },
      ];
    }),
  );
  const guards = dialectGuardRegions(source, migration.tree);
  const findings: Finding[] = [];
  for (const rule of rules) {
    // The same finding for several dialects is reported once, saying which when not all of them.
    const merged = new Map<string, { item: RuleFinding; dialects: Dialect[] }>();
    try {
      for (const dialect of dialectsOf(rule)) {
        for (const item of rule.check(ruleContexts.get(dialect)!)) {
          const runsOn = guardDialectsAt(guards, item.from);
          if (runsOn && !runsOn.has(dialect)) continue;
          const key = `${item.from}:${item.to}:${item.message}`;
          const entry = merged.get(key);
          if (entry) entry.dialects.push(dialect);
          else merged.set(key, { item, dialects: [dialect] });
        }
      }
    } catch (error) {
      configProblems.push({
        message: `Rule ${rule.code} (${rule.name}) failed on this file: ${(error as Error).message}. Please report it with the file.`,
        filePath: options.filePath,
        range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
        kind: 'internal',
      });
      continue;
    }
    const configured = config.ruleLevels.get(rule.code);
    for (const { item, dialects } of merged.values()) {
      const range = lineIndex.range(item.from, item.to);
      const firstLine = lineIndex.position(item.statementFrom ?? item.from).line;
      const lastLine = lineIndex.position(item.statementTo ?? item.to).line;
      if (isSuppressed(suppressions, rule.code, Math.min(firstLine, range.start.line), Math.max(lastLine, range.end.line))) continue;
      const severity: Severity = (configured && configured !== 'off' ? configured : undefined) ?? item.severity ?? rule.defaultSeverity;
      const message = dialects.length < projectDialects.length ? `[${dialects.map(dialectLabel).join(', ')}] ${item.message}` : item.message;
      const finding: Finding = { code: rule.code, rule: rule.name, severity, message, filePath: options.filePath, range };
      if (item.tables && item.tables.length > 0) finding.tables = item.tables;
      if (item.related && item.related.length > 0) {
        finding.related = item.related.map((related) => ({ message: related.message, range: lineIndex.range(related.from, related.to) }));
      }
      if (item.fix && item.fix.edits.length > 0) {
        const fix: Fix = {
          title: item.fix.title,
          edits: item.fix.edits.map((edit) => ({ range: lineIndex.range(edit.from, edit.to), newText: edit.newText })),
        };
        finding.fix = fix;
      }
      findings.push(finding);
    }
  }
  findings.sort(compareFindings);
  return { findings, configProblems, migration };
}

/**
 * The result for a file that could not be read (nested deeper than the readers go, or a reader
 * failed): one problem that says so, at the place it concerns; the caller's other files still lint.
 */
function notAnalysed(source: string, filePath: string, config: LintConfig, error: Error): LintResult {
  const lineIndex = new LineIndex(source);
  const at = error instanceof PythonNestingError ? lineIndex.position(error.offset) : { line: 0, column: 0 };
  const message =
    error instanceof PythonNestingError
      ? `Not analysed: ${error.message}. No lint rule ran on this file.`
      : `Not analysed: reading this file failed (${error.message}). No lint rule ran on it. Please report it with the file.`;
  return {
    findings: [],
    configProblems: [...config.problems, { message, filePath, range: { start: at, end: at }, kind: 'internal' }],
    migration: emptyMigration(source, lineIndex),
  };
}
