// The `protectedEnvironments` setting: glob patterns (`*prod*`) that, when they match where a
// destructive command would run (the Compose service, the database host, name or URL, the target's
// name), make the user type the database's name before it runs. Plain data in, plain data out.

export type ProtectedFactKind = 'service' | 'host' | 'database' | 'url' | 'target';

export interface ProtectedFact {
  kind: ProtectedFactKind;
  /** Never a raw URL with its password: pass the masked display. */
  value: string;
}

export interface ProtectedMatch {
  pattern: string;
  fact: ProtectedFact;
}

/**
 * `*` any run of characters, `?` one character, everything else literal; the whole value must
 * match, case-insensitively (hosts and database names are not case-sensitive in practice, and a
 * pattern written `*Prod*` should still protect `myprod`).
 */
export function globToRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'is');
}

/** The first pattern (in setting order) that matches any of the facts. */
export function findProtectedMatch(patterns: readonly string[], facts: readonly ProtectedFact[]): ProtectedMatch | undefined {
  for (const pattern of patterns) {
    const trimmed = pattern.trim();
    if (!trimmed) continue;
    const expression = globToRegExp(trimmed);
    const fact = facts.find((candidate) => candidate.value !== '' && expression.test(candidate.value));
    if (fact) return { pattern: trimmed, fact };
  }
  return undefined;
}

const FACT_WORDS: Record<ProtectedFactKind, string> = {
  service: 'Compose service',
  host: 'database host',
  database: 'database',
  url: 'database URL',
  target: 'database target',
};

/** "the database host db-prod.internal matches the protected pattern *prod*" */
export function describeProtectedMatch(match: ProtectedMatch): string {
  return `the ${FACT_WORDS[match.fact.kind]} ${match.fact.value} matches the protected pattern "${match.pattern}"`;
}
