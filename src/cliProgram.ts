// The CLI program (dist/cli-main.js), started by the launcher in src/cliLauncher.ts; see src/cli/main.ts.
import path from 'node:path';
import { buildIdentity } from './cli/codeCache';
import { directWriter, isTerminal } from './cli/directOutput';
import { main } from './cli/main';

main(process.argv.slice(2), {
  stdout: directWriter(1),
  stderr: directWriter(2),
  cwd: process.cwd(),
  env: process.env,
  isTTY: isTerminal(1),
  // What `alembic-workbench server` needs to start this build as a resident server.
  program: { launcher: path.join(__dirname, 'cli.js'), buildId: () => buildIdentity(__filename) },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
