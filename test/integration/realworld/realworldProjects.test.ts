// The Alembic parts of six real open-source projects (../shared/realworld, see its README): each
// config opens in the CLI and in project discovery (what the extension's project registry shows)
// with the heads and history the real Alembic 1.8.1 gave for it (expected_<section>.json beside it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { discoverProjects, mainProjects } from '../../../src/core/project/projectDiscovery';
import { BUILT_CLI, ensureCliBuilt } from '../../support/builtCli';
import { REPO_ROOT } from '../../support/realAlembic';

export const REALWORLD = path.resolve(REPO_ROOT, '..', 'shared', 'realworld');

interface Expected {
  heads: string[];
  history: string[];
}

interface RealworldConfig {
  /** `CTFd+CTFd`: the project's folder. */
  project: string;
  ini: string;
  section: string;
  expected: Expected;
}

function findExpectations(folder: string, project: string, found: RealworldConfig[]): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) findExpectations(full, project, found);
    const match = /^expected_(.+)\.json$/.exec(entry.name);
    if (entry.isFile() && match) {
      found.push({ project, ini: path.join(folder, 'alembic.ini'), section: match[1], expected: JSON.parse(readFileSync(full, 'utf8')) as Expected });
    }
  }
}

function realworldConfigs(): RealworldConfig[] {
  if (!existsSync(REALWORLD)) return [];
  const found: RealworldConfig[] = [];
  for (const project of readdirSync(REALWORLD).sort()) {
    if (existsSync(path.join(REALWORLD, project)) && !project.endsWith('.md')) findExpectations(path.join(REALWORLD, project), project, found);
  }
  return found;
}

function cli(args: string[]): unknown {
  const run = spawnSync(process.execPath, [BUILT_CLI, ...args, '--json'], {
    cwd: REALWORLD,
    encoding: 'utf8',
    // The header cache lives outside the shared data, which stays untouched.
    env: { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: path.join(tmpdir(), 'aw-realworld-cache'), ALEMBIC_WORKBENCH_NO_CACHE: '1' },
  });
  assert.equal(run.status, 0, `alembic-workbench ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('real-world projects read as the real Alembic reads them', function () {
  this.timeout(120_000);
  const configs = realworldConfigs();
  before(function () {
    // The data sits beside the clone (CI has ../shared too); without it there is nothing to compare.
    assert.ok(configs.length >= 9, `expected the real-world data at ${REALWORLD} (see test/README or the team notes)`);
    ensureCliBuilt();
  });

  for (const config of configs) {
    const name = `${config.project}: ${path.relative(path.join(REALWORLD, config.project), config.ini)}${config.section === 'alembic' ? '' : ` [${config.section}]`}`;
    it(`${name} - CLI heads and history equal Alembic's`, () => {
      const sectionArgs = config.section === 'alembic' ? [] : ['-n', config.section];
      const heads = cli(['heads', '-c', config.ini, ...sectionArgs]) as { heads: string[] };
      assert.deepEqual([...heads.heads].sort(), [...config.expected.heads].sort());
      const history = cli(['history', '-c', config.ini, ...sectionArgs]) as Array<{ revision: string }>;
      assert.deepEqual(
        history.map((entry) => entry.revision),
        config.expected.history,
      );
    });

    it(`${name} - found by discovery from the project's root with the same graph`, async () => {
      const { projects } = await discoverProjects(path.join(REALWORLD, config.project), { maxDepth: 6 });
      const project = mainProjects(projects).find((candidate) => candidate.configFile === config.ini && candidate.section === config.section);
      assert.ok(project, `not found among ${projects.map((candidate) => candidate.id).join(', ')}`);
      const graph = AlembicProjectModel.load(project).graph;
      assert.deepEqual([...graph.heads].sort(), [...config.expected.heads].sort());
      assert.deepEqual(
        graph.history().map((node) => node.id),
        config.expected.history,
      );
    });
  }

  it('labels the two Flask-Migrate projects, and only them, as Flask-Migrate', async () => {
    const flavors: Record<string, string> = {};
    for (const project of new Set(configs.map((config) => config.project))) {
      const { projects } = await discoverProjects(path.join(REALWORLD, project), { maxDepth: 6 });
      for (const found of projects) flavors[`${project}:${path.relative(REALWORLD, found.configFile ?? '')}`] = found.flavor;
    }
    const flask = Object.entries(flavors).filter(([, flavor]) => flavor === 'flask-migrate').map(([key]) => key.split(':')[0]).sort();
    assert.deepEqual(flask, ['CTFd+CTFd', 'getredash+redash']);
  });
});
