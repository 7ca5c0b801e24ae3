// The extension test module: VS Code's extension host loads this bundle (esbuild ->
// dist/test/vscode/suite/index.js) when the workbench was opened with `extensionTestsPath`, calls
// `run()`, and reports the outcome to the harness through `codeAutomationExit`.
// Suite files are imported statically (one bundle, no file globbing at run time); add new ones below.
import { ownMocha } from './mochaSetup';
import { routeReporterToHarness } from './consoleBridge';
import './activation.test';
import './restrictedMode.test';
import './tree.test';
import './diagnostics.test';
import './navigation.test';
import './commands.test';
import './commandsDockerCompose.test';
import './commandsDockerComposeEngine.test';
import './walkthrough.test';
import './snippets.test';
import './revisionGraph.test';
import './realLayouts.test';

export function run(): Promise<void> {
  const mocha = ownMocha;
  if (!mocha) {
    return Promise.reject(new Error('The suites were loaded into another mocha runner (@vscode/test-cli); run() is for the code-server harness.'));
  }
  const restoreReporter = routeReporterToHarness();
  return new Promise<void>((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} extension test${failures === 1 ? '' : 's'} failed.`));
      else resolve();
    });
  }).finally(restoreReporter);
}
