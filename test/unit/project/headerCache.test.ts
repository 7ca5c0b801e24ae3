import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { defaultHeaderCacheFile, fileStamp, RevisionHeaderCache } from '../../../src/core/project/headerCache';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { revisionSource } from '../revisions/graphFixtures';
import { alembicIni, tempTree, TempTree } from './projectFixtures';

/** Files older than the cache's two-second racy window. */
function age(file: string, secondsAgo = 60): void {
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, when, when);
}

describe('RevisionHeaderCache', () => {
  let tree: TempTree;
  let cacheFile: string;
  let ini: string;
  beforeEach(() => {
    tree = tempTree('aw-cache-');
    ini = tree.write('alembic.ini', alembicIni());
    for (const [id, down] of [['a1', undefined], ['b2', 'a1'], ['c3', 'b2']] as const) {
      age(tree.write(`alembic/versions/${id}_x.py`, revisionSource({ id, down, message: `message ${id}` })));
    }
    cacheFile = path.join(tree.root, 'cache', 'headers.json');
  });
  afterEach(() => tree.cleanup());

  const load = () => {
    const cache = RevisionHeaderCache.open(cacheFile, tree.root);
    return { cache, model: AlembicProjectModel.load(loadProjectConfig(ini), { headerCache: cache }) };
  };

  it('serves unchanged files from the cache with the same answers as a fresh read', () => {
    const first = load();
    assert.equal(first.model.graph.heads[0], 'c3');
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
    assert.equal(Object.keys(stored.entries).length, 3);
    const second = load();
    const fresh = AlembicProjectModel.load(loadProjectConfig(ini));
    assert.deepEqual(second.model.graph.history().map((node) => node.id), fresh.graph.history().map((node) => node.id));
    const cached = second.model.graph.get('b2')?.file;
    assert.equal(cached?.constructor.name, 'CachedRevisionFile', 'served from the cache');
    assert.equal(cached?.message, 'message b2');
    // Ranges are not cached: asking for them re-reads the file.
    assert.deepEqual(cached?.references.find((reference) => reference.kind === 'revision')?.range, { start: { line: 12, column: 12 }, end: { line: 12, column: 14 } });
    assert.equal(JSON.parse(JSON.stringify(cached)).references.length, fresh.graph.get('b2')?.file.references.length);
  });

  it('notices edits, deletions and new files, and never trusts a file changed a moment ago', () => {
    load();
    const b2 = path.join(tree.root, 'alembic/versions/b2_x.py');
    writeFileSync(b2, revisionSource({ id: 'b2', down: 'a1', labels: ['edited'], message: 'edited' }));
    age(b2, 30);
    const { model } = load();
    assert.deepEqual(model.graph.get('b2')?.ownBranchLabels, ['edited']);
    // Just written: read from disk, and not stored.
    const fresh = tree.write('alembic/versions/d4_x.py', revisionSource({ id: 'd4', down: 'c3' }));
    const again = load();
    assert.equal(again.model.graph.heads[0], 'd4');
    assert.equal(JSON.parse(readFileSync(cacheFile, 'utf8')).entries[path.relative(tree.root, fresh)], undefined);
    assert.equal(Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')).entries).length, 3);
    assert.equal(fileStamp(statSync(fresh)).length, 4);
  });

  it('ignores a corrupt or foreign cache file, and an unwritable location', () => {
    tree.write('cache/headers.json', '{not json');
    assert.equal(load().model.graph.size, 3);
    tree.write('cache/headers.json', JSON.stringify({ format: -1, entries: { x: ['1', {}] } }));
    assert.equal(load().model.graph.size, 3);
    // A cache folder that can't be created (a file is in the way).
    const blocker = tree.write('not-a-folder', '');
    const unwritable = RevisionHeaderCache.open(path.join(blocker, 'headers.json'));
    const model = AlembicProjectModel.load(loadProjectConfig(ini), { headerCache: unwritable });
    assert.equal(model.graph.size, 3);
    assert.equal(unwritable.save(), false);
  });

  it('lives under ALEMBIC_WORKBENCH_CACHE_DIR, XDG_CACHE_HOME or ~/.cache', () => {
    assert.match(defaultHeaderCacheFile('p', { ALEMBIC_WORKBENCH_CACHE_DIR: '/c' }), /^\/c\/headers-[0-9a-f]{16}\.json$/);
    assert.match(defaultHeaderCacheFile('p', { XDG_CACHE_HOME: '/x' }), /^\/x\/alembic-workbench\/headers-/);
    assert.match(defaultHeaderCacheFile('p', { HOME: '/home/u' }), /^\/home\/u\/\.cache\/alembic-workbench\/headers-/);
    assert.notEqual(defaultHeaderCacheFile('p', {}), defaultHeaderCacheFile('q', {}));
  });
});
