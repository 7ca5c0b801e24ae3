import assert from 'node:assert/strict';
import { opendirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { revisionSource } from '../revisions/graphFixtures';
import { alembicIni, tempTree, TempTree } from './projectFixtures';

function osOrder(folder: string): string[] {
  const directory = opendirSync(folder);
  const names: string[] = [];
  for (let entry = directory.readSync(); entry; entry = directory.readSync()) names.push(entry.name);
  directory.closeSync();
  return names;
}

describe('AlembicProjectModel', () => {
  let tree: TempTree;
  let versions: string;
  beforeEach(() => {
    tree = tempTree();
    tree.write('alembic.ini', alembicIni());
    versions = tree.mkdir('alembic/versions');
    tree.write('alembic/versions/a1_first.py', revisionSource({ id: 'a1', message: 'first' }));
    tree.write('alembic/versions/b2_second.py', revisionSource({ id: 'b2', down: 'a1', message: 'second' }));
    tree.write('alembic/versions/c3_third.py', revisionSource({ id: 'c3', down: 'b2', message: 'third' }));
    // Alembic ignores these.
    tree.write('alembic/versions/__init__.py', '');
    tree.write('alembic/versions/.#c3_third.py', 'lock');
    tree.write('alembic/versions/notes.txt', 'revision = "x"');
    tree.mkdir('alembic/versions/__pycache__');
  });
  afterEach(() => tree.cleanup());

  const load = (options = {}) => AlembicProjectModel.load(loadProjectConfig(path.join(tree.root, 'alembic.ini'), options));

  it('reads the files Alembic reads, in the file system order Alembic 1.8 uses', () => {
    const model = load();
    const expected = osOrder(versions).filter((name) => /^(?!\.#|__init__).*\.py$/.test(name));
    assert.deepEqual(model.files.map((file) => path.basename(file.filePath)), expected);
    assert.deepEqual(model.graph.heads, ['c3']);
    assert.deepEqual(model.problems(), []);
    const byName = load({ fileOrder: 'name' });
    assert.deepEqual(byName.files.map((file) => path.basename(file.filePath)), ['a1_first.py', 'b2_second.py', 'c3_third.py']);
  });

  it('updates one file at a time and ends where a full reload ends', () => {
    const model = load();
    assert.equal(model.updateFile(path.join(versions, 'notes.txt')), 'ignored');
    assert.equal(model.updateFile(path.join(tree.root, 'alembic.ini')), 'ignored');

    tree.write('alembic/versions/d4_fourth.py', revisionSource({ id: 'd4', down: 'c3' }));
    assert.equal(model.updateFile(path.join(versions, 'd4_fourth.py')), 'added');
    assert.deepEqual(model.graph.heads, ['d4']);

    // An unsaved editor buffer: a second branch from b2.
    assert.equal(model.updateFile(path.join(versions, 'c3_third.py'), revisionSource({ id: 'c3', down: 'a1' })), 'changed');
    assert.deepEqual(model.graph.parentsOf('c3').map((node) => node.id), ['a1']);
    writeFileSync(path.join(versions, 'c3_third.py'), revisionSource({ id: 'c3', down: 'a1' }));

    rmSync(path.join(versions, 'b2_second.py'));
    assert.equal(model.removeFile(path.join(versions, 'b2_second.py')), 'removed');
    assert.equal(model.removeFile(path.join(versions, 'b2_second.py')), 'unchanged');

    const reloaded = load();
    assert.deepEqual(model.files.map((file) => file.filePath), reloaded.files.map((file) => file.filePath));
    assert.deepEqual(model.graph.heads, reloaded.graph.heads);
    assert.deepEqual(model.graph.history().map((node) => node.id), reloaded.graph.history().map((node) => node.id));

    // A file deleted behind the model's back: updateFile notices.
    rmSync(path.join(versions, 'd4_fourth.py'));
    assert.equal(model.updateFile(path.join(versions, 'd4_fourth.py')), 'removed');
  });

  it('keeps the graph when only a body or message changed, and rebuilds it when the header changed', () => {
    const model = load();
    const graph = model.graph;
    const c3 = path.join(versions, 'c3_third.py');
    const body = revisionSource({ id: 'c3', down: 'b2', message: 'renamed message' }).replace('    pass', '    op.execute("SELECT 1")');
    assert.equal(model.updateFile(c3, body), 'changed');
    assert.equal(model.graph, graph, 'same graph object: nothing to rebuild');
    assert.equal(model.graph.get('c3')?.file.message, 'renamed message');
    assert.equal(model.graph.files.find((file) => file.revision === 'c3')?.message, 'renamed message');
    assert.equal(model.updateFile(c3, revisionSource({ id: 'c3', down: 'a1' })), 'changed');
    assert.notEqual(model.graph, graph);
    assert.deepEqual(model.graph.get('c3')?.parents, ['a1']);
  });

  it('walks sub-folders only with recursive_version_locations (Alembic >= 1.10)', () => {
    tree.write('alembic/versions/2025/e5_nested.py', revisionSource({ id: 'e5', down: 'c3' }));
    assert.equal(load().graph.has('e5'), false);
    tree.write('alembic.ini', alembicIni('alembic', 'recursive_version_locations = true'));
    const model = load();
    assert.ok(model.graph.has('e5'));
    assert.equal(model.config.fileOrder, 'name');
    assert.ok(model.isRevisionFile(path.join(versions, '2025', 'e5_nested.py')));
    assert.ok(!model.isRevisionFile(path.join(versions, '__pycache__', 'x.py')));
  });

  it('reports project-level problems: a missing versions folder, sourceless files, config errors', () => {
    rmSync(versions, { recursive: true });
    const missing = load();
    assert.deepEqual(missing.problems().map((problem) => [problem.name, problem.severity]), [['config-error', 'error']]);
    assert.match(missing.problems()[0].message, /versions folder/);

    tree.mkdir('alembic/versions');
    tree.write('alembic/versions/f6_compiled.pyc', 'binary');
    tree.write('alembic.ini', alembicIni('alembic', 'sourceless = true'));
    const sourceless = load();
    assert.match(sourceless.problems()[0].message, /sourceless revision/);
  });

  it('finds Python syntax errors only when asked (check does, the graph does not need to)', () => {
    tree.write('alembic/versions/c3_third.py', revisionSource({ id: 'c3', down: 'b2' }).replace('def upgrade() -> None:', 'def upgrade() -> None'));
    assert.deepEqual(load().problems(), []);
    const checked = AlembicProjectModel.load(loadProjectConfig(path.join(tree.root, 'alembic.ini')), { syntaxCheck: true });
    const [problem] = checked.problems();
    assert.equal(problem.name, 'syntax-error');
    assert.equal(problem.range?.start.line, 18);
    assert.equal(checked.graph.get('c3')?.parents[0], 'b2', 'the header is still read');
  });
});
