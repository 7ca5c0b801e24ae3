// What the resident server reuses between commands (src/cli/server/residentProjects.ts): the last
// model only while every file and the configuration are exactly as it read them.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { ResidentProjects } from '../../../src/cli/server/residentProjects';
import { revisionSource } from '../revisions/graphFixtures';
import { alembicIni, CacheClock, tempTree, TempTree } from '../project/projectFixtures';


describe('ResidentProjects', () => {
  let tree: TempTree;
  let ini: string;
  let cacheFile: string;
  let clock: CacheClock;
  beforeEach(() => {
    tree = tempTree('aw-resident-');
    ini = tree.write('alembic.ini', alembicIni());
    for (const [id, down] of [['a1', undefined], ['b2', 'a1']] as const) tree.write(`alembic/versions/${id}_x.py`, revisionSource({ id, down }));
    cacheFile = path.join(tree.root, 'cache', 'headers.json');
    clock = new CacheClock();
    clock.later();
  });
  afterEach(() => tree.cleanup());

  it('answers with the same model while nothing it was read from changed', () => {
    const projects = new ResidentProjects({ now: clock.now });
    const first = projects.load(loadProjectConfig(ini), cacheFile);
    assert.deepEqual(first.graph.heads, ['b2']);
    assert.equal(projects.load(loadProjectConfig(ini), cacheFile), first);
    assert.equal(projects.load(loadProjectConfig(ini), cacheFile), first);
    assert.equal(projects.reused, 2);
  });

  it('reads again after an edit, a new file, a deleted file or a changed alembic.ini', () => {
    const projects = new ResidentProjects({ now: clock.now });
    const config = () => loadProjectConfig(ini);
    let model = projects.load(config(), cacheFile);
    const b2 = path.join(tree.root, 'alembic/versions/b2_x.py');
    writeFileSync(b2, revisionSource({ id: 'b2', down: 'a1', labels: ['edited'] }));
    model = projects.load(config(), cacheFile);
    assert.deepEqual(model.graph.get('b2')?.ownBranchLabels, ['edited']);
    assert.equal(projects.reused, 0);

    clock.present();
    const c3 = tree.write('alembic/versions/c3_x.py', revisionSource({ id: 'c3', down: 'b2' }));
    assert.deepEqual(projects.load(config(), cacheFile).graph.heads, ['c3']);
    // Written a moment ago: never taken for unchanged, however often asked.
    assert.deepEqual(projects.load(config(), cacheFile).graph.heads, ['c3']);
    assert.equal(projects.reused, 0);
    clock.later();
    projects.load(config(), cacheFile);
    const settled = projects.load(config(), cacheFile);
    assert.equal(projects.reused, 1);

    rmSync(c3);
    assert.deepEqual(projects.load(config(), cacheFile).graph.heads, ['b2']);
    // A file read while too new to cache, then deleted: the model that had it is not reused.
    clock.present();
    const d4 = tree.write('alembic/versions/d4_x.py', revisionSource({ id: 'd4', down: 'b2' }));
    assert.deepEqual(projects.load(config(), cacheFile).graph.heads, ['d4']);
    assert.deepEqual(projects.load(config(), cacheFile).graph.heads, ['d4']);
    rmSync(d4);
    assert.deepEqual(projects.load(config(), cacheFile).graph.heads, ['b2']);
    writeFileSync(ini, alembicIni().replace('[alembic]', '[alembic]\nfile_template = %%(rev)s'));
    assert.notEqual(projects.load(config(), cacheFile), settled);
    assert.equal(projects.reused, 1);
  });

  it('forgets the project asked about longest ago beyond 16', () => {
    const projects = new ResidentProjects({ now: clock.now });
    for (let index = 0; index < 20; index++) projects.load(loadProjectConfig(ini), path.join(tree.root, `cache-${index}.json`));
    assert.equal(projects.projectCount, 16);
  });
});
