// Two databases in one alembic.ini, as named sections (`[core]`, `[tenant]`, run as `alembic -n core`),
// with `package:path` locations inside a src/ layout package (found by Python through the editable
// install, here PYTHONPATH=src). Each section must read as the real Alembic reads it, and the CLI
// without -n must name the sections.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { discoverProjects, mainProjects } from '../../../src/core/project/projectDiscovery';
import { BUILT_CLI, ensureCliBuilt } from '../../support/builtCli';
import { realAlembicOk } from '../../support/realAlembic';

describe('named sections with package:path locations in a src/ layout (real alembic -n)', function () {
  this.timeout(120_000);
  let root: string;
  const alembic = (section: string, args: string[]) => realAlembicOk(root, ['-n', section, ...args], { PYTHONPATH: path.join(root, 'src') });

  before(() => {
    ensureCliBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'aw-named-sections-'));
    writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "app"\nversion = "1"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n');
    const revisions = path.join(root, 'src', 'app', 'database', 'revisions');
    mkdirSync(revisions, { recursive: true });
    writeFileSync(path.join(root, 'src', 'app', '__init__.py'), '');
    writeFileSync(path.join(root, 'src', 'app', 'database', '__init__.py'), '');
    // `alembic init` makes one environment; each section gets its own copy.
    const scratch = mkdtempSync(path.join(tmpdir(), 'aw-named-init-'));
    realAlembicOk(scratch, ['init', 'env']);
    for (const section of ['core', 'tenant']) cpSync(path.join(scratch, 'env'), path.join(revisions, section), { recursive: true });
    rmSync(scratch, { recursive: true, force: true });
    writeFileSync(
      path.join(root, 'alembic.ini'),
      '[core]\nscript_location = app:database/revisions/core\nsqlalchemy.url = sqlite://\n\n' +
        '[tenant]\nscript_location = app:database/revisions/tenant\nsqlalchemy.url = sqlite://\n\n' +
        '[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = generic\n' +
        '[logger_root]\nlevel = WARN\nhandlers = console\n[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n[formatter_generic]\nformat = %%(message)s\n',
    );
    alembic('core', ['revision', '-m', 'create accounts', '--rev-id', 'c0re00000001']);
    alembic('core', ['revision', '-m', 'add plans', '--rev-id', 'c0re00000002']);
    alembic('core', ['revision', '-m', 'add invoices', '--rev-id', 'c0re00000003', '--head', 'c0re00000001', '--splice']);
    alembic('tenant', ['revision', '-m', 'create tenant tables', '--rev-id', '7e0a00000001']);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const section of ['core', 'tenant']) {
    it(`[${section}]: the same heads and history as alembic -n ${section}`, () => {
      const config = loadProjectConfig(path.join(root, 'alembic.ini'), { name: section });
      assert.equal(config.scriptLocation, path.join(root, 'src', 'app', 'database', 'revisions', section));
      const graph = AlembicProjectModel.load(config).graph;
      const heads = alembic(section, ['heads']).stdout.trim().split('\n').map((line) => line.split(' ')[0]).sort();
      assert.deepEqual([...graph.heads].sort(), heads);
      const history = alembic(section, ['history']).stdout.trim().split('\n');
      assert.equal(graph.history().length, history.length);
    });
  }

  it('discovery shows one project per section; the CLI without -n names them (exit 3), with -n reads one', async () => {
    const { projects } = await discoverProjects(root);
    assert.deepEqual(mainProjects(projects).map((project) => project.label), ['alembic.ini [core]', 'alembic.ini [tenant]']);
    const without = spawnSync(process.execPath, [BUILT_CLI, 'heads'], { cwd: root, encoding: 'utf8', env: { ...process.env, ALEMBIC_WORKBENCH_NO_CACHE: '1' } });
    assert.equal(without.status, 3);
    assert.match(without.stderr, /\[core\], \[tenant\].*-n core/s);
    const withName = spawnSync(process.execPath, [BUILT_CLI, 'heads', '-n', 'tenant'], { cwd: root, encoding: 'utf8', env: { ...process.env, ALEMBIC_WORKBENCH_NO_CACHE: '1' } });
    assert.equal(withName.status, 0, withName.stderr);
    assert.match(withName.stdout, /^7e0a00000001 \(head\)/);
  });
});
