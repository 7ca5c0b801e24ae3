// The dockerCompose runner where no Docker is involved at all: a docker CLI that isn't installed.
// Everything that needs Docker Compose (exec, run --rm, files written in the container, Cancel,
// service states) runs against the real engine in test/docker (`npm test -- --only docker`).
import assert from 'node:assert/strict';
import { AlembicRunner } from '../../../src/core/runner/alembicRunner';
import { ProjectCommandLock } from '../../../src/core/runner/processRunner';
import { createRunnerProject, type RunnerProject } from './runnerFixture';

describe('runner, dockerCompose mode without a docker CLI', function () {
  this.timeout(120_000);
  let project: RunnerProject;

  before(async () => {
    project = await createRunnerProject('compose');
  });
  after(async () => project.cleanup());

  it('reports a missing docker CLI', async () => {
    const runner = new AlembicRunner({
      runner: { mode: 'dockerCompose', dockerExecutable: '/opt/no-docker/bin/docker' },
      target: { iniPath: project.iniPath, workspaceFolder: project.root },
      lock: new ProjectCommandLock(),
    });
    const result = await runner.run({ command: { kind: 'current' } });
    assert.equal(result.failure?.kind, 'dockerNotFound');
    assert.deepEqual(result.failure?.suggestedActions, ['installDocker', 'configureRunner']);
  });
});
