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
import { formatMs, printTable, TimedCommand, timeProcessesInTurns } from './benchKit';
import { generateHistory, HistoryShape } from './support/historyGenerator';

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

export async function runBenchmark(): Promise<void> {
  ensureBuilt();
  console.log(nodeStartUp());
  const sizes = (process.env.AW_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
  const headsRows: string[][] = [];
  const rows: string[][] = [];
  const targets: string[] = [];
  for (const size of sizes) {
    for (const shape of ['linear', 'branched', 'branched-depends'] as HistoryShape[]) {
      const history = generateHistory(size, shape);
      const cacheDir = mkdtempSync(path.join(tmpdir(), 'aw-bench-cache-'));
      const cacheEnv = { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir };
      try {
        // Alembic must accept the generated tree and agree on its heads.
        const check = spawnSync(ALEMBIC, ['heads'], { cwd: history.root, encoding: 'utf8' });
        const alembicHeads = check.stdout.trim().split('\n').map((line) => line.split(' ')[0]);
        if (check.status !== 0 || alembicHeads.join() !== history.heads.join()) throw new Error(`alembic heads disagrees on ${shape} ${size}: ${check.stdout}${check.stderr}`);
        const ours = spawnSync(process.execPath, [CLI, 'heads', '--json'], { cwd: history.root, encoding: 'utf8', env: cacheEnv });
        if (JSON.parse(ours.stdout).heads.join() !== history.heads.join()) throw new Error(`our heads disagree on ${shape} ${size}`);

        // Ours, three ways: a one-off process with its caches warm (parsed headers and V8's compiled
        // code, filled by the run above, as a developer's second command finds them); with no caches
        // (reads and parses every file, compiles the bundle); and answered by `alembic-workbench
        // server`. Alembic, two ways: compiling every revision file (this environment sets
        // PYTHONDONTWRITEBYTECODE, as many app containers do), and with versions/__pycache__.
        const oneOff = { argv: [process.execPath, CLI, 'heads'], cwd: history.root, env: { ...cacheEnv, ALEMBIC_WORKBENCH_NO_SERVER: '1' } };
        const noCaches = { argv: [process.execPath, CLI, 'heads'], cwd: history.root, env: { ...process.env, ALEMBIC_WORKBENCH_NO_CACHE: '1' } };
        const served = { argv: [process.execPath, CLI, 'heads'], cwd: history.root, env: cacheEnv };
        const alembic = { argv: [ALEMBIC, 'heads'], cwd: history.root };
        const runs = size >= 5000 ? 9 : 7;
        startServer(cacheEnv, history.root);
        const [alembicMs, oneOffMs, noCachesMs, servedMs] = timeProcessesInTurns([alembic, oneOff, noCaches, served], runs);
        const [alembicHistoryMs, oursHistoryMs] = timeProcessesInTurns(
          [
            { argv: [ALEMBIC, 'history'], cwd: history.root },
            { argv: [process.execPath, CLI, 'history'], cwd: history.root, env: oneOff.env },
          ],
          size >= 5000 ? 5 : 7,
        );
        spawnSync(ALEMBIC, ['heads'], { cwd: history.root, env: withoutVariables(process.env, ['PYTHONDONTWRITEBYTECODE']), stdio: 'ignore' });
        const [alembicPycMs, oneOffAgainMs, servedAgainMs] = timeProcessesInTurns([alembic, oneOff, served], runs);
        // And without NODE_EXTRA_CA_CERTS, when this environment sets it (see nodeStartUp).
        const plain = (command: TimedCommand): TimedCommand => ({ ...command, env: withoutVariables(command.env ?? process.env, ['NODE_EXTRA_CA_CERTS']) });
        const [alembicPlainMs, oneOffPlainMs, servedPlainMs] =
          size === 5000 && process.env.NODE_EXTRA_CA_CERTS ? timeProcessesInTurns([plain(alembic), plain(oneOff), plain(served)], runs) : [Number.NaN, Number.NaN, Number.NaN];
        spawnSync(process.execPath, [CLI, 'server', 'stop'], { cwd: history.root, env: cacheEnv, stdio: 'ignore' });

        const model = probeModel(path.join(history.root, 'alembic.ini'));
        const oursRss = peakRssMb([process.execPath, '--require', RSS_PRELOAD, CLI, 'history', '--no-cache'], history.root);
        const alembicRss = peakRssMb([PYTHON, '-c', ALEMBIC_RSS, 'history'], history.root);
        const times = (alembicSide: number, oursSide: number) => `${(alembicSide / oursSide).toFixed(1)}x`;
        headsRows.push([
          `${size} ${shape}`,
          formatMs(alembicMs),
          formatMs(alembicPycMs),
          `${formatMs(noCachesMs)} (${times(alembicMs, noCachesMs)})`,
          `${formatMs(oneOffMs)} (${times(alembicMs, oneOffMs)} / ${times(alembicPycMs, oneOffAgainMs)})`,
          `${formatMs(servedMs)} (${times(alembicMs, servedMs)} / ${times(alembicPycMs, servedAgainMs)})`,
        ]);
        rows.push([
          `${size} ${shape}`,
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
          const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
          const ratio = (alembicSide: number, oursSide: number) => `${times(alembicSide, oursSide)} ${verdict(alembicSide / oursSide >= 10)}`;
          const withoutCaCerts = Number.isNaN(alembicPlainMs)
            ? ''
            : `; without NODE_EXTRA_CA_CERTS, against Alembic with bytecode (${formatMs(alembicPlainMs)}): one-off ${ratio(alembicPlainMs, oneOffPlainMs)} (${formatMs(oneOffPlainMs)}), server ${ratio(alembicPlainMs, servedPlainMs)} (${formatMs(servedPlainMs)})`;
          targets.push(
            `${shape} 5000, heads >= 10x faster than alembic heads: one-off process ${ratio(alembicMs, oneOffMs)} / ${ratio(alembicPycMs, oneOffAgainMs)}, ` +
              `server ${ratio(alembicMs, servedMs)} / ${ratio(alembicPycMs, servedAgainMs)} (against Alembic compiling every file / with its bytecode)${withoutCaCerts}`,
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
  }
  printTable(
    '`heads`: our CLI vs Alembic 1.8.1 (whole processes, median, taking turns). Ratios: against Alembic compiling every file / against Alembic with its bytecode.',
    ['history', 'alembic heads', 'alembic heads, .pyc', 'ours, no caches', 'ours, one-off', 'ours, server'],
    headsRows,
  );
  printTable(
    '`history` (whole processes, ours one-off), the in-process model (fresh process), peak RSS of `history`',
    ['history', 'alembic history', 'ours history', 'load (read+parse)', 'graph build', 'history order', 'rebuild: body edit', 'rebuild: header edit', 'alembic RSS', 'ours RSS'],
    rows,
  );
  if (targets.length > 0) {
    console.log('\nTargets at 5000 revisions:');
    for (const line of targets) console.log(`  ${line}`);
  }
}
