// Our reading of Compose files against Compose's own: `docker compose config --format json` (the
// real Compose v2) on files written here, with services, bind mounts and named volumes, env_file,
// `.env` interpolation (nested `${A:-${B}}`, `$$`), and an override file: the one reader the runner
// (paths, working_dir, user, environment) and the database targets (environment) share.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readComposeProject } from '../../src/core/compose/composeProject';

interface ConfigService {
  working_dir?: string;
  user?: string;
  environment?: Record<string, string | null>;
  volumes?: Array<{ type: string; source?: string; target: string; read_only?: boolean }>;
}

describe('reading Compose files as `docker compose config` does', () => {
  let dir: string;
  let files: string[];
  let config: { services: Record<string, ConfigService> };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aw-compose-reading-'));
    for (const folder of ['backend', 'data', 'logs', 'override']) mkdirSync(path.join(dir, folder));
    writeFileSync(path.join(dir, '.env'), 'TAG=bookworm\nAPP_DIR=./backend\nINNER=inner-value\nexport QUOTED="two words"\n# a comment\n');
    writeFileSync(path.join(dir, 'common.env'), 'COMMON=1\nOVERRIDDEN=from-env-file\nSINGLE=\'$INNER\'\nTRAILING=x # comment\n');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      [
        'services:',
        '  backend:',
        '    image: local/alembic:${TAG}',
        '    working_dir: ${WORKDIR:-/app}',
        '    user: "${UID_GID:-1000:1000}"',
        '    volumes:',
        '      - ${APP_DIR}:/app',
        '      - ./data:/data:ro',
        '      - named:/var/lib/named',
        '      - type: bind',
        '        source: ./logs',
        '        target: /logs',
        '    env_file: [common.env]',
        '    environment:',
        '      DATABASE_URL: postgresql://u:p@${DB_HOST:-127.0.0.1}/db',
        '      NESTED: ${OUTER:-${INNER}}',
        '      NESTED_DEFAULT: ${OUTER:-${MISSING:-fallback}}',
        '      LITERAL: $$HOME',
        '      QUOTED_FROM_DOT_ENV: ${QUOTED}',
        '      OVERRIDDEN: from-environment',
        'volumes:',
        '  named: {}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'docker-compose.override.yml'),
      ['services:', '  backend:', '    working_dir: /srv', '    volumes:', '      - ./override:/app', '    environment:', '      EXTRA: from-override', ''].join('\n'),
    );
    files = [path.join(dir, 'docker-compose.yml'), path.join(dir, 'docker-compose.override.yml')];
    // Only PATH from the shell, as our readers get `environment: {}`.
    const result = spawnSync('docker', ['compose', ...files.flatMap((file) => ['-f', file]), 'config', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    assert.equal(result.status, 0, result.stderr);
    config = JSON.parse(result.stdout);
    // `config` prints a Compose file again, so a literal `$` comes out escaped as `$$`; the
    // container gets `$`, as our readers say.
    const environment = config.services.backend.environment ?? {};
    for (const [key, value] of Object.entries(environment)) environment[key] = value?.replace(/\$\$/g, '$') ?? null;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the runner reads working_dir, user, the environment and the bind mounts as Compose does', () => {
    const ours = readComposeProject(files, { environment: {} });
    const backend = ours.services.get('backend')!;
    const theirs = config.services.backend;
    assert.equal(backend.workingDir, theirs.working_dir);
    assert.equal(backend.user, theirs.user);
    assert.deepEqual(backend.environment, theirs.environment);
    const binds = (theirs.volumes ?? [])
      .filter((volume) => volume.type === 'bind')
      .map((volume) => ({ hostPath: volume.source, containerPath: volume.target, readOnly: volume.read_only === true }));
    const sort = <T extends { containerPath: string }>(list: T[]) => [...list].sort((a, b) => a.containerPath.localeCompare(b.containerPath));
    assert.deepEqual(sort(backend.bindMounts), sort(binds));
    assert.deepEqual(ours.warnings, []);
  });

  it('the database targets see where each variable of the service environment comes from', () => {
    const backend = readComposeProject(files, { environment: {} }).services.get('backend')!;
    assert.deepEqual(Object.keys(backend.environmentSources).sort(), Object.keys(config.services.backend.environment ?? {}).sort());
    assert.equal(backend.environmentSources.COMMON, path.join(dir, 'common.env'));
    assert.equal(backend.environmentSources.OVERRIDDEN, 'environment');
  });
});
