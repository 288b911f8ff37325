#!/usr/bin/env node
// `npm test`: typecheck, lint, build (the browser tests load the built renderer), then the whole vitest
// suite. Each step prints its name; the first failing step's exit code is the result.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const RESULTS = 'artifacts/vitest-results.json';

const steps = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['build', 'node', ['scripts/build.mjs']],
  ['tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}`, ...process.argv.slice(2)]],
];

for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n== ${name} ==\n`);
  const started = Date.now();
  if (name === 'tests') rmSync(RESULTS, { force: true }); // never report an earlier run's totals
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  process.stdout.write(`== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ==\n`);
  if (name === 'tests') printTotals();
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** One plain closing line (no colours) that CI and people can read: "tests: N passed, N failed, N skipped". */
function printTotals() {
  if (!existsSync(RESULTS)) return;
  const j = JSON.parse(readFileSync(RESULTS, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  process.stdout.write(`tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped\n`);
}
