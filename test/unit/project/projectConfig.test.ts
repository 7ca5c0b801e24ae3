import assert from 'node:assert/strict';
import path from 'node:path';
import { loadProjectConfig, ProjectConfigError } from '../../../src/core/project/projectConfig';
import { alembicIni, tempTree, TempTree } from './projectFixtures';

describe('loadProjectConfig', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree();
  });
  afterEach(() => tree.cleanup());

  it('reads the alembic.ini that `alembic init` writes, resolving paths against its folder', () => {
    tree.mkdir('backend/alembic/versions');
    const ini = tree.write('backend/alembic.ini', alembicIni('alembic', 'file_template = %%(year)d_%%(month).2d-%%(rev)s_%%(slug)s\ntruncate_slug_length = 20'));
    const config = loadProjectConfig(ini);
    const backend = path.join(tree.root, 'backend');
    assert.equal(config.kind, 'ini');
    assert.equal(config.id, `${ini}#alembic`);
    assert.equal(config.label, 'backend');
    assert.equal(config.here, backend);
    assert.equal(config.scriptLocation, path.join(backend, 'alembic'));
    assert.deepEqual(config.versionLocations, [path.join(backend, 'alembic', 'versions')]);
    assert.equal(config.versionLocationsExplicit, false);
    assert.equal(config.fileTemplate, '%(year)d_%(month).2d-%(rev)s_%(slug)s');
    assert.equal(config.truncateSlugLength, 20);
    assert.equal(config.sqlalchemyUrl, 'postgresql+psycopg2://app:s3cret@db:5432/app');
    assert.deepEqual(config.prependSysPath, [backend]);
    assert.equal(config.fileOrder, 'directory');
    assert.deepEqual(config.warnings, [], 'the template comment on version_path_separator is harmless while version_locations is unset');
    assert.equal(loadProjectConfig(path.join(tree.root, 'backend')).id, config.id, 'a project folder means its alembic.ini');
  });

  it('flags the inline comment on version_path_separator once version_locations is set, as Alembic fails then', () => {
    tree.mkdir('alembic/versions');
    tree.mkdir('extra');
    const ini = tree.write('alembic.ini', alembicIni('alembic', 'version_locations = %(here)s/alembic/versions:%(here)s/extra'));
    const config = loadProjectConfig(ini);
    assert.deepEqual(config.versionLocations, [path.join(tree.root, 'alembic', 'versions'), path.join(tree.root, 'extra')]);
    const warning = config.warnings.find((candidate) => candidate.code === 'invalid-path-separator');
    assert.equal(warning?.severity, 'error');
    assert.match(warning?.message ?? '', /configparser keeps inline comments/);
    assert.equal(warning?.line, 10);
  });

  it('splits version_locations by each separator setting', () => {
    tree.mkdir('alembic/versions');
    const cases: Array<[string, string, string[]]> = [
      ['', 'a b,c, d', ['a', 'b', 'c', 'd']],
      ['version_path_separator = space', 'a b', ['a', 'b']],
      ['version_path_separator = ;', 'a;b', ['a', 'b']],
      ['version_path_separator = :', 'a:b', ['a', 'b']],
      ['path_separator = newline', '\n  a\n  b', ['a', 'b']],
    ];
    for (const [separator, value, expected] of cases) {
      const ini = tree.write('alembic.ini', `[alembic]\nscript_location = alembic\n${separator}\nversion_locations = ${value}\n`);
      assert.deepEqual(loadProjectConfig(ini).versionLocations, expected.map((entry) => path.join(tree.root, entry)), separator || 'legacy');
    }
  });

  it('resolves package:path script locations through prepend_sys_path', () => {
    tree.mkdir('src/myapp/db/migrations/versions');
    const ini = tree.write('alembic.ini', '[alembic]\nscript_location = myapp.db:migrations\nprepend_sys_path = src\n');
    const config = loadProjectConfig(ini);
    assert.equal(config.scriptLocation, path.join(tree.root, 'src', 'myapp', 'db', 'migrations'));
    assert.deepEqual(config.warnings, []);
    const missing = tree.write('other.ini', '[alembic]\nscript_location = installed_pkg:migrations\n');
    assert.equal(loadProjectConfig(missing).warnings[0].code, 'package-not-found');
  });

  it('reads [tool.alembic] from pyproject.toml (Alembic >= 1.16) with sqlalchemy.url from alembic.ini', () => {
    tree.mkdir('migrations/versions');
    tree.mkdir('more_versions');
    tree.write(
      'pyproject.toml',
      `[project]\nname = "app"\n\n[tool.alembic]\nscript_location = "%(here)s/migrations"\nversion_locations = ["%(here)s/migrations/versions", "%(here)s/more_versions"]\nfile_template = "%%(rev)s_%%(slug)s"\nrecursive_version_locations = true\ntruncate_slug_length = 30\nprepend_sys_path = ["."]\n`,
    );
    tree.write('alembic.ini', '[alembic]\nsqlalchemy.url = postgresql://u:p@h/db\n');
    const config = loadProjectConfig(path.join(tree.root, 'pyproject.toml'));
    assert.equal(config.kind, 'pyproject');
    assert.equal(config.scriptLocation, path.join(tree.root, 'migrations'));
    assert.deepEqual(config.versionLocations, [path.join(tree.root, 'migrations', 'versions'), path.join(tree.root, 'more_versions')]);
    assert.equal(config.fileTemplate, '%(rev)s_%(slug)s');
    assert.equal(config.recursiveVersionLocations, true);
    assert.equal(config.truncateSlugLength, 30);
    assert.equal(config.fileOrder, 'name');
    assert.equal(config.sqlalchemyUrl, 'postgresql://u:p@h/db');
  });

  it('accepts a bare versions folder and a script folder', () => {
    const versions = tree.mkdir('somewhere/migrations/versions');
    tree.write('somewhere/migrations/env.py', '');
    tree.write('somewhere/migrations/versions/a1_first.py', "revision = 'a1'\ndown_revision = None\n");
    const fromVersions = loadProjectConfig(versions);
    assert.equal(fromVersions.kind, 'folder');
    assert.deepEqual(fromVersions.versionLocations, [versions]);
    assert.equal(fromVersions.scriptLocation, path.join(tree.root, 'somewhere', 'migrations'));
    const fromScripts = loadProjectConfig(path.join(tree.root, 'somewhere', 'migrations'));
    assert.deepEqual(fromScripts.versionLocations, [versions]);
    // With an alembic.ini pointing at the folder, that ini is used (it knows file_template).
    tree.write('somewhere/alembic.ini', '[alembic]\nscript_location = migrations\nfile_template = %%(rev)s\n');
    assert.equal(loadProjectConfig(versions).fileTemplate, '%(rev)s');
  });

  it('fails with typed, clear errors', () => {
    const expectKind = (work: () => unknown, kind: string, pattern: RegExp) =>
      assert.throws(work, (error: ProjectConfigError) => error instanceof ProjectConfigError && error.kind === kind && pattern.test(error.message));
    expectKind(() => loadProjectConfig(path.join(tree.root, 'nope.ini')), 'not-found', /No config file/);
    const noSection = tree.write('a.ini', '[other]\nx = 1\n');
    expectKind(() => loadProjectConfig(noSection), 'no-section', /has no '\[alembic\]' section/);
    expectKind(() => loadProjectConfig(noSection, { name: 'other' }), 'no-script-location', /No 'script_location' key/);
    expectKind(() => loadProjectConfig(tree.mkdir('empty')), 'not-a-project', /No Alembic project/);
    const bad = tree.write('bad.ini', '[alembic]\nscript_location = missing_dir\ntruncate_slug_length = forty\nsqlalchemy.url = postgresql://u:50%@h/db\n');
    const config = loadProjectConfig(bad);
    assert.deepEqual(config.warnings.map((warning) => [warning.code, warning.severity]), [
      ['invalid-truncate-slug-length', 'error'],
      ['ini-interpolation', 'warning'],
      ['script-location-missing', 'error'],
    ]);
  });
});
