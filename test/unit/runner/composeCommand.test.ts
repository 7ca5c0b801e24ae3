// Detection runs real processes: `node` answers "version" for any candidate spelled as
// [node, -e, <script>] (exit code chosen by the script); a path that doesn't exist is "not installed".
import assert from 'node:assert/strict';
import { detectComposeCommand } from '../../../src/core/runner/composeCommand';

const answers = (text: string) => [process.execPath, '-e', `console.log(${JSON.stringify(text)})`];
const refuses = [process.execPath, '-e', 'process.exit(1)'];

describe('detectComposeCommand', () => {
  it('takes the first candidate that answers `version`, and says which', async () => {
    const choice = await detectComposeCommand([['/opt/none/docker', 'compose'], refuses, answers('podman-compose version 1.0.6'), answers('later')]);
    assert.deepEqual(choice.command, answers('podman-compose version 1.0.6'));
    assert.equal(choice.version, 'podman-compose version 1.0.6');
    assert.match(choice.message, /^Docker Compose command: .* \(detected: the first of "\/opt\/none\/docker compose", .* that answers "version": podman-compose version 1\.0\.6\)\.$/);
  });

  it('says clearly when none is installed', async () => {
    const choice = await detectComposeCommand([['/opt/none/docker', 'compose'], ['/opt/none/docker-compose']]);
    assert.equal(choice.command, undefined);
    assert.equal(
      choice.message,
      'No Docker Compose is installed: none of "/opt/none/docker compose", "/opt/none/docker-compose" answers "version". Install Docker Compose (or Podman Compose), or set alembicWorkbench.runner.dockerCompose.command.',
    );
  });
});
