// Whether the real Docker engine the docker tier prepares answers from this extension host: the
// engine (`docker info`), Compose v2 and the test image (scripts/lib/dockerEngine.mjs). `npm test`
// keeps the engine up through the VS Code phases and `npm test -- --only vscode` starts it when it
// is installed; a contributor's machine without one runs the stand-in suite instead.
import { spawnSync } from 'node:child_process';

export const DOCKER_TEST_IMAGE = 'local/alembic:bookworm';

/** Undefined when the engine, Compose v2 and the image are all here; else why not. */
export function whyNoDockerEngine(): string | undefined {
  const answers = (args: string[]) => spawnSync('docker', args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
  if (!answers(['info'])) return 'no Docker engine answers `docker info`';
  if (!answers(['compose', 'version'])) return 'the docker CLI has no Compose v2 plugin';
  if (!answers(['image', 'inspect', DOCKER_TEST_IMAGE])) return `the test image ${DOCKER_TEST_IMAGE} is not built (npm test -- --only docker builds it)`;
  return undefined;
}
