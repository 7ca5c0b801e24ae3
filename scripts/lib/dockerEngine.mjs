// The real Docker engine the docker tier drives (see ../shared/notes/real-docker-here.md): Debian's
// docker.io engine, the Compose v2 plugin from Debian trixie (pinned low so nothing else moves),
// an engine started with no container network (every test service uses network_mode: host), and
// an image with Alembic built by debootstrap, since no registry is reachable here.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRoot, run } from './system.mjs';

// The tag names what is inside: an image built before Flask-Migrate was added is not reused.
export const DOCKER_TEST_IMAGE = 'local/alembic:bookworm-flask';
// `alembic` (the command), PostgreSQL's driver, and Flask-Migrate (`flask db`) with Flask-SQLAlchemy.
const IMAGE_PACKAGES = ['alembic', 'python3-psycopg2', 'python3-flask-migrate', 'python3-flask-sqlalchemy'];
const TRIXIE_SOURCES = '/etc/apt/sources.list.d/trixie.sources';
const TRIXIE_PIN = '/etc/apt/preferences.d/trixie-low';

const answers = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

function debianMirror() {
  try {
    const sources = readFileSync('/etc/apt/sources.list.d/debian.sources', 'utf8');
    return /^URIs:\s*(\S+)/m.exec(sources)?.[1] ?? 'http://deb.debian.org/debian';
  } catch {
    return 'http://deb.debian.org/debian';
  }
}

const hasEngine = () => existsSync('/usr/sbin/dockerd') && existsSync('/usr/sbin/debootstrap');
const hasCompose = () => answers('docker', ['compose', 'version']);

/** Whether the engine and Compose v2 are installed (nothing is installed by asking). */
export function dockerToolsInstalled() {
  return hasEngine() && hasCompose();
}

/** Installs the engine, debootstrap and Compose v2 (as root) or prints how; false when missing. */
export function ensureDockerTools({ log = console.log } = {}) {
  if (hasEngine() && hasCompose()) return true;
  const mirror = debianMirror();
  if (!isRoot()) {
    log(
      'The docker tier needs a Docker engine, debootstrap and Compose v2. Install them with:\n' +
        '  sudo apt-get update && sudo apt-get install -y docker.io debootstrap\n' +
        `  printf 'Types: deb\\nURIs: ${mirror}\\nSuites: trixie\\nComponents: main\\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\\n' | sudo tee ${TRIXIE_SOURCES}\n` +
        `  printf 'Package: *\\nPin: release n=trixie\\nPin-Priority: 100\\n' | sudo tee ${TRIXIE_PIN}\n` +
        '  sudo apt-get update && sudo apt-get install -y -t trixie docker-compose',
    );
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!hasEngine()) {
    log('Installing the Docker engine and debootstrap (apt-get install docker.io debootstrap)');
    if (run('apt-get', ['update'], { env }) !== 0) return false;
    if (run('apt-get', ['install', '-y', 'docker.io', 'debootstrap'], { env }) !== 0) return false;
  }
  if (!hasCompose()) {
    // bookworm's own docker-compose is v1 (Python); trixie packages Compose v2, a static binary.
    log('Installing Compose v2 from Debian trixie, pinned low (apt-get install -t trixie docker-compose)');
    writeFileSync(TRIXIE_SOURCES, `Types: deb\nURIs: ${mirror}\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`);
    writeFileSync(TRIXIE_PIN, 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n');
    if (run('apt-get', ['update'], { env }) !== 0) return false;
    if (run('apt-get', ['install', '-y', '-t', 'trixie', 'docker-compose'], { env }) !== 0) return false;
  }
  return hasEngine() && hasCompose();
}

const engineAnswers = () => answers('docker', ['info']);

/**
 * Starts dockerd without any container network when no engine answers. Returns a function that
 * stops what this call started (nothing when an engine was already running).
 */
export async function startDockerEngine({ log = console.log } = {}) {
  if (engineAnswers()) return async () => {};
  if (!isRoot()) {
    log('No Docker engine is running. Start it with:\n  sudo dockerd --iptables=false --bridge=none &');
    return undefined;
  }
  const logFile = path.join(os.tmpdir(), 'aw-dockerd.log');
  log(`Starting dockerd --iptables=false --bridge=none (log: ${logFile})`);
  const output = openSync(logFile, 'a');
  const daemon = spawn('dockerd', ['--iptables=false', '--bridge=none'], { stdio: ['ignore', output, output], detached: true });
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  let alive = true;
  void exited.then(() => (alive = false));
  // Wait on the engine's own answer; the daemon exiting first is a failure, not a wait.
  while (alive && !engineAnswers()) await new Promise((resolve) => setTimeout(resolve, 300));
  if (!alive) {
    log(`dockerd exited; see ${logFile}`);
    return undefined;
  }
  return async () => {
    daemon.kill('SIGTERM');
    await exited;
  };
}

/** Builds the test image from Debian packages with debootstrap (about 2 minutes), once. */
export async function ensureDockerTestImage({ log = console.log } = {}) {
  if (answers('docker', ['image', 'inspect', DOCKER_TEST_IMAGE])) return true;
  const rootfs = mkdtempSync(path.join(os.tmpdir(), 'aw-rootfs-'));
  try {
    log(`Building ${DOCKER_TEST_IMAGE} with debootstrap (${IMAGE_PACKAGES.join(', ')})`);
    const built = run('debootstrap', ['--variant=minbase', `--include=${IMAGE_PACKAGES.join(',')}`, 'bookworm', rootfs, debianMirror()], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built !== 0) return false;
    // tar | docker import: two processes joined by a pipe, no shell.
    const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const importer = spawn('docker', ['import', '-', DOCKER_TEST_IMAGE], { stdio: ['pipe', 'inherit', 'inherit'] });
    tar.stdout.pipe(importer.stdin);
    const [tarStatus, importStatus] = await Promise.all([
      new Promise((resolve) => tar.once('close', resolve)),
      new Promise((resolve) => importer.once('close', resolve)),
    ]);
    return tarStatus === 0 && importStatus === 0;
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}
