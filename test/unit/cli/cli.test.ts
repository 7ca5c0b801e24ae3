import assert from 'node:assert/strict';
import path from 'node:path';
import { ExitCode } from '../../../src/cli/cliTypes';
import { revisionSource } from '../revisions/graphFixtures';
import { alembicIni, tempTree, TempTree } from '../project/projectFixtures';
import { runCli } from './runCli';

const HISTORY_KEYS = ['revision', 'down_revisions', 'branch_labels', 'depends_on', 'message', 'file', 'is_head', 'is_branch_point', 'is_merge_point'];

function writeBranchedProject(tree: TempTree, folder = 'backend'): string {
  tree.write(`${folder}/alembic.ini`, alembicIni());
  const versions = `${folder}/alembic/versions`;
  tree.write(`${versions}/aaaa1111_initial.py`, revisionSource({ id: 'aaaa1111', message: 'initial tables' }));
  tree.write(`${versions}/bbbb2222_point.py`, revisionSource({ id: 'bbbb2222', down: 'aaaa1111', message: 'branch point' }));
  tree.write(`${versions}/cccc3333_tags.py`, revisionSource({ id: 'cccc3333', down: 'bbbb2222', labels: ['tags'], message: 'add tags' }));
  tree.write(`${versions}/dddd4444_url.py`, revisionSource({ id: 'dddd4444', down: 'bbbb2222', message: 'add url' }));
  tree.write(`${versions}/eeee5555_merge.py`, revisionSource({ id: 'eeee5555', down: ['cccc3333', 'dddd4444'], message: 'merge' }));
  return path.join(tree.root, folder);
}

describe('alembic-workbench CLI', () => {
  let tree: TempTree;
  let backend: string;
  beforeEach(() => {
    tree = tempTree('aw-cli-');
    backend = writeBranchedProject(tree);
  });
  afterEach(() => tree.cleanup());

  it('prints help, the version, and usage errors with exit code 2', async () => {
    const help = await runCli(['--help'], { cwd: tree.root });
    assert.equal(help.code, 0);
    for (const command of ['heads', 'history', 'show', 'check', 'graph']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
    const version = await runCli(['--version'], { cwd: tree.root });
    assert.match(version.stdout, /^alembic-workbench \d+\.\d+\.\d+\n$/);
    assert.equal((await runCli([], { cwd: tree.root })).code, ExitCode.usage);
    const unknown = await runCli(['upgrade'], { cwd: tree.root });
    assert.equal(unknown.code, ExitCode.usage);
    assert.match(unknown.stderr, /unknown command 'upgrade'/);
    const badOption = await runCli(['heads', '--frobnicate'], { cwd: backend });
    assert.equal(badOption.code, ExitCode.usage);
    assert.match(badOption.stderr, /Unknown option '--frobnicate'[\s\S]*Usage: alembic-workbench heads/);
    const commandHelp = await runCli(['history', '--help'], { cwd: tree.root });
    assert.match(commandHelp.stdout, /-r, --rev-range/);
  });

  it('prints heads and history like Alembic, from the current directory', async () => {
    const heads = await runCli(['heads'], { cwd: backend });
    assert.deepEqual(heads, { code: 0, stdout: 'eeee5555 (tags) (head)\n', stderr: '' });
    const history = await runCli(['history'], { cwd: backend });
    assert.equal(history.code, 0);
    assert.equal(
      history.stdout,
      [
        'cccc3333, dddd4444 -> eeee5555 (tags) (head) (mergepoint), merge',
        'bbbb2222 -> cccc3333 (tags), add tags',
        'bbbb2222 -> dddd4444, add url',
        'aaaa1111 -> bbbb2222 (branchpoint), branch point',
        '<base> -> aaaa1111, initial tables',
        '',
      ].join('\n'),
    );
    const verbose = await runCli(['history', '-v', '-r', 'bbbb2222:dddd4444'], { cwd: backend });
    assert.match(verbose.stdout, /^Rev: dddd4444\nParent: bbbb2222\nPath: .*dddd4444_url\.py\n\n {4}add url\n {4}\n {4}Revision ID: dddd4444/);
  });

  it('prints JSON exactly as documented', async () => {
    const heads = await runCli(['heads', '--json'], { cwd: backend });
    assert.deepEqual(JSON.parse(heads.stdout), { heads: ['eeee5555'] });
    const history = JSON.parse((await runCli(['--json', 'history'], { cwd: backend })).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(history[0]), HISTORY_KEYS);
    assert.deepEqual(history[0], {
      revision: 'eeee5555',
      down_revisions: ['cccc3333', 'dddd4444'],
      branch_labels: ['tags'],
      depends_on: [],
      message: 'merge',
      file: path.join(backend, 'alembic', 'versions', 'eeee5555_merge.py'),
      is_head: true,
      is_branch_point: false,
      is_merge_point: true,
    });
    assert.deepEqual(history.map((entry) => entry.revision), ['eeee5555', 'cccc3333', 'dddd4444', 'bbbb2222', 'aaaa1111']);
    const check = JSON.parse((await runCli(['check', '--json'], { cwd: backend })).stdout);
    assert.deepEqual(check, { problems: [] });
  });

  it('finds the project through -c (ini, folder, versions folder), ALEMBIC_CONFIG, or below the current directory', async () => {
    for (const config of ['backend/alembic.ini', 'backend', 'backend/alembic/versions', 'backend/alembic']) {
      const run = await runCli(['-c', config, 'heads'], { cwd: tree.root });
      assert.equal(run.stdout, 'eeee5555 (tags) (head)\n', config);
    }
    assert.equal((await runCli(['heads', '--config', 'alembic.ini'], { cwd: backend })).code, 0, '-c after the command');
    const fromEnv = await runCli(['heads'], { cwd: tree.root, env: { ALEMBIC_CONFIG: 'backend/alembic.ini' } });
    assert.equal(fromEnv.stdout, 'eeee5555 (tags) (head)\n');
    const discovered = await runCli(['heads'], { cwd: tree.root });
    assert.equal(discovered.code, 0);
    assert.match(discovered.stderr, /Using backend\/alembic\.ini \(no alembic\.ini in /);
  });

  it('says clearly when there is no project, or several (exit code 3)', async () => {
    const empty = tempTree('aw-cli-empty-');
    try {
      const none = await runCli(['heads'], { cwd: empty.root });
      assert.equal(none.code, ExitCode.projectNotFound);
      assert.match(none.stderr, /No Alembic project found: no alembic\.ini in .*Pass -c PATH/);
      const missing = await runCli(['-c', 'nowhere.ini', 'heads'], { cwd: empty.root });
      assert.equal(missing.code, ExitCode.projectNotFound);
      assert.match(missing.stderr, /No config file 'nowhere\.ini' found/);
      empty.write('svc/alembic.ini', '[alembic]\nno_script_location = here\n');
      const broken = await runCli(['heads'], { cwd: empty.root });
      assert.equal(broken.code, ExitCode.projectNotFound);
      assert.match(broken.stderr, /could not be read:\n {2}svc\/alembic\.ini: No 'script_location' key found/);
      const wrongSection = await runCli(['-c', path.join(backend, 'alembic.ini'), '-n', 'db2', 'heads'], { cwd: empty.root });
      assert.equal(wrongSection.code, ExitCode.projectNotFound);
      assert.match(wrongSection.stderr, /has no '\[db2\]' section/);
    } finally {
      empty.cleanup();
    }
    writeBranchedProject(tree, 'other');
    const several = await runCli(['heads'], { cwd: tree.root });
    assert.equal(several.code, ExitCode.projectNotFound);
    assert.match(several.stderr, /Several Alembic projects found[\s\S]*-c backend\/alembic\.ini\n\s+-c other\/alembic\.ini/);
  });

  it('resolves symbols with show, and fails on unknown ones with exit code 4', async () => {
    const show = await runCli(['show', 'tags@head'], { cwd: backend });
    assert.equal(show.code, 0);
    assert.match(show.stdout, /^Rev: eeee5555 \(head\) \(mergepoint\)\nMerges: cccc3333, dddd4444\nBranch names: tags\nPath: /);
    const unknown = await runCli(['show', 'ffff'], { cwd: backend });
    assert.equal(unknown.code, ExitCode.revisionNotResolved);
    assert.match(unknown.stderr, /error: Can't locate revision identified by 'ffff'/);
    const ambiguous = await runCli(['show', '--downgrade', '--from', 'eeee5555', '-1'], { cwd: backend });
    assert.equal(ambiguous.code, ExitCode.revisionNotResolved);
    assert.match(ambiguous.stderr, /Ambiguous walk/);
    const upgrade = await runCli(['show', '--upgrade', '--from', 'aaaa1111', '+1', '--json'], { cwd: backend });
    assert.deepEqual(JSON.parse(upgrade.stdout).map((entry: { revision: string }) => entry.revision), ['bbbb2222']);
    assert.equal((await runCli(['show'], { cwd: backend })).code, ExitCode.usage);
    assert.equal((await runCli(['show', 'current'], { cwd: backend })).code, ExitCode.usage);
  });

  it('refuses heads and history on a history Alembic cannot read, and check names every problem', async () => {
    tree.write('backend/alembic/versions/ffff6666_lost.py', revisionSource({ id: 'ffff6666', down: 'deadbeefcafe' }));
    tree.write('backend/alembic/versions/noid.py', '"""no id"""\ndown_revision = None\n');
    const heads = await runCli(['heads'], { cwd: backend });
    assert.equal(heads.code, ExitCode.problemsFound);
    assert.equal(heads.stdout, '');
    assert.match(heads.stderr, /alembic\/versions\/ffff6666_lost\.py:14: dangling-reference: down_revision of ffff6666 names deadbeefcafe/);
    assert.match(heads.stderr, /noid\.py: missing-revision-id/);
    assert.equal((await runCli(['history'], { cwd: backend })).code, ExitCode.problemsFound);
    const check = await runCli(['check'], { cwd: backend });
    assert.equal(check.code, ExitCode.problemsFound);
    assert.match(check.stdout, /ffff6666_lost\.py:14:18: error dangling-reference: /);
    assert.match(check.stdout, /\d+ errors?, \d+ warnings? in 6 revisions \(alembic\.ini\)\.\n$/);
    const json = JSON.parse((await runCli(['check', '--json'], { cwd: backend })).stdout) as { problems: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(json.problems[0]), ['name', 'severity', 'message', 'file', 'line']);
    assert.ok(json.problems.some((problem) => problem.name === 'dangling-reference' && problem.line === 14));
    assert.ok(json.problems.some((problem) => problem.name === 'missing-revision-id' && problem.line === null));
    const graph = await runCli(['graph'], { cwd: backend });
    assert.equal(graph.code, 0);
    assert.match(graph.stdout, /ffff6666 .*\[missing deadbeefcafe\]/);
    assert.match(graph.stdout, /noid\.py: no readable revision id/);
  });

  it('fails check only on errors, or on warnings with --strict', async () => {
    tree.write('backend/alembic/versions/weird_name.py', revisionSource({ id: 'ffff6666', down: 'eeee5555' }));
    const check = await runCli(['check'], { cwd: backend });
    assert.equal(check.code, 0);
    assert.match(check.stdout, /warning filename-mismatch: File name weird_name\.py/);
    assert.equal((await runCli(['check', '--strict'], { cwd: backend })).code, ExitCode.problemsFound);
  });

  it('draws the graph, colours only on a terminal, and honours NO_COLOR', async () => {
    const plain = await runCli(['graph'], { cwd: backend });
    assert.equal(
      plain.stdout,
      [
        '*  eeee5555 (tags) (head) (mergepoint) merge',
        '|\\',
        '* |  cccc3333 (tags) add tags',
        '| *  dddd4444 add url',
        '|/',
        '*  bbbb2222 (branchpoint) branch point',
        '*  aaaa1111 (base) initial tables',
        '',
      ].join('\n'),
    );
    const tty = await runCli(['graph'], { cwd: backend, isTTY: true });
    assert.ok(tty.stdout.includes('\x1b['), 'ANSI colours on a terminal');
    const noColor = await runCli(['graph'], { cwd: backend, isTTY: true, env: { NO_COLOR: '1' } });
    assert.equal(noColor.stdout, plain.stdout);
    const json = JSON.parse((await runCli(['graph', '--json'], { cwd: backend })).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(json.map((row) => `${row.revision}@${row.column}`), ['eeee5555@0', 'cccc3333@0', 'dddd4444@1', 'bbbb2222@0', 'aaaa1111@0']);
  });
});
