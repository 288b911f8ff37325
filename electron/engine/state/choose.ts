/**
 * Which store keeps a migration's state (STATE_STORE):
 *
 * - `redis`: Redis, exactly as before the embedded store (the config loader also picks it when REDIS_HOST or
 *   REDIS_PORT is given by hand);
 * - `embedded`: files in the user's data folder (./embedded-store);
 * - `auto` (or unset): Redis when its settings are not the defaults; else the embedded store when this
 *   migration's state is already there (a Redis started later must not make a run start over); else Redis
 *   when something answers on localhost:6379; else the embedded store.
 *
 * The reason is shown with the store (CLI, UI, report), so a user always knows where the state went and why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StateStoreSetting } from '../../../shared/contract';
import { resolveDataDir } from '../files/data-dir';
import { answersTcp } from '../services/ports';
import { embeddedStateDir } from './embedded-store';

export interface StoreTarget {
  redisHost: string;
  redisPort: number;
  stateKey: string;
  stateStore?: StateStoreSetting | undefined;
  dataDir?: string | undefined;
}

export type StoreChoice = { kind: 'redis'; reason: string } | { kind: 'embedded'; dataDir: string; reason: string };

const DEFAULT_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

export async function chooseStateStore(target: StoreTarget, env: Record<string, string | undefined> = process.env): Promise<StoreChoice> {
  const setting = target.stateStore ?? 'auto';
  const dataDir = resolveDataDir(target.dataDir, env);
  if (setting === 'redis') return { kind: 'redis', reason: 'Redis is configured (REDIS_HOST, REDIS_PORT or STATE_STORE=redis)' };
  if (setting === 'embedded') return { kind: 'embedded', dataDir, reason: 'STATE_STORE=embedded' };
  const where = `${target.redisHost}:${target.redisPort}`;
  if (!DEFAULT_HOSTS.has(target.redisHost) || target.redisPort !== 6379) return { kind: 'redis', reason: `Redis at ${where} is configured` };
  if (existsSync(join(embeddedStateDir(dataDir, target.stateKey), 'state.json'))) {
    return { kind: 'embedded', dataDir, reason: 'this migration already has its state there (STATE_STORE=redis moves to Redis after "xnai-migrate state export/import")' };
  }
  if (await answersTcp(target.redisHost, target.redisPort, 500)) return { kind: 'redis', reason: `Redis answers on ${where}` };
  return { kind: 'embedded', dataDir, reason: `no Redis is configured and nothing answers on ${where}` };
}

/** The store a target's state would go to, described for the set-up view's connection test. */
export async function describeStoreChoice(target: Omit<StoreTarget, 'stateKey'> & { stateKey?: string; redisDb: number }): Promise<{ kind: 'redis' | 'embedded'; location: string; reason: string }> {
  const choice = await chooseStateStore({ ...target, stateKey: target.stateKey ?? '' });
  if (choice.kind === 'redis') return { kind: 'redis', location: `Redis at ${target.redisHost}:${target.redisPort} db ${target.redisDb}`, reason: choice.reason };
  const where = target.stateKey ? embeddedStateDir(choice.dataDir, target.stateKey) : join(choice.dataDir, 'state');
  return { kind: 'embedded', location: `the embedded store in ${where}`, reason: choice.reason };
}
