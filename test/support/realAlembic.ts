// Runs the real Alembic (Debian's 1.8.1) the way a user's shell would, for parity and end-to-end
// tests. Always an argv array; the Debian script is called by absolute path because a `python3`
// first on PATH (pyenv) may not have Alembic.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REAL_ALEMBIC = process.env.AW_REAL_ALEMBIC ?? '/usr/bin/alembic';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_PROJECT = path.join(REPO_ROOT, 'examples', 'meeting-assistant');
export const ALEMBIC_CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'alembic-corpus');

export interface AlembicRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runRealAlembic(cwd: string, args: string[], env: Record<string, string> = {}): AlembicRun {
  const result = spawnSync(REAL_ALEMBIC, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like runRealAlembic but throws with Alembic's own output when it fails. */
export function realAlembicOk(cwd: string, args: string[], env: Record<string, string> = {}): AlembicRun {
  const run = runRealAlembic(cwd, args, env);
  if (run.code !== 0) {
    throw new Error(`alembic ${args.join(' ')} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return run;
}

/** A throw-away copy of a folder (e.g. the example project) under the OS temp dir. */
export function copyToTemp(source: string, prefix = 'aw-test-'): string {
  const target = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(source, target, { recursive: true, filter: (file) => !/__pycache__|\.pyc$/.test(file) });
  return target;
}
