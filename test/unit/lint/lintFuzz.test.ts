// The lint on hostile input: nesting past every limit, binary bytes, NULs, unterminated strings, a
// 20 000-operation file, and seeded mutants of real migrations. Nothing may throw or overflow the
// stack; a file too deep to read gets exactly one "Not analysed" problem; the other files of a run
// are still linted. The hostile shapes run in a child process with a capped heap, so unbounded
// memory ends it (and fails the test) instead of slowing the machine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { parseRevisionFile } from '../../../src/core/revisions/revisionFile';
import { seededRandom } from '../../support/seededRandom';
import { hostileSources } from '../../support/hostileSources';
import { runCli } from '../cli/runCli';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const WORKER = path.join(REPO_ROOT, 'test', 'support', 'lintHostileWorker.ts');
const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'revisions');

interface WorkerLine {
  name: string;
  length: number;
  lintMs: number;
  readMs: number;
  findings: number;
  operations: number;
  notAnalysed: string[];
  revision?: string;
}

/** Shapes nested past MAX_BRACKET_NESTING or MAX_SYNTAX_DEPTH: they must be refused, once. */
const TOO_DEEP = [
  'nested parentheses',
  'nested lists',
  'nested dicts',
  'nested calls',
  'unclosed brackets',
  'call chain',
  'attribute chain',
  'subscript chain',
  'unary run',
  'nested blocks',
  'brackets in an f-string',
];

describe('lint under hostile input', function () {
  this.timeout(600_000);

  it('reads every hostile shape in bounded time and a capped heap, refusing too-deep files with one problem', () => {
    // 512 MB of heap: the 20 000-operation file needs about a third of it; quadratic memory would not fit.
    const run = spawnSync(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', WORKER], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    assert.equal(run.status, 0, `the worker died (signal ${run.signal}): ${run.stderr.slice(-2000)}`);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as WorkerLine);
    assert.deepEqual(
      lines.map((line) => line.name),
      hostileSources().map((source) => source.name),
    );
    for (const line of lines) {
      // No time limit here (a loaded machine makes any limit flaky): the heap cap catches quadratic
      // memory, mocha's timeout a hang, and `npm run bench` prints the time of each shape.
      assert.ok(!line.notAnalysed.some((message) => message.includes('reading this file failed')), `${line.name}: ${line.notAnalysed.join('; ')}`);
      if (TOO_DEEP.includes(line.name)) {
        assert.equal(line.notAnalysed.length, 1, `${line.name} should be refused once`);
        assert.match(line.notAnalysed[0], /^Not analysed: .*nest/);
        assert.equal(line.findings, 0);
      }
    }
    const byName = new Map(lines.map((line) => [line.name, line]));
    assert.equal(byName.get('nested parentheses')!.revision, 'h1', 'the header is still read');
    assert.equal(byName.get('deep header value')!.revision, 'h1');
    const many = byName.get('20 000 operations')!;
    assert.deepEqual(many.notAnalysed, []);
    assert.equal(many.operations, 20_001, 'every operation of upgrade and downgrade is read');
    assert.ok(many.findings >= 10_000, `${many.findings} findings`);
    assert.deepEqual(byName.get('unterminated string')!.notAnalysed, []);
  });

  it('never throws on 1500 seeded mutants of real migrations with hostile insertions', () => {
    const seeds = readdirSync(FIXTURES)
      .filter((name) => name.endsWith('.py'))
      .map((name) => readFileSync(path.join(FIXTURES, name), 'utf8'));
    const next = seededRandom(20251206);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const inserts = [
      () => '('.repeat(150 + Math.floor(next() * 200)),
      () => ')'.repeat(Math.floor(next() * 300)),
      () => '.f()'.repeat(Math.floor(next() * 2000)),
      () => ' + x'.repeat(Math.floor(next() * 2000)),
      () => '\u0000',
      () => String.fromCharCode(...Array.from({ length: 40 }, () => Math.floor(next() * 256))),
      () => pick(['"', "'", '"""', "'''", 'f"{', 'rb"']),
      () => '\n' + '    '.repeat(Math.floor(next() * 120)) + 'if x:\n',
    ];
    for (let round = 0; round < 1500; round++) {
      let text = seeds[round % seeds.length];
      for (let count = 1 + Math.floor(next() * 3); count > 0; count--) {
        const at = Math.floor(next() * (text.length + 1));
        text = text.slice(0, at) + pick(inserts)() + text.slice(at);
      }
      const result = lintMigration(text, { filePath: `/fuzz/${round}.py` });
      const failed = result.configProblems.filter((problem) => problem.message.includes('failed'));
      assert.deepEqual(failed, [], `round ${round}`);
      parseRevisionFile(text, `/fuzz/${round}.py`);
    }
  });

  it('CLI: a too-deep file gets one problem and the other files are still linted (no exit 70)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'aw-lint-hostile-'));
    try {
      mkdirSync(path.join(root, 'versions'));
      writeFileSync(path.join(root, 'alembic.ini'), '[alembic]\nscript_location = .\nsqlalchemy.url = postgresql://u@localhost/db\n');
      writeFileSync(path.join(root, 'env.py'), '');
      const header = (id: string, parent: string) => `"""m\n\nRevision ID: ${id}\nRevises: ${parent}\n"""\nfrom alembic import op\nimport sqlalchemy as sa\nrevision = '${id}'\ndown_revision = ${parent ? `'${parent}'` : 'None'}\n`;
      writeFileSync(path.join(root, 'versions', 'a1_first.py'), `${header('a1', '')}def upgrade():\n    op.drop_column('users', 'email')\n\ndef downgrade():\n    pass\n`);
      writeFileSync(path.join(root, 'versions', 'b2_deep.py'), `${header('b2', 'a1')}def upgrade():\n    x = ${'('.repeat(20_000)}1${')'.repeat(20_000)}\n\ndef downgrade():\n    pass\n`);
      writeFileSync(path.join(root, 'versions', 'c3_chain.py'), `${header('c3', 'b2')}def upgrade():\n    op${'.f()'.repeat(20_000)}\n\ndef downgrade():\n    pass\n`);
      writeFileSync(path.join(root, 'versions', 'd4_last.py'), `${header('d4', 'c3')}def upgrade():\n    op.drop_table('audit')\n\ndef downgrade():\n    pass\n`);
      const run = await runCli(['lint'], { cwd: root });
      assert.equal(run.code, 1, run.stderr);
      const lines = run.stdout.trim().split('\n');
      const notAnalysed = lines.filter((line) => line.includes('Not analysed: '));
      assert.deepEqual(
        notAnalysed.map((line) => line.split(':')[0]),
        [path.join('versions', 'b2_deep.py'), path.join('versions', 'c3_chain.py')],
        run.stdout,
      );
      assert.match(notAnalysed[0], /b2_deep\.py:11:\d+: error internal: Not analysed: brackets nest more than 200 levels/, 'points at the nesting');
      assert.match(notAnalysed[1], /c3_chain\.py:11:\d+: error internal: Not analysed: expressions or blocks nest more than 1000 levels/);
      assert.ok(lines.some((line) => /a1_first\.py:\d+:\d+: \w+ AW201 /.test(line)), run.stdout);
      assert.ok(lines.some((line) => /d4_last\.py:\d+:\d+: \w+ AW202 /.test(line)), run.stdout);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
