#!/usr/bin/env node
// `npm run test:live`: run the Qdrant-facing suites (test/standin, test/engine, test/verify, test/live)
// against a real Qdrant at QDRANT_URL (QDRANT_API_KEY if it needs one). startQdrant() then returns that
// server, and tests that need the stand-in's fault injection skip themselves. test/live also replays a
// probe script against the real server and a local stand-in and fails on any difference it does not
// document. Without QDRANT_URL this prints how to run it and exits 0.
import { spawnSync } from 'node:child_process';
/* global AbortSignal */

const url = process.env.QDRANT_URL;
if (!url) {
  console.log('test:live skipped: QDRANT_URL is not set. Start Qdrant (e.g. `docker compose up -d qdrant`) and run `QDRANT_URL=http://127.0.0.1:6333 npm run test:live`.');
  process.exit(0);
}

let shown;
try {
  const u = new URL(url);
  shown = `${u.protocol}//${u.host}`;
} catch {
  console.error(`test:live: QDRANT_URL=${url} is not a URL (expected e.g. http://127.0.0.1:6333)`);
  process.exit(2);
}

try {
  const headers = process.env.QDRANT_API_KEY ? { 'api-key': process.env.QDRANT_API_KEY } : {};
  const res = await fetch(`${url.replace(/\/+$/, '')}/`, { headers, signal: AbortSignal.timeout(5000) });
  const info = await res.json();
  console.log(`test:live: Qdrant ${info.version ?? '?'} at ${shown}`);
} catch (e) {
  console.error(`test:live: cannot reach Qdrant at ${shown} (${e instanceof Error ? e.message : String(e)}); start it or fix QDRANT_URL`);
  process.exit(1);
}

const extra = process.argv.slice(2);
const r = spawnSync('npx', ['vitest', 'run', '--config', 'test/live/vitest.live.config.ts', ...extra], { stdio: 'inherit', env: process.env });
process.exit(r.status ?? 1);
