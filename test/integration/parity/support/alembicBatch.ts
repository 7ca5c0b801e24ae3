// Drives the real Alembic 1.8.1 for the parity suite: many commands per Python process (see
// alembic_batch.py), plus helpers to build throw-away projects with `alembic init/revision/merge`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PYTHON = process.env.AW_REAL_PYTHON ?? '/usr/bin/python3';
const BATCH_SCRIPT = path.join(__dirname, 'alembic_batch.py');

export interface AlembicResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface AlembicCall {
  cwd: string;
  argv: string[];
}

/** Runs every call in one Python process, in order; results in the same order. */
export function runAlembicBatch(calls: AlembicCall[]): AlembicResult[] {
  if (calls.length === 0) return [];
  const result = spawnSync(PYTHON, [BATCH_SCRIPT], {
    input: JSON.stringify(calls),
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0', COLUMNS: '1000' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`alembic batch failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as AlembicResult[];
}

export function alembicOk(cwd: string, argv: string[]): AlembicResult {
  const [result] = runAlembicBatch([{ cwd, argv }]);
  if (result.code !== 0) throw new Error(`alembic ${argv.join(' ')} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** A revision to create with the real `alembic revision` / `alembic merge`. */
export type RevisionStep =
  | { kind: 'revision'; id: string; message: string; head?: string; splice?: boolean; branchLabel?: string; dependsOn?: string[]; versionPath?: string }
  | { kind: 'merge'; id: string; message: string; revisions: string[]; branchLabel?: string };

export interface GeneratedProject {
  root: string;
  ini: string;
  versions: string;
  cleanup(): void;
}

/**
 * `alembic init` in a temp folder, optional ini edits, then every step as a real Alembic command
 * (batched). Ids are fixed with --rev-id so tests can name revisions.
 */
export function generateProject(steps: RevisionStep[], options: { iniEdits?: (ini: string) => string; prefix?: string } = {}): GeneratedProject {
  const root = mkdtempSync(path.join(tmpdir(), options.prefix ?? 'aw-parity-'));
  alembicOk(root, ['init', 'migrations']);
  const ini = path.join(root, 'alembic.ini');
  if (options.iniEdits) writeFileSync(ini, options.iniEdits(readFileSync(ini, 'utf8')));
  const calls: AlembicCall[] = steps.map((step) => {
    if (step.kind === 'merge') {
      return { cwd: root, argv: ['merge', '-m', step.message, '--rev-id', step.id, ...(step.branchLabel ? ['--branch-label', step.branchLabel] : []), ...step.revisions] };
    }
    return {
      cwd: root,
      argv: [
        'revision',
        '-m',
        step.message,
        '--rev-id',
        step.id,
        ...(step.head ? ['--head', step.head] : []),
        ...(step.splice ? ['--splice'] : []),
        ...(step.branchLabel ? ['--branch-label', step.branchLabel] : []),
        ...(step.dependsOn ?? []).flatMap((dependency) => ['--depends-on', dependency]),
        ...(step.versionPath ? ['--version-path', step.versionPath] : []),
      ],
    };
  });
  const results = runAlembicBatch(calls);
  results.forEach((result, index) => {
    if (result.code !== 0) throw new Error(`alembic ${calls[index].argv.join(' ')} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  });
  return { root, ini, versions: path.join(root, 'migrations', 'versions'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function listPy(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.py'));
}
