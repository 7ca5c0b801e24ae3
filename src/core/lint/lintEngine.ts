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
import { extractMigration, type MigrationFile } from './migrationOperations';
import { LINT_RULES } from './ruleCatalog';
import type { LintRule, RuleContext, RuleFinding } from './rules/ruleTypes';
import { isSuppressed, parseSuppressions } from './suppressions';

export interface LintOptions {
  filePath: string;
  /** Dialect and PostgreSQL version; built from `config` (then the default) when omitted. */
  context?: LintContext;
  config?: LintConfig;
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

/** The level a rule runs at: configured, else its default; `off` when turned off. */
export function ruleLevel(rule: LintRule, config: LintConfig | undefined): RuleLevel {
  return config?.ruleLevels.get(rule.code) ?? rule.defaultSeverity;
}

export function lintMigration(source: string, options: LintOptions): LintResult {
  const config = options.config ?? emptyLintConfig();
  const context = options.context ?? createLintContext({ config });
  const migration = extractMigration(source);
  const { lineIndex } = migration;
  const suppressions = parseSuppressions(source, migration.tree, lineIndex, options.filePath);
  const configProblems: ConfigProblem[] = [...config.problems, ...suppressions.problems];
  const projectDialects = context.dialects;
  const dialectsOf = (rule: LintRule) => (rule.dialects === 'all' ? projectDialects : projectDialects.filter((dialect) => rule.dialects.includes(dialect)));
  const rules = (options.rules ?? LINT_RULES).filter((rule) => ruleLevel(rule, config) !== 'off' && dialectsOf(rule).length > 0);
  const analysis = new MigrationAnalysis(migration);
  // One rule context per dialect: a rule's facts and advice depend on the dialect it is checked for.
  const ruleContexts = new Map<Dialect, RuleContext>(
    projectDialects.map((dialect) => {
      const enabled = new Set(rules.filter((rule) => dialectsOf(rule).includes(dialect)).map((rule) => rule.code));
      return [dialect, { analysis, context: { ...context, dialect }, filePath: options.filePath, isEnabled: (code: string) => enabled.has(code) }];
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
