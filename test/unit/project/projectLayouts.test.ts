// Real-world layouts beyond `alembic init`: Flask-Migrate (no script_location), named sections,
// `package:path` locations in a src/ layout, and configs that can't be read (said, not hidden).
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadProjectConfig, ProjectConfigError } from '../../../src/core/project/projectConfig';
import { discoverProjects, mainProjects } from '../../../src/core/project/projectDiscovery';
import { declaredPackageRoots, projectVirtualenvPython } from '../../../src/core/project/packageRoots';
import { tempTree, TempTree } from './projectFixtures';

const FLASK_ENV_PY = 'from flask import current_app\nfrom alembic import context\n';

describe('project layouts', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree();
  });
  afterEach(() => tree.cleanup());

  describe('Flask-Migrate', () => {
    it('reads an alembic.ini without script_location beside env.py as the folder Flask-Migrate passes', () => {
      const ini = tree.write('migrations/alembic.ini', '[alembic]\n\n[loggers]\nkeys = root\n');
      tree.write('migrations/env.py', FLASK_ENV_PY);
      tree.mkdir('migrations/versions');
      const config = loadProjectConfig(ini);
      assert.equal(config.scriptLocation, path.join(tree.root, 'migrations'));
      assert.deepEqual(config.versionLocations, [path.join(tree.root, 'migrations', 'versions')]);
      assert.equal(config.flavor, 'flask-migrate');
      assert.match(config.flavorEvidence ?? '', /current_app/);
    });

    it("finds the app's Migrate(...) call when env.py does not show Flask", () => {
      const ini = tree.write('migrations/alembic.ini', '[alembic]\n');
      tree.write('migrations/env.py', 'from alembic import context\n');
      tree.mkdir('migrations/versions');
      tree.write('app/extensions/db.py', 'from flask_migrate import Migrate\nmigrate = Migrate()\n');
      const config = loadProjectConfig(ini);
      assert.equal(config.flavor, 'flask-migrate');
      assert.equal(config.flavorEvidence, "app/extensions/db.py calls Flask-Migrate's Migrate(...)");
    });

    it('keeps an ordinary project as alembic, and an ini inside its script folder with a Flask env.py as Flask-Migrate', () => {
      const plain = tree.write('plain/alembic.ini', '[alembic]\nscript_location = %(here)s\n');
      tree.write('plain/env.py', 'from alembic import context\n');
      tree.mkdir('plain/versions');
      assert.equal(loadProjectConfig(plain).flavor, 'alembic');
      const flask = tree.write('flask/alembic.ini', '[alembic]\nscript_location = %(here)s\n');
      tree.write('flask/env.py', FLASK_ENV_PY);
      tree.mkdir('flask/versions');
      assert.equal(loadProjectConfig(flask).flavor, 'flask-migrate');
    });

    it('without env.py beside it, says which key is missing and how to fix it', () => {
      const ini = tree.write('conf/alembic.ini', '[alembic]\nsqlalchemy.url = sqlite://\n');
      assert.throws(
        () => loadProjectConfig(ini),
        (error: ProjectConfigError) =>
          error.kind === 'no-script-location' && /No 'script_location' key found/.test(error.message) && /Add `script_location = <the folder holding env\.py>`/.test(error.message),
      );
    });
  });

  describe('named sections', () => {
    const twoSections = '[core]\nscript_location = %(here)s/core\n\n[tenant]\nscript_location = %(here)s/tenant\n\n[loggers]\nkeys = root\n';

    it('is one project per section, labelled with the file and the section', async () => {
      tree.write('backend/alembic.ini', twoSections);
      tree.mkdir('backend/core/versions');
      tree.mkdir('backend/tenant/versions');
      const { projects, failures } = await discoverProjects(tree.root);
      assert.deepEqual(failures, []);
      assert.deepEqual(
        mainProjects(projects).map((project) => [project.label, project.section, project.scriptLocation]),
        [
          ['backend/alembic.ini [core]', 'core', path.join(tree.root, 'backend', 'core')],
          ['backend/alembic.ini [tenant]', 'tenant', path.join(tree.root, 'backend', 'tenant')],
        ],
      );
      assert.deepEqual(mainProjects(projects, 'tenant').map((project) => project.section), ['tenant']);
    });

    it('without -n names the sections to choose from', () => {
      const ini = tree.write('alembic.ini', twoSections);
      assert.throws(
        () => loadProjectConfig(ini),
        (error: ProjectConfigError) => error.kind === 'ambiguous' && /\[core\], \[tenant\]/.test(error.message) && /-n core/.test(error.message),
      );
      assert.equal(loadProjectConfig(ini, { name: 'tenant' }).scriptLocation, path.join(tree.root, 'tenant'));
    });

    it('a [test] section reusing [alembic] migrations is not a second project', async () => {
      tree.write('alembic.ini', '[alembic]\nscript_location = migrations\n\n[test]\nscript_location = migrations\nsqlalchemy.url = sqlite://\n');
      tree.mkdir('migrations/versions');
      const { projects } = await discoverProjects(tree.root);
      assert.deepEqual(mainProjects(projects).map((project) => project.section), ['alembic']);
    });
  });

  it("finds the project's virtualenv beside alembic.ini or up to the workspace root, nearest first", () => {
    tree.write('.venv/pyvenv.cfg', 'home = /usr/bin\n');
    const rootPython = tree.write('.venv/bin/python', '');
    tree.write('backend/alembic.ini', '[alembic]\n');
    const backend = path.join(tree.root, 'backend');
    assert.equal(projectVirtualenvPython(backend, tree.root), rootPython);
    // Not above the workspace root.
    assert.equal(projectVirtualenvPython(backend, backend), undefined);
    tree.write('backend/venv/pyvenv.cfg', 'home = /usr/bin\n');
    const nearest = tree.write('backend/venv/bin/python', '');
    assert.equal(projectVirtualenvPython(backend, tree.root), nearest);
    // A folder called env without pyvenv.cfg is not a virtualenv.
    tree.write('other/env/bin/python', '');
    assert.equal(projectVirtualenvPython(path.join(tree.root, 'other'), path.join(tree.root, 'other')), undefined);
  });

  describe('package:path locations', () => {
    it('finds the package in the src/ folder of an ancestor up to the repository root', () => {
      tree.mkdir('.git');
      tree.write('src/app/__init__.py', '');
      tree.mkdir('src/app/database/revisions/core/versions');
      const ini = tree.write('deploy/config/alembic.ini', '[alembic]\nscript_location = app:database/revisions/core\n');
      const config = loadProjectConfig(ini);
      assert.equal(config.scriptLocation, path.join(tree.root, 'src', 'app', 'database', 'revisions', 'core'));
      assert.deepEqual(config.warnings.filter((warning) => warning.code === 'package-not-found'), []);
    });

    it('does not look above the search root, and says where it looked', () => {
      tree.write('src/app/__init__.py', '');
      const ini = tree.write('project/alembic.ini', '[alembic]\nscript_location = app:migrations\n');
      const warning = loadProjectConfig(ini, { searchRoot: path.join(tree.root, 'project') }).warnings.find((entry) => entry.code === 'package-not-found');
      assert.match(warning?.message ?? '', /names package 'app'.*looked in .*project\/app, .*project\/src\/app/s);
    });

    it('reads the package folders pyproject.toml and setup.cfg declare', () => {
      tree.write('a/pyproject.toml', '[tool.setuptools.packages.find]\nwhere = ["lib"]\n');
      tree.write('b/pyproject.toml', '[tool.poetry]\npackages = [{ include = "app", from = "code" }]\n');
      tree.write('c/setup.cfg', '[options]\npackage_dir =\n    =python\n');
      tree.write('d/pyproject.toml', '[tool.hatch.build.targets.wheel]\npackages = ["pkgs/app"]\n');
      assert.deepEqual(declaredPackageRoots(path.join(tree.root, 'a')), [path.join(tree.root, 'a', 'lib')]);
      assert.deepEqual(declaredPackageRoots(path.join(tree.root, 'b')), [path.join(tree.root, 'b', 'code')]);
      assert.deepEqual(declaredPackageRoots(path.join(tree.root, 'c')), [path.join(tree.root, 'c', 'python')]);
      assert.deepEqual(declaredPackageRoots(path.join(tree.root, 'd')), [path.join(tree.root, 'd', 'pkgs')]);
      tree.write('a/lib/app/migrations/versions/.keep', '');
      const ini = tree.write('a/alembic.ini', '[alembic]\nscript_location = app:migrations\n');
      assert.equal(loadProjectConfig(ini).scriptLocation, path.join(tree.root, 'a', 'lib', 'app', 'migrations'));
    });
  });
});
