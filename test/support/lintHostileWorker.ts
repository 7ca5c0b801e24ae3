// Run in a child process with a small stack and heap (see lintFuzz.test.ts): lints and reads
// every hostile source and prints one JSON line per source, so the parent can check what was
// reported and how long it took. A crash (stack, heap) ends the process, which the parent sees.
import { lintMigration } from '../../src/core/lint/lintEngine';
import { parseRevisionFile, findPythonSyntaxError } from '../../src/core/revisions/revisionFile';
import { hostileSources } from './hostileSources';

for (const { name, source } of hostileSources()) {
  const started = performance.now();
  const result = lintMigration(source, { filePath: `/hostile/${name}.py` });
  const lintMs = performance.now() - started;
  const header = parseRevisionFile(source, `/hostile/${name}.py`);
  findPythonSyntaxError(source);
  const readMs = performance.now() - started - lintMs;
  const notAnalysed = result.configProblems.filter((problem) => problem.message.startsWith('Not analysed:')).map((problem) => problem.message);
  process.stdout.write(
    `${JSON.stringify({ name, length: source.length, lintMs, readMs, findings: result.findings.length, operations: result.migration.operations.length, notAnalysed, revision: header.revision, heapMb: process.memoryUsage().heapUsed / 1048576 })}\n`,
  );
}
