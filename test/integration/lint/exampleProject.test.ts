// The example project's history (examples/meeting-assistant, written by the real Alembic): its risky
// revisions give exactly the findings its README announces, its safe ones none. Runs the lint
// command the way CI would, from the project's backend folder.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/cliTypes';
import { lintCommand } from '../../../src/cli/lintCommand';
import type { JsonFinding } from '../../../src/core/lint/formatters/json';
import { EXAMPLE_PROJECT } from '../../support/realAlembic';

const BACKEND = path.join(EXAMPLE_PROJECT, 'backend');
const VERSIONS = path.join(BACKEND, 'alembic', 'versions');

function fileOf(revision: string): string {
  const name = readdirSync(VERSIONS).find((file) => file.includes(`-${revision}_`) || file.startsWith(`${revision}_`));
  assert.ok(name, `no file for revision ${revision}`);
  return name;
}

/** `AW103@22` where 22 is the 1-based line of the n-th line of the revision file containing `text`. */
function expected(revision: string, code: string, text: string, occurrence = 0): string {
  const lines = readFileSync(path.join(VERSIONS, fileOf(revision)), 'utf8').split('\n');
  const matches = lines.map((line, index) => (line.includes(text) ? index + 1 : 0)).filter(Boolean);
  assert.ok(matches[occurrence], `${revision}: no line #${occurrence} with ${text}`);
  return `${fileOf(revision)} ${code}@${matches[occurrence]}`;
}

describe('lint on the example project (examples/meeting-assistant)', function () {
  before(function () {
    // The example lands on main from another branch; until then there is nothing to check.
    if (!existsSync(VERSIONS)) this.skip();
  });

  it('risky revisions give exactly the expected findings; safe ones give none', async () => {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: BACKEND, env: {}, isTTY: false };
    const code = await lintCommand.run(['--format', 'json', '--dialect', 'postgresql'], io);
    const findings = JSON.parse(stdout) as JsonFinding[];
    const actual = findings.map((finding) => `${path.basename(finding.file)} ${finding.code}@${finding.line}`).sort();
    const wanted = [
      expected('a64b9c0e2f57', 'AW101', "'duration_seconds'"),
      expected('a64b9c0e2f57', 'AW101', "'content'"),
      expected('a64b9c0e2f57', 'AW204', "'language'"),
      expected('5d2e8f1a7c03', 'AW103', "'title'"),
      expected('e91f4c6b0a38', 'AW201', 'op.drop_column'),
      expected('d7c1f8e4a2b6', 'AW302', 'def downgrade'),
    ].sort();
    assert.deepEqual(actual, wanted, stderr);
    assert.equal(code, 1, 'the narrowing type change is an error');
    const safe = ['4b1d3f0a9c21', '8e7c2a6d5f10', 'c3a9e1b27d44', '17f05d8e3b92', '2c8d7e9f1b60', '9f3b6a2d4e15', '6a0e5b3c8d29', 'b5e2a7d9c3f8'];
    for (const revision of safe) assert.ok(!actual.some((line) => line.startsWith(fileOf(revision))), `${revision} should be clean`);
  });

  it('on SQLite every ALTER COLUMN is in batch mode (plain drop_column is only info there)', async () => {
    let stdout = '';
    const io: CliIO = { stdout: (text) => (stdout += text), stderr: () => undefined, cwd: BACKEND, env: {}, isTTY: false };
    await lintCommand.run(['--format', 'json', '--dialect', 'sqlite'], io);
    const sqliteFindings = (JSON.parse(stdout) as JsonFinding[]).filter((finding) => finding.code === 'AW401');
    assert.deepEqual(sqliteFindings.filter((finding) => finding.severity !== 'info'), []);
    assert.ok(sqliteFindings.every((finding) => finding.message.startsWith('op.drop_column')));
  });
});
