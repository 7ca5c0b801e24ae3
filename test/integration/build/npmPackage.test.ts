// The command line as npm ships it: `npm pack` of this repository (the .npmignore allowlist), the
// tarball installed into an empty folder with the real npm, and its `alembic-workbench` run through
// npx on a small project the real Alembic 1.8.1 made: `heads` prints what `alembic heads` prints,
// `lint` finds the risky revision and exits 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureCliBuilt } from '../../support/builtCli';
import { REPO_ROOT, realAlembicOk } from '../../support/realAlembic';

const NPM = 'npm';

function npm(args: string[], cwd: string) {
  // Dependencies come from the npm cache the repository's own install filled, where it can.
  const result = spawnSync(NPM, [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, encoding: 'utf8', timeout: 300_000 });
  if (result.error) throw result.error;
  assert.equal(result.status, 0, `npm ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('the npm package of the CLI', function () {
  this.timeout(600_000);
  let work: string;
  let installed: string;
  let project: string;
  let shipped: string[];

  before(() => {
    ensureCliBuilt();
    work = mkdtempSync(path.join(tmpdir(), 'aw-npm-pack-'));
    // Scripts off: the package holds dist/ as built (npm test builds it first), not a rebuild.
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], REPO_ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    shipped = packed[0].files.map((file) => file.path).sort();
    installed = path.join(work, 'consumer');
    mkdirSync(installed);
    npm(['init', '-y'], installed);
    npm(['install', path.join(work, packed[0].filename)], installed);
    project = path.join(work, 'project');
    mkdirSync(project);
    realAlembicOk(project, ['init', 'alembic']);
    realAlembicOk(project, ['revision', '-m', 'create meetings', '--rev-id', '7a7a00000001']);
    realAlembicOk(project, ['revision', '-m', 'add status', '--rev-id', '7a7a00000002']);
    const risky = path.join(project, 'alembic', 'versions', '7a7a00000002_add_status.py');
    writeFileSync(risky, readFileSync(risky, 'utf8').replace(/def upgrade\(\) -> None:\n {4}pass/, "def upgrade() -> None:\n    op.add_column('meetings', sa.Column('status', sa.String(20), nullable=False))"));
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function installedCli(args: string[]) {
    const result = spawnSync('npx', ['--no-install', 'alembic-workbench', ...args], {
      cwd: installed,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ALEMBIC_WORKBENCH_NO_CACHE: '1' },
      timeout: 120_000,
    });
    if (result.error) throw result.error;
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  it('holds the CLI only: launcher, program, SQLite reader, and the package files', () => {
    assert.deepEqual(shipped, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli-main.js', 'dist/cli.js', 'dist/sqlite.js', 'package.json']);
  });

  it('runs heads from the installed package as alembic heads prints it', () => {
    const ours = installedCli(['heads', '-c', path.join(project, 'alembic.ini')]);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, realAlembicOk(project, ['heads']).stdout);
    assert.match(ours.stdout, /^7a7a00000002 \(head\)\n$/);
  });

  it('runs lint from the installed package: the NOT NULL column without a default is an error (exit 1)', () => {
    const ours = installedCli(['lint', '-c', path.join(project, 'alembic.ini'), '--format', 'json']);
    assert.equal(ours.code, 1, ours.stdout + ours.stderr);
    const findings = JSON.parse(ours.stdout) as Array<{ code: string; file: string }>;
    assert.deepEqual(findings.filter((finding) => finding.code === 'AW102').map((finding) => path.basename(finding.file)), ['7a7a00000002_add_status.py']);
  });
});
