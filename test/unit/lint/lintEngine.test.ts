import assert from 'node:assert/strict';
import { graphProblemsToFindings } from '../../../src/core/lint/graphFindings';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { parseLintConfig } from '../../../src/core/lint/lintConfig';
import { findRule, LINT_RULES, ruleDocsUrl, ruleSuggestion } from '../../../src/core/lint/ruleCatalog';
import type { LintRule } from '../../../src/core/lint/rules/ruleTypes';
import { parseSuppressions } from '../../../src/core/lint/suppressions';
import { LineIndex, parsePython } from '../../../src/core/python/pythonSource';
import { migration } from './lintTestKit';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

describe('lint engine and rule catalog', () => {
  it('has exactly the issue\'s codes and names, each with a docs page', () => {
    const expected = [
      'AW101 changing-column-type', 'AW102 adding-required-column', 'AW103 setting-not-null', 'AW104 non-concurrent-index',
      'AW105 concurrent-index-in-transaction', 'AW106 non-concurrent-index-drop', 'AW107 foreign-key-lock', 'AW108 unique-constraint-lock',
      'AW109 volatile-default', 'AW110 missing-lock-timeout', 'AW201 dropping-column', 'AW202 dropping-table', 'AW203 rename-as-drop-create', 'AW204 narrowing-column-type',
      'AW205 renaming-table-or-column', 'AW301 missing-downgrade', 'AW302 empty-downgrade', 'AW303 downgrade-does-not-reverse',
      'AW304 unnamed-constraint', 'AW305 enum-type-lifecycle', 'AW401 sqlite-alter-outside-batch', 'AW501 data-migration-mixed',
      'AW502 unbounded-update', 'AW503 raw-sql-ddl-risk', 'AW601 duplicate-revision', 'AW602 dangling-reference', 'AW603 revision-cycle',
      'AW604 missing-revision-id', 'AW605 multiple-heads', 'AW606 filename-mismatch', 'AW607 docstring-mismatch',
      'AW608 missing-down-revision', 'AW609 invalid-revision-id', 'AW610 invalid-header', 'AW611 unreadable-header',
      'AW612 duplicate-branch-label', 'AW613 syntax-error', 'AW614 config-error', 'AW615 create-all-at-startup',
    ];
    assert.deepEqual(LINT_RULES.map((rule) => `${rule.code} ${rule.name}`), expected);
    const root = path.resolve(__dirname, '..', '..', '..');
    for (const rule of LINT_RULES) {
      assert.equal(rule.docsPath, `docs/rules/${rule.name}.md`);
      assert.ok(existsSync(path.join(root, rule.docsPath)), `missing ${rule.docsPath}`);
    }
    assert.ok(existsSync(path.join(root, 'docs/rules/README.md')));
  });

  it('finds rules by code (any case) or name; suggests near misses; builds docs links', () => {
    assert.equal(findRule('aw101')?.name, 'changing-column-type');
    assert.equal(findRule('dropping-table')?.code, 'AW202');
    assert.equal(findRule('nope'), undefined);
    assert.equal(ruleSuggestion('droping-table'), 'dropping-table');
    const rule = findRule('AW101')!;
    assert.equal(ruleDocsUrl(rule, 'https://example.org/repo/blob/main'), 'https://example.org/repo/blob/main/docs/rules/changing-column-type.md');
    assert.equal(ruleDocsUrl(rule, '/home/me/alembic-workbench/'), 'file:///home/me/alembic-workbench/docs/rules/changing-column-type.md');
  });

  it('a rule that throws is reported as an internal problem; the other rules still report', () => {
    const broken: LintRule = { ...findRule('AW201')!, code: 'AW201', check: () => { throw new Error('boom'); } };
    const result = lintMigration(migration(`op.drop_table('x')\nop.drop_column('a', 'b')`), { filePath: 'f.py', rules: [broken, findRule('AW202')!] });
    assert.deepEqual(result.findings.map((finding) => finding.code), ['AW202']);
    assert.deepEqual(result.configProblems.map((problem) => problem.kind), ['internal']);
    assert.match(result.configProblems[0].message, /Rule AW201 \(dropping-column\) failed on this file: boom/);
  });

  it('runs dialect-specific rules only for their dialects, with the context built from the config', () => {
    const source = migration(`op.create_index('ix', 'users', ['email'])`, `op.drop_index('ix', table_name='users')`);
    // Both PostgreSQL-only: the non-concurrent index, and no lock_timeout before it.
    assert.deepEqual(lintMigration(source, { filePath: 'f.py' }).findings.map((finding) => finding.code), ['AW104', 'AW110']);
    const sqlite = parseLintConfig('[tool.alembic-workbench]\ndialect = "sqlite"\n', 'pyproject.toml');
    assert.deepEqual(lintMigration(source, { filePath: 'f.py', config: sqlite }).findings, []);
  });

  it('lints a file that is not Python at all without throwing', () => {
    for (const text of ['', '\0\0\0', 'def upgrade(:\n  op.drop_table(', '{"json": true}', 'x = """unterminated']) {
      assert.doesNotThrow(() => lintMigration(text, { filePath: 'f.py' }));
    }
  });

  it('converts the core model\'s graph problems to AW6xx findings (levels and ignore-file apply)', () => {
    const problems = [
      { name: 'multiple-heads', severity: 'warning' as const, message: 'Two heads: a, b', file: '/v/a.py', range: { start: { line: 12, column: 0 }, end: { line: 12, column: 14 } } },
      { name: 'dangling-reference', severity: 'error' as const, message: "down_revision 'zzz' does not exist", file: '/v/b.py' },
      { name: 'not-a-known-problem', severity: 'error' as const, message: 'x', file: '/v/c.py' },
    ];
    const findings = graphProblemsToFindings(problems);
    assert.deepEqual(findings.map((finding) => `${finding.code} ${finding.rule} ${finding.severity} ${finding.range.start.line}`), [
      'AW605 multiple-heads warning 12',
      'AW602 dangling-reference error 0',
    ]);
    const config = parseLintConfig('[tool.alembic-workbench.rules]\nmultiple-heads = "error"\nAW602 = "off"\n', 'pyproject.toml');
    assert.deepEqual(graphProblemsToFindings(problems, { config }).map((finding) => `${finding.code} ${finding.severity}`), ['AW605 error']);
    const text = '# alembic-workbench: ignore-file[multiple-heads]\n';
    const suppressions = parseSuppressions(text, parsePython(text), new LineIndex(text), '/v/a.py');
    assert.deepEqual(graphProblemsToFindings(problems, { suppressionsFor: (file) => (file === '/v/a.py' ? suppressions : undefined) }).map((finding) => finding.code), ['AW602']);
  });
});

describe('rule docs', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const DIALECT_NAMES: Record<string, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', mssql: 'SQL Server', oracle: 'Oracle' };

  it('each page states its code, name, default severity, dialects and how to suppress it', () => {
    for (const rule of LINT_RULES) {
      const page = read(rule.docsPath);
      assert.ok(page.startsWith(`# ${rule.code} \`${rule.name}\`\n`), rule.docsPath);
      assert.match(page, new RegExp(`\\*\\*Default severity:\\*\\* ${rule.defaultSeverity}`), rule.docsPath);
      const dialects = rule.dialects === 'all' ? ['all'] : rule.dialects.map((dialect) => DIALECT_NAMES[dialect]);
      for (const dialect of dialects) assert.ok(page.split('\n')[2].includes(dialect), `${rule.docsPath} should name ${dialect}`);
      for (const section of ['## What it flags', '## Why it is risky', '## The safe way', '## Suppress it']) assert.ok(page.includes(section), `${rule.docsPath}: ${section}`);
      assert.match(page, /alembic-workbench: ignore(-file)?\[/);
    }
  });

  it('the README table lists every rule with its default severity', () => {
    const readme = read('docs/rules/README.md');
    for (const rule of LINT_RULES) assert.ok(readme.includes(`| ${rule.code} | [${rule.name}](${rule.name}.md) | ${rule.defaultSeverity} |`), rule.code);
  });
});
