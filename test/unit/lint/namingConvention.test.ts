// Reading a MetaData naming convention from Python source without running it, following a project's
// imports from env.py, and the unnamed-constraint fix using it. (Rendering is compared with the real
// SQLAlchemy in test/integration/lint/namingConvention.test.ts.)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { renderConventionName, scanNamingConvention } from '../../../src/core/lint/namingConvention';
import { findProjectNamingConvention, NamingConventionCache } from '../../../src/core/lint/namingConventionLocator';
import { applyTextEdits } from '../../../src/core/lint/findings';
import { assertValidPython, migration } from './lintTestKit';

describe('scanNamingConvention', () => {
  it('reads a dict literal given to MetaData, with string and class keys', () => {
    const scan = scanNamingConvention(
      `import sqlalchemy as sa\nfrom sqlalchemy import MetaData, UniqueConstraint\n\nmetadata = MetaData(naming_convention={\n    "ix": "ix_%(column_0_label)s",\n    UniqueConstraint: "uq_%(table_name)s_%(column_0_name)s",\n    sa.ForeignKeyConstraint: "fk_%(table_name)s_%(column_0_name)s",\n    "pk": some_function,\n})\n`,
      '/p/models.py',
    );
    assert.deepEqual(scan.convention?.patterns, { ix: 'ix_%(column_0_label)s', uq: 'uq_%(table_name)s_%(column_0_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s' });
    assert.equal(scan.convention?.line, 3);
  });

  it('follows a module-level name, dict(...) and ** spreads', () => {
    const scan = scanNamingConvention(
      `BASE = {"pk": "pk_%(table_name)s"}\nNC = dict(BASE, fk="fk_%(table_name)s")\nALL = {**NC, "uq": "uq_%(table_name)s"}\nBase = declarative_base(metadata=sa.MetaData(naming_convention=ALL))\n`,
      '/p/base.py',
    );
    assert.deepEqual(scan.convention?.patterns, { pk: 'pk_%(table_name)s', fk: 'fk_%(table_name)s', uq: 'uq_%(table_name)s' });
  });

  it('reads an assignment to <metadata>.naming_convention (SQLModel style) and a class-level MetaData', () => {
    assert.deepEqual(scanNamingConvention(`SQLModel.metadata.naming_convention = {"fk": "fk_%(table_name)s"}\n`, '/p/m.py').convention?.patterns, { fk: 'fk_%(table_name)s' });
    assert.deepEqual(
      scanNamingConvention(`class Base(DeclarativeBase):\n    metadata = MetaData(naming_convention={"uq": "uq_%(table_name)s"})\n`, '/p/m.py').convention?.patterns,
      { uq: 'uq_%(table_name)s' },
    );
  });

  it('reports an imported name to look up elsewhere, and the imports of a file without a convention', () => {
    const imported = scanNamingConvention(`from .conventions import NAMING as NC\nmetadata = MetaData(naming_convention=NC)\n`, '/p/app/db/base.py');
    assert.deepEqual(imported.importedFrom, { module: { module: 'conventions', level: 1 }, name: 'NAMING' });
    const plain = scanNamingConvention(`import os, app.models as models\nfrom app.db.base import Base\nfrom . import sibling\n`, '/p/env.py');
    assert.equal(plain.convention, undefined);
    assert.deepEqual(
      plain.imports.map((item) => `${'.'.repeat(item.level)}${item.module}`),
      ['os', 'app.models', 'app.db.base', 'app.db.base.Base', '.', '.sibling'],
    );
  });
});

describe('findProjectNamingConvention', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aw-naming-'));
    mkdirSync(path.join(root, 'alembic'), { recursive: true });
    mkdirSync(path.join(root, 'app', 'db'), { recursive: true });
    writeFileSync(path.join(root, 'app', '__init__.py'), '');
    writeFileSync(path.join(root, 'app', 'db', '__init__.py'), '');
    writeFileSync(path.join(root, 'alembic', 'env.py'), 'import os\nfrom alembic import context\nfrom app.db.base import Base\ntarget_metadata = Base.metadata\n');
    writeFileSync(path.join(root, 'app', 'db', 'base.py'), 'from sqlalchemy import MetaData\nfrom sqlalchemy.orm import declarative_base\nfrom .conventions import NAMING\nBase = declarative_base(metadata=MetaData(naming_convention=NAMING))\n');
    writeFileSync(path.join(root, 'app', 'db', 'conventions.py'), 'NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('follows env.py -> app/db/base.py -> .conventions', () => {
    const lookup = findProjectNamingConvention({ envFile: path.join(root, 'alembic', 'env.py'), importRoots: [root] });
    assert.equal(lookup.convention?.file, path.join(root, 'app', 'db', 'conventions.py'));
    assert.deepEqual(lookup.convention?.patterns, { fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s' });
    assert.ok(lookup.scannedFiles.includes(path.join(root, 'app', 'db', 'base.py')));
  });

  it('stops at its depth and finds nothing in a project without a convention', () => {
    writeFileSync(path.join(root, 'app', 'db', 'base.py'), 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n');
    const lookup = findProjectNamingConvention({ envFile: path.join(root, 'alembic', 'env.py'), importRoots: [root] });
    assert.equal(lookup.convention, undefined);
    assert.equal(findProjectNamingConvention({ envFile: path.join(root, 'missing', 'env.py'), importRoots: [root] }).convention, undefined);
  });

  it('the cache looks again when a file it read changed', () => {
    let now = 0;
    const cache = new NamingConventionCache(1000, () => now);
    const search = { envFile: path.join(root, 'alembic', 'env.py'), importRoots: [root] };
    assert.equal(cache.get('p', search)?.patterns.fk, 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s');
    const conventions = path.join(root, 'app', 'db', 'conventions.py');
    writeFileSync(conventions, 'NAMING = {"fk": "fkey_%(table_name)s"}\n');
    utimesSync(conventions, new Date(), new Date(Date.now() + 5000));
    assert.equal(cache.get('p', search)?.patterns.fk, 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s', 'within the recheck interval');
    now = 2000;
    assert.equal(cache.get('p', search)?.patterns.fk, 'fkey_%(table_name)s');
  });
});

describe('AW304 with the project naming convention', () => {
  const source = migration(
    `op.create_foreign_key(None, 'meetings', 'users', ['owner_id'], ['id'])`,
    `op.drop_constraint(None, 'meetings', type_='foreignkey')`,
  );

  it('names both the create and the drop after the project convention', () => {
    const namingConvention = { patterns: { fk: '%(table_name)s_%(column_0_name)s_fkey' }, file: '/p/app/db/base.py', line: 3 };
    const context = createLintContext({ dialect: 'postgresql', namingConvention });
    const finding = lintMigration(source, { filePath: '/p/v/x.py', context }).findings.find((item) => item.code === 'AW304');
    assert.ok(finding?.fix);
    assert.equal(finding.fix.title, `Name it meetings_owner_id_fkey (the project's naming convention "%(table_name)s_%(column_0_name)s_fkey" from base.py)`);
    const fixed = applyTextEdits(source, finding.fix.edits);
    assertValidPython(fixed);
    assert.ok(fixed.includes(`op.create_foreign_key('meetings_owner_id_fkey', 'meetings'`) && fixed.includes(`op.drop_constraint('meetings_owner_id_fkey', 'meetings'`), fixed);
  });

  it('falls back to the documented default style without a convention (or one without this kind)', () => {
    for (const namingConvention of [undefined, { patterns: { ix: 'ix_%(column_0_label)s' }, file: '/p/base.py', line: 0 }]) {
      const context = createLintContext({ dialect: 'postgresql', namingConvention });
      const finding = lintMigration(source, { filePath: '/p/v/x.py', context }).findings.find((item) => item.code === 'AW304');
      assert.equal(finding?.fix?.title, 'Name it fk_meetings_owner_id_users (naming convention "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s")');
    }
  });

  it('offers no fix when the convention needs %(constraint_name)s', () => {
    assert.equal(renderConventionName('ck_%(table_name)s_%(constraint_name)s', { table: 't', columns: [] }), undefined);
  });
});
