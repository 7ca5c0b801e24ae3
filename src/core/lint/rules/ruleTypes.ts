// The shape of a lint rule. A rule reads the extracted migration and returns findings as source
// offsets; the engine turns them into zero-based ranges, applies configured severities and
// suppressions, and drops what the user turned off.
import type { FindingTable, Severity } from '../findings';
import type { Dialect, LintContext } from '../lintContext';
import type { MigrationAnalysis } from '../migrationAnalysis';

export interface OffsetEdit {
  from: number;
  to: number;
  newText: string;
}

export interface RuleFix {
  title: string;
  edits: OffsetEdit[];
}

export interface RuleFinding {
  /** Highlighted span (offsets in the source). */
  from: number;
  to: number;
  message: string;
  /** Overrides the rule's default (e.g. a known-safe widening is only `info`); config wins over both. */
  severity?: Severity;
  fix?: RuleFix;
  /** The statement the finding is about: a suppression comment on any of its lines (or above it) applies. */
  statementFrom?: number;
  statementTo?: number;
  /** Tables the finding concerns (findingAt fills in the operation's table). */
  tables?: FindingTable[];
  /** Other places in the same file the message refers to. */
  related?: RelatedOffsets[];
}

export interface RelatedOffsets {
  from: number;
  to: number;
  message: string;
}

export interface RuleContext {
  analysis: MigrationAnalysis;
  context: LintContext;
  filePath: string;
  /** Enum type names (lower case) created by the revisions this one comes after (empty when unknown). */
  earlierEnumTypes: ReadonlySet<string>;
  /** False when the project writes no downgrades by policy (`downgrade-policy = "none"`). */
  downgradesExpected: boolean;
  /** Whether another rule runs (rules that would report the same statement defer to the more specific one). */
  isEnabled(code: string): boolean;
}

export type RuleCategory = 'lock' | 'data-loss' | 'reversibility' | 'dialect' | 'data-migration' | 'revision-graph';

export interface LintRule {
  code: string;
  name: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** Dialects the rule applies to. */
  dialects: readonly Dialect[] | 'all';
  /** One line: what the rule flags. */
  summary: string;
  /** Relative to the repository root: `docs/rules/<name>.md`. */
  docsPath: string;
  /**
   * Its whole risk is what concurrent traffic suffers (lock waits, running code reading an old
   * name): off when the project runs migrations before the app serves (`migrations-before-serving`).
   */
  concurrencyOnly?: boolean;
  /** It judges downgrades: off when the project writes none by policy (`downgrade-policy = "none"`). */
  judgesDowngrades?: boolean;
  check(context: RuleContext): RuleFinding[];
}
