// Renders the Marketplace icon media/icon.png (128x128) from its hand-made source media/icon.svg.
// Run after editing the SVG: `node scripts/renderIcon.mjs` (needs rsvg-convert: apt-get install librsvg2-bin).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const media = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'media');
const result = spawnSync('rsvg-convert', ['--width', '128', '--height', '128', '--output', path.join(media, 'icon.png'), path.join(media, 'icon.svg')], { stdio: 'inherit' });
if (result.error) {
  console.error(`rsvg-convert could not run (${result.error.message}): apt-get install librsvg2-bin`);
  process.exit(1);
}
process.exit(result.status ?? 1);
