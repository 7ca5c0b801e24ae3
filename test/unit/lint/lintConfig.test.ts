import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPyproject, loadLintConfig, parseLintConfig } from '../../../src/core/lint/lintConfig';
import { createLintContext, dialectFromSqlalchemyUrl } from '../../../src/core/lint/lintContext';
import { findingFor, lint, migration } from './lintTestKit';

const problems = (text: string) => parseLintConfig(text, '/p/pyproject.toml').problems.map((problem) => `${problem.range.start.line + 1}: ${problem.message}`);

describe('lintConfig: [tool.alembic-workbench] in pyproject.toml', () => {
  it('reads dialect, postgres-version and rule levels by code or name', () => {
    const config = parseLintConfig(
      `[project]\nname = "x"\n\n[tool.alembic-workbench]\ndialect = "postgres"\npostgres-version = 12\n\n[tool.alembic-workbench.rules]\nAW101 = "off"\ndropping-column = "error"\naw502 = "info"\n`,
      '/p/pyproject.toml',
    );
    assert.deepEqual(config.problems, []);
    assert.equal(config.dialect, 'postgresql');
    assert.equal(config.postgresVersion, 12);
    assert.deepEqual([...config.ruleLevels], [
      ['AW101', 'off'],
      ['AW201', 'error'],
      ['AW502', 'info'],
    ]);
  });

  it('reads the project policies: downgrade-policy and migrations-before-serving, with clear messages for bad values', () => {
    const config = parseLintConfig(`[tool.alembic-workbench]\ndowngrade-policy = "none"\nmigrations-before-serving = true\n`, '/p/pyproject.toml');
    assert.deepEqual(config.problems, []);
    assert.equal(config.downgradePolicy, 'none');
    assert.equal(config.migrationsBeforeServing, true);
    assert.deepEqual(problems(`[tool.alembic-workbench]\ndowngrade-policy = "never"\nmigrations-before-serving = "yes"\n`), [
      '2: downgrade-policy = "never" must be "reversible" (every revision can be downgraded) or "none" (the project writes no downgrades).',
      '3: migrations-before-serving = "yes" must be true or false.',
    ]);
  });

  it('downgrade-policy = "none" silences the rules that judge downgrades, and only those', () => {
    // Neutron writes no downgrade() by policy: AW301 is noise there; the lock rules still speak.
    const source = migration(`op.create_table('t', sa.Column('id', sa.Integer()))\nop.create_index('ix_u_a', 'u', ['a'])`).replace(/\n\ndef downgrade\(\)[\s\S]*$/, '\n');
    const codes = (config?: string) => lint(source, { config }).findings.map((finding) => finding.code);
    assert.deepEqual(codes(), ['AW301', 'AW104']);
    assert.deepEqual(codes('[tool.alembic-workbench]\ndowngrade-policy = "none"\n'), ['AW104']);
    assert.deepEqual(codes('[tool.alembic-workbench]\ndowngrade-policy = "reversible"\n'), ['AW301', 'AW104']);
    // AW305: the missing DROP TYPE in downgrade() is not asked for; a type used before it exists still is.
    const enums = migration(
      `op.create_table('t', sa.Column('s', sa.Enum('a', 'b', name='state')))\nop.add_column('u', sa.Column('k', sa.Enum('x', name='kind')))`,
      `op.drop_column('u', 'k')\nop.drop_table('t')`,
    );
    const enumMessages = (config?: string) => lint(enums, { config }).findings.filter((finding) => finding.code === 'AW305').map((finding) => finding.message.slice(0, 40));
    assert.equal(enumMessages().length, 3);
    assert.deepEqual(enumMessages('[tool.alembic-workbench]\ndowngrade-policy = "none"\n'), ['add_column(...) uses Enum type kind, but']);
  });

  it('migrations-before-serving = true silences the rules whose only risk is concurrent traffic', () => {
    const source = migration(`
op.alter_column('users', 'age', type_=sa.BigInteger(), existing_type=sa.Integer())
op.create_index('ix_users_email', 'users', ['email'])
op.alter_column('users', 'name', new_column_name='full_name')
op.alter_column('users', 'email', nullable=False)
op.drop_column('users', 'legacy')
`);
    const codes = (config?: string) => [...new Set(lint(source, { config }).findings.map((finding) => finding.code).filter((code) => !code.startsWith('AW3')))].sort();
    assert.deepEqual(codes(), ['AW101', 'AW103', 'AW104', 'AW201', 'AW205']);
    // A scan that fails on NULLs and a dropped column's data are lost whether or not anyone is connected.
    assert.deepEqual(codes('[tool.alembic-workbench]\nmigrations-before-serving = true\n'), ['AW103', 'AW201']);
  });

  it('accepts dotted keys and inline tables', () => {
    const config = parseLintConfig(`[tool]\nalembic-workbench.dialect = "sqlite"\nalembic-workbench.rules = { AW401 = "warning" }\n`, '/p/pyproject.toml');
    assert.deepEqual(config.problems, []);
    assert.equal(config.dialect, 'sqlite');
    assert.equal(config.ruleLevels.get('AW401'), 'warning');
  });

  it('reports unknown keys, unknown rules and bad values on their pyproject line', () => {
    assert.deepEqual(
      problems(`[tool.alembic-workbench]\ndialect = "postgress"\npostgres-versoin = 15\npostgres-version = "fifteen"\n\n[tool.alembic-workbench.rules]\nAW999 = "off"\ndropping-colum = "off"\nAW101 = "loud"\nAW201 = "off"\ndropping-column = "warning"\n`),
      [
        '2: dialect = "postgress" is not a dialect the linter knows; use one of postgresql, mysql, sqlite, mssql, oracle.',
        '3: Unknown key "postgres-versoin" in [tool.alembic-workbench] (did you mean "postgres-version"?); known keys: dialect, postgres-version, downgrade-policy, migrations-before-serving, rules.',
        '4: postgres-version = "fifteen" is not a PostgreSQL major version (e.g. 15).',
        '7: Unknown rule "AW999" in [tool.alembic-workbench.rules].',
        '8: Unknown rule "dropping-colum" in [tool.alembic-workbench.rules] (did you mean "dropping-column"?).',
        '9: AW101 = "loud": a rule\'s level must be one of "off", "info", "warning", "error".',
        '11: AW201 (dropping-column) is configured twice ("AW201" and "dropping-column"); the last one wins.',
      ],
    );
  });

  it('reports invalid TOML with its position, and lets other features declare their keys', () => {
    const broken = parseLintConfig(`[tool.alembic-workbench]\ndialect = "sqlite"\nrules = [\n`, '/p/pyproject.toml');
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0].message, /^pyproject\.toml is not valid TOML/);
    assert.deepEqual(parseLintConfig(`[tool.alembic-workbench]\ncompose-service = "api"\n`, '/p', { extraKnownKeys: ['compose-service'] }).problems, []);
    assert.equal(parseLintConfig(`[tool.alembic-workbench]\ncompose-service = "api"\n`, '/p').problems.length, 1);
    assert.deepEqual(parseLintConfig(`[tool.black]\nline-length = 100\n`, '/p').problems, []);
  });

  it('configured levels change severity, turn rules off, and apply to info/warning rules alike', () => {
    const source = migration(`op.drop_column('meetings', 'description')`, `op.add_column('meetings', sa.Column('description', sa.String()))`);
    assert.equal(findingFor(source, 'AW201').severity, 'warning');
    assert.equal(findingFor(source, 'AW201', { config: '[tool.alembic-workbench.rules]\ndropping-column = "error"\n' }).severity, 'error');
    assert.deepEqual(lint(source, { config: '[tool.alembic-workbench.rules]\nAW201 = "off"\n' }).findings, []);
    const widening = migration(`op.alter_column('t', 'c', existing_type=sa.VARCHAR(length=10), type_=sa.Text())`, `op.alter_column('t', 'c', existing_type=sa.Text(), type_=sa.VARCHAR(length=10))`);
    assert.equal(findingFor(widening, 'AW101').severity, 'info');
    assert.equal(findingFor(widening, 'AW101', { config: '[tool.alembic-workbench.rules]\nAW101 = "error"\n' }).severity, 'error');
  });

  it('config problems come back with every lint result', () => {
    const result = lint(migration('pass', 'pass'), { config: '[tool.alembic-workbench]\nfoo = 1\n' });
    assert.deepEqual(result.configProblems.map((problem) => [problem.kind, problem.filePath, problem.range.start.line]), [['config', '/project/pyproject.toml', 1]]);
  });

  it('finds the nearest pyproject.toml upwards and loads it; an unreadable one is a problem', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'aw-lint-config-'));
    mkdirSync(path.join(root, 'backend', 'alembic', 'versions'), { recursive: true });
    writeFileSync(path.join(root, 'pyproject.toml'), '[tool.alembic-workbench]\ndialect = "mysql"\n');
    const found = findPyproject(path.join(root, 'backend', 'alembic', 'versions'));
    assert.equal(found, path.join(root, 'pyproject.toml'));
    assert.equal(loadLintConfig(found!).dialect, 'mysql');
    const missing = loadLintConfig(path.join(root, 'nope.toml'));
    assert.match(missing.problems[0].message, /Could not read .*ENOENT/);
  });
});

describe('lintContext: dialect and PostgreSQL version', () => {
  it('reads the dialect from SQLAlchemy URLs, driver forms included', () => {
    const cases: Array<[string, string | undefined]> = [
      ['postgresql://u:p@db/app', 'postgresql'],
      ['postgresql+asyncpg://u:p@db/app', 'postgresql'],
      ['postgresql+psycopg2://u:p@127.0.0.1:5432/app', 'postgresql'],
      ['postgres://u@h/d', 'postgresql'],
      ['mysql+pymysql://u:p@h/d', 'mysql'],
      ['mariadb+mariadbconnector://h/d', 'mysql'],
      ['sqlite:///%(here)s/app.db', 'sqlite'],
      ['sqlite+aiosqlite:///./x.db', 'sqlite'],
      ['mssql+pyodbc://dsn', 'mssql'],
      ['oracle+oracledb://h/d', 'oracle'],
      ['driver://user:pass@localhost/dbname', undefined],
      ['${DATABASE_URL}', undefined],
      ['', undefined],
    ];
    for (const [url, dialect] of cases) assert.equal(dialectFromSqlalchemyUrl(url), dialect, url);
  });

  it('precedence: explicit option, then pyproject, then the URL, then postgresql', () => {
    const config = parseLintConfig('[tool.alembic-workbench]\ndialect = "mysql"\npostgres-version = 13\n', '/p');
    assert.deepEqual(createLintContext({ dialect: 'sqlite', config, sqlalchemyUrl: 'postgresql://x' }), { dialect: 'sqlite', dialects: ['sqlite'], dialectSource: 'option', postgresVersion: 13 });
    assert.deepEqual(createLintContext({ config, sqlalchemyUrl: 'postgresql://x' }), { dialect: 'mysql', dialects: ['mysql'], dialectSource: 'config', postgresVersion: 13 });
    assert.deepEqual(createLintContext({ sqlalchemyUrl: 'sqlite:///x.db' }), { dialect: 'sqlite', dialects: ['sqlite'], dialectSource: 'url', postgresVersion: 15 });
    assert.deepEqual(createLintContext({ sqlalchemyUrl: 'driver://user:pass@localhost/dbname' }), { dialect: 'postgresql', dialects: ['postgresql'], dialectSource: 'default', postgresVersion: 15 });
  });
});
