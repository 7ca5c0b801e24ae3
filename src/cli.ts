// The `alembic-workbench` executable (dist/cli.js): a small launcher that runs the CLI program
// (dist/cli-main.js, from src/cliMain.ts) with V8's code cache, see src/cli/codeCache.ts.
import path from 'node:path';
import { runWithCodeCache } from './cli/codeCache';

const run = runWithCodeCache(path.join(__dirname, 'cli-main.js'), process.env);
// After the command, so the cache holds every function the command compiled.
process.once('exit', () => run.save());
