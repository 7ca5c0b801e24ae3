// Installs code-server (VS Code 1.100 with the real Node extension host) on demand into a
// git-ignored cache folder and reuses it when present. It is not a devDependency on purpose: it
// weighs ~300 MB, needs native builds and is only wanted by the real-VS-Code suites and the demo.
//
// The recipe is the one measured on Debian bookworm as root with only the npm registry and apt
// reachable (see ../shared/notes/real-vscode-here.md): code-server 4.100.3 is the last release
// that runs on Node 20; its postinstall refuses root without `unsafe-perm`; node-pty's postinstall
// runs `npx node-gyp`, which needs a yes; `kerberos` needs gssapi.h; `@vscode/ripgrep` would
// download its binary from GitHub, so its download cache is pre-seeded with Debian's `rg`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release inside that code-server (what `@types/vscode`/`engines.vscode` must not exceed). */
export const CODE_SERVER_VSCODE_VERSION = '1.100.3';

/** code-server 4.100.3 pins @vscode/ripgrep 1.15.11, which fetches ripgrep v13.0.0-10. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEFAULT_CODE_SERVER_DIR = path.join(REPO_ROOT, '.cache', `code-server-${CODE_SERVER_VERSION}`);

/** A usable code-server: run `node entryScript ...` (never through a shell). */
export interface CodeServerInstallation {
  dir: string;
  /** `out/node/entry.js` of the code-server package; start it with `process.execPath`. */
  entryScript: string;
  version: string;
  /** True when this call installed it (false: reused the cache). */
  installedNow: boolean;
  /** Milliseconds spent installing (0 when reused). */
  installMs: number;
}

export class CodeServerInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodeServerInstallError';
  }
}

export interface EnsureCodeServerOptions {
  /** Defaults to env AW_CODE_SERVER_DIR, else `<repo>/.cache/code-server-4.100.3`. */
  dir?: string;
  log?: (line: string) => void;
}

export function codeServerDir(options: EnsureCodeServerOptions = {}): string {
  return path.resolve(options.dir ?? process.env.AW_CODE_SERVER_DIR ?? DEFAULT_CODE_SERVER_DIR);
}

export function codeServerEntryScript(dir: string): string {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The version string code-server prints, or undefined when the install there does not run. */
export function probeCodeServer(dir: string): string | undefined {
  const entryScript = codeServerEntryScript(dir);
  if (!existsSync(entryScript)) return undefined;
  // Even `--version` writes ~/.config/code-server/config.yaml and ~/.local/share/code-server/coder-logs
  // unless told otherwise: give it a throw-away home for its XDG folders.
  const scratch = mkdtempSync(path.join(tmpdir(), 'aw-code-server-probe-'));
  let result;
  try {
    result = spawnSync(process.execPath, [entryScript, '--config', '/dev/null', '--version'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(scratch, 'config'), XDG_DATA_HOME: path.join(scratch, 'data') },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (result.status !== 0) return undefined;
  // "4.100.3 <commit> with Code 1.100.3"
  const match = /^(\d+\.\d+\.\d+)\b/m.exec(result.stdout);
  return match?.[1];
}

interface Prerequisite {
  what: string;
  present: () => boolean;
  aptPackage: string;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((directory) => directory !== '' && existsSync(path.join(directory, command)));
}

const PREREQUISITES: Prerequisite[] = [
  { what: 'ripgrep (/usr/bin/rg), seeded into @vscode/ripgrep instead of a GitHub download', present: () => existsSync('/usr/bin/rg'), aptPackage: 'ripgrep' },
  { what: 'Kerberos headers (gssapi.h) for the `kerberos` native module', present: () => existsSync('/usr/include/gssapi/gssapi.h') || existsSync('/usr/include/gssapi.h'), aptPackage: 'libkrb5-dev' },
  { what: 'a C++ compiler (g++) for native modules', present: () => onPath('g++'), aptPackage: 'g++' },
  { what: 'make for native modules', present: () => onPath('make'), aptPackage: 'make' },
  { what: 'python3 for node-gyp', present: () => onPath('python3'), aptPackage: 'python3' },
  { what: 'tar to seed the ripgrep cache', present: () => onPath('tar'), aptPackage: 'tar' },
];

/** The apt packages an install would need that are not on this machine (empty when all are there). */
export function missingPrerequisitePackages(): string[] {
  return [...new Set(PREREQUISITES.filter((prerequisite) => !prerequisite.present()).map((prerequisite) => prerequisite.aptPackage))];
}

/** Throws a CodeServerInstallError naming the apt packages when something the install needs is missing. */
export function checkInstallPrerequisites(): void {
  const missing = PREREQUISITES.filter((prerequisite) => !prerequisite.present());
  if (missing.length === 0) return;
  const packages = missingPrerequisitePackages().join(' ');
  throw new CodeServerInstallError(
    `Cannot install code-server ${CODE_SERVER_VERSION}: missing ${missing.map((prerequisite) => prerequisite.what).join('; ')}.\n` +
      `Install with: apt-get install -y ${packages}`,
  );
}

function ripgrepTarget(): string {
  switch (process.arch) {
    case 'x64':
      return 'x86_64-unknown-linux-musl';
    case 'arm64':
      return 'aarch64-unknown-linux-musl';
    default:
      throw new CodeServerInstallError(`No ripgrep seed for ${process.platform}/${process.arch}: the harness supports Linux x64 and arm64.`);
  }
}

/**
 * Puts Debian's rg where @vscode/ripgrep looks before downloading: a tar.gz holding `rg` named
 * exactly like the release asset, inside `<tmpdir>/vscode-ripgrep-cache-<package version>/`.
 */
function seedRipgrepCache(tmpDir: string): void {
  const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const staging = path.join(tmpDir, 'rg-staging');
  mkdirSync(cacheDir, { recursive: true });
  mkdirSync(staging, { recursive: true });
  const copy = spawnSync('cp', ['/usr/bin/rg', path.join(staging, 'rg')]);
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${ripgrepTarget()}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', archive, '-C', staging, 'rg'], { encoding: 'utf8' });
  if (copy.status !== 0 || tar.status !== 0) {
    throw new CodeServerInstallError(`Could not seed the ripgrep cache at ${archive}: ${tar.stderr ?? ''}`);
  }
}

function npmCommand(): string[] {
  // The npm that runs this Node: next to `node` in the same bin directory when present.
  const besideNode = path.join(path.dirname(process.execPath), 'npm');
  return [existsSync(besideNode) ? besideNode : 'npm'];
}

/** Runs npm with an argv array, streaming its output through `log`; resolves with the exit code and the output tail. */
function runNpm(args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = npmCommand();
    const child = spawn(command, [...prefix, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        // npm 11 warns it does not know `unsafe-perm`, but code-server's postinstall reads the
        // variable itself (and refuses root without it): the warning is expected noise.
        if (line.trim() === '' || /Unknown env config "unsafe-perm"/.test(line)) continue;
        log(`  npm | ${line}`);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, tail: tail.join('\n') }));
  });
}

/**
 * Returns a working code-server, installing it first when the cache folder has none.
 * The install happens in a sibling `.partial-<pid>` folder that is renamed into place only once
 * the binary answers `--version`, so an interrupted install never leaves a half-made cache behind
 * and two concurrent runs cannot corrupt each other.
 */
export async function ensureCodeServer(options: EnsureCodeServerOptions = {}): Promise<CodeServerInstallation> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = codeServerDir(options);
  const existing = probeCodeServer(dir);
  if (existing === CODE_SERVER_VERSION) {
    return { dir, entryScript: codeServerEntryScript(dir), version: existing, installedNow: false, installMs: 0 };
  }
  if (existsSync(dir)) {
    // Never delete a folder we did not make: the user may have pointed AW_CODE_SERVER_DIR somewhere precious.
    throw new CodeServerInstallError(
      `${dir} exists but holds no working code-server ${CODE_SERVER_VERSION}` +
        (existing ? ` (found ${existing})` : '') +
        `. Remove that folder (or set AW_CODE_SERVER_DIR to an empty location) and run again.`,
    );
  }
  checkInstallPrerequisites();

  const started = Date.now();
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const tmpDir = path.join(partial, '.tmp');
  mkdirSync(tmpDir, { recursive: true });
  writeFileSync(
    path.join(partial, 'package.json'),
    JSON.stringify(
      {
        name: 'alembic-workbench-code-server-cache',
        private: true,
        description: 'code-server installed on demand by test/vscode/harness/codeServerInstall.ts',
        // npm 11 warns that these install scripts are not covered by allowScripts; allow them
        // explicitly so a stricter npm keeps running them.
        allowScripts: { 'code-server': true, argon2: true, kerberos: true, 'node-pty': true, '@vscode/ripgrep': true, '@parcel/watcher': true, 'native-keymap': true },
      },
      null,
      2,
    ) + '\n',
  );
  seedRipgrepCache(tmpDir);

  log(`Installing code-server ${CODE_SERVER_VERSION} into ${dir} (first run only; about 1-2 minutes)...`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    // @vscode/ripgrep looks for its seeded archive under os.tmpdir().
    TMPDIR: tmpDir,
  };
  const npm = await runNpm(['install', '--prefix', partial, '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], partial, env, log);
  const installed = npm.code === 0 ? probeCodeServer(partial) : undefined;
  if (installed !== CODE_SERVER_VERSION) {
    rmSync(partial, { recursive: true, force: true });
    throw new CodeServerInstallError(
      `Installing code-server ${CODE_SERVER_VERSION} failed (npm exit ${npm.code}${installed ? `, installed version ${installed}` : ''}).\n` +
        `Last npm output:\n${npm.tail}\n` +
        `Check network access to the npm registry and the apt packages ${PREREQUISITES.map((prerequisite) => prerequisite.aptPackage).join(', ')}.`,
    );
  }
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  try {
    renameSync(partial, dir);
  } catch (error) {
    // Another run finished first: use its copy.
    rmSync(partial, { recursive: true, force: true });
    if (probeCodeServer(dir) !== CODE_SERVER_VERSION) throw error;
  }
  if (probeCodeServer(dir) !== CODE_SERVER_VERSION) {
    throw new CodeServerInstallError(`code-server was installed but does not run from ${dir}; remove the folder and try again.`);
  }
  const installMs = Date.now() - started;
  log(`Installed code-server ${CODE_SERVER_VERSION} in ${(installMs / 1000).toFixed(1)} s.`);
  return { dir, entryScript: codeServerEntryScript(dir), version: CODE_SERVER_VERSION, installedNow: true, installMs };
}
