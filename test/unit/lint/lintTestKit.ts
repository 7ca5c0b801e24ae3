// Helpers for the lint unit tests: build small migrations, lint them, apply fixes, check Python.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { applyTextEdits, type Finding } from '../../../src/core/lint/findings';
import { emptyLintConfig, parseLintConfig, type LintConfig } from '../../../src/core/lint/lintConfig';
import { createLintContext, type Dialect } from '../../../src/core/lint/lintContext';
import { lintMigration, type LintResult } from '../../../src/core/lint/lintEngine';

export const HEADER = `"""test migration

Revision ID: abc123
Revises: 0000aaaa
Create Date: 2026-11-25 20:24:11.366089

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'abc123'
down_revision = '0000aaaa'
branch_labels = None
depends_on = None
`;

const indentBlock = (lines: string) =>
  lines
    .replace(/^\n/, '')
    .split('\n')
    .map((line) => (line.trim() ? `    ${line}` : line))
    .join('\n');

/** A migration file with the given upgrade and downgrade bodies (written without indentation). */
export function migration(upgrade: string, downgrade = "op.execute('SELECT 1')", header = HEADER): string {
  return `${header}

def upgrade() -> None:
${indentBlock(upgrade.trimEnd())}


def downgrade() -> None:
${indentBlock(downgrade.trimEnd())}
`;
}

export interface LintOptionsForTest {
  dialect?: Dialect;
  postgresVersion?: number;
  config?: LintConfig | string;
  /** Run AW110 missing-lock-timeout too (see withoutLockTimeoutRule). */
  lockTimeoutRule?: boolean;
}

/**
 * AW110 reports once per file on almost every PostgreSQL migration written here (none sets
 * lock_timeout), so the tests that assert the exact findings of the other rules turn it off
 * explicitly; its own tests (lockTimeoutRules.test.ts) pass `lockTimeoutRule: true`. A config that
 * sets AW110's level itself is left as it is.
 */
export function withoutLockTimeoutRule(config: LintConfig): LintConfig {
  if (config.ruleLevels.has('AW110')) return config;
  return { ...config, ruleLevels: new Map([...config.ruleLevels, ['AW110', 'off']]) };
}

export function lint(source: string, options: LintOptionsForTest = {}): LintResult {
  const parsed = typeof options.config === 'string' ? parseLintConfig(options.config, '/project/pyproject.toml') : (options.config ?? emptyLintConfig());
  const config = options.lockTimeoutRule ? parsed : withoutLockTimeoutRule(parsed);
  const context = createLintContext({ dialect: options.dialect ?? 'postgresql', postgresVersion: options.postgresVersion, config });
  return lintMigration(source, { filePath: '/project/versions/abc123_test.py', context, config });
}

/** `AW101@22` (1-based line) for each finding, in order. */
export function codes(findings: Finding[]): string[] {
  return findings.map((finding) => `${finding.code}@${finding.range.start.line + 1}`);
}

export function codesOf(source: string, options: LintOptionsForTest = {}): string[] {
  return codes(lint(source, options).findings);
}

/** 1-based line of the first line containing `text`. */
export function lineOf(source: string, text: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `no line contains ${text}`);
  return index + 1;
}

export function findingFor(source: string, code: string, options: LintOptionsForTest = {}): Finding {
  const finding = lint(source, options).findings.find((item) => item.code === code);
  assert.ok(finding, `expected a ${code} finding, got ${codesOf(source, options).join(', ') || 'none'}`);
  return finding;
}

export function applyFix(source: string, finding: Finding): string {
  assert.ok(finding.fix, `${finding.code} has no fix`);
  return applyTextEdits(source, finding.fix.edits);
}

/** Parses with the real CPython (Debian's /usr/bin/python3): throws with Python's message on a syntax error. */
export function assertValidPython(source: string): void {
  const result = spawnSync('/usr/bin/python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: source, encoding: 'utf8' });
  assert.equal(result.status, 0, `not valid Python:\n${result.stderr}\n---\n${source}`);
}
