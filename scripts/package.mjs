#!/usr/bin/env node
// `npm run package`: production bundle, then a .vsix made offline by @vscode/vsce from the
// allowlist in .vscodeignore. Prints where it is and how big; the VS Code suites install this very
// file into code-server, so the packaged artifact is what gets tested.
//   npm run package -- --out <file.vsix>
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = path.resolve(outIndex >= 0 ? process.argv[outIndex + 1] : path.join(root, 'dist', `${manifest.name}-${manifest.version}.vsix`));
/** The size we promise in the README; above it the package still builds but says so. */
const TARGET_BYTES = 1.5 * 1024 * 1024;

function run(command, args) {
  // stdin closed: vsce asks y/N questions on a terminal; a build must never wait for an answer.
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`\n${path.basename(command)} ${args.join(' ')} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

run(process.execPath, ['esbuild.mjs', '--production']);
rmSync(out, { force: true });
const vsceArgs = ['package', '--no-dependencies', '--out', out];
if (!manifest.repository) vsceArgs.push('--allow-missing-repository');
run(path.join(root, 'node_modules', '.bin', 'vsce'), vsceArgs);

const bytes = statSync(out).size;
const size = bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
console.log(`\nVSIX: ${path.relative(process.cwd(), out) || out}  ${size} (${bytes} bytes; target < 1.5 MB)`);
if (bytes > TARGET_BYTES) console.warn('Warning: the VSIX is above the 1.5 MB target; check .vscodeignore and the bundle.');
