// Running git: argv arrays only (never a shell string), and the result as plain data so callers
// (lint --new-since, status's history of unknown revisions) can be tested with a fake runner.
import { spawnSync } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type GitRunner = (args: string[], cwd: string) => GitResult;

export function runGitProcess(args: string[], cwd: string): GitResult {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return { code: -1, stdout: '', stderr: result.error.message };
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
