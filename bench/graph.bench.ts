// Revision graph speed, side by side with Alembic's own CLI on the same trees: whole-process
// `heads` and `history` (median of several runs, and the ratio), the in-process load and graph
// build (cold, in a fresh process), the rebuild after one file changes, and peak memory.
// Targets at 5000 revisions: CLI >= 10x faster than `alembic heads`, build <= 100 ms, rebuild
// <= 10 ms, CLI peak RSS <= 120 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatMs, printTable, timeProcess } from './benchKit';
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

export async function runBenchmark(): Promise<void> {
  ensureBuilt();
  const sizes = (process.env.AW_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
  const rows: string[][] = [];
  const targets: string[] = [];
  for (const size of sizes) {
    for (const shape of ['linear', 'branched'] as HistoryShape[]) {
      const history = generateHistory(size, shape);
      try {
        // Alembic must accept the generated tree and agree on its heads.
        const check = spawnSync(ALEMBIC, ['heads'], { cwd: history.root, encoding: 'utf8' });
        const alembicHeads = check.stdout.trim().split('\n').map((line) => line.split(' ')[0]);
        if (check.status !== 0 || alembicHeads.join() !== history.heads.join()) throw new Error(`alembic heads disagrees on ${shape} ${size}: ${check.stdout}${check.stderr}`);
        const ours = spawnSync(process.execPath, [CLI, 'heads', '--json'], { cwd: history.root, encoding: 'utf8' });
        if (JSON.parse(ours.stdout).heads.join() !== history.heads.join()) throw new Error(`our heads disagree on ${shape} ${size}`);

        const runs = size >= 5000 ? 3 : 5;
        const alembicHeadsMs = timeProcess([ALEMBIC, 'heads'], { cwd: history.root, runs });
        // Our CLI keeps parsed headers between runs (see src/core/project/headerCache.ts); the first
        // run fills the cache, the median is of warm runs. "no cache" reads and parses every file.
        const cacheDir = mkdtempSync(path.join(tmpdir(), 'aw-bench-cache-'));
        const cacheEnv = { ...process.env, ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir };
        const oursColdMs = timeProcess([process.execPath, CLI, 'heads', '--no-cache'], { cwd: history.root, runs: 5 });
        const oursHeadsMs = timeProcess([process.execPath, CLI, 'heads'], { cwd: history.root, runs: 7, env: cacheEnv });
        const alembicHistoryMs = timeProcess([ALEMBIC, 'history'], { cwd: history.root, runs });
        const oursHistoryMs = timeProcess([process.execPath, CLI, 'history'], { cwd: history.root, runs: 7, env: cacheEnv });
        rmSync(cacheDir, { recursive: true, force: true });
        const model = probeModel(path.join(history.root, 'alembic.ini'));
        const oursRss = peakRssMb([process.execPath, '--require', RSS_PRELOAD, CLI, 'history', '--no-cache'], history.root);
        const alembicRss = peakRssMb([PYTHON, '-c', ALEMBIC_RSS, 'history'], history.root);
        rows.push([
          `${size} ${shape}`,
          formatMs(alembicHeadsMs),
          formatMs(oursColdMs),
          `${(alembicHeadsMs / oursColdMs).toFixed(1)}x`,
          formatMs(oursHeadsMs),
          `${(alembicHeadsMs / oursHeadsMs).toFixed(1)}x`,
          formatMs(alembicHistoryMs),
          formatMs(oursHistoryMs),
          `${(alembicHistoryMs / oursHistoryMs).toFixed(1)}x`,
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
          targets.push(
            `${shape} 5000: CLI heads ${(alembicHeadsMs / oursHeadsMs).toFixed(1)}x faster than alembic heads (>= 10x) ${verdict(alembicHeadsMs / oursHeadsMs >= 10)} ` +
              `(${(alembicHeadsMs / oursColdMs).toFixed(1)}x without the header cache); ` +
              `build ${formatMs(model.buildMs)} (<= 100 ms) ${verdict(model.buildMs <= 100)}; ` +
              `load+build ${formatMs(model.loadMs + model.buildMs)}; ` +
              `rebuild after one change ${formatMs(model.bodyEditMs)} (body edit) / ${formatMs(model.headerEditMs)} (header edit) (<= 10 ms) ${verdict(Math.max(model.bodyEditMs, model.headerEditMs) <= 10)}; ` +
              `peak RSS ${oursRss.toFixed(0)} MB (<= 120 MB) ${verdict(oursRss <= 120)}`,
          );
        }
      } finally {
        history.cleanup();
      }
    }
  }
  printTable(
    'Revision graph: our CLI vs Alembic 1.8.1 (whole processes, median), in-process model (fresh process), peak RSS of `history`',
    ['history', 'alembic heads', 'ours, no cache', 'ratio', 'ours heads', 'ratio', 'alembic history', 'ours history', 'ratio', 'load (read+parse)', 'graph build', 'history order', 'rebuild: body edit', 'rebuild: header edit', 'alembic RSS', 'ours RSS'],
    rows,
  );
  if (targets.length > 0) {
    console.log('\nTargets at 5000 revisions:');
    for (const line of targets) console.log(`  ${line}`);
  }
}
