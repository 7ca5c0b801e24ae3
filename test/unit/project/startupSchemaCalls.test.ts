// AW615: app code that creates tables with metadata.create_all beside Alembic. Real files in a temp
// folder laid out as a FastAPI backend; the example project (whose main.py only mentions
// create_all in its docstring) must stay clean.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAllCallsIn, findStartupSchemaCalls } from '../../../src/core/project/startupSchemaCalls';

const EXAMPLE_BACKEND = path.resolve(__dirname, '../../../examples/meeting-assistant/backend');

describe('create_all in application code (AW615)', () => {
  it('finds create_all called or passed along, with the range of the expression', () => {
    const source = [
      'from app.db.base import Base',
      '',
      '@app.on_event("startup")',
      'def startup():',
      '    Base.metadata.create_all(bind=engine)',
      '',
      'async def init_models():',
      '    async with engine.begin() as conn:',
      '        await conn.run_sync(Base.metadata.create_all)',
      '',
      'models.Base.metadata \\',
      '    .create_all(engine)',
    ].join('\n');
    const calls = createAllCallsIn(source, '/app/main.py');
    assert.deepEqual(
      calls.map((call) => [call.range.start.line + 1, call.range.start.column, call.range.end.line + 1]),
      [
        [5, 4, 5],
        [9, 28, 9],
        [11, 0, 12],
      ],
    );
    assert.match(calls[0].message, /^Base\.metadata\.create_all creates tables outside Alembic: .*"already exists"/);
    assert.match(calls[2].message, /^models\.Base\.metadata\.create_all /);
    assert.ok(calls.every((call) => call.name === 'create-all-at-startup' && call.severity === 'warning' && call.file === '/app/main.py'));
  });

  it('ignores comments, strings, docstrings and names that only contain create_all', () => {
    const source = [
      '"""The schema is owned by Alembic, not by Base.metadata.create_all()."""',
      '# Base.metadata.create_all(bind=engine)  (removed: alembic upgrade head runs at deploy)',
      'HELP = "call metadata.create_all() in tests only"',
      'def create_all_users(): ...',
      'registry.create_all_tables(engine)',
      'create_all(engine)',
    ].join('\n');
    assert.deepEqual(createAllCallsIn(source, '/app/main.py'), []);
  });

  it('searches the app below alembic.ini, not the versions folders, virtualenvs, caches or tests', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'aw-create-all-'));
    try {
      const write = (relative: string, text: string) => {
        mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
        writeFileSync(path.join(root, relative), text);
      };
      const call = 'Base.metadata.create_all(bind=engine)\n';
      write('app/main.py', `import x\n${call}`);
      write('app/db/init_db.py', `async def f(conn):\n    await conn.run_sync(Base.metadata.create_all)\n`);
      write('alembic/versions/0001_initial.py', call);
      write('.venv/lib/python3.12/site-packages/sqlalchemy/schema.py', call);
      write('tests/test_models.py', call);
      write('app/conftest.py', call);
      write('app/test_api.py', call);
      write('app/api_test.py', call);
      write('app/__pycache__/main.cpython-312.py', call);
      write('app/notes.txt', call);
      const found = await findStartupSchemaCalls(root, { exclude: [path.join(root, 'alembic', 'versions')] });
      assert.deepEqual(
        found.map((entry) => `${path.relative(root, entry.file)}:${entry.range.start.line + 1}`),
        ['app/main.py:2', 'app/db/init_db.py:2'],
      );
      assert.deepEqual((await findStartupSchemaCalls(root, { exclude: [path.join(root, 'alembic', 'versions')], maxFiles: 1 })).length, 1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds nothing in the example project, whose docstring only mentions create_all', async () => {
    assert.deepEqual(await findStartupSchemaCalls(EXAMPLE_BACKEND, { exclude: [path.join(EXAMPLE_BACKEND, 'alembic', 'versions')] }), []);
  });
});
