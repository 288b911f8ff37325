/**
 * `npm run bench state`: what one checkpoint costs in each state store, with a realistic document (the seed's
 * fields, a 200-entry timeline, 20 failed points): the embedded store (files in the data folder: temporary
 * file, fsync, rename, folder fsync, under the cross-process mutex) against Redis (the Lua checkpoint script;
 * redis-server with appendfsync always, as the tests run it, and everysec, as docker-compose.yml runs it).
 * Checkpoints are serialised and coalesced by the run (CheckpointWriter), so this latency bounds how often a
 * run can checkpoint, not how many points it moves: batches finishing while one is written share the next.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { BenchTable } from './table';
import type { FailedPoint, MigrationState } from '../shared/contract';
import { startRedis } from '../test/support/redis';
import { stateFor } from '../test/state/store-contract';
import { EmbeddedStateStore } from '../electron/engine/state/embedded-store';
import { openStateStore } from '../electron/engine/state/open';
import { makeHolder } from '../electron/engine/state/lock-holder';
import type { StateStore } from '../electron/engine/state/types';

const N = Number(process.env.BENCH_STATE_CHECKPOINTS ?? 300);

function doc(i: number): MigrationState {
  return stateFor('bench', { processed_vectors: i * 500, batches_processed: i, watermark: i, timeline: Array.from({ length: 200 }, (_, j) => ({ at: Date.now() + j, event: 'batch', detail: `batch ${j} acknowledged` })) });
}
const failed: FailedPoint[] = Array.from({ length: 20 }, (_, i) => ({ faissId: String(1000 + i), pointId: String(1000 + i), batch: 2, reason: 'HTTP 400: vector dimension error' }));

async function measure(store: StateStore): Promise<{ p50: number; p95: number; perSec: number }> {
  const holder = makeHolder('bench');
  await store.acquireLock(holder, 60_000);
  for (let i = 0; i < 10; i++) await store.checkpoint(holder, doc(i), i === 0 ? failed : []); // warm-up
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await store.checkpoint(holder, doc(i), []);
    times.push(performance.now() - t);
  }
  const total = performance.now() - started;
  await store.releaseLock(holder);
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, p95: times[Math.floor(times.length * 0.95)]!, perSec: (N * 1000) / total };
}

export async function run(): Promise<BenchTable[]> {
  const rows: (string | number)[][] = [];
  const dir = mkdtempSync(join(tmpdir(), 'xnai-bench-state-'));
  try {
    const embedded = await EmbeddedStateStore.open(dir, 'xnai:migration:bench');
    const e = await measure(embedded);
    rows.push([`embedded (files in ${tmpdir()})`, e.p50, e.p95, Math.round(e.perSec)]);
    const redis = await startRedis();
    try {
      const store = await openStateStore({ redisHost: redis.host, redisPort: redis.port, redisDb: 0, stateKey: 'xnai:migration:bench', stateStore: 'redis' });
      const always = await measure(store);
      rows.push(['Redis, appendfsync always', always.p50, always.p95, Math.round(always.perSec)]);
      const raw = new Redis({ host: redis.host, port: redis.port });
      await raw.config('SET', 'appendfsync', 'everysec');
      raw.disconnect();
      const everysec = await measure(store);
      rows.push(['Redis, appendfsync everysec (docker-compose.yml)', everysec.p50, everysec.p95, Math.round(everysec.perSec)]);
      await store.close();
    } finally {
      await redis.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      title: `One checkpoint, ${N} in a row (state document with a 200-entry timeline)`,
      reference: 'Redis, the store every run used before the embedded one',
      columns: ['store', 'p50 ms', 'p95 ms', 'checkpoints/s'],
      rows,
      notes: ['A run coalesces checkpoints (one in flight; batches finishing meanwhile share the next), so a slower store means fewer, larger checkpoints, not fewer points per second.'],
    },
  ];
}
