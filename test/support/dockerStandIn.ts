// A stand-in for the docker CLI with the Compose plugin, for the real-VS-Code suite only: that tier
// runs without a Docker engine (see test/vscode/suite/commandsDockerCompose.test.ts for why; the
// real engine is tested in test/docker). Written into a folder the suite puts first on PATH, it
// checks the exact argv it receives (compose files, exec/run, -T, -w, --user, service) against
// AW_STANDIN_EXPECT, then runs the real Alembic (AW_STANDIN_ALEMBIC) in the host folder the
// service's bind mount maps to (AW_STANDIN_MOUNT), with the service's DATABASE_URL
// (AW_STANDIN_SERVICE_DATABASE_URL), and prints paths as the container would see them. It appends
// each argv as a JSON line to AW_STANDIN_LOG. AW_STANDIN_SCENARIO=stopped plays a stopped service,
// until "up -d <service>" starts it (remembered in the file AW_STANDIN_STATE names, when set).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DOCKER_STAND_IN_SCRIPT = String.raw`#!${process.execPath}
// Stand-in for the docker CLI with the Compose plugin (see the test file for why).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const argv = process.argv.slice(2);
const env = process.env;
fs.appendFileSync(env.AW_STANDIN_LOG, JSON.stringify(argv) + '\n');
const fail = (message, code) => { process.stderr.write(message + '\n'); process.exit(code); };

let i = 0;
if (argv[i++] !== 'compose') fail("docker: unknown command: docker " + argv[0], 1);
const files = [];
while (argv[i] === '-f' || argv[i] === '--project-directory') { if (argv[i] === '-f') files.push(argv[i + 1]); i += 2; }
// The extension detects the Compose command by its "version" (composeCommand.ts): answer as v2 does.
if (argv[i] === 'version') {
  process.stdout.write('Docker Compose version v2.26.1 (stand-in)\n');
  process.exit(0);
}
// A stopped service's failure makes the runner ask which services exist (alembicRunner.ts).
if (argv[i] === 'config') {
  if (JSON.stringify(argv.slice(i)) !== JSON.stringify(['config', '--services'])) fail('stand-in: unexpected config ' + argv.slice(i), 99);
  process.stdout.write('backend\ndb\n');
  process.exit(0);
}
if (argv[i] === 'ps') {
  if (JSON.stringify(argv.slice(i)) !== JSON.stringify(['ps', '--services', '--status', 'running'])) fail('stand-in: unexpected ps ' + argv.slice(i), 99);
  process.stdout.write(env.AW_STANDIN_SCENARIO === 'stopped' ? 'db\n' : 'backend\ndb\n');
  process.exit(0);
}
// "up -d <service>" starts it: later exec calls find it running (state kept in AW_STANDIN_STATE).
const started = () => Boolean(env.AW_STANDIN_STATE) && fs.existsSync(env.AW_STANDIN_STATE);
if (argv[i] === 'up') {
  if (argv[i + 1] !== '-d' || argv.length !== i + 3) fail('stand-in: expected up -d <service>, got ' + argv.slice(i), 99);
  if (env.AW_STANDIN_STATE) fs.writeFileSync(env.AW_STANDIN_STATE, argv[i + 2]);
  process.stderr.write(' Container ' + argv[i + 2] + '-1  Started\n');
  process.exit(0);
}
const subcommand = argv[i++];
if (subcommand !== 'exec' && subcommand !== 'run') fail('stand-in: expected exec or run, got ' + subcommand, 99);
if (subcommand === 'run' && argv[i++] !== '--rm') fail('stand-in: run without --rm', 99);
if (argv[i++] !== '-T') fail('stand-in: no -T (a TTY would merge stdout and stderr)', 99);
let workdir, user;
while (argv[i] === '-w' || argv[i] === '--user' || argv[i] === '-e') { if (argv[i] === '-w') workdir = argv[i + 1]; else if (argv[i] === '--user') user = argv[i + 1]; i += 2; }
const service = argv[i++];
const expected = JSON.parse(env.AW_STANDIN_EXPECT);
const got = { files, workdir: workdir ?? null, user: user ?? null, service };
if (JSON.stringify(got) !== JSON.stringify(expected)) fail('stand-in: argv mismatch: got ' + JSON.stringify(got) + ' expected ' + JSON.stringify(expected), 99);
if (service !== 'backend' && service !== 'db') fail('no such service: ' + service, 1);
if (subcommand === 'exec' && env.AW_STANDIN_SCENARIO === 'stopped' && !started()) fail('service "' + service + '" is not running container #1', 1);
if (argv[i++] !== 'alembic') fail('OCI runtime exec failed: exec failed: unable to start container process: exec: "' + argv[i - 1] + '": executable file not found in $PATH: unknown', 126);

const mount = JSON.parse(env.AW_STANDIN_MOUNT);
const hostDir = (workdir ?? mount.containerPath).replace(mount.containerPath, mount.hostPath);
const result = spawnSync(env.AW_STANDIN_ALEMBIC, argv.slice(i), {
  cwd: hostDir,
  env: { ...env, DATABASE_URL: env.AW_STANDIN_SERVICE_DATABASE_URL, PYTHONDONTWRITEBYTECODE: '1' },
  encoding: 'utf8',
});
// A container writes files as its user: root unless --user says otherwise.
const [uid, gid] = (user ?? '0:0').split(':').map(Number);
for (const match of result.stdout.matchAll(/Generating (.+?) \.\.\.\s+done/g)) fs.chownSync(match[1], uid, gid);
const toContainer = (text) => text.split(mount.hostPath).join(mount.containerPath);
process.stdout.write(toContainer(result.stdout));
process.stderr.write(toContainer(result.stderr));
process.exit(result.status ?? 1);
`;

/** Writes `docker` (executable) into `binDir` (created if needed) and returns its path. */
export function writeDockerStandIn(binDir: string): string {
  mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, 'docker');
  writeFileSync(file, DOCKER_STAND_IN_SCRIPT);
  chmodSync(file, 0o755);
  return file;
}
