/**
 * The Redis `StateStore` against a real, password-protected redis-server: the backend-agnostic contract
 * (./store-contract) plus what only Redis has: the seed's key holding the seed's document, where
 * `redis-cli get xnai:migration:faiss_to_qdrant` finds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
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
