import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { defaultHeaderCacheFile, fileStamp, HEADER_CACHE_FORMAT, RevisionHeaderCache } from '../../../src/core/project/headerCache';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { revisionSource } from '../revisions/graphFixtures';
import { alembicIni, CacheClock, tempTree, TempTree } from './projectFixtures';


describe('RevisionHeaderCache', () => {
  let tree: TempTree;
  let cacheFile: string;
  let ini: string;
  let clock: CacheClock;
  beforeEach(() => {
    tree = tempTree('aw-cache-');
    ini = tree.write('alembic.ini', alembicIni());
    for (const [id, down] of [['a1', undefined], ['b2', 'a1'], ['c3', 'b2']] as const) {
      tree.write(`alembic/versions/${id}_x.py`, revisionSource({ id, down, message: `message ${id}` }));
    }
    cacheFile = path.join(tree.root, 'cache', 'headers.json');
    clock = new CacheClock();
    clock.later();
  });
  afterEach(() => tree.cleanup());

  const load = () => {
    const cache = RevisionHeaderCache.open(cacheFile, tree.root, { now: clock.now });
    return { cache, model: AlembicProjectModel.load(loadProjectConfig(ini), { headerCache: cache }) };
  };

  it('serves unchanged files from the cache with the same answers as a fresh read', () => {
    const first = load();
    assert.equal(first.model.graph.heads[0], 'c3');
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
    assert.equal(stored.files.length, 3);
    assert.equal(stored.stamps.length, 12);
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
    const { model } = load();
    assert.deepEqual(model.graph.get('b2')?.ownBranchLabels, ['edited']);
    // Just written: read from disk, and not stored.
    clock.present();
    const fresh = tree.write('alembic/versions/d4_x.py', revisionSource({ id: 'd4', down: 'c3' }));
    const again = load();
    assert.equal(again.model.graph.heads[0], 'd4');
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
    assert.ok(!stored.files.includes(path.relative(tree.root, fresh)));
    assert.equal(stored.files.length, 3);
    const b2At = stored.files.indexOf(path.relative(tree.root, b2));
    assert.deepEqual(stored.stamps.slice(b2At * 4, b2At * 4 + 4), fileStamp(statSync(b2)), 'b2 is stored with its new stamp');
  });

  it('re-reads a file edited to the same size with its mtime set back to the stored one', () => {
    const b2 = path.join(tree.root, 'alembic/versions/b2_x.py');
    // A whole second, as file systems with coarse timestamps give, so it can be set again exactly.
    const second = Math.floor(Date.now() / 1000) - 3600;
    utimesSync(b2, second, second);
    load();
    const before = statSync(b2);
    const edited = readFileSync(b2, 'utf8').replace('message b2', 'massage b2');
    writeFileSync(b2, edited);
    utimesSync(b2, second, second);
    const after = statSync(b2);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs, 'the mtime is exactly the stored one');
    assert.equal(load().model.graph.get('b2')?.file.message, 'massage b2');
    // The same, by replacing the file (an editor's save-by-rename): another inode.
    const replacement = path.join(tree.root, 'replacement.tmp');
    writeFileSync(replacement, edited.replace('massage b2', 'massage B2'));
    utimesSync(replacement, second, second);
    renameSync(replacement, b2);
    assert.equal(statSync(b2).size, before.size);
    assert.equal(load().model.graph.get('b2')?.file.message, 'massage B2', 'read again after the rename');
  });

  it('stores no file changed within the racy window, even with its mtime set back', () => {
    clock.present();
    const b2 = path.join(tree.root, 'alembic/versions/b2_x.py');
    const longAgo = new Date(Date.now() - 3_600_000);
    utimesSync(b2, longAgo, longAgo);
    const first = load();
    assert.equal(first.model.graph.size, 3);
    const stored = () => (existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')).files as string[]) : []);
    assert.deepEqual(stored(), [], 'every file changed (ctime) a moment ago: none stored');
    // Edited again, same size, mtime set back to the same instant: read from disk again, not served.
    writeFileSync(b2, readFileSync(b2, 'utf8').replace('message b2', 'massage b2'));
    utimesSync(b2, longAgo, longAgo);
    const second = load();
    assert.equal(second.model.graph.get('b2')?.file.message, 'massage b2');
    assert.notEqual(second.model.graph.get('b2')?.file.constructor.name, 'CachedRevisionFile');
    clock.later();
    load();
    assert.equal(stored().length, 3, 'stored once past the window');
    assert.equal(load().model.graph.get('b2')?.file.constructor.name, 'CachedRevisionFile');
  });

  it('ignores a corrupt or foreign cache file, and an unwritable location', () => {
    tree.write('cache/headers.json', '{not json');
    assert.equal(load().model.graph.size, 3);
    tree.write('cache/headers.json', JSON.stringify({ format: -1, entries: { x: ['1', {}] } }));
    assert.equal(load().model.graph.size, 3);
    // This format, but arrays that disagree: ignored rather than misread.
    tree.write('cache/headers.json', JSON.stringify({ format: HEADER_CACHE_FORMAT, files: ['alembic/versions/a1_x.py'], stamps: [1], headers: [] }));
    assert.equal(load().model.graph.size, 3);
    // A cache folder that can't be created (a file is in the way).
    const blocker = tree.write('not-a-folder', '');
    const unwritable = RevisionHeaderCache.open(path.join(blocker, 'headers.json'), '', { now: clock.now });
    const model = AlembicProjectModel.load(loadProjectConfig(ini), { headerCache: unwritable });
    assert.equal(model.graph.size, 3);
    assert.equal(unwritable.save(), false);
  });

  it('gives back unusual headers (labels, depends_on, one-element tuples, header issues) as parsed', () => {
    tree.write('alembic/versions/e5_x.py', revisionSource({ id: 'e5', down: 'c3', labels: ['feature'], dependsOn: ['a1'], message: 'labelled' }));
    tree.write('alembic/versions/f6_x.py', revisionSource({ id: 'f6', down: 'e5' }).replace("down_revision = 'e5'", "down_revision = ('e5',)"));
    tree.write('alembic/versions/g7_x.py', revisionSource({ id: 'g7', down: 'f6' }).replace("down_revision = 'f6'", 'down_revision = PARENT'));
    load();
    const fresh = AlembicProjectModel.load(loadProjectConfig(ini));
    const cached = load().model;
    for (const id of ['e5', 'f6', 'g7', 'b2']) {
      const [a, b] = [cached.graph.get(id)?.file, fresh.graph.get(id)?.file];
      assert.equal(a?.constructor.name, 'CachedRevisionFile', id);
      for (const field of ['revision', 'downRevisions', 'downRevisionForm', 'branchLabels', 'dependsOn', 'message', 'parsedWith', 'docstringRevisionId', 'docstringRevises'] as const) {
        assert.deepEqual(a?.[field], b?.[field], `${id} ${field}`);
      }
      assert.deepEqual(a?.headerIssues.map((issue) => issue.code), b?.headerIssues.map((issue) => issue.code), `${id} headerIssues`);
    }
    assert.equal(fresh.graph.get('f6')?.file.downRevisionForm, 'tuple');
    assert.equal(fresh.graph.get('g7')?.file.downRevisionForm, 'unreadable');
  });

  it("answers check's docstring comparison from the cache, without reading the files again", () => {
    // A docstring that disagrees with the header, and one without the template's lines.
    tree.write('alembic/versions/d4_x.py', revisionSource({ id: 'd4', down: 'c3' }).replace('Revision ID: d4', 'Revision ID: zz').replace('Revises: c3', 'Revises: b2'));
    tree.write('alembic/versions/e5_x.py', revisionSource({ id: 'e5', down: 'd4' }).replace(/\nRevision ID: e5\nRevises: d4\n/, '\n'));
    load();
    const { model } = load();
    const fresh = AlembicProjectModel.load(loadProjectConfig(ini));
    for (const id of ['a1', 'c3', 'd4', 'e5']) {
      const cached = model.graph.get(id)?.file;
      assert.equal(cached?.constructor.name, 'CachedRevisionFile', id);
      assert.equal(cached?.docstringRevisionId, fresh.graph.get(id)?.file.docstringRevisionId, `${id} Revision ID`);
      assert.deepEqual(cached?.docstringRevises, fresh.graph.get(id)?.file.docstringRevises, `${id} Revises`);
    }
    assert.equal(model.graph.get('e5')?.file.docstringRevisionId, undefined);
    // Edited after the load stamped it: a re-read would now find c3's docstring wrong, the cache can't.
    writeFileSync(path.join(tree.root, 'alembic/versions/c3_x.py'), revisionSource({ id: 'c3', down: 'b2' }).replace('Revision ID: c3', 'Revision ID: c9'));
    const mismatches = model.problems().filter((problem) => problem.name === 'docstring-mismatch');
    assert.deepEqual(
      mismatches.map((problem) => `${path.basename(problem.file)}: ${problem.message}`),
      ['d4_x.py: The docstring says "Revision ID: zz" but revision = \'d4\'.', 'd4_x.py: The docstring says "Revises: b2" but down_revision is c3.'],
    );
  });

  it('finds entries when files come in another order than they were stored', () => {
    load();
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
    const reversed = { ...stored, files: [...stored.files].reverse(), headers: [...stored.headers].reverse(), stamps: [] as number[] };
    for (let index = stored.files.length - 1; index >= 0; index--) reversed.stamps.push(...stored.stamps.slice(index * 4, index * 4 + 4));
    writeFileSync(cacheFile, JSON.stringify(reversed));
    const { model, cache } = load();
    assert.deepEqual(model.files.map((file) => file.constructor.name), ['CachedRevisionFile', 'CachedRevisionFile', 'CachedRevisionFile']);
    assert.deepEqual(model.graph.heads, ['c3']);
    assert.equal(cache.save(), false, 'nothing changed: nothing written');
  });

  it('continues in memory from what the last load saved, and says when nothing changed', () => {
    const first = load().cache;
    assert.equal(first.servedUnchanged(3), false, 'the first load stored every file');
    rmSync(cacheFile);
    // Continued: served from memory (the file is gone), and not written again.
    const second = first.continued();
    const model = AlembicProjectModel.load(loadProjectConfig(ini), { headerCache: second });
    assert.equal(model.graph.get('b2')?.file.constructor.name, 'CachedRevisionFile');
    assert.equal(second.servedUnchanged(3), true);
    assert.equal(second.servedUnchanged(4), false, 'a file beyond the cached ones');
    assert.ok(!existsSync(cacheFile));
    const b2 = path.join(tree.root, 'alembic/versions/b2_x.py');
    writeFileSync(b2, revisionSource({ id: 'b2', down: 'a1', labels: ['edited'] }));
    const third = second.continued();
    assert.deepEqual(AlembicProjectModel.load(loadProjectConfig(ini), { headerCache: third }).graph.get('b2')?.ownBranchLabels, ['edited']);
    assert.equal(third.servedUnchanged(3), false);
    assert.ok(existsSync(cacheFile), 'a change is written for one-off runs too');
    const fourth = third.continued();
    AlembicProjectModel.load(loadProjectConfig(ini), { headerCache: fourth });
    assert.equal(fourth.servedUnchanged(3), true);
  });

  it('lives under ALEMBIC_WORKBENCH_CACHE_DIR, XDG_CACHE_HOME or ~/.cache', () => {
    assert.match(defaultHeaderCacheFile('p', { ALEMBIC_WORKBENCH_CACHE_DIR: '/c' }), /^\/c\/headers-[0-9a-f]{16}\.json$/);
    assert.match(defaultHeaderCacheFile('p', { XDG_CACHE_HOME: '/x' }), /^\/x\/alembic-workbench\/headers-/);
    assert.match(defaultHeaderCacheFile('p', { HOME: '/home/u' }), /^\/home\/u\/\.cache\/alembic-workbench\/headers-/);
    assert.notEqual(defaultHeaderCacheFile('p', {}), defaultHeaderCacheFile('q', {}));
  });
});
