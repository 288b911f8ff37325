/**
 * The Redis `StateStore` against a real, password-protected redis-server: the backend-agnostic contract
 * (./store-contract) plus what only Redis has: the seed's key holding the seed's document, where
 * `redis-cli get xnai:migration:faiss_to_qdrant` finds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { stateKeys, type VerificationResult } from '../../shared/contract';
import { openStateStore } from '../../electron/engine/state/open';
import { makeHolder } from '../../electron/engine/state/lock-holder';
import { startRedis, type TestRedis } from '../support/redis';
import { describeStateStore, stateFor } from './store-contract';

const PASSWORD = 'state-contract-secret';
let redis: TestRedis;
let raw: Redis;

beforeAll(async () => {
  redis = await startRedis({ password: PASSWORD });
  raw = new Redis({ host: redis.host, port: redis.port, password: PASSWORD });
});
afterAll(async () => {
  raw?.disconnect();
  await redis?.dispose();
});

const target = (stateKey: string) => ({ redisHost: redis.host, redisPort: redis.port, redisPassword: PASSWORD, redisDb: 0, stateKey });

describeStateStore('Redis', async (key) => ({
  store: await openStateStore(target(key)),
  corrupt: async (text) => {
    await raw.set(key, text);
  },
}));

describe('the Redis layout', () => {
  it("keeps the seed's document, with the seed's fields, at the seed's key", async () => {
    const key = 'xnai:migration:faiss_to_qdrant';
    const store = await openStateStore(target(key));
    try {
      const holder = makeHolder('seed');
      await store.acquireLock(holder, 10_000);
      await store.checkpoint(holder, stateFor('seed', { processed_vectors: 500, batches_processed: 1, last_batch_id: 0 }));
      const doc = JSON.parse(String(await raw.get(key))) as Record<string, unknown>;
      for (const field of ['status', 'started_at', 'total_vectors', 'processed_vectors', 'failed_vectors', 'batches_processed', 'last_batch_id', 'last_checkpoint', 'completed_at']) {
        expect(doc, field).toHaveProperty(field);
      }
      expect(doc).toMatchObject({ status: 'in_progress', processed_vectors: 500, batches_processed: 1, last_batch_id: 0 });
      expect(store.location).toBe(`Redis at ${redis.host}:${redis.port} db 0`);
    } finally {
      await store.close();
    }
  });
});

describe('keys written before run history', () => {
  const verification = (collection: string): VerificationResult => ({ at: '2024-06-01T00:00:00.000Z', collection, runId: null, passed: false, verdict: 'FAIL: count: 199/200 points (1 missing)', checks: [], durationMs: 5 });

  it("join the history on first contact: the run, its failed points, samples and verification, nothing dropped", async () => {
    const key = 'xnai:migration:legacy-one';
    const k = stateKeys(key);
    // exactly what the previous version left: the document at the seed's key, its data beside it
    const { error: _e, never_started: _n, outages: _o, peak_rss_mb: _p, ...old } = stateFor('old-run', { status: 'completed', processed_vectors: 998, failed_vectors: 2 });
    const text = JSON.stringify(old);
    await raw.set(key, text);
    await raw.hset(k.legacy.failed, '7', JSON.stringify({ faissId: '7', pointId: '7', batch: 0, reason: 'HTTP 400' }), '9', JSON.stringify({ faissId: '9', pointId: '9', batch: 0, reason: 'HTTP 400' }));
    await raw.rpush(k.legacy.samples, JSON.stringify({ at: 1, processed: 0, failed: 0, pointsPerSec: 0, batchLatencyMs: 0, rssMb: 165, systemAvailableMb: 1000, limitMb: 2000 }));
    await raw.set(k.legacy.verification, JSON.stringify(verification('c')));
    const store = await openStateStore(target(key));
    try {
      const { runs } = await store.listRuns();
      expect(runs.map((r) => r.run_id)).toEqual(['old-run']);
      expect(await store.readCurrent()).toEqual(runs[0]);
      expect((await store.readFailed('old-run')).map((f) => f.faissId).sort()).toEqual(['7', '9']);
      expect((await store.readSamples('old-run'))[0]?.rssMb).toBe(165);
      expect((await store.readVerification({ runId: 'old-run' }))?.verdict).toBe('FAIL: count: 199/200 points (1 missing)');
      // moved, not copied: no stale second copy beside the key; the seed's document is as it was
      expect(await raw.exists(k.legacy.failed, k.legacy.samples, k.legacy.verification)).toBe(0);
      expect(await raw.get(key)).toBe(text);
    } finally {
      await store.close();
    }
    // a second contact changes nothing
    const again = await openStateStore(target(key));
    expect((await again.listRuns()).runs.map((r) => r.run_id)).toEqual(['old-run']);
    expect(await again.failedCount('old-run')).toBe(2);
    await again.close();
  });

  it("a verification of another collection is kept as that collection's; a document of another tool is left as it is", async () => {
    const key = 'xnai:migration:legacy-two';
    const k = stateKeys(key);
    await raw.set(key, JSON.stringify(stateFor('r2', { collection: 'mine' })));
    await raw.set(k.legacy.verification, JSON.stringify(verification('theirs')));
    const store = await openStateStore(target(key));
    expect(await store.readVerification({ runId: 'r2' })).toBeNull();
    expect((await store.readVerification({ collection: 'theirs' }))?.collection).toBe('theirs');
    await store.close();

    const seedKey = 'xnai:migration:legacy-seed';
    // the seed's own script writes fewer fields: not ours to interpret, so never moved or deleted
    const seedDoc = JSON.stringify({ status: 'in_progress', started_at: '2024-01-01T00:00:00', total_vectors: 10, processed_vectors: 5, failed_vectors: 0, batches_processed: 1, last_batch_id: 0, last_checkpoint: '2024-01-01T00:00:01', completed_at: null });
    await raw.set(seedKey, seedDoc);
    await raw.set(stateKeys(seedKey).legacy.verification, JSON.stringify(verification('xnai_knowledge')));
    const seed = await openStateStore(target(seedKey));
    await expect(seed.readCurrent()).rejects.toThrow(/holds a state this version cannot resume/);
    expect(await seed.listRuns()).toEqual({ runs: [], unreadable: [] });
    expect((await seed.readVerification({ collection: 'xnai_knowledge' }))?.verdict).toMatch(/^FAIL/);
    expect(await raw.get(seedKey)).toBe(seedDoc);
    await seed.close();
  });

  it('a record this version cannot read is listed apart, never deleted', async () => {
    const key = 'xnai:migration:unreadable-run';
    const store = await openStateStore(target(key));
    try {
      await raw.zadd(stateKeys(key).runs, 1, 'broken');
      await raw.set(stateKeys(key).run('broken'), '{"status":"exploded"}');
      const list = await store.listRuns();
      expect(list.runs).toEqual([]);
      expect(list.unreadable).toEqual([{ runId: 'broken', problem: expect.stringMatching(/run broken under .* cannot resume .*"xnai-migrate runs delete broken" removes it/) }]);
      expect(await raw.exists(stateKeys(key).run('broken'))).toBe(1);
    } finally {
      await store.close();
    }
  });
});
