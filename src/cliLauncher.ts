// The `alembic-workbench` executable (dist/cli.js): a small launcher. When a resident server of this
// build is running (`alembic-workbench server start`), it answers the commands that only read the
// history, and `status`; otherwise the launcher runs the CLI program (dist/cli-main.js, from src/cliProgram.ts) with
// V8's code cache (src/cli/codeCache.ts).
import path from 'node:path';
import { buildIdentity, runWithCodeCache } from './cli/codeCache';
import { directWriter, isTerminal } from './cli/directOutput';
import { runThroughServer } from './cli/server/serverClient';

const bundle = path.join(__dirname, 'cli-main.js');

function runHere(): void {
  const run = runWithCodeCache(bundle, process.env, buildId);
  // After the command, so the cache holds every function the command compiled.
  process.once('exit', () => run.save());
}

let buildId: string | undefined;
try {
  buildId = buildIdentity(bundle);
} catch {
  // No program beside the launcher: runHere() reports it.
}
const served = buildId === undefined ? undefined : runThroughServer(process.argv.slice(2), process.env, buildId, process.cwd(), () => isTerminal(1));
if (!served) runHere();
else {
  void served.then((reply) => {
    if (!reply) return runHere();
    const writers = { 1: directWriter(1), 2: directWriter(2) };
    for (const [descriptor, text] of reply.output) writers[descriptor](text);
    process.exitCode = reply.code;
  });
}
