// The unnamed-constraint fix follows the project's naming convention exactly as SQLAlchemy applies
// it: names rendered here equal the names the real SQLAlchemy 1.4 puts in its DDL (tokens,
// multi-column forms, long names cut with an md5 suffix), and on a real Alembic project whose models
// define a convention, the fix writes the very names `alembic revision --autogenerate` writes; the
// fixed migration then upgrades and downgrades on PostgreSQL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { applyTextEdits } from '../../../src/core/lint/findings';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { renderConventionName } from '../../../src/core/lint/namingConvention';
import { findProjectNamingConvention } from '../../../src/core/lint/namingConventionLocator';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { AlembicLintProject } from './lintProjectKit';

interface ConventionCase {
  convention: Record<string, string>;
  kind: 'fk' | 'uq' | 'pk';
  table: string;
  columns: string[];
  referred: string;
  referredColumns: string[];
}

const SQLALCHEMY_NAMES = `
import json, re, sys
from sqlalchemy import MetaData, Table, Column, Integer, ForeignKeyConstraint, UniqueConstraint, PrimaryKeyConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import AddConstraint
names = []
for case in json.load(sys.stdin):
    md = MetaData(naming_convention=case["convention"])
    Table(case["referred"], md, *[Column(c, Integer) for c in case["referredColumns"]])
    table = Table(case["table"], md, *[Column(c, Integer) for c in case["columns"]])
    if case["kind"] == "fk":
        constraint = ForeignKeyConstraint(case["columns"], ["%s.%s" % (case["referred"], c) for c in case["referredColumns"]])
    elif case["kind"] == "uq":
        constraint = UniqueConstraint(*case["columns"])
    else:
        constraint = PrimaryKeyConstraint(*case["columns"])
    table.append_constraint(constraint)
    ddl = str(AddConstraint(constraint).compile(dialect=postgresql.dialect()))
    names.append(re.match(r'ALTER TABLE \\S+ ADD CONSTRAINT (\\S+)', ddl).group(1))
print(json.dumps(names))
`;

function sqlalchemyNames(cases: ConventionCase[]): string[] {
  const result = spawnSync('/usr/bin/python3', ['-c', SQLALCHEMY_NAMES], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as string[];
}

describe('naming conventions, compared with the real SQLAlchemy', () => {
  it('renders the names SQLAlchemy puts in its DDL', () => {
    const long = 'a_table_with_a_rather_long_name_for_meeting_participants';
    const cases: ConventionCase[] = [
      { convention: { fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s' }, kind: 'fk', table: 'meetings', columns: ['owner_id'], referred: 'users', referredColumns: ['id'] },
      { convention: { fk: 'fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s' }, kind: 'fk', table: 'meetings', columns: ['owner_id', 'org_id'], referred: 'users', referredColumns: ['id', 'org'] },
      { convention: { fk: '%(table_name)s_%(column_0N_name)s_fkey' }, kind: 'fk', table: 'meetings', columns: ['owner_id', 'org_id'], referred: 'users', referredColumns: ['id', 'org'] },
      { convention: { fk: 'fk_%(column_0_label)s__%(referred_column_0_name)s' }, kind: 'fk', table: 'meetings', columns: ['owner_id'], referred: 'users', referredColumns: ['uid'] },
      { convention: { fk: 'fk_%(table_name)s_%(column_1_name)s' }, kind: 'fk', table: 'meetings', columns: ['owner_id'], referred: 'users', referredColumns: ['id'] },
      { convention: { uq: 'uq_%(table_name)s_%(column_0_N_name)s' }, kind: 'uq', table: 'users', columns: ['email', 'org'], referred: 'x', referredColumns: ['id'] },
      { convention: { uq: 'uq_%(table_name)s_%(column_0_N_label)s' }, kind: 'uq', table: 'users', columns: ['email', 'org'], referred: 'x', referredColumns: ['id'] },
      { convention: { pk: 'pk_%(table_name)s' }, kind: 'pk', table: 'users', columns: ['id'], referred: 'x', referredColumns: ['id'] },
      // Longer than PostgreSQL's 63: the first 55 characters, "_", the last 4 hex digits of the md5.
      { convention: { fk: 'fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s' }, kind: 'fk', table: long, columns: ['participant_id', 'meeting_id'], referred: 'participants_registry', referredColumns: ['id', 'mid'] },
      { convention: { uq: 'uq_%(table_name)s_%(column_0_N_name)s' }, kind: 'uq', table: long, columns: ['email_address', 'organisation'], referred: 'x', referredColumns: ['id'] },
    ];
    const expected = sqlalchemyNames(cases);
    const ours = cases.map((item) =>
      renderConventionName(item.convention[item.kind], { table: item.table, columns: item.columns, referredTable: item.referred, referredColumns: item.referredColumns }, 'postgresql'),
    );
    assert.deepEqual(ours, expected);
    assert.ok(expected[8].length === 60 && /_[0-9a-f]{4}$/.test(expected[8]), 'the long case does exercise truncation');
  });
});

describe('the unnamed-constraint fix on a real Alembic project with a naming convention', function () {
  this.timeout(120_000);
  let database: ScratchDatabase;
  let project: AlembicLintProject;

  const CONVENTIONS = `NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq__%(table_name)s__%(column_0_N_name)s",
    "fk": "%(table_name)s_%(column_0_name)s_fkey_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
`;

  function models(withForeignKey: boolean): string {
    return [
      'from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, UniqueConstraint',
      'from sqlalchemy.orm import declarative_base',
      '',
      'from conventions import NAMING_CONVENTION',
      '',
      'Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))',
      '',
      'class User(Base):',
      "    __tablename__ = 'users'",
      '    id = Column(Integer, primary_key=True)',
      '    email = Column(String(255), nullable=False)',
      '    org = Column(String(50), nullable=False)',
      ...(withForeignKey ? ["    __table_args__ = (UniqueConstraint('email', 'org'),)"] : []),
      '',
      'class Meeting(Base):',
      "    __tablename__ = 'meetings'",
      '    id = Column(Integer, primary_key=True)',
      `    owner_id = Column(Integer${withForeignKey ? ", ForeignKey('users.id')" : ''}, nullable=True)`,
      '',
    ].join('\n');
  }

  before(async () => {
    database = await createScratchDatabase('naming_convention');
    project = new AlembicLintProject(database.sqlalchemyUrl, 'postgresql');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(project.root, 'conventions.py'), CONVENTIONS);
    project.writeModels(models(false));
    project.revision('0001aaaa', 'create tables');
    project.ok(['upgrade', 'head']);
  });

  after(async () => {
    project?.dispose();
    await database?.drop();
  });

  it('finds the convention through env.py -> models.py -> conventions.py and writes the names autogenerate writes', () => {
    project.writeModels(models(true));
    const revision = project.revision('0002bbbb', 'owner and unique email');
    const autogenerated = revision.source;
    const named = [...autogenerated.matchAll(/op\.f\('([^']+)'\)/g)].map((match) => match[1]);
    assert.deepEqual([...new Set(named)].sort(), ['meetings_owner_id_fkey_users', 'uq__users__email_org'], autogenerated);

    // What an older autogenerate (no convention) would have written: None where the names are.
    const unnamed = autogenerated.replace(/op\.f\('[^']+'\)/g, 'None');
    const lookup = findProjectNamingConvention({ envFile: path.join(project.root, 'alembic', 'env.py'), importRoots: [project.root] });
    assert.ok(lookup.convention, `no convention found; read ${lookup.scannedFiles.join(', ')}`);
    assert.equal(path.basename(lookup.convention.file), 'conventions.py');
    const context = createLintContext({ dialect: 'postgresql', namingConvention: lookup.convention });

    let source = unnamed;
    for (let round = 0; round < 4; round++) {
      const finding = lintMigration(source, { filePath: revision.filePath, context }).findings.find((item) => item.code === 'AW304' && item.fix);
      if (!finding) break;
      assert.match(finding.fix!.title, /the project's naming convention ".*" from conventions\.py/);
      source = applyTextEdits(source, finding.fix!.edits);
    }
    assert.deepEqual(lintMigration(source, { filePath: revision.filePath, context }).findings.filter((item) => item.code === 'AW304'), []);
    assert.equal(source, autogenerated.replace(/op\.f\(('[^']+')\)/g, '$1'));

    revision.source = source;
    project.ok(['upgrade', 'head']);
    project.ok(['downgrade', '-1']);
    project.ok(['upgrade', 'head']);
  });
});
