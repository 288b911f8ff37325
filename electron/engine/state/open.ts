/**
 * `openStateStore(target)`: the one place that decides where a migration's state lives and opens it: Redis
 * (the seed's REDIS_* settings) or the embedded store in the user's data folder, as STATE_STORE says
 * (./choose). Callers never change. The returned store owns its connection: `close()` it when done.
 */
import type { StateStoreSetting } from '../../../shared/contract';
import { ensureWritableDir } from '../files/data-dir';
import { chooseStateStore } from './choose';
import { EmbeddedStateStore } from './embedded-store';
import { connectRedis, type ConnectOptions, type RedisTarget } from './redis';
import { RedisStateStore } from './redis-store';
import type { StateStore } from './types';

export interface StateTarget extends RedisTarget {
  stateKey: string;
  /** auto (unset), redis or embedded: see ./choose. */
  stateStore?: StateStoreSetting | undefined;
  /** The user's data folder, where the embedded store lives (the platform's default when unset). */
  dataDir?: string | undefined;
}

export type OpenStoreOptions = ConnectOptions;

export async function openStateStore(target: StateTarget, options: OpenStoreOptions = {}): Promise<StateStore> {
  const choice = await chooseStateStore(target);
  if (choice.kind === 'embedded') {
    await ensureWritableDir(choice.dataDir, target.dataDir || process.env.DATA_DIR, 'state');
    return EmbeddedStateStore.open(choice.dataDir, target.stateKey, choice.reason);
  }
  const redis = await connectRedis(target, options);
  const store = new RedisStateStore(redis, target.stateKey, `Redis at ${target.redisHost}:${target.redisPort} db ${target.redisDb}`, choice.reason);
  try {
    // an earlier version's keys join the run history on first contact
    await store.upgrade();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
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
