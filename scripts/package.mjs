#!/usr/bin/env node
// `npm run package`: production bundles (minified, no source maps), then a .vsix made offline by
// @vscode/vsce from the allowlist in .vscodeignore. Prints each bundle's size and what weighs most
// in it (esbuild's metafile), checks the VSIX holds exactly what runs, and fails above the size
// budget. The VS Code suites install this very file into code-server, so the packaged artifact is
// what gets tested.
//   npm run package -- [--out <file.vsix>]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundles } from './lib/bundles.mjs';
import { checkVsixFiles, listVsixFiles } from './lib/vsixContents.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = path.resolve(outIndex >= 0 ? process.argv[outIndex + 1] : path.join(root, 'dist', `${manifest.name}-${manifest.version}.vsix`));
/** The size we promise in the README. */
const TARGET_BYTES = 1.5 * 1024 * 1024;

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

/** node_modules/@scope/name/... -> @scope/name; src/core/x/y.ts -> src/core/x */
function owner(input) {
  const parts = input.split('/');
  const inModules = parts.lastIndexOf('node_modules');
  if (inModules >= 0) return parts.slice(inModules + 1, inModules + (parts[inModules + 1].startsWith('@') ? 3 : 2)).join('/');
  return parts.slice(0, Math.min(parts.length - 1, 3)).join('/') || input;
}

function describeBundle(outputFile, metafile) {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(outputFile))?.[1];
  if (!output) return;
  const weights = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) weights.set(owner(input), (weights.get(owner(input)) ?? 0) + bytesInOutput);
  const heaviest = [...weights].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`  ${outputFile.padEnd(18)} ${formatBytes(output.bytes).padStart(9)}   ${heaviest.map(([name, bytes]) => `${name} ${formatBytes(bytes)}`).join(', ')}`);
}

function fail(message) {
  console.error(`\nnpm run package: ${message}`);
  process.exit(1);
}

console.log('Building production bundles (minified, no source maps)...');
const results = await buildBundles({ production: true, tests: false, metafile: true, logLevel: 'warning' });
console.log('Bundles (size, and what weighs most in each):');
for (const [name, file] of [['extension', 'dist/extension.js'], ['sqlite', 'dist/sqlite.js'], ['cli', 'dist/cli.js'], ['cliMain', 'dist/cli-main.js']]) describeBundle(file, results[name].metafile);

const { missing, unexpected } = checkVsixFiles(root, manifest, await listVsixFiles(root));
if (missing.length > 0) fail(`.vscodeignore leaves out files the extension uses: ${missing.join(', ')}`);
if (unexpected.length > 0) fail(`.vscodeignore lets in files outside the allowlist (scripts/lib/vsixContents.mjs): ${unexpected.join(', ')}`);

rmSync(out, { force: true });
const vsceArgs = ['package', '--no-dependencies', '--out', out];
// Without a repository URL vsce can't turn the README's relative links (its screenshot) into
// absolute ones, and refuses; they stay relative, and the image ships in the VSIX (docs/images/),
// so VS Code's extension page shows it from the installed folder.
if (!manifest.repository) vsceArgs.push('--allow-missing-repository', '--no-rewrite-relative-links');
// stdin closed: vsce asks y/N questions on a terminal; a build must never wait for an answer.
const vsce = spawnSync(path.join(root, 'node_modules', '.bin', 'vsce'), vsceArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (vsce.error) throw vsce.error;
if (vsce.status !== 0) fail(`vsce ${vsceArgs.join(' ')} failed (exit ${vsce.status}).`);

const bytes = statSync(out).size;
console.log(`\nVSIX: ${path.relative(process.cwd(), out) || out}  ${formatBytes(bytes)} (${bytes} bytes; target < 1.5 MB)`);
if (bytes > TARGET_BYTES) fail(`the VSIX is above the 1.5 MB budget; check .vscodeignore and the heaviest parts of the bundles above.`);
