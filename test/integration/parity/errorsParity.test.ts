// Broken histories: wherever the real Alembic 1.8.1 fails, our heads/history fail too (with a
// message that names the file and line), and `check` names the problem; where Alembic still
// answers, so do we. Each case starts from a healthy generated project and breaks one thing.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../../src/cli/cliTypes';
import { runCli } from '../../unit/cli/runCli';
import { generateProject, GeneratedProject, RevisionStep, runAlembicBatch } from './support/alembicBatch';
import { failureMessage } from './support/parityProbe';

const STEPS: RevisionStep[] = [
  { kind: 'revision', id: 'aa000001', message: 'initial tables' },
  { kind: 'revision', id: 'bb000002', message: 'add users' },
  { kind: 'revision', id: 'cc000003', message: 'add index' },
  { kind: 'revision', id: 'dd000004', message: 'add tags', branchLabel: 'tags' },
];

function fileOf(project: GeneratedProject, id: string): string {
  const name = readdirSync(project.versions).find((file) => file.startsWith(`${id}_`));
  assert.ok(name, `no file for ${id}`);
  return path.join(project.versions, name);
}

function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

interface Outcome {
  alembic: { heads: number; history: number; stdout: string; stderr: string };
  ours: { heads: number; history: number; stderr: string };
  check: { code: number; problems: Array<{ name: string; severity: string; file: string; line: number | null; message: string }> };
}

async function compare(project: GeneratedProject): Promise<Outcome> {
  const [heads, history] = runAlembicBatch([
    { cwd: project.root, argv: ['heads'] },
    { cwd: project.root, argv: ['history'] },
  ]);
  const ourHeads = await runCli(['heads'], { cwd: project.root });
  const ourHistory = await runCli(['history'], { cwd: project.root });
  const check = await runCli(['check', '--json'], { cwd: project.root });
  return {
    alembic: { heads: heads.code, history: history.code, stdout: heads.stdout + history.stdout, stderr: heads.stderr + history.stderr },
    ours: { heads: ourHeads.code, history: ourHistory.code, stderr: ourHeads.stderr + ourHistory.stderr },
    check: { code: check.code, problems: JSON.parse(check.stdout).problems },
  };
}

function assertBothFail(outcome: Outcome, command: 'heads' | 'history'): void {
  assert.notEqual(outcome.alembic[command], 0, `alembic ${command} was expected to fail`);
  assert.notEqual(outcome.ours[command], 0, `our ${command} should fail where Alembic fails`);
}

describe('parity with Alembic 1.8.1 on broken histories', function () {
  this.timeout(120_000);
  let project: GeneratedProject;
  beforeEach(() => {
    project = generateProject(STEPS, { prefix: 'aw-errors-' });
  });
  afterEach(() => project.cleanup());

  it('a healthy project: both answer, check is clean', async () => {
    const outcome = await compare(project);
    assert.equal(outcome.alembic.heads, 0);
    assert.equal(outcome.ours.heads, 0);
    assert.equal(outcome.check.code, 0);
    assert.deepEqual(outcome.check.problems, []);
  });

  it('a dangling down_revision (corpus e2): Alembic crashes with KeyError, we name file and line', async () => {
    edit(fileOf(project, 'cc000003'), (text) => text.replace("down_revision = 'bb000002'", "down_revision = 'deadbeefcafe'"));
    const outcome = await compare(project);
    assertBothFail(outcome, 'heads');
    assertBothFail(outcome, 'history');
    assert.match(outcome.alembic.stderr, /KeyError: 'deadbeefcafe'/);
    assert.match(outcome.ours.stderr, /cc000003_add_index\.py:14: dangling-reference/);
    const problem = outcome.check.problems.find((candidate) => candidate.name === 'dangling-reference');
    assert.equal(problem?.line, 14);
    assert.equal(outcome.check.code, ExitCode.problemsFound);
  });

  it('a depends_on that names nothing: Alembic crashes, check says dangling-reference', async () => {
    edit(fileOf(project, 'dd000004'), (text) => text.replace('depends_on = None', "depends_on = 'no_such_label'"));
    const outcome = await compare(project);
    assertBothFail(outcome, 'heads');
    assert.match(outcome.alembic.stderr, /KeyError: 'no_such_label'/);
    assert.equal(outcome.check.problems.find((candidate) => candidate.name === 'dangling-reference')?.line, 16);
  });

  it('a duplicated revision id (corpus e6): heads answer with a warning, history fails', async () => {
    const original = fileOf(project, 'bb000002');
    copyFileSync(original, path.join(project.versions, 'bb000002_copy_of_add_users.py'));
    const outcome = await compare(project);
    assert.equal(outcome.alembic.heads, 0);
    assert.equal(outcome.ours.heads, 0);
    assert.match(outcome.alembic.stderr, /Revision bb000002 is present more than once/);
    assertBothFail(outcome, 'history');
    assert.match(outcome.alembic.stdout, /FAILED: Requested revision dd000004 overlaps with other requested revisions bb000002/);
    assert.match(outcome.ours.stderr, /Revision bb000002 is defined in 2 files/);
    assert.equal(outcome.check.problems.filter((candidate) => candidate.name === 'duplicate-revision').length, 2);
  });

  it('a file without `revision` (corpus e7): both stop, with Alembic\'s words in ours', async () => {
    edit(fileOf(project, 'cc000003'), (text) => text.replace("revision = 'cc000003'", "revision_id = 'cc000003'"));
    const outcome = await compare(project);
    assertBothFail(outcome, 'heads');
    assertBothFail(outcome, 'history');
    assert.match(failureMessage(outcome.alembic.stdout), /^Could not determine revision id from filename cc000003_add_index\.py/);
    assert.match(outcome.ours.stderr, /missing-revision-id: .*Could not determine revision id from filename cc000003_add_index\.py/);
  });

  it('a file without down_revision: Alembic crashes with AttributeError, check says missing-down-revision', async () => {
    edit(fileOf(project, 'cc000003'), (text) => text.replace("down_revision = 'bb000002'\n", ''));
    const outcome = await compare(project);
    assertBothFail(outcome, 'heads');
    assert.match(outcome.alembic.stderr, /AttributeError: .*down_revision/);
    assert.ok(outcome.check.problems.some((candidate) => candidate.name === 'missing-down-revision'));
  });

  it('a cycle and a self-loop: Alembic detects them, so do we', async () => {
    edit(fileOf(project, 'aa000001'), (text) => text.replace('down_revision = None', "down_revision = 'cc000003'"));
    const cycle = await compare(project);
    assertBothFail(cycle, 'history');
    // Every revision hangs off the cycle, so Alembic lists all four (in load order).
    const listed = /FAILED: Cycle is detected in revisions \(([^)]*)\)/.exec(cycle.alembic.stdout)?.[1].split(', ').sort();
    assert.deepEqual(listed, ['aa000001', 'bb000002', 'cc000003', 'dd000004']);
    assert.equal(cycle.check.problems.filter((candidate) => candidate.name === 'revision-cycle').length, 3);
    edit(fileOf(project, 'aa000001'), (text) => text.replace("down_revision = 'cc000003'", "down_revision = 'aa000001'"));
    const loop = await compare(project);
    assertBothFail(loop, 'history');
    assert.match(loop.alembic.stdout + loop.alembic.stderr, /Self-loop is detected in revisions \(aa000001\)/);
    assert.match(loop.check.problems.find((candidate) => candidate.name === 'revision-cycle')?.message ?? '', /Self-loop is detected in revisions \(aa000001\)/);
  });

  it('an illegal character in a revision id and a branch label used twice', async () => {
    const file = fileOf(project, 'dd000004');
    edit(file, (text) => text.replace(/'dd000004'/g, "'dd-000004'"));
    const illegal = await compare(project);
    assertBothFail(illegal, 'history');
    assert.match(illegal.alembic.stdout + illegal.alembic.stderr, /Character\(s\) '-' not allowed in revision identifier 'dd-000004'/);
    assert.ok(illegal.check.problems.some((candidate) => candidate.name === 'invalid-revision-id' && candidate.message === "Character(s) '-' not allowed in revision identifier 'dd-000004'"));
    edit(file, (text) => text.replace(/'dd-000004'/g, "'dd000004'"));
    edit(fileOf(project, 'bb000002'), (text) => text.replace('branch_labels = None', "branch_labels = ('tags',)"));
    const twice = await compare(project);
    assertBothFail(twice, 'history');
    assert.match(twice.alembic.stdout + twice.alembic.stderr, /Branch name 'tags' in revision (bb000002|dd000004) already used by revision (bb000002|dd000004)/);
    assert.ok(twice.check.problems.some((candidate) => candidate.name === 'duplicate-branch-label'));
  });

  it('a syntax error in upgrade() (corpus e4): Alembic fails to import; we keep the header and check finds the line', async () => {
    edit(fileOf(project, 'cc000003'), (text) => text.replace('def upgrade() -> None:', 'def upgrade() -> None'));
    const outcome = await compare(project);
    assert.notEqual(outcome.alembic.heads, 0);
    const pythonLine = Number(/line (\d+)\n[^\n]*\n[^\n]*\nSyntaxError/.exec(outcome.alembic.stderr)?.[1] ?? /line (\d+)/.exec(outcome.alembic.stderr.split('SyntaxError')[0].split('File ').pop() ?? '')?.[1]);
    // Deliberately different: the header is still readable, so heads and history answer.
    assert.equal(outcome.ours.heads, 0);
    const problem = outcome.check.problems.find((candidate) => candidate.name === 'syntax-error');
    assert.ok(problem, 'check reports the syntax error');
    assert.equal(problem.line, pythonLine, 'same line as Python');
    assert.equal(outcome.check.code, ExitCode.problemsFound);
  });

  it('unmerged heads: `upgrade head` fails the same way; heads both list the two', async () => {
    const [revision] = runAlembicBatch([{ cwd: project.root, argv: ['revision', '-m', 'second branch', '--rev-id', 'ee000005', '--head', 'bb000002', '--splice'] }]);
    assert.equal(revision.code, 0, revision.stdout + revision.stderr);
    edit(project.ini, (text) => text.replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = postgresql://parity:parity@127.0.0.1:5432/parity_offline'));
    const [upgrade, heads] = runAlembicBatch([
      { cwd: project.root, argv: ['upgrade', 'head', '--sql'] },
      { cwd: project.root, argv: ['heads'] },
    ]);
    assert.equal(upgrade.code, 255);
    const ours = await runCli(['show', '--upgrade', 'head'], { cwd: project.root });
    assert.equal(ours.code, ExitCode.revisionNotResolved);
    assert.equal(failureMessage(ours.stderr), failureMessage(upgrade.stdout));
    const ourHeads = await runCli(['heads'], { cwd: project.root });
    assert.deepEqual(ourHeads.stdout.split('\n').sort(), heads.stdout.split('\n').sort());
    const check = JSON.parse((await runCli(['check', '--json'], { cwd: project.root })).stdout);
    assert.deepEqual(
      check.problems.map((problem: { name: string; severity: string }) => `${problem.name}:${problem.severity}`),
      ['multiple-heads:error', 'multiple-heads:error'],
    );
  });

  it('a versions folder that is missing, and a script_location that is wrong', async () => {
    renameSync(project.versions, `${project.versions}_gone`);
    const [heads] = runAlembicBatch([{ cwd: project.root, argv: ['heads'] }]);
    assert.notEqual(heads.code, 0);
    const ours = await runCli(['heads'], { cwd: project.root });
    assert.equal(ours.code, ExitCode.problemsFound);
    assert.match(ours.stderr, /versions folder .* does not exist/);
    edit(project.ini, (text) => text.replace('script_location = migrations', 'script_location = nowhere'));
    const [wrong] = runAlembicBatch([{ cwd: project.root, argv: ['heads'] }]);
    assert.equal(wrong.code, 255);
    assert.match(wrong.stdout, /Path doesn't exist/);
    const check = JSON.parse((await runCli(['check', '--json'], { cwd: project.root })).stdout);
    assert.match(check.problems[0].message, /Path doesn't exist/);
  });

  it('an unknown revision symbol: the same message as Alembic', async () => {
    unlinkSync(fileOf(project, 'dd000004'));
    const [show] = runAlembicBatch([{ cwd: project.root, argv: ['show', 'dd000004'] }]);
    const ours = await runCli(['show', 'dd000004'], { cwd: project.root });
    assert.equal(show.code, 255);
    assert.equal(ours.code, ExitCode.revisionNotResolved);
    assert.equal(failureMessage(ours.stderr), failureMessage(show.stdout));
  });
});
