// Writes test/fixtures/realworld-lint-snapshot.txt: every finding of the lint over
// ../shared/realworld (see test/support/realworldLintSnapshot.ts). Run after a change in findings,
// review the diff, commit it: `npm run lint:snapshot`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { realworldLintSnapshot, SNAPSHOT_FILE } from '../test/support/realworldLintSnapshot';

async function main(): Promise<void> {
  const lines = await realworldLintSnapshot();
  mkdirSync(path.dirname(SNAPSHOT_FILE), { recursive: true });
  writeFileSync(SNAPSHOT_FILE, `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.length} findings written to ${path.relative(process.cwd(), SNAPSHOT_FILE)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
