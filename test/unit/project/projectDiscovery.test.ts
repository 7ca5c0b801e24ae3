import assert from 'node:assert/strict';
import path from 'node:path';
import { discoverProjects, findProjectFromCwd } from '../../../src/core/project/projectDiscovery';
import { ProjectConfigError } from '../../../src/core/project/projectConfig';
import { alembicIni, tempTree, TempTree } from './projectFixtures';

describe('project discovery', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree();
  });
  afterEach(() => tree.cleanup());

  it('finds every project in a monorepo and skips venvs, node_modules and .git', async () => {
    tree.write('services/api/alembic.ini', alembicIni());
    tree.mkdir('services/api/alembic/versions');
    tree.write('services/billing/pyproject.toml', '[tool.alembic]\nscript_location = "%(here)s/migrations"\n');
    tree.mkdir('services/billing/migrations/versions');
    tree.write('tools/multidb.ini', '[alembic]\nscript_location = x\n[engine1]\nscript_location = one\n[engine2]\nscript_location = two\n[loggers]\nkeys = root\n');
    tree.write('tools/logging.ini', '[loggers]\nkeys = root\n');
    tree.write('.venv/lib/site/alembic.ini', alembicIni());
    tree.write('env/pyvenv.cfg', 'home = /usr/bin\n');
    tree.write('env/lib/pkg/alembic.ini', alembicIni());
    tree.write('node_modules/x/alembic.ini', alembicIni());
    tree.write('.git/alembic.ini', alembicIni());
    const { projects, failures } = await discoverProjects(tree.root);
    assert.deepEqual(
      projects.map((project) => project.label),
      ['services/api', 'services/billing', 'tools', 'tools/multidb.ini [engine1]', 'tools/multidb.ini [engine2]'],
    );
    assert.deepEqual(failures, []);
  });

  it('reports broken configs as failures and respects maxDepth and ignore', async () => {
    tree.write('a/alembic.ini', '[alembic]\nno_script_location = 1\n');
    tree.write('deep/er/still/alembic.ini', alembicIni());
    const result = await discoverProjects(tree.root, { maxDepth: 2 });
    assert.equal(result.projects.length, 0);
    assert.equal(result.failures[0].error.kind, 'no-script-location');
    const deep = await discoverProjects(tree.root, { ignore: ['a'] });
    assert.deepEqual(deep.projects.map((project) => project.label), ['deep/er/still']);
    assert.deepEqual(deep.failures, []);
  });

  it('finds the project the way the alembic command does from a directory', () => {
    const ini = tree.write('backend/alembic.ini', alembicIni());
    tree.mkdir('backend/alembic/versions');
    assert.equal(findProjectFromCwd(path.join(tree.root, 'backend')).configFile, ini);
    const custom = tree.write('conf/custom.ini', alembicIni('../backend/alembic'));
    assert.equal(findProjectFromCwd(tree.root, { env: { ALEMBIC_CONFIG: 'conf/custom.ini' } }).configFile, custom);
    assert.throws(() => findProjectFromCwd(tree.root), (error: ProjectConfigError) => error.kind === 'not-found' && /alembic\.ini/.test(error.message));
    assert.throws(() => findProjectFromCwd(tree.root, { env: { ALEMBIC_CONFIG: 'missing.ini' } }), /ALEMBIC_CONFIG/);
  });
});
