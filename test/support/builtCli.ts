// The built CLI (dist/cli.js) for tests that run it as a process. npm test builds first; a lone run
// of one such file builds here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './realAlembic';

export const BUILT_CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export function ensureCliBuilt(): void {
  if (existsSync(BUILT_CLI)) return;
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
}
