// Imported first by index.ts, before any suite file, so mocha's `suite`/`test` globals exist when
// the suites (bundled into the same file) register themselves.
//  - Under our harness: this creates the Mocha instance that index.ts's `run()` starts.
//  - Under `@vscode/test-cli`: its runner has already defined the globals and loads our bundle as
//    a test file, so the suites join its run and `ownMocha` stays undefined.
import Mocha from 'mocha';
import { readTestEnvironment } from './testEnvironment';

function createOwnMocha(): Mocha | undefined {
  if (typeof (globalThis as { suite?: unknown }).suite === 'function') return undefined;
  const environment = readTestEnvironment();
  const mocha = new Mocha({
    ui: 'tdd',
    // The page console shows raw text: no ANSI colours. `spec` gives one readable line per test.
    color: false,
    reporter: 'spec',
    timeout: 20_000,
    ...(environment.grep ? { grep: environment.grep } : {}),
  });
  mocha.suite.emit('pre-require', globalThis, 'alembic-workbench-suite', mocha);
  return mocha;
}

export const ownMocha = createOwnMocha();
