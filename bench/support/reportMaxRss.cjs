// Preloaded into the CLI process by the benchmark (node --require): writes the process's peak RSS
// (kilobytes) to the file named by AW_BENCH_RSS_OUT when it exits.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS preload for `node --require`.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.AW_BENCH_RSS_OUT) writeFileSync(process.env.AW_BENCH_RSS_OUT, String(process.resourceUsage().maxRSS));
});
