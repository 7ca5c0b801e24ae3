// Alembic's and PostgreSQL's failures are produced for real in test/integration/runner, Docker
// Compose v2's in test/docker. This unit test pins the recognition of each text (including those of
// Compose versions and failures the real tier can't produce, e.g. a daemon that is down) literally.
import assert from 'node:assert/strict';
import { failureFromStartError, lastMeaningfulLines, recogniseAlembicFailure } from '../../../src/core/runner/alembicFailures';
import { ExecutableNotFoundError, WorkingDirectoryNotFoundError } from '../../../src/core/runner/processRunner';

const failure = (stderr: string, exitCode = 1, stdout = '') =>
  recogniseAlembicFailure({ exitCode, stdout, stderr, mode: 'dockerCompose', service: 'backend' });

describe('recogniseAlembicFailure', () => {
  it('is silent on success', () => {
    assert.equal(recogniseAlembicFailure({ exitCode: 0, stdout: 'FAILED: looks bad', stderr: '' }), undefined);
  });

  it('recognises Docker Compose failures (literal texts: no Docker engine on this machine)', () => {
    const notRunning = failure('service "backend" is not running container #1\n');
    assert.equal(notRunning?.kind, 'composeServiceNotRunning');
    assert.equal(notRunning?.subject, 'backend');
    assert.deepEqual(notRunning?.suggestedActions, ['startService', 'runWithComposeRun']);
    assert.equal(failure('service "api" is not running\n')?.subject, 'api');

    assert.equal(failure('no such service: backendd\n')?.kind, 'composeNoSuchService');
    assert.equal(failure('no such service: backendd\n')?.subject, 'backendd');
    assert.equal(failure('no configuration file provided: not found\n')?.kind, 'composeNoConfigFile');
    const invalid = failure('yaml: line 4: did not find expected key\n', 15);
    assert.equal(invalid?.kind, 'composeFileInvalid');
    assert.equal(invalid?.summary, 'Docker Compose cannot read its file: yaml: line 4: did not find expected key');
    assert.equal(failure('validating /p/compose.yml: services.backend.volumes must be a list\n', 15)?.kind, 'composeFileInvalid');
    const notWritable = failure("Traceback (most recent call last):\nPermissionError: [Errno 13] Permission denied: '/app/alembic/versions/x.py'\n");
    assert.equal(notWritable?.kind, 'fileNotWritable');
    assert.equal(notWritable?.file, '/app/alembic/versions/x.py');
    assert.equal(failure("docker: 'compose' is not a docker command.\nSee 'docker --help'\n")?.kind, 'composeNotAvailable');
    assert.equal(failure("docker: unknown command: docker compose\n\nRun 'docker --help' for more information\n")?.kind, 'composeNotAvailable');
    assert.equal(
      failure('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n')?.kind,
      'dockerDaemonUnavailable',
    );
    const noAlembic = failure(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "alembic": executable file not found in $PATH: unknown\n',
      126,
    );
    assert.equal(noAlembic?.kind, 'alembicNotFound');
    assert.match(noAlembic!.summary, /not installed in the "backend" container/);
    assert.equal(failure('sh: 1: alembic: not found\n', 127)?.kind, 'alembicNotFound');
  });

  it('turns start errors into the right advice per mode', () => {
    const docker = failureFromStartError(new ExecutableNotFoundError('docker'), 'dockerCompose');
    assert.equal(docker.kind, 'dockerNotFound');
    assert.deepEqual(docker.suggestedActions, ['installDocker', 'configureRunner']);
    const alembic = failureFromStartError(new ExecutableNotFoundError('alembic'), 'local');
    assert.equal(alembic.kind, 'alembicNotFound');
    assert.match(alembic.summary, /python -m alembic/);
    assert.equal(failureFromStartError(new WorkingDirectoryNotFoundError('alembic', '/gone'), 'local').kind, 'workingDirectoryNotFound');
  });

  it('masks passwords in everything it returns', () => {
    const result = recogniseAlembicFailure({
      exitCode: 1,
      stdout: '',
      stderr:
        'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not connect\n' +
        '[SQL: x] postgresql://app:hunter2@db/app password=hunter2\n',
    });
    assert.ok(result);
    assert.ok(!JSON.stringify(result).includes('hunter2'), JSON.stringify(result));
  });

  it('keeps the last meaningful lines of an unknown failure', () => {
    const stderr = [
      'INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.',
      'Traceback (most recent call last):',
      '  File "/usr/bin/alembic", line 33, in <module>',
      '    sys.exit(load_entry_point())',
      '             ^^^^^^^^^^^^^^^^^^',
      '  File "/app/alembic/env.py", line 12, in <module>',
      '    do_something()',
      'RuntimeError: the hamster wheel stopped',
    ].join('\n');
    const result = recogniseAlembicFailure({ exitCode: 1, stdout: '', stderr });
    assert.equal(result?.kind, 'unknown');
    assert.equal(result?.summary, 'Alembic failed with RuntimeError: the hamster wheel stopped');
    assert.equal(result?.detail, 'RuntimeError: the hamster wheel stopped');
    assert.equal(lastMeaningfulLines('usage: alembic [-h]\n               {a,b}\nalembic: error: bad\n', ''), 'alembic: error: bad');
    assert.equal(recogniseAlembicFailure({ exitCode: null, stdout: '', stderr: '' })?.summary, 'The command failed (it was stopped by a signal).');
  });
});
