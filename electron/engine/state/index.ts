/**
 * What the command handlers and the CLI need from the state outside a run: the state view (`status`),
 * reset, and the connection test of the settings form. Each call opens and closes its own store.
 */
import type { ConnectionConfig, StateView, StoreInUse } from '../../../shared/contract';
import { describeStoreChoice } from './choose';
import { UserError } from '../../../shared/errors';
import { checkQdrant, createQdrantClient } from '../qdrant/client';
import { connectRedis, redisVersion } from './redis';
import { withStateStore, type StateTarget } from './open';
import type { StateStore } from './types';

export type { StateStore, LockResult, StoreAvailability } from './types';
export { SAMPLES_CAP } from './types';
export { makeHolder, holderIsDead } from './lock-holder';
export { openStateStore, withStateStore, type StateTarget, type OpenStoreOptions } from './open';
export { connectRedis, redisError } from './redis';

// as before the interface: these connections wait out a Redis restart rather than failing fast
const withStore = <T>(target: StateTarget, fn: (store: StateStore) => Promise<T>) => withStateStore(target, fn, {});

/** The state, lock and failed points under the key (up to 100 failed points listed, all counted). */
export function getStateView(target: StateTarget, options: { failedLimit?: number } = {}): Promise<StateView> {
  return withStore(target, async (store) => {
    const [state, lock] = await Promise.all([store.readCurrent(), store.lockInfo()]);
    // failed points are the current run's: checkpoints write them with its document
    const [failedPoints, failedTotal] = state ? await Promise.all([store.readFailed(state.run_id, options.failedLimit ?? 100), store.failedCount(state.run_id)]) : [[], 0];
    return { key: target.stateKey, store: { kind: store.kind, location: store.location, reason: store.reason }, state, lock, failedPoints, failedTotal };
  });
}

/** Deletes the state, failed points, samples and verification; refuses while a run holds the lock. */
export function resetState(target: StateTarget): Promise<{ deleted: boolean }> {
  return withStore(target, async (store) => {
    const lock = await store.lockInfo();
    if (lock) {
      throw new UserError('locked', `Migration ${target.stateKey} is locked by ${lock.holder}, expires in ${lock.ttlMs === null ? '?' : Math.ceil(lock.ttlMs / 1000)}s: stop that run before resetting`);
    }
    return { deleted: await store.reset() };
  });
}

export interface ConnectionTestResult {
  qdrant: { ok: boolean; version: string | null; message: string };
  redis: { ok: boolean; version: string | null; message: string };
  /** Where a run with these settings keeps its state (Redis, or the embedded store when no Redis is configured). */
  store?: StoreInUse;
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
  const store = describeStoreChoice(conn).catch(() => undefined);
  return { qdrant: await qdrant, redis: await redis, store: await store };
}
