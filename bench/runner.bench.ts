// The runner's own cost next to Alembic's: what running `alembic heads` through AlembicRunner adds
// over running it directly, how fast a cancel takes effect, and how fast Alembic's output parses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseHistoryOutput, parseVerboseEntries } from '../src/core/runner/alembicOutput';
import { AlembicRunner } from '../src/core/runner/alembicRunner';
import { runProcess } from '../src/core/runner/processRunner';
import { copyToTemp, EXAMPLE_PROJECT, REAL_ALEMBIC } from '../test/support/realAlembic';
import { formatMs, median, printTable, timeInProcess, timeProcess } from './benchKit';

const RUNS = 7;

export async function runBenchmark(): Promise<void> {
  await processOverhead();
  await cancellationLatency();
  await parsing();
}

async function processOverhead(): Promise<void> {
  const project = copyToTemp(EXAMPLE_PROJECT, 'aw-bench-runner-');
  const backend = path.join(project, 'backend');
  try {
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
    const direct = timeProcess([REAL_ALEMBIC, 'heads'], { cwd: backend, runs: RUNS, env });
    const runner = new AlembicRunner({
      runner: { mode: 'local', command: [REAL_ALEMBIC] },
      target: { iniPath: path.join(backend, 'alembic.ini'), workspaceFolder: project },
    });
    const viaRunner = await timeInProcess(
      async () => {
        const result = await runner.run({ command: { kind: 'heads' }, env: { PYTHONDONTWRITEBYTECODE: '1' } });
        if (!result.ok) throw new Error(result.stderr);
      },
      { runs: RUNS },
    );
    printTable(
      `Running \`alembic heads\` on the example project (median of ${RUNS}, whole process)`,
      ['how', 'time', 'difference'],
      [
        ['alembic heads (directly)', formatMs(direct), ''],
        ['AlembicRunner.run (local mode: spawn, stream, parse, mask)', formatMs(viaRunner), formatMs(viaRunner - direct)],
      ],
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

async function cancellationLatency(): Promise<void> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'aw-bench-cancel-'));
  try {
    const latencies: number[] = [];
    for (let run = 0; run < 5; run++) {
      const controller = new AbortController();
      let abortedAt = 0;
      await runProcess({
        executable: '/usr/bin/python3',
        args: ['-u', '-c', 'import time\nprint("ready")\ntime.sleep(30)'],
        cwd,
        signal: controller.signal,
        onStdoutLine: () => {
          abortedAt = performance.now();
          controller.abort();
        },
      });
      latencies.push(performance.now() - abortedAt);
    }
    printTable('Cancelling a running process (median of 5)', ['what', 'abort -> result'], [
      ['python3 sleeping 30 s (SIGTERM to its process group)', formatMs(median(latencies))],
    ]);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function parsing(): Promise<void> {
  const count = 5000;
  const ids = Array.from({ length: count }, (_, index) => index.toString(16).padStart(12, '0'));
  const history = ids
    .map((id, index) => `${index === 0 ? '<base>' : ids[index - 1]} -> ${id}${index === count - 1 ? ' (head)' : ''}, revision number ${index}`)
    .reverse()
    .join('\n');
  const verbose = ids
    .map(
      (id, index) =>
        `Rev: ${id}\nParent: ${index === 0 ? '<base>' : ids[index - 1]}\nPath: /app/alembic/versions/2026_01_01_0000-${id}_r.py\n\n` +
        `    revision number ${index}\n    \n    Revision ID: ${id}\n    Revises: ${ids[index - 1] ?? ''}\n    Create Date: 2026-01-01 00:00:00\n`,
    )
    .join('\n');
  const plain = await timeInProcess(() => parseHistoryOutput(history), { runs: RUNS });
  const detailed = await timeInProcess(() => parseVerboseEntries(verbose), { runs: RUNS });
  printTable(`Parsing Alembic output of ${count} revisions (median of ${RUNS}, in process)`, ['output', 'size', 'parse'], [
    ['history', `${(history.length / 1024).toFixed(0)} KiB`, formatMs(plain)],
    ['history --verbose', `${(verbose.length / 1024).toFixed(0)} KiB`, formatMs(detailed)],
  ]);
}
