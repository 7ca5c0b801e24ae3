// `npm run bench`: runs every bench/*.bench.ts (each exports `runBenchmark()`), in name order.
//   npm run bench -- graph     run only benchmarks whose file name contains "graph"
import { readdirSync } from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts') && (!filter || file.includes(filter)))
    .sort();
  if (files.length === 0) {
    console.log('No benchmarks matched.');
    return;
  }
  for (const file of files) {
    const benchmark = (await import(path.join(__dirname, file))) as { runBenchmark(): Promise<void> };
    console.log(`\n##### ${file}`);
    await benchmark.runBenchmark();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
