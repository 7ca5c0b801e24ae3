import assert from 'node:assert/strict';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import type { Finding } from '../../../src/core/lint/findings';
import { escapeData, escapeProperty, formatGithub } from '../../../src/core/lint/formatters/github';
import { formatJson } from '../../../src/core/lint/formatters/json';
import { formatSarif } from '../../../src/core/lint/formatters/sarif';
import { formatText } from '../../../src/core/lint/formatters/text';
import { LINT_RULES } from '../../../src/core/lint/ruleCatalog';
import { lint, migration } from './lintTestKit';

// The official OASIS SARIF 2.1.0 schema (draft-04), as shipped by Microsoft's sarif-js-sdk package.
const SARIF_SCHEMA = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

function sarifValidator() {
  // The schema's language-tag pattern is not valid as a Unicode regexp; it is as a plain one.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(SARIF_SCHEMA);
}

const source = migration(
  `op.create_foreign_key(None, 'meetings', 'users', ['owner_id'], ['id'], postgresql_not_valid=True)\nop.alter_column('t', 'c', existing_type=sa.VARCHAR(length=10), type_=sa.Text())`,
  `op.drop_constraint(None, 'meetings', type_='foreignkey')`,
);
const result = lint(source);
const input = {
  findings: result.findings.map((finding) => ({ ...finding, filePath: '/repo/backend/alembic/versions/abc123_test.py' })),
  configProblems: [],
  cwd: '/repo',
  filesLinted: 1,
};

describe('output formats', () => {
  it('text: compiler-style lines (1-based) and a summary', () => {
    const lines = formatText(input).trimEnd().split('\n');
    assert.equal(lines[0], `backend/alembic/versions/abc123_test.py:20:5: error AW304 unnamed-constraint: ${input.findings[0].message}`);
    assert.match(lines[lines.length - 1], /^2 errors, 1 warning, 1 info in 1 file\.$/);
    assert.equal(formatText({ ...input, findings: [] }), 'No problems found in 1 file.\n');
    const withProblem = formatText({
      ...input,
      findings: [],
      configProblems: [{ message: 'Unknown key "x"', filePath: '/repo/pyproject.toml', range: { start: { line: 4, column: 0 }, end: { line: 4, column: 1 } }, kind: 'config' }],
    });
    assert.match(withProblem, /^pyproject\.toml:5:1: error config: Unknown key "x"\n0 errors, 0 warnings, 0 info, 1 configuration problem in 1 file\.\n$/);
  });

  it('json: exactly the issue\'s shape', () => {
    const parsed = JSON.parse(formatJson(input));
    assert.equal(parsed.length, input.findings.length);
    assert.deepEqual(Object.keys(parsed[0]), ['file', 'line', 'column', 'end_line', 'end_column', 'code', 'rule', 'severity', 'message']);
    assert.deepEqual(parsed[0], {
      file: 'backend/alembic/versions/abc123_test.py',
      line: 20,
      column: 5,
      end_line: 20,
      end_column: 26,
      code: 'AW304',
      rule: 'unnamed-constraint',
      severity: 'error',
      message: input.findings[0].message,
    });
    assert.equal(formatJson({ ...input, findings: [] }), '[]\n');
  });

  it('github: workflow commands with notice for info, properties and data escaped', () => {
    const lines = formatGithub(input).trimEnd().split('\n');
    assert.equal(lines.length, input.findings.length);
    assert.match(lines[0], /^::error file=backend\/alembic\/versions\/abc123_test\.py,line=20,endLine=20,col=5,endColumn=26,title=AW304 unnamed-constraint::Foreign key on meetings/);
    assert.ok(lines.some((line) => line.startsWith('::notice ')));
    assert.ok(lines.some((line) => line.startsWith('::warning ')));
    assert.equal(escapeData('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('dir,a:b/50%.py\n'), 'dir%2Ca%3Ab/50%25.py%0A');
    const hostile: Finding = { ...input.findings[0], filePath: '/repo/we,ird:name%.py', message: 'line1\nline2 100%' };
    assert.equal(
      formatGithub({ ...input, findings: [hostile] }),
      '::error file=we%2Cird%3Aname%25.py,line=20,endLine=20,col=5,endColumn=26,title=AW304 unnamed-constraint::line1%0Aline2 100%25\n',
    );
  });

  it('sarif: validates against the SARIF 2.1.0 schema, with rules, docs links, fixes and config notifications', () => {
    const validate = sarifValidator();
    const withProblems = {
      ...input,
      configProblems: [{ message: 'Unknown rule "AW999"', filePath: '/repo/pyproject.toml', range: { start: { line: 2, column: 0 }, end: { line: 2, column: 5 } }, kind: 'config' as const }],
      toolVersion: '0.1.0',
    };
    const text = formatSarif(withProblems);
    assert.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors, null, 2));
    const log = JSON.parse(text);
    const run = log.runs[0];
    assert.equal(run.tool.driver.rules.length, LINT_RULES.length);
    assert.equal(run.tool.driver.rules[0].helpUri, 'https://github.com/alembic-workbench/alembic-workbench/blob/main/docs/rules/changing-column-type.md');
    assert.equal(run.results[0].ruleId, 'AW304');
    assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'backend/alembic/versions/abc123_test.py');
    assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 20, startColumn: 5, endLine: 20, endColumn: 26 });
    assert.equal(run.results[0].fixes[0].artifactChanges[0].replacements.length, 2);
    assert.equal(run.results.find((item: { level: string }) => item.level === 'note').ruleId, 'AW101');
    assert.equal(run.invocations[0].toolConfigurationNotifications[0].message.text, 'Unknown rule "AW999"');
    // An empty run is valid too, and a broken log is rejected (the validator does check).
    assert.ok(validate(JSON.parse(formatSarif({ ...input, findings: [] }))));
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal' }] }] }), false);
  });
});
