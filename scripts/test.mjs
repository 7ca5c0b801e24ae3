#!/usr/bin/env node
// `npm test`: the one command that runs every suite. On a fresh Debian machine it first sets up
// what the suites drive (apt packages, PostgreSQL, the test role), then runs the static checks,
// the build, the unit, integration and real-VS-Code suites, and drops the run's scratch databases.
//   npm test -- --only unit|integration|docker|vscode|static     run one group
// The docker group also installs a Docker engine and Compose v2, starts the engine when none runs,
// builds the test image once, and stops the engine afterwards if it started it: after the VS Code
// phases, whose compose suite runs on that engine (`--only vscode` starts it when it is installed).
import { spawnSync } from 'node:child_process';
import { dockerToolsInstalled, ensureDockerTestImage, ensureDockerTools, startDockerEngine } from './lib/dockerEngine.mjs';
import { ensurePostgres, ensureSystemPackages, TEST_PG } from './lib/system.mjs';

const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node ${process.versions.node} is too old: Alembic Workbench needs Node >= 20.19.`);
  process.exit(1);
}

const runId = `aw_${Date.now().toString(36)}_${process.pid}`;
const env = {
  ...process.env,
  AW_TEST_RUN_ID: runId,
  AW_TEST_PG_HOST: TEST_PG.host,
  AW_TEST_PG_PORT: String(TEST_PG.port),
  AW_TEST_PG_USER: TEST_PG.user,
  AW_TEST_PG_PASSWORD: TEST_PG.password,
};

const mocha = ['node_modules/.bin/mocha', '--config', '.mocharc.json'];
const steps = [
  { group: 'static', name: 'type check', argv: ['node_modules/.bin/tsc', '--noEmit', '-p', '.'] },
  { group: 'static', name: 'eslint', argv: ['node_modules/.bin/eslint', '.'] },
  { group: 'build', name: 'build', argv: ['node', 'esbuild.mjs'] },
  { group: 'unit', name: 'unit tests', argv: [...mocha, 'test/unit/**/*.test.ts'] },
  { group: 'integration', name: 'integration tests (real Alembic + PostgreSQL)', argv: [...mocha, '--timeout', '120000', 'test/integration/**/*.test.ts'] },
  { group: 'docker', name: 'docker tests (real Docker engine + Compose v2)', argv: [...mocha, '--timeout', '180000', 'test/docker/**/*.test.ts'] },
  { group: 'vscode', name: 'VS Code tests (code-server + Playwright)', argv: ['node', '--import', 'tsx', 'test/vscode/harness/runAll.ts'] },
];

const needsSystem = !only || ['integration', 'docker', 'vscode'].includes(only);
if (needsSystem) {
  if (!ensureSystemPackages()) process.exit(1);
  if (!(await ensurePostgres())) process.exit(1);
}
const results = [];
let stopDockerEngine;
let dockerReady = false;
if (only === 'vscode' && dockerToolsInstalled()) {
  // The VS Code compose suite runs on the real engine when one answers (else on its stand-in):
  // start the engine the docker tier installed, without installing or building anything here.
  stopDockerEngine = await startDockerEngine();
}
if (!only || only === 'docker') {
  const started = Date.now();
  stopDockerEngine = ensureDockerTools() ? await startDockerEngine() : undefined;
  dockerReady = Boolean(stopDockerEngine) && (await ensureDockerTestImage());
  const seconds = (Date.now() - started) / 1000;
  // Without an engine the docker suites can't run: that is a failure of the run, but the other
  // suites still run and report.
  if (dockerReady) console.log(`Docker engine and test image ready (${seconds.toFixed(1)} s)`);
  else results.push({ name: 'docker engine, Compose v2 and test image (see above)', ok: false, seconds });
}

const selected = steps.filter(
  (step) => (!only || step.group === only || (step.group === 'build' && only === 'vscode')) && (step.group !== 'docker' || dockerReady),
);
for (const step of selected) {
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const result = spawnSync(step.argv[0], step.argv.slice(1), { stdio: 'inherit', env });
  const status = result.status ?? 1;
  results.push({ name: step.name, ok: status === 0, seconds: (Date.now() - started) / 1000 });
  // Later suites run the built bundle: without a build there is nothing meaningful to test.
  if (step.group === 'build' && status !== 0) break;
}

await stopDockerEngine?.();
if (needsSystem) await dropRunDatabases();

console.log('\n=== summary ===');
for (const result of results) console.log(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name}  (${result.seconds.toFixed(1)} s)`);
process.exit(results.every((result) => result.ok) ? 0 : 1);

async function dropRunDatabases() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...TEST_PG, database: 'postgres' });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runId}%`]);
    for (const row of rows) {
      // As src/core/db/dropDatabase.ts (this file runs before anything is built): WITH (FORCE)
      // refuses while an autovacuum worker is in the database; a plain DROP stops it by itself.
      try {
        await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      } catch (error) {
        if (error.code !== '42501') throw error;
        await client.query(`DROP DATABASE IF EXISTS "${row.datname}"`);
      }
    }
  } catch (error) {
    console.warn(`Could not drop this run's scratch databases: ${error.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
