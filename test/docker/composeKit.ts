// A throw-away copy of the example project run the way its README says, through a real Docker
// engine: a Compose project whose `backend` service (the image scripts/lib/dockerEngine.mjs
// builds, with Debian's Alembic) bind-mounts ./backend at /app and reaches the run's scratch
// PostgreSQL on 127.0.0.1 (network_mode: host: the engine runs without container networks).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { createDatabaseClient } from '../../src/core/db/databaseClient';
import { endRunSessions } from '../../src/core/db/runSessions';
import { toDatabaseConnectionSpec } from '../../src/core/db/sqlalchemyUrl';
import { AlembicRunner } from '../../src/core/runner/alembicRunner';
import { readComposeProject } from '../../src/core/compose/composeProject';
import { PathMapper } from '../../src/core/compose/pathMapper';
import type { DockerComposeRunnerConfig, RunnerTarget } from '../../src/core/runner/runnerModes';
import { createRunnerProject, type RunnerProject } from '../integration/runner/runnerFixture';

/** Built by scripts/lib/dockerEngine.mjs (the same tag): Debian's Alembic and Flask-Migrate. */
export const DOCKER_TEST_IMAGE = 'local/alembic:bookworm-flask';
/** The user a workstation's files belong to (the tests run as root, like a CI machine). */
export const HOST_USER = { uid: 1000, gid: 1000 };

export interface ComposeTestProject extends RunnerProject {
  composeFile: string;
  target: RunnerTarget;
  composeRunner(config?: Omit<DockerComposeRunnerConfig, 'mode'>): AlembicRunner;
  /** `docker compose -f <file> <args>` run synchronously (setup and checks only). */
  compose(args: string[]): { status: number; stdout: string; stderr: string };
  /** Commands of the processes running in the backend container (`docker compose top`). */
  containerCommands(): string[];
  down(): void;
}

export function backendService(databaseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    image: DOCKER_TEST_IMAGE,
    command: ['sleep', 'infinity'],
    network_mode: 'host',
    working_dir: '/app',
    volumes: ['./backend:/app'],
    environment: { DATABASE_URL: databaseUrl, PYTHONDONTWRITEBYTECODE: '1' },
    ...extra,
  };
}

export async function createComposeTestProject(label: string): Promise<ComposeTestProject> {
  const base = await createRunnerProject(`docker_${label}`);
  const composeFile = path.join(base.root, 'docker-compose.yml');
  writeFileSync(composeFile, stringify({ services: { backend: backendService(base.databaseUrl) } }));
  const compose = (args: string[]) => {
    const result = spawnSync('docker', ['compose', '-f', composeFile, ...args], { cwd: base.root, encoding: 'utf8' });
    if (result.error) throw result.error;
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const up = compose(['up', '-d']);
  assert.equal(up.status, 0, up.stderr);
  const reading = readComposeProject([composeFile], { environment: {} });
  const target: RunnerTarget = {
    iniPath: base.iniPath,
    workspaceFolder: base.root,
    pathMapper: PathMapper.fromService(reading.services.get('backend')!),
    hostUser: HOST_USER,
  };
  // As the extension does: the host's own connection ends a cancelled run's sessions.
  const sessionsClient = createDatabaseClient(toDatabaseConnectionSpec(base.databaseUrl));
  const down = () => {
    compose(['down', '-t', '0', '--remove-orphans']);
  };
  return {
    ...base,
    composeFile,
    target,
    compose,
    down,
    composeRunner: (config = {}) =>
      new AlembicRunner({
        runner: { mode: 'dockerCompose', ...config },
        target,
        lock: base.lock,
        endRunSessions: (applicationName) => endRunSessions(sessionsClient, applicationName),
      }),
    containerCommands() {
      const top = compose(['top', 'backend']);
      assert.equal(top.status, 0, top.stderr);
      // Lines after the header end with the command (CMD is the last column).
      return top.stdout.split('\n').filter((line) => /^\S+\s+\d+\s+\d+/.test(line));
    },
    async cleanup() {
      await sessionsClient.close();
      down();
      // The container wrote as root in the bind mount: removing as root (the tests' user) works.
      await base.cleanup();
    },
  };
}
