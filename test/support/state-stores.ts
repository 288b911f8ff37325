/**
 * The two state stores a suite runs against, for `describe.each(STATE_STORES)`: Redis (a private, real
 * redis-server) and the embedded store (files in a temporary data folder, no Redis at all). Each says how
 * to select it (environment for the CLI, config fields in process) and reads the current document as a
 * user's tool would: `GET <key>` from Redis, the state file from the data folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { MigrationState } from '../../shared/contract';
import { embeddedStateDir } from '../../electron/engine/state/embedded-store';
import { startRedis, type TestRedis } from './redis';

export interface TestStateStore {
  readonly name: 'Redis' | 'embedded';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Environment that selects this store for the CLI (and the browser host). */
  env(): Record<string, string>;
  /** Config fields that select it in process. */
  config(): { redisHost?: string; redisPort?: number; stateStore?: 'redis' | 'embedded'; dataDir?: string };
  /** The current document under `key`, or null. */
  readState(key: string): Promise<MigrationState | null>;
  /** What `status` and the report say about where the state is. */
  location: RegExp;
}

function redisStore(): TestStateStore {
  let redis: TestRedis | null = null;
  return {
    name: 'Redis',
    async start() {
      redis = await startRedis();
    },
    async stop() {
      await redis?.dispose();
    },
    env: () => ({ REDIS_HOST: redis!.host, REDIS_PORT: String(redis!.port) }),
    config: () => ({ redisHost: redis!.host, redisPort: redis!.port }),
    async readState(key) {
      const r = new Redis({ host: redis!.host, port: redis!.port, lazyConnect: true });
      await r.connect();
      const text = await r.get(key);
      r.disconnect();
      return text ? (JSON.parse(text) as MigrationState) : null;
    },
    location: /Redis at 127\.0\.0\.1:\d+ db 0/,
  };
}

function embeddedStore(): TestStateStore {
  let dataDir = '';
  return {
    name: 'embedded',
    async start() {
      dataDir = mkdtempSync(join(tmpdir(), 'xnai-data-'));
    },
    async stop() {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    env: () => ({ STATE_STORE: 'embedded', DATA_DIR: dataDir }),
    config: () => ({ stateStore: 'embedded', dataDir }),
    async readState(key) {
      try {
        return (JSON.parse(readFileSync(join(embeddedStateDir(dataDir, key), 'state.json'), 'utf8')) as { state: MigrationState }).state;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    location: /the embedded store in \/.*\/state\/[\w.-]+-[0-9a-f]{8}/,
  };
}

/** Fresh instances for one test file. */
export function stateStores(): TestStateStore[] {
  return [redisStore(), embeddedStore()];
}
