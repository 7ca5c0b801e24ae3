// Every lint rule, in code order, and the lookups the config, suppressions and docs links use.
import { editDistance } from './editDistance';
import { DATA_LOSS_RULES } from './rules/dataLossRules';
import { DATA_MIGRATION_RULES } from './rules/dataMigrationRules';
import { DIALECT_RULES } from './rules/dialectRules';
import { GRAPH_RULES } from './rules/graphProblemRules';
import { LOCK_RULES } from './rules/lockRules';
import { LOCK_TIMEOUT_RULES } from './rules/lockTimeoutRules';
import { REVERSIBILITY_RULES } from './rules/reversibilityRules';
import type { LintRule } from './rules/ruleTypes';

export type { LintRule } from './rules/ruleTypes';

export const LINT_RULES: readonly LintRule[] = [
  ...LOCK_RULES,
  ...LOCK_TIMEOUT_RULES,
  ...DATA_LOSS_RULES,
  ...REVERSIBILITY_RULES,
  ...DIALECT_RULES,
  ...DATA_MIGRATION_RULES,
  ...GRAPH_RULES,
];

const byKey = new Map<string, LintRule>();
for (const rule of LINT_RULES) {
  byKey.set(rule.code.toLowerCase(), rule);
  byKey.set(rule.name, rule);
}

/** A rule by code (`AW101`, any case) or name (`changing-column-type`). */
export function findRule(codeOrName: string): LintRule | undefined {
  const key = codeOrName.trim();
  return byKey.get(key.toLowerCase()) ?? byKey.get(key);
}

/** The closest code or name to a mistyped one (for "did you mean"). */
export function ruleSuggestion(token: string): string | undefined {
  const wanted = token.trim().toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const rule of LINT_RULES) {
    for (const key of [rule.code, rule.name]) {
      const distance = editDistance(wanted, key);
      if (distance <= Math.max(1, Math.floor(key.length / 4)) && (!best || distance < best.distance)) best = { key, distance };
    }
  }
  return best?.key;
}

/** The rule's docs page relative to the repository: `docs/rules/<name>.md`. */
export function ruleDocsPath(rule: LintRule): string {
  return rule.docsPath;
}

/**
 * An absolute link to the rule's docs page from a base: a web URL of the repository's tree
 * (`https://github.com/o/r/blob/main/`) or a local folder (`/path/to/repo`, giving a file: URL).
 */
export function ruleDocsUrl(rule: LintRule, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return new URL(rule.docsPath, base.endsWith('/') ? base : `${base}/`).toString();
  const folder = base.replace(/\\/g, '/').replace(/\/+$/, '');
  return new URL(`file://${folder.startsWith('/') ? '' : '/'}${folder}/${rule.docsPath}`).toString();
}
