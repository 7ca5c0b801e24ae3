// script_location = package:path with the package installed in the project's virtualenv, the way a
// team ships shared migrations as a pip package. Alembic finds it through sys.path (here: PYTHONPATH
// set to the virtualenv's site-packages, as that virtualenv's interpreter would have it); we find it
// in .venv/lib/pythonX.Y/site-packages without running Python. Both must read the same history.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { realAlembicOk } from '../../support/realAlembic';

describe('package:path script_location installed in the project virtualenv', function () {
  this.timeout(60_000);
  let root: string;
  let backend: string;
  let sitePackages: string;
  const alembic = (args: string[]) => realAlembicOk(backend, args, { PYTHONPATH: sitePackages });

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aw-venv-package-'));
    backend = path.join(root, 'backend');
    sitePackages = path.join(root, '.venv', 'lib', 'python3.11', 'site-packages');
    const packageFolder = path.join(sitePackages, 'shared_migrations');
    mkdirSync(packageFolder, { recursive: true });
    writeFileSync(path.join(packageFolder, '__init__.py'), '');
    // `alembic init` makes the environment; it moves into the installed package.
    mkdirSync(backend);
    realAlembicOk(backend, ['init', 'scripts']);
    renameSync(path.join(backend, 'scripts'), path.join(packageFolder, 'scripts'));
    const ini = path.join(backend, 'alembic.ini');
    writeFileSync(ini, readFileSync(ini, 'utf8').replace(/^script_location = .*$/m, 'script_location = shared_migrations:scripts'));
    alembic(['revision', '-m', 'create meetings', '--rev-id', 'ae0100000001']);
    alembic(['revision', '-m', 'add rooms', '--rev-id', 'ae0100000002', '--head', 'base', '--branch-label', 'rooms', '--version-path', path.join(packageFolder, 'scripts', 'versions')]);
    alembic(['revision', '-m', 'add notes', '--rev-id', 'ae0100000003', '--head', 'ae0100000001']);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads the same heads and history as Alembic, from the installed package', () => {
    const config = loadProjectConfig(path.join(backend, 'alembic.ini'));
    assert.equal(config.scriptLocation, path.join(sitePackages, 'shared_migrations', 'scripts'));
    assert.deepEqual(config.warnings.filter((warning) => warning.code === 'package-not-found'), []);
    const graph = AlembicProjectModel.load(config).graph;
    const alembicHeads = alembic(['heads']).stdout.trim().split('\n').map((line) => line.split(' ')[0]).sort();
    assert.deepEqual([...graph.heads].sort(), alembicHeads);
    const alembicHistory = alembic(['history']).stdout.trim().split('\n').length;
    assert.equal(graph.history().length, alembicHistory);
  });

  it('still says so when the package is nowhere in the project', () => {
    const elsewhere = path.join(root, 'elsewhere');
    mkdirSync(elsewhere);
    const ini = path.join(elsewhere, 'alembic.ini');
    writeFileSync(ini, '[alembic]\nscript_location = not_installed_here:scripts\n');
    const warning = loadProjectConfig(ini).warnings.find((entry) => entry.code === 'package-not-found');
    assert.match(warning?.message ?? '', /not_installed_here.*site-packages.*outside the project's virtualenv/s);
  });
});
