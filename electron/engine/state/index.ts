/**
 * What the command handlers and the CLI need from Redis outside a run: the state view (`status`), reset,
 * and the connection test of the settings form. Each call opens and closes its own connection.
 */
import type { ConnectionConfig, StateView } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { checkQdrant, createQdrantClient } from '../qdrant/client';
import { connectRedis, redisVersion, type RedisTarget } from './redis';
import { StateStore } from './store';

export { StateStore, makeHolder, holderIsDead, SAMPLES_CAP } from './store';
export { connectRedis, redisError } from './redis';

export interface StateTarget extends RedisTarget {
  stateKey: string;
}

async function withStore<T>(target: StateTarget, fn: (store: StateStore) => Promise<T>): Promise<T> {
  const redis = await connectRedis(target);
  try {
    return await fn(new StateStore(redis, target.stateKey));
  } finally {
    redis.disconnect();
  }
}

/** The state, lock and failed points under the key (up to 100 failed points listed, all counted). */
export function getStateView(target: StateTarget, options: { failedLimit?: number } = {}): Promise<StateView> {
  return withStore(target, async (store) => {
    const [state, lock, failedPoints, failedTotal] = await Promise.all([store.read(), store.lockInfo(), store.readFailed(options.failedLimit ?? 100), store.failedCount()]);
    return { key: target.stateKey, state, lock, failedPoints, failedTotal };
  });
}

/** Deletes the state, failed points, samples and verification; refuses while a run holds the lock. */
export function resetState(target: StateTarget): Promise<{ deleted: boolean }> {
  return withStore(target, async (store) => {
    const lock = await store.lockInfo();
    if (lock) {
      throw new UserError('locked', `Migration ${target.stateKey} is locked by ${lock.holder}, expires in ${lock.ttlMs === null ? '?' : Math.ceil(lock.ttlMs / 1000)}s: stop that run before resetting`);
    }
    return { deleted: await store.clear() };
  });
}

export interface ConnectionTestResult {
  qdrant: { ok: boolean; version: string | null; message: string };
  redis: { ok: boolean; version: string | null; message: string };
}

/** Both connections, never throwing: each side says ok or why not (secrets never in the message). */
export async function testConnections(conn: ConnectionConfig): Promise<ConnectionTestResult> {
  const qdrant = (async () => {
    try {
      const client = createQdrantClient(conn, 10_000);
      const { version } = await checkQdrant(client, conn.qdrantUrl);
      return { ok: true, version, message: `Qdrant ${version} at ${conn.qdrantUrl}` };
    } catch (e) {
      return { ok: false, version: null, message: (e as Error).message };
    }
  })();
  const redis = (async () => {
    try {
      const r = await connectRedis(conn, { connectTimeoutMs: 5000 });
      try {
        const version = await redisVersion(r);
        return { ok: true, version, message: `Redis ${version ?? ''} at ${conn.redisHost}:${conn.redisPort} db ${conn.redisDb}`.replace('  ', ' ') };
      } finally {
        r.disconnect();
      }
    } catch (e) {
      return { ok: false, version: null, message: (e as Error).message };
    }
  })();
  return { qdrant: await qdrant, redis: await redis };
}
