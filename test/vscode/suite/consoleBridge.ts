// Sends the suite's output to the harness, marked so it can be told apart from the workbench's own
// log lines in the page console. VS Code's extension host makes console.* unassignable (it forwards
// them itself, unformatted), so mocha's reporter is redirected instead, and suites that want to print
// something use `harnessLog`.
import Mocha from 'mocha';
import { format } from 'node:util';
import { HARNESS_LINE_MARKER } from './testEnvironment';

/** console.log for suites: formatted here (%s, %d, objects) and shown in the harness's output. */
export function harnessLog(...args: unknown[]): void {
  console.log(HARNESS_LINE_MARKER + format(...args));
}

/** Routes mocha's reporter output through the marker until the returned function is called. */
export function routeReporterToHarness(): () => void {
  const originalReporterLog = Mocha.reporters.Base.consoleLog;
  // Mocha's reporters print through this hook, not through console.log directly.
  Mocha.reporters.Base.consoleLog = harnessLog;
  return () => {
    Mocha.reporters.Base.consoleLog = originalReporterLog;
  };
}
