// Builds dist/ (see scripts/lib/bundles.mjs for what each bundle is).
//   node esbuild.mjs [--production] [--watch]
import { buildBundles, watchBundles } from './scripts/lib/bundles.mjs';

const production = process.argv.includes('--production');
if (process.argv.includes('--watch')) await watchBundles({ production });
else await buildBundles({ production });
