// The Revisions view's data for large histories, beside `alembic history` (what a user runs to
// see the same list) on the same trees. The model runs bundled in a fresh process, as in the
// extension; the extension-host figures (getChildren + TreeItems, activation) are printed by the
// speed test in test/vscode/suite/tree.test.ts. Target: tree children for 5000 revisions <= 100 ms.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { formatMs, printTable, timeProcess } from './benchKit';
import { generateHistory, type HistoryShape } from './support/historyGenerator';

const ALEMBIC = process.env.AW_REAL_ALEMBIC ?? '/usr/bin/alembic';

interface Timing {
  first: number;
  again: number;
  items: number;
}

export async function runBenchmark(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'aw-bench-tree-'));
  const probe = path.join(folder, 'treeProbe.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, 'support', 'treeProbe.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: probe, logLevel: 'error', external: ['pg-native'] });
  const rows: string[][] = [];
  const verdicts: string[] = [];
  try {
    for (const size of [1000, 5000]) {
      for (const shape of ['linear', 'branched'] as HistoryShape[]) {
        const history = generateHistory(size, shape);
        try {
          const run = spawnSync(process.execPath, [probe, path.join(history.root, 'alembic.ini')], { encoding: 'utf8' });
          if (run.status !== 0) throw new Error(`tree probe failed:\n${run.stderr}`);
          const { flat, grouped } = JSON.parse(run.stdout) as { flat: Timing; grouped: Timing };
          const alembicHistory = timeProcess([ALEMBIC, 'history'], { cwd: history.root, runs: 3 });
          rows.push([`${size} ${shape}`, formatMs(flat.first), formatMs(flat.again), `${grouped.items} groups`, formatMs(grouped.first), formatMs(grouped.again), formatMs(alembicHistory)]);
          if (size === 5000) {
            const worst = Math.max(flat.first, grouped.first);
            verdicts.push(`${shape} 5000: tree model ${formatMs(worst)} at worst (<= 100 ms) ${worst <= 100 ? 'PASS' : 'MISS'}; \`alembic history\` ${formatMs(alembicHistory)}`);
          }
        } finally {
          history.cleanup();
        }
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printTable(
    'Revisions view model (bundled, fresh process; graph already read) vs `alembic history` (whole process, median of 3)',
    ['history', 'flat: first', 'flat: after a change', 'grouped', 'grouped: first', 'grouped: after a change', 'alembic history'],
    rows,
  );
  console.log('\nTargets at 5000 revisions:');
  for (const line of verdicts) console.log(`  ${line}`);
}
