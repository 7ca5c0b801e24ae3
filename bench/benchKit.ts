// Small helpers shared by the benchmark files (bench/*.bench.ts). Each benchmark prints a table
// that compares our figure with Alembic's own CLI run side by side in the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall-clock milliseconds of whole processes (start to exit), median of `runs`. */
export function timeProcess(argv: string[], options: { cwd?: string; runs?: number; env?: NodeJS.ProcessEnv } = {}): number {
  const samples: number[] = [];
  for (let run = 0; run < (options.runs ?? 7); run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: 'ignore' });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited with ${result.status}`);
    samples.push(elapsed);
  }
  return median(samples);
}

export interface TimedCommand {
  argv: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Median wall-clock and CPU milliseconds of one command (see measureProcessesInTurns). */
export interface ProcessTiming {
  wallMs: number;
  /** User + system time of the process and its children; NaN where /proc is missing. */
  cpuMs: number;
}

// Linux reports the CPU time of waited-for children in clock ticks (getconf CLK_TCK: 100).
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU milliseconds that this process's finished children used so far (cutime + cstime), or NaN. */
function childrenCpuMs(): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of proc(5); the slice starts at field 3.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * Medians of whole processes run in turns (A B C A B C ...): on a shared machine a burst of load then
 * falls on every command alike instead of on whichever ran during it. CPU time (10 ms ticks) is
 * printed beside wall time because it barely moves with the machine's load, which wall time does.
 */
export function measureProcessesInTurns(commands: TimedCommand[], runs: number): ProcessTiming[] {
  const wall = commands.map(() => [] as number[]);
  const cpu = commands.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    commands.forEach((command, index) => {
      const cpuBefore = childrenCpuMs();
      const started = process.hrtime.bigint();
      const result = spawnSync(command.argv[0], command.argv.slice(1), { cwd: command.cwd, env: command.env ?? process.env, stdio: 'ignore' });
      wall[index].push(Number(process.hrtime.bigint() - started) / 1e6);
      cpu[index].push(childrenCpuMs() - cpuBefore);
      if (result.status !== 0) throw new Error(`${command.argv.join(' ')} exited with ${result.status}`);
    });
  }
  return commands.map((_, index) => ({ wallMs: median(wall[index]), cpuMs: median(cpu[index]) }));
}

/** Median wall-clock milliseconds of whole processes run in turns (see measureProcessesInTurns). */
export function timeProcessesInTurns(commands: TimedCommand[], runs: number): number[] {
  return measureProcessesInTurns(commands, runs).map((timing) => timing.wallMs);
}

/** The 1, 5 and 15 minute load averages and the CPU count, to read timings taken on a shared machine. */
export function machineLoad(): string {
  const [one, five, fifteen] = loadavg();
  return `load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} on ${availableParallelism()} CPUs`;
}

/** Milliseconds of an in-process function, median of `runs` (after one warm-up unless cold). */
export async function timeInProcess(work: () => unknown, options: { runs?: number; warmUp?: boolean } = {}): Promise<number> {
  if (options.warmUp !== false) await work();
  const samples: number[] = [];
  for (let run = 0; run < (options.runs ?? 7); run++) {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

/** Prints an aligned text table. */
export function printTable(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}
