// What the .vsix must hold, checked against what vsce would put in it (its own `listFiles`, which
// applies .vscodeignore exactly as `vsce package` does). Two questions:
//   missing:   a file the extension uses at run time that the allowlist leaves out (the manifest's
//              `main`, icons, walkthrough media and the images those pages show, files the bundles
//              require by relative path such as dist/sqlite.js)
//   unexpected: anything shipped outside the allowlist below (sources, maps, test output, caches)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Paths (relative, forward slashes) or folder prefixes (ending in /) a VSIX may hold. */
export const VSIX_ALLOWED = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist/extension.js',
  'dist/sqlite.js',
  // The Revision Graph's webview script (src/graph/webview).
  'dist/graph-view.js',
  'media/',
  // The Python snippets (contributes.snippets).
  'snippets/',
  // Each diagnostic's rule page; the lint findings link to them.
  'docs/rules/',
  // The README's pictures: VS Code shows the README on the extension's page.
  'docs/images/',
];

const toPosix = (file) => file.split(path.sep).join('/');

/** Icons may be a path, a codicon (`$(name)`) or a {light, dark} pair. */
function iconPaths(icon) {
  if (!icon) return [];
  if (typeof icon === 'string') return icon.startsWith('$(') ? [] : [icon];
  return Object.values(icon).filter((value) => typeof value === 'string');
}

/** Images a walkthrough markdown page shows, relative to the extension root. */
function markdownImages(root, markdownFile) {
  const absolute = path.join(root, markdownFile);
  if (!existsSync(absolute)) return [];
  const text = readFileSync(absolute, 'utf8');
  const images = [];
  for (const match of text.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)|<img[^>]+src=["']([^"']+)["']/g)) {
    const target = match[1] ?? match[2];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, data:, command:
    images.push(toPosix(path.normalize(path.join(path.dirname(markdownFile), target))));
  }
  return images;
}

/** Files the bundle loads by a relative require (e.g. `require("./sqlite.js")`), relative to the root. */
function relativeRequires(root, bundleFile) {
  const absolute = path.join(root, bundleFile);
  if (!existsSync(absolute)) return [];
  const text = readFileSync(absolute, 'utf8');
  const found = new Set();
  for (const match of text.matchAll(/require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) {
    found.add(toPosix(path.normalize(path.join(path.dirname(bundleFile), match[1]))));
  }
  return [...found];
}

/** Every file the manifest and the main bundle refer to, relative to the extension root. */
export function referencedFiles(root, manifest) {
  const files = new Set();
  const add = (file) => file && files.add(toPosix(path.normalize(file.replace(/^\.\//, ''))));
  const main = manifest.main ? (manifest.main.endsWith('.js') ? manifest.main : `${manifest.main}.js`) : undefined;
  add(main);
  add(manifest.icon);
  const contributes = manifest.contributes ?? {};
  for (const containers of Object.values(contributes.viewsContainers ?? {})) for (const container of containers) iconPaths(container.icon).forEach(add);
  for (const views of Object.values(contributes.views ?? {})) for (const view of views) iconPaths(view.icon).forEach(add);
  for (const command of contributes.commands ?? []) iconPaths(command.icon).forEach(add);
  for (const snippets of contributes.snippets ?? []) add(snippets.path);
  for (const walkthrough of contributes.walkthroughs ?? []) {
    for (const step of walkthrough.steps ?? []) {
      const media = step.media ?? {};
      iconPaths(media.image).forEach(add);
      add(media.svg);
      if (media.markdown) {
        add(media.markdown);
        markdownImages(root, media.markdown).forEach(add);
      }
    }
  }
  markdownImages(root, 'README.md').forEach(add);
  if (main) relativeRequires(root, main).forEach(add);
  return [...files].sort();
}

function allowed(file) {
  return VSIX_ALLOWED.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
}

/**
 * Compares vsce's file list with what must and may be shipped. `shipped` are paths relative to the
 * extension root as vsce lists them.
 */
export function checkVsixFiles(root, manifest, shipped) {
  const files = new Set(shipped.map(toPosix));
  const missing = referencedFiles(root, manifest).filter((file) => !files.has(file));
  const unexpected = [...files].filter((file) => !allowed(file) || file.endsWith('.map')).sort();
  return { missing, unexpected };
}

/** vsce's own answer to "which files would the package hold" (dependencies off, as we package). */
export async function listVsixFiles(root) {
  const { listFiles, PackageManager } = await import('@vscode/vsce');
  return (await listFiles({ cwd: root, packageManager: PackageManager.None })).map(toPosix).sort();
}
