// The built CLI (dist/cli.js) as a real process beside the real `alembic` command: same output for
// heads and history, exit codes a shell script can rely on, and no password ever printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runRealAlembic } from '../../support/realAlembic';
import { generateProject, GeneratedProject } from './support/alembicBatch';
import { normalize } from './support/parityProbe';
import { TEST_CACHE_DIR } from '../../unit/cli/runCli';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function runOurs(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR, ...env },
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('the built CLI as a process, beside the alembic command', function () {
  this.timeout(120_000);
  let project: GeneratedProject;

  before(() => {
    // npm test builds first; a lone run of this file builds here.
    if (!existsSync(CLI)) {
      const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    project = generateProject(
      [
        { kind: 'revision', id: '5a1e00000001', message: 'create meetings' },
        { kind: 'revision', id: '5a1e00000002', message: 'add location' },
        { kind: 'revision', id: '5a1e00000003', message: 'tags', branchLabel: 'tags' },
        { kind: 'revision', id: '5a1e00000004', message: 'recording url', head: '5a1e00000002', splice: true },
        { kind: 'merge', id: '5a1e00000005', message: 'merge branches', revisions: ['heads'] },
      ],
      { prefix: 'aw-cli-process-' },
    );
  });
  after(() => project.cleanup());

  it('prints what `alembic heads` and `alembic history` print', () => {
    for (const args of [['heads'], ['history'], ['history', '--verbose'], ['show', '5a1e00000003']]) {
      const alembic = runRealAlembic(project.root, args);
      const ours = runOurs(project.root, args);
      assert.equal(alembic.code, 0, alembic.stderr);
      assert.equal(ours.code, 0, ours.stderr);
      assert.equal(normalize(ours.stdout), normalize(alembic.stdout), args.join(' '));
    }
  });

  it('gives exit codes a script can rely on, and never prints the database password', () => {
    assert.equal(runOurs(project.root, ['check']).code, 0);
    assert.equal(runOurs(project.root, ['show', 'nope']).code, 4);
    assert.equal(runOurs(project.root, ['frobnicate']).code, 2);
    assert.equal(runOurs(path.dirname(project.root), ['-c', 'no/such/alembic.ini', 'heads']).code, 3);
    writeFileSync(project.ini, readFileSync(project.ini, 'utf8').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = postgresql://app:Sup3rSecret@db/app'));
    for (const args of [['heads', '-v'], ['history', '-v'], ['check'], ['graph'], ['check', '--json']]) {
      const run = runOurs(project.root, args);
      assert.ok(!(run.stdout + run.stderr).includes('Sup3rSecret'), `${args.join(' ')} printed the password`);
    }
  });

  it('survives a closed pipe (history | head -1)', () => {
    const result = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" history | head -1`], {
      cwd: project.root,
      encoding: 'utf8',
      env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR },
    });
    assert.equal(result.status, 0);
    assert.equal(result.stdout.split('\n').length, 2);
    assert.equal(result.stderr, '');
  });

  it('runs the README quickstart on the example project (when it has landed)', function () {
    const backend = path.join(REPO_ROOT, 'examples', 'meeting-assistant', 'backend');
    if (!existsSync(path.join(backend, 'alembic.ini'))) this.skip();
    const ours = runOurs(REPO_ROOT, ['history', '-c', 'examples/meeting-assistant/backend']);
    assert.equal(ours.code, 0, ours.stderr);
    const alembic = runRealAlembic(backend, ['history']);
    assert.equal(normalize(ours.stdout), normalize(alembic.stdout));
  });
});
