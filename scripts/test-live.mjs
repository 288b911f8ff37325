#!/usr/bin/env node
// `npm run test:live`: the Qdrant-facing suites (test/standin, test/engine, test/grpc, test/verify, test/history, test/live) against a
// real Qdrant (config: test/live/vitest.live.config.ts).
// - By default every startQdrant() starts its own real server from the binary (QDRANT_BIN, else
//   ../shared/qdrant/bin/qdrant beside the repository) on free ports with a temporary storage folder, and ends
//   it (test/support/qdrant/real-server.ts). Restart, kill and freeze tests then use real signals.
// - With QDRANT_URL (and QDRANT_API_KEY if it needs one) the suites use that server instead, e.g. one from
//   `docker compose up -d qdrant`; tests that must restart or freeze the server skip.
// Tests that need the stand-in's injected faults skip, each with one line saying why. test/live also replays
// a probe script against the real server and a local stand-in and fails on any difference it does not
// document. With neither a binary nor QDRANT_URL this prints how to run it and exits 0.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
/* global AbortSignal */

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const url = env.QDRANT_URL;

if (url) {
  let shown;
  try {
    const u = new URL(url);
    shown = `${u.protocol}//${u.host}`;
  } catch {
    console.error(`test:live: QDRANT_URL=${url} is not a URL (expected e.g. http://127.0.0.1:6333)`);
    process.exit(2);
  }
  try {
    const headers = env.QDRANT_API_KEY ? { 'api-key': env.QDRANT_API_KEY } : {};
    const res = await fetch(`${url.replace(/\/+$/, '')}/`, { headers, signal: AbortSignal.timeout(5000) });
    const info = await res.json();
    console.log(`test:live: Qdrant ${info.version ?? '?'} at ${shown} (QDRANT_URL; tests that restart or freeze the server skip)`);
  } catch (e) {
    console.error(`test:live: cannot reach Qdrant at ${shown} (${e instanceof Error ? e.message : String(e)}); start it or fix QDRANT_URL`);
    process.exit(1);
  }
} else {
  const bin = env.QDRANT_BIN ? resolve(env.QDRANT_BIN) : resolve(repo, '../shared/qdrant/bin/qdrant');
  if (!existsSync(bin)) {
    if (env.QDRANT_BIN) {
      console.error(`test:live: QDRANT_BIN=${env.QDRANT_BIN}: no such file; point it at a qdrant executable`);
      process.exit(2);
    }
    console.log('test:live skipped: no Qdrant to test against. Either `docker compose up -d qdrant` then `QDRANT_URL=http://127.0.0.1:6333 npm run test:live`, or `QDRANT_BIN=/path/to/qdrant npm run test:live`.');
    process.exit(0);
  }
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (v.status !== 0) {
    console.error(`test:live: ${bin} --version failed (${v.error?.message ?? `exit ${v.status}`}); point QDRANT_BIN at a qdrant executable`);
    process.exit(2);
  }
  console.log(`test:live: ${v.stdout.trim()} from ${bin}, a fresh server for each startQdrant() on free ports`);
  env.QDRANT_BIN = bin;
  env.XNAI_TEST_QDRANT = 'binary';
}

const extra = process.argv.slice(2);
const started = Date.now();
const r = spawnSync('npx', ['vitest', 'run', '--config', 'test/live/vitest.live.config.ts', ...extra], { stdio: 'inherit', env, cwd: repo });
console.log(`test:live: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(r.status ?? 1);
