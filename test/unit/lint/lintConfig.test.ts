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
        '3: Unknown key "postgres-versoin" in [tool.alembic-workbench] (did you mean "postgres-version"?); known keys: dialect, postgres-version, rules.',
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
