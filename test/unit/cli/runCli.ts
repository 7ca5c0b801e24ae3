// Runs the CLI in-process with captured output. The header cache goes to a throw-away folder so
// tests never write into the user's ~/.cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const TEST_CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'aw-cli-cache-'));
process.on('exit', () => rmSync(TEST_CACHE_DIR, { recursive: true, force: true }));

export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; isTTY?: boolean }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: options.cwd,
    env: { ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR, ...(options.env ?? {}) },
    isTTY: options.isTTY ?? false,
  });
  return { code, stdout, stderr };
}
