import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { ComposeFileError, describeMissingService, findComposeFiles, readComposeProject } from '../../../src/core/compose/composeProject';
import { interpolate } from '../../../src/core/compose/interpolation';
import { PathMapper } from '../../../src/core/compose/pathMapper';
import { EXAMPLE_PROJECT } from '../../support/realAlembic';

describe('composeProject', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aw-compose-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the example project: backend mounts ./backend at /app, works in /app', () => {
    const composeFiles = findComposeFiles(path.join(EXAMPLE_PROJECT, 'backend'));
    assert.deepEqual(composeFiles, [path.join(EXAMPLE_PROJECT, 'docker-compose.yml')]);
    const project = readComposeProject(composeFiles, { environment: {} });
    assert.deepEqual([...project.services.keys()], ['backend', 'db']);
    const backend = project.services.get('backend')!;
    assert.equal(backend.workingDir, '/app');
    assert.deepEqual(backend.bindMounts, [{ hostPath: path.join(EXAMPLE_PROJECT, 'backend'), containerPath: '/app', readOnly: false }]);
    assert.equal(backend.environment.DATABASE_URL, 'postgresql+psycopg2://meeting:meeting@db:5432/meeting_assistant');
    // db-data is a named volume, not a bind mount.
    assert.deepEqual(project.services.get('db')!.bindMounts, []);
    const mapper = PathMapper.fromService(backend);
    assert.equal(mapper.toContainer(path.join(EXAMPLE_PROJECT, 'backend')), '/app');
    assert.equal(
      mapper.toHost('/app/alembic/versions/2026_01_01_0000-abc_x.py'),
      path.join(EXAMPLE_PROJECT, 'backend', 'alembic', 'versions', '2026_01_01_0000-abc_x.py'),
    );
    assert.equal(describeMissingService(project, 'backend'), undefined);
    assert.match(describeMissingService(project, 'api')!, /no service "api"; its services are: backend, db/);
  });

  it('merges override files like `-f a -f b`, long volume syntax, env_file, .env interpolation', () => {
    writeFileSync(path.join(dir, '.env'), '# project variables\nAPP_DIR=/srv/app\nexport DB_PASS="from env file"\n');
    writeFileSync(path.join(dir, 'backend.env'), 'DATABASE_URL=postgresql://u:p@db/x\nLOG_LEVEL=info # inline comment\n');
    writeFileSync(
      path.join(dir, 'compose.yaml'),
      [
        'x-common: &common',
        '  working_dir: ${APP_DIR}',
        'services:',
        '  api:',
        '    <<: *common',
        '    env_file: backend.env',
        '    volumes:',
        '      - ./api:${APP_DIR}',
        '      - ~/.cache/pip:/root/.cache/pip:ro',
        '      - node_modules:/srv/app/node_modules',
        '      - /anonymous',
        '    environment:',
        '      - LOG_LEVEL=debug',
        '      - HOME',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'compose.override.yaml'),
      [
        'services:',
        '  api:',
        '    user: "1000:1000"',
        '    volumes:',
        '      - type: bind',
        '        source: ./api-src',
        '        target: ${APP_DIR}',
        '        read_only: true',
        '    environment:',
        '      EXTRA: "$${literal}"',
      ].join('\n'),
    );
    const project = readComposeProject([path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')], {
      environment: { HOME: '/home/tester' },
    });
    const api = project.services.get('api')!;
    assert.equal(api.workingDir, '/srv/app');
    assert.equal(api.user, '1000:1000');
    assert.deepEqual(api.bindMounts, [
      { hostPath: path.join(dir, 'api-src'), containerPath: '/srv/app', readOnly: true },
      { hostPath: path.join(homedir(), '.cache/pip'), containerPath: '/root/.cache/pip', readOnly: true },
    ]);
    assert.deepEqual(api.environment, {
      DATABASE_URL: 'postgresql://u:p@db/x',
      LOG_LEVEL: 'debug',
      HOME: '/home/tester',
      EXTRA: '${literal}',
    });
    assert.deepEqual(project.warnings, []);
  });

  it('reports broken files with their line, and missing env files as warnings', () => {
    writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  api:\n    image: x\n   bad: [\n');
    assert.throws(() => readComposeProject([path.join(dir, 'compose.yaml')]), (error: unknown) => {
      assert.ok(error instanceof ComposeFileError);
      assert.match(error.message, /compose\.yaml:\d+: invalid YAML/);
      return true;
    });
    assert.throws(() => readComposeProject([path.join(dir, 'missing.yaml')]), /cannot read it \(ENOENT\)/);
    writeFileSync(path.join(dir, 'compose.yaml'), 'services: [1, 2]\n');
    assert.throws(() => readComposeProject([path.join(dir, 'compose.yaml')]), /"services" must be a mapping/);
    writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  api:\n    env_file: [nope.env, {path: optional.env, required: false}]\n');
    const project = readComposeProject([path.join(dir, 'compose.yaml')]);
    assert.deepEqual(project.warnings, [`service "api": env_file ${path.join(dir, 'nope.env')} does not exist`]);
  });

  it('finds the compose files Compose would use, searching upwards, with the override file', () => {
    mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services: {}\n');
    assert.deepEqual(findComposeFiles(path.join(dir, 'a', 'b')), [path.join(dir, 'docker-compose.yml')]);
    writeFileSync(path.join(dir, 'a', 'compose.yaml'), 'services: {}\n');
    writeFileSync(path.join(dir, 'a', 'compose.override.yml'), 'services: {}\n');
    assert.deepEqual(findComposeFiles(path.join(dir, 'a', 'b')), [path.join(dir, 'a', 'compose.yaml'), path.join(dir, 'a', 'compose.override.yml')]);
    assert.deepEqual(findComposeFiles(path.join(dir, 'a', 'b'), path.join(dir, 'a', 'b')), []);
  });

  it('maps by the longest mount prefix and only on path boundaries', () => {
    const mapper = new PathMapper([
      { containerPath: '/app', hostPath: '/home/u/p/backend' },
      { containerPath: '/app/alembic/versions', hostPath: '/home/u/shared-versions' },
    ]);
    assert.equal(mapper.toHost('/app/alembic/versions/x.py'), '/home/u/shared-versions/x.py');
    assert.equal(mapper.toHost('/app/app/main.py'), '/home/u/p/backend/app/main.py');
    assert.equal(mapper.toHost('/application/x.py'), undefined);
    assert.equal(mapper.toHost('/app'), '/home/u/p/backend');
    assert.equal(mapper.toContainer('/home/u/shared-versions/y.py'), '/app/alembic/versions/y.py');
    assert.equal(mapper.toContainer('/home/u/p/backend-old/x'), undefined);
    const fromSetting = PathMapper.fromSetting({ '/app/': '${workspaceFolder}/backend' }, '/home/u/p');
    assert.equal(fromSetting.toHost('/app/alembic.ini'), '/home/u/p/backend/alembic.ini');
  });

  it('interpolates variables as Compose does', () => {
    const variables: Record<string, string> = { SET: 'value', EMPTY: '' };
    const interpolateVariables = (value: string) => interpolate(value, (name) => variables[name]);
    assert.equal(interpolateVariables('${SET}/$SET/${UNSET}'), 'value/value/');
    assert.equal(interpolateVariables('${UNSET:-d1} ${EMPTY:-d2} ${EMPTY-d3} ${UNSET-d4}'), 'd1 d2  d4');
    assert.equal(interpolateVariables('${SET:+alt} ${UNSET:+alt} $$HOME'), 'alt  $HOME');
  });
});
