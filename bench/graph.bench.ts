// Revision graph speed, side by side with Alembic's own CLI on the same trees: whole-process
// `heads` (one-off, without caches, through `alembic-workbench server`; against Alembic with and
// without its bytecode) and `history` (median of several runs, and the ratio), the in-process load
// and graph build (cold, in a fresh process), the rebuild after one file changes, and peak memory.
// Targets at 5000 revisions: CLI >= 10x faster than `alembic heads`, build <= 100 ms, rebuild
// <= 10 ms, CLI peak RSS <= 120 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RACY_WINDOW_MS } from '../src/core/project/headerCache';
import { formatMs, machineLoad, measureProcessesInTurns, printTable, ProcessTiming, TimedCommand, timeProcessesInTurns } from './benchKit';
import { GeneratedHistory, generateHistory, HistoryShape } from './support/historyGenerator';

const REPO = path.resolve(__dirname, '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const ALEMBIC = process.env.AW_REAL_ALEMBIC ?? '/usr/bin/alembic';
const PYTHON = process.env.AW_REAL_PYTHON ?? '/usr/bin/python3';
const RSS_PRELOAD = path.join(__dirname, 'support', 'reportMaxRss.cjs');

interface ModelProbe {
  loadMs: number;
  buildMs: number;
  historyMs: number;
  bodyEditMs: number;
  headerEditMs: number;
  revisions: number;
  heads: string[];
}

function probeModel(ini: string): ModelProbe {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'modelProbe.ts'), ini], { cwd: REPO, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`model probe failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as ModelProbe;
}

function peakRssMb(argv: string[], cwd: string): number {
  const folder = mkdtempSync(path.join(tmpdir(), 'aw-bench-rss-'));
  const out = path.join(folder, 'rss');
  try {
    const result = spawnSync(argv[0], argv.slice(1), { cwd, stdio: 'ignore', env: { ...process.env, AW_BENCH_RSS_OUT: out } });
    if (result.status !== 0 || !existsSync(out)) return Number.NaN;
    return Number(readFileSync(out, 'utf8')) / 1024;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// Alembic's peak RSS through Python's own getrusage (no /usr/bin/time needed).
const ALEMBIC_RSS = `
import os, resource, sys
from alembic.config import main
try:
    main(argv=sys.argv[1:], prog="alembic")
finally:
    open(os.environ["AW_BENCH_RSS_OUT"], "w").write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
`;

function ensureBuilt(): void {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
}

/** Starts `alembic-workbench server` for this cache folder, and checks that it answers. */
function startServer(env: NodeJS.ProcessEnv, cwd: string): void {
  const started = spawnSync(process.execPath, [CLI, 'server', 'start'], { cwd, env, encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`alembic-workbench server start failed:\n${started.stderr}`);
}

function withoutVariables(env: NodeJS.ProcessEnv, names: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

/**
 * What any Node program pays before its first line runs, here. Node 20 reads and parses the file
 * that NODE_EXTRA_CA_CERTS names at every start-up (this sandbox points it at the whole system CA
 * bundle), which costs more than our `heads` does itself; printed so the figures below can be read.
 */
function nodeStartUp(): string {
  const [asIs, plain] = timeProcessesInTurns(
    [
      { argv: [process.execPath, '-e', '0'] },
      { argv: [process.execPath, '-e', '0'], env: withoutVariables(process.env, ['NODE_EXTRA_CA_CERTS']) },
    ],
    15,
  );
  return process.env.NODE_EXTRA_CA_CERTS
    ? `Node's own start-up (node -e 0): ${formatMs(asIs)} here, ${formatMs(plain)} without NODE_EXTRA_CA_CERTS, which this environment sets (Node 20 parses that certificate file at every start).`
    : `Node's own start-up (node -e 0): ${formatMs(asIs)}.`;
}

/** Figures of one history: `heads` always; the rest only for the regular sizes. */
interface HistoryFigures {
  size: number;
  shape: HistoryShape;
  load: string;
  alembic: ProcessTiming;
  noCaches: ProcessTiming;
  oneOff: ProcessTiming;
  served: ProcessTiming;
}

/** `alembic heads` beside ours (no caches, one-off with warm caches, through the server), in turns. */
function measureHeads(history: GeneratedHistory, cacheEnv: NodeJS.ProcessEnv, runs: number): Omit<HistoryFigures, 'size' | 'shape'> & { oneOffCommand: TimedCommand; servedCommand: TimedCommand; alembicCommand: TimedCommand } {
  // Ours, three ways: a one-off process with its caches warm (parsed headers and V8's compiled
  // code, filled by the check run, as a developer's second command finds them); with no caches
  // (reads and parses every file, compiles the bundle); and answered by `alembic-workbench
  // server`. Alembic compiling every revision file (this environment sets
  // PYTHONDONTWRITEBYTECODE, as many app containers do).
  const oneOffCommand = { argv: [process.execPath, CLI, 'heads'], cwd: history.root, env: { ...cacheEnv, ALEMBIC_WORKBENCH_NO_SERVER: '1' } };
  const noCachesCommand = { argv: [process.execPath, CLI, 'heads'], cwd: history.root, env: { ...process.env, ALEMBIC_WORKBENCH_NO_CACHE: '1' } };
  const servedCommand = { argv: [process.execPath, CLI, 'heads'], cwd: history.root, env: cacheEnv };
  const alembicCommand = { argv: [ALEMBIC, 'heads'], cwd: history.root };
  startServer(cacheEnv, history.root);
  const load = machineLoad();
  const [alembic, oneOff, noCaches, served] = measureProcessesInTurns([alembicCommand, oneOffCommand, noCachesCommand, servedCommand], runs);
  return { load, alembic, oneOff, noCaches, served, oneOffCommand, servedCommand, alembicCommand };
}

/**
 * Checks that Alembic accepts the generated tree and that both CLIs agree on its heads; fills our
 * caches; and waits until every file is older than the header cache's racy window, so the one-off
 * runs measure a cache that holds every file (as it does for a history checked out earlier).
 */
function checkAndWarm(history: GeneratedHistory, cacheEnv: NodeJS.ProcessEnv, shape: HistoryShape, size: number): void {
  const check = spawnSync(ALEMBIC, ['heads'], { cwd: history.root, encoding: 'utf8' });
  const alembicHeads = check.stdout.trim().split('\n').map((line) => line.split(' ')[0]);
  if (check.status !== 0 || alembicHeads.join() !== history.heads.join()) throw new Error(`alembic heads disagrees on ${shape} ${size}: ${check.stdout}${check.stderr}`);
  const settled = history.writtenAt + RACY_WINDOW_MS + 100;
  if (Date.now() < settled) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, settled - Date.now());
  const ours = spawnSync(process.execPath, [CLI, 'heads', '--json'], { cwd: history.root, encoding: 'utf8', env: { ...cacheEnv, ALEMBIC_WORKBENCH_NO_SERVER: '1' } });
  if (JSON.parse(ours.stdout).heads.join() !== history.heads.join()) throw new Error(`our heads disagree on ${shape} ${size}`);
}

function numberList(value: string | undefined, fallback: string): number[] {
  return (value ?? fallback).split(',').filter(Boolean).map(Number);
}

const times = (alembicSide: number, oursSide: number) => `${(alembicSide / oursSide).toFixed(1)}x`;
/** Our time beside Alembic's: wall (ratio), CPU (ratio). */
const headsCell = (ours: ProcessTiming, alembic: ProcessTiming) => `${formatMs(ours.wallMs)} (${times(alembic.wallMs, ours.wallMs)}), CPU ${formatMs(ours.cpuMs)} (${times(alembic.cpuMs, ours.cpuMs)})`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/**
 * AW_BENCH_SIZES (default 100,1000,5000): every figure. AW_BENCH_HEADS_SIZES (default
 * 10000,20000): `heads` only (Alembic's `history` alone takes minutes there), 3 runs each.
 * AW_BENCH_SHAPES: fewer shapes (default linear,branched,branched-depends). AW_BENCH_RUNS: runs per
 * figure instead of the defaults (7-9), for a quick look on a busy machine.
 */
export async function runBenchmark(): Promise<void> {
  ensureBuilt();
  console.log(`${nodeStartUp()}\nMachine: ${machineLoad()} at the start.`);
  const sizes = numberList(process.env.AW_BENCH_SIZES, '100,1000,5000');
  const headsOnlySizes = numberList(process.env.AW_BENCH_HEADS_SIZES, '10000,20000');
  const shapes = (process.env.AW_BENCH_SHAPES ?? 'linear,branched,branched-depends').split(',') as HistoryShape[];
  const plan: Array<{ size: number; shape: HistoryShape; full: boolean }> = [];
  for (const size of sizes) for (const shape of shapes) plan.push({ size, shape, full: true });
  for (const size of headsOnlySizes) for (const shape of shapes) plan.push({ size, shape, full: false });
  const headsFigures: HistoryFigures[] = [];
  const pycRows = new Map<string, string>();
  const rows: string[][] = [];
  const targets: string[] = [];
  for (const { size, shape, full } of plan) {
    const history = generateHistory(size, shape);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'aw-bench-cache-'));
    const cacheEnv = { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir };
    try {
      checkAndWarm(history, cacheEnv, shape, size);
      const runs = Number(process.env.AW_BENCH_RUNS) || (!full ? 3 : size >= 5000 ? 9 : 7);
      const heads = measureHeads(history, cacheEnv, runs);
      headsFigures.push({ size, shape, ...heads });
      const label = `${size} ${shape}`;
      // As it comes, so a run cut short on a busy machine still leaves its figures.
      console.log(`heads, ${label}: alembic ${formatMs(heads.alembic.wallMs)} (CPU ${formatMs(heads.alembic.cpuMs)}); ours: ${headsCell(heads.noCaches, heads.alembic)} without caches, ${headsCell(heads.oneOff, heads.alembic)} one-off, ${headsCell(heads.served, heads.alembic)} through the server; ${heads.load}`);
      if (!full) continue;

      const [alembicHistoryMs, oursHistoryMs] = timeProcessesInTurns(
        [
          { argv: [ALEMBIC, 'history'], cwd: history.root },
          { argv: [process.execPath, CLI, 'history'], cwd: history.root, env: heads.oneOffCommand.env },
        ],
        Number(process.env.AW_BENCH_RUNS) || (size >= 5000 ? 5 : 7),
      );
      // Alembic again, reading the bytecode in versions/__pycache__ this time.
      spawnSync(ALEMBIC, ['heads'], { cwd: history.root, env: withoutVariables(process.env, ['PYTHONDONTWRITEBYTECODE']), stdio: 'ignore' });
      const [alembicPyc, oneOffAgain, servedAgain] = measureProcessesInTurns([heads.alembicCommand, heads.oneOffCommand, heads.servedCommand], runs);
      pycRows.set(label, `${formatMs(alembicPyc.wallMs)}: one-off ${times(alembicPyc.wallMs, oneOffAgain.wallMs)}, server ${times(alembicPyc.wallMs, servedAgain.wallMs)}`);
      // And without NODE_EXTRA_CA_CERTS, when this environment sets it (see nodeStartUp).
      const plain = (command: TimedCommand): TimedCommand => ({ ...command, env: withoutVariables(command.env ?? process.env, ['NODE_EXTRA_CA_CERTS']) });
      const [alembicPlainMs, oneOffPlainMs, servedPlainMs] =
        size === 5000 && process.env.NODE_EXTRA_CA_CERTS ? timeProcessesInTurns([plain(heads.alembicCommand), plain(heads.oneOffCommand), plain(heads.servedCommand)], runs) : [Number.NaN, Number.NaN, Number.NaN];
      spawnSync(process.execPath, [CLI, 'server', 'stop'], { cwd: history.root, env: cacheEnv, stdio: 'ignore' });

      const model = probeModel(path.join(history.root, 'alembic.ini'));
      const oursRss = peakRssMb([process.execPath, '--require', RSS_PRELOAD, CLI, 'history', '--no-cache'], history.root);
      const alembicRss = peakRssMb([PYTHON, '-c', ALEMBIC_RSS, 'history'], history.root);
      rows.push([
        label,
        formatMs(alembicHistoryMs),
        `${formatMs(oursHistoryMs)} (${times(alembicHistoryMs, oursHistoryMs)})`,
        formatMs(model.loadMs),
        formatMs(model.buildMs),
        formatMs(model.historyMs),
        formatMs(model.bodyEditMs),
        formatMs(model.headerEditMs),
        `${alembicRss.toFixed(0)} MB`,
        `${oursRss.toFixed(0)} MB`,
      ]);
      if (size === 5000) {
        const ratio = (alembicSide: number, oursSide: number) => `${times(alembicSide, oursSide)} ${verdict(alembicSide / oursSide >= 10)}`;
        const withoutCaCerts = Number.isNaN(alembicPlainMs)
          ? ''
          : `; without NODE_EXTRA_CA_CERTS, against Alembic with bytecode (${formatMs(alembicPlainMs)}): one-off ${ratio(alembicPlainMs, oneOffPlainMs)} (${formatMs(oneOffPlainMs)}), server ${ratio(alembicPlainMs, servedPlainMs)} (${formatMs(servedPlainMs)})`;
        targets.push(
          `${shape} 5000, heads >= 10x faster than alembic heads: one-off process ${ratio(heads.alembic.wallMs, heads.oneOff.wallMs)} (CPU ${ratio(heads.alembic.cpuMs, heads.oneOff.cpuMs)}) / ${ratio(alembicPyc.wallMs, oneOffAgain.wallMs)}, ` +
            `server ${ratio(heads.alembic.wallMs, heads.served.wallMs)} / ${ratio(alembicPyc.wallMs, servedAgain.wallMs)} (against Alembic compiling every file / with its bytecode)${withoutCaCerts}`,
          `${shape} 5000, model: build ${formatMs(model.buildMs)} (<= 100 ms) ${verdict(model.buildMs <= 100)}; load+build ${formatMs(model.loadMs + model.buildMs)}; ` +
            `rebuild after one change ${formatMs(model.bodyEditMs)} (body edit) / ${formatMs(model.headerEditMs)} (header edit) (<= 10 ms) ${verdict(Math.max(model.bodyEditMs, model.headerEditMs) <= 10)}; ` +
            `peak RSS ${oursRss.toFixed(0)} MB (<= 120 MB) ${verdict(oursRss <= 120)}`,
        );
      }
    } finally {
      spawnSync(process.execPath, [CLI, 'server', 'stop'], { cwd: history.root, env: cacheEnv, stdio: 'ignore' });
      rmSync(cacheDir, { recursive: true, force: true });
      history.cleanup();
    }
  }
  printTable(
    '`heads`: our CLI vs Alembic 1.8.1 compiling every revision file (whole processes, median, taking turns): wall time (ratio), CPU time user+sys (ratio). Load: the machine when the row was measured.',
    ['history', 'alembic heads', 'ours, no caches', 'ours, one-off', 'ours, server', 'alembic with .pyc: ratios', 'load (1 min)'],
    headsFigures.map((figures) => {
      const label = `${figures.size} ${figures.shape}`;
      return [
        label,
        `${formatMs(figures.alembic.wallMs)}, CPU ${formatMs(figures.alembic.cpuMs)}`,
        headsCell(figures.noCaches, figures.alembic),
        headsCell(figures.oneOff, figures.alembic),
        headsCell(figures.served, figures.alembic),
        pycRows.get(label) ?? '-',
        figures.load.split(' ')[2],
      ];
    }),
  );
  printTable(
    '`history` (whole processes, ours one-off), the in-process model (fresh process), peak RSS of `history`',
    ['history', 'alembic history', 'ours history', 'load (read+parse)', 'graph build', 'history order', 'rebuild: body edit', 'rebuild: header edit', 'alembic RSS', 'ours RSS'],
    rows,
  );
  for (const shape of shapes) {
    const growing = headsFigures.filter((figures) => figures.shape === shape && figures.size >= 5000).sort((a, b) => a.size - b.size);
    if (growing.length < 2) continue;
    targets.push(
      `${shape}, one-off heads against alembic heads as the history grows (should not fall): ${growing
        .map((figures) => `${figures.size}: ${times(figures.alembic.wallMs, figures.oneOff.wallMs)} wall, ${times(figures.alembic.cpuMs, figures.oneOff.cpuMs)} CPU`)
        .join('; ')}`,
    );
  }
  if (targets.length > 0) {
    console.log('\nTargets:');
    for (const line of targets) console.log(`  ${line}`);
  }
  console.log(`\nMachine: ${machineLoad()} at the end.`);
}
