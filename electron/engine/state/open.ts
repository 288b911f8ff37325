/**
 * `openStateStore(target)`: the one place that decides where a migration's state lives and opens it. Today
 * that is always Redis (the seed's REDIS_* settings); an embedded backend (issue 16) is chosen here too, so
 * callers never change. The returned store owns its connection: `close()` it when done.
 */
import { connectRedis, type ConnectOptions, type RedisTarget } from './redis';
import { RedisStateStore } from './redis-store';
import type { StateStore } from './types';

export interface StateTarget extends RedisTarget {
  stateKey: string;
}

export type OpenStoreOptions = ConnectOptions;

export async function openStateStore(target: StateTarget, options: OpenStoreOptions = {}): Promise<StateStore> {
  const redis = await connectRedis(target, options);
  return new RedisStateStore(redis, target.stateKey, `Redis at ${target.redisHost}:${target.redisPort} db ${target.redisDb}`);
}

/** Opens the store, runs `fn`, closes it: for one-shot commands (status, reset, verify, report). */
export async function withStateStore<T>(target: StateTarget, fn: (store: StateStore) => Promise<T>, options: OpenStoreOptions = { failFast: true }): Promise<T> {
  const store = await openStateStore(target, options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
