// Dialect inference from all the evidence: every shared real-world project gets its dialects, a
// placeholder URL that env.py replaces counts for nothing, and explicit choices still win.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { parseLintConfig } from '../../../src/core/lint/lintConfig';
import { inferProjectDialects, ProjectDialectsCache } from '../../../src/core/lint/projectDialects';
import { REPO_ROOT } from '../../support/realAlembic';

const REALWORLD = path.resolve(REPO_ROOT, '..', 'shared', 'realworld');

/** [project folder, alembic.ini folder, env.py folder, dialects the project's docs and code say it runs on]. */
const REAL_PROJECTS: Array<[string, string, string, string[]]> = [
  // Flask-Migrate: SQLite by default, MySQL in its compose file, PostgreSQL supported (its migrations branch on all three).
  ['CTFd+CTFd', 'migrations', 'migrations', ['postgresql', 'mysql', 'sqlite']],
  // PostgreSQL only; the MySQL/SQL Server/Oracle drivers are query-runner data sources.
  ['getredash+redash', 'migrations', 'migrations', ['postgresql']],
  ['ckan+ckan', 'ckan/migration', 'ckan/migration', ['postgresql']],
  // A plugin with a placeholder URL: the repository's requirements and compose files decide.
  ['ckan+ckan', 'ckanext/activity/migration/activity', 'ckanext/activity/migration/activity', ['postgresql']],
  ['ckan+ckan', 'ckanext/tracking/migration/tracking', 'ckanext/tracking/migration/tracking', ['postgresql']],
  ['ckan+ckan', 'ckanext/example_database_migrations/migration/example_database_migrations', 'ckanext/example_database_migrations/migration/example_database_migrations', ['postgresql']],
  ['polarsource+polar', 'server', 'server/migrations', ['postgresql']],
  ['fastapi+full-stack-fastapi-template', 'backend', 'backend/app/alembic', ['postgresql']],
  // MySQL table options in env.py, a migration that sets MySQL apart from the rest.
  ['openstack+neutron', 'neutron/db/migration', 'neutron/db/migration/alembic_migrations', ['postgresql', 'mysql']],
];

describe('inferProjectDialects', () => {
  for (const [project, iniFolder, scriptFolder, expected] of REAL_PROJECTS) {
    it(`${project}/${iniFolder}: ${expected.join(', ')}`, () => {
      const root = path.join(REALWORLD, project);
      const ini = readFileSync(path.join(root, iniFolder, 'alembic.ini'), 'utf8');
      const url = /^sqlalchemy\.url\s*=\s*(.*)$/m.exec(ini)?.[1];
      const result = inferProjectDialects({
        projectFolder: path.join(root, iniFolder),
        scriptLocation: path.join(root, scriptFolder),
        sqlalchemyUrl: url,
        versionsFolders: [path.join(root, scriptFolder, 'versions')],
        stopAt: root,
      });
      assert.deepEqual(result.dialects, expected, JSON.stringify(result.evidence, null, 1));
      for (const dialect of expected) assert.ok(result.evidence.some((item) => item.dialect === dialect), `evidence for ${dialect}`);
    });
  }

  describe('on a project written for the test', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'aw-dialects-'));
      mkdirSync(path.join(root, 'alembic', 'versions'), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));
    const request = (url?: string) => ({ projectFolder: root, scriptLocation: path.join(root, 'alembic'), sqlalchemyUrl: url, versionsFolders: [path.join(root, 'alembic', 'versions')], stopAt: root });

    it('a sqlite:/// placeholder that env.py replaces counts for nothing; the drivers decide', () => {
      writeFileSync(path.join(root, 'alembic', 'env.py'), 'from app.settings import settings\nconfig.set_main_option("sqlalchemy.url", settings.DATABASE_URL)\n');
      writeFileSync(path.join(root, 'requirements.txt'), '# app\nSQLAlchemy==2.0.30\npsycopg2-binary==2.9.9  # prod\naiosqlite>=0.19\n');
      const result = inferProjectDialects(request('sqlite:///placeholder.db'));
      assert.equal(result.iniUrlOverridden, true);
      assert.deepEqual(result.dialects, ['postgresql', 'sqlite']);
      assert.ok(!result.evidence.some((item) => item.reason.includes('alembic.ini')));
    });

    it('keeps the alembic.ini URL when env.py uses it, and reads compose images and poetry groups', () => {
      writeFileSync(path.join(root, 'alembic', 'env.py'), 'connectable = engine_from_config(config.get_section(config.config_ini_section))\n');
      writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  db:\n    image: "mariadb:11"\n');
      writeFileSync(path.join(root, 'pyproject.toml'), '[tool.poetry.dependencies]\npython = "^3.12"\n\n[tool.poetry.group.connectors.dependencies]\nasyncpg = "*"\n');
      const result = inferProjectDialects(request('sqlite:///app.db'));
      assert.deepEqual(result.dialects, ['mysql', 'sqlite']);
    });

    it('says nothing when nothing says anything (the caller assumes the default)', () => {
      const result = inferProjectDialects(request(undefined));
      assert.deepEqual(result.evidence, []);
      assert.equal(createLintContext({ inferredDialects: result }).dialectSource, 'default');
    });

    it('the cache looks again when a file it read changes', () => {
      writeFileSync(path.join(root, 'requirements.txt'), 'pymysql\n');
      const cache = new ProjectDialectsCache();
      assert.deepEqual(cache.get('p', request()).dialects, ['mysql']);
      writeFileSync(path.join(root, 'requirements.txt'), 'asyncpg==0.29\npymysql\n');
      assert.deepEqual(cache.get('p', request()).dialects, ['postgresql', 'mysql']);
    });
  });

  it('--dialect / the setting, then [tool.alembic-workbench] dialect, win over the inferred dialects', () => {
    const inferredDialects = { dialects: ['postgresql', 'mysql'] as const, evidence: [{ dialect: 'mysql' as const, reason: 'pymysql in requirements.txt' }] };
    const inferred = createLintContext({ inferredDialects, sqlalchemyUrl: 'sqlite:///x.db' });
    assert.deepEqual([inferred.dialects, inferred.dialectSource], [['postgresql', 'mysql'], 'inferred']);
    const config = parseLintConfig('[tool.alembic-workbench]\ndialect = "sqlite"\n', '/p/pyproject.toml');
    assert.deepEqual(createLintContext({ inferredDialects, config }).dialects, ['sqlite']);
    assert.deepEqual(createLintContext({ inferredDialects, config, dialect: 'mysql' }).dialects, ['mysql']);
  });
});
