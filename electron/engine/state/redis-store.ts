/**
 * `RedisStateStore`: the `StateStore` (./types) in Redis, under the seed's key (layout: `stateKeys(base)` in
 * the contract).
 *
 * - The seed's JSON document lives at the base key itself, so `redis-cli get xnai:migration:faiss_to_qdrant`
 *   keeps working; each checkpoint rewrites it whole together with the failed points of that batch, in one
 *   Lua script that first checks this run still holds the lock. Whole-document writes are idempotent: a
 *   checkpoint repeated after a Redis reconnect never counts a batch twice.
 * - The lock is SET NX PX with the holder's host:pid:run, renewed while the run lives and released at the end.
 *   A lock left by a process on this host that no longer exists (SIGKILL) is taken over at once.
 * - Samples are a capped list: when full, every other entry is dropped (the history keeps its shape).
 */
import type { Redis } from 'ioredis';
import {
  FailedPointSchema,
  MigrationStateSchema,
  ProgressSampleSchema,
  stateKeys,
  VerificationResultSchema,
  type FailedPoint,
  type LockInfo,
  type MigrationState,
  type ProgressSample,
  type VerificationResult,
} from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { parseJson, stringifyJson } from '../../../shared/json';
import { holderIsDead } from './lock-holder';
import { RedisSharedRunStore } from './redis-shared';
import { SAMPLES_CAP, type LockResult, type StateStore, type StoreAvailability, type VerificationOwner } from './types';

const CHECKPOINT = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
local n = tonumber(ARGV[3])
local i = 4
for _ = 1, n do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i <= #ARGV do
  redis.call('HDEL', KEYS[3], ARGV[i])
  i = i + 1
end
return 1`;

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`;
const PUSH_SAMPLES = `
for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
local cap = tonumber(ARGV[1])
if redis.call('LLEN', KEYS[1]) > cap then
  local all = redis.call('LRANGE', KEYS[1], 0, -1)
  redis.call('DEL', KEYS[1])
  for i = 1, #all, 2 do redis.call('RPUSH', KEYS[1], all[i]) end
  if #all % 2 == 0 then redis.call('RPUSH', KEYS[1], all[#all]) end
end
return redis.call('LLEN', KEYS[1])`;

/**
 * Until run history lands, every run of a migration shares the keys beside the seed's key (`:failed`,
 * `:samples`, `:verification`): the `runId` arguments name the run the caller means, and this layout keeps
 * one run's worth.
 */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly keys: ReturnType<typeof stateKeys>;
  private readonly availability = new Set<(change: StoreAvailability) => void>();
  /** Several workers on one run (./redis-shared). */
  readonly shared: RedisSharedRunStore;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly location: string,
    readonly reason = 'Redis is configured',
  ) {
    this.keys = stateKeys(key);
    this.shared = new RedisSharedRunStore(redis, { state: this.keys.state, failed: this.keys.failed, base: key });
  }

  async readCurrent(): Promise<MigrationState | null> {
    const text = await this.redis.get(this.keys.state);
    if (text === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UserError('badInput', `the Redis key ${this.key} does not hold JSON; "xnai-migrate reset" clears it`);
    }
    const parsed = MigrationStateSchema.safeParse(json);
    if (!parsed.success) {
      const status = (json as { status?: unknown })?.status;
      throw new UserError(
        'badInput',
        `the Redis key ${this.key} holds a state this version cannot resume (status ${JSON.stringify(status ?? null)}, written by another tool or version); "xnai-migrate reset" clears it, or set MIGRATION_STATE_KEY to use another key`,
      );
    }
    return parsed.data;
  }

  async lockInfo(): Promise<LockInfo | null> {
    const [holder, ttl] = await Promise.all([this.redis.get(this.keys.lock), this.redis.pttl(this.keys.lock)]);
    if (holder === null) return null;
    return { holder, ttlMs: ttl >= 0 ? ttl : null };
  }

  async acquireLock(holder: string, ttlMs: number): Promise<LockResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const set = await this.redis.set(this.keys.lock, holder, 'PX', ttlMs, 'NX');
      if (set === 'OK') return { ok: true, tookOverFrom: null };
      const info = await this.lockInfo();
      if (!info) continue; // expired between the two calls
      if (info.holder === holder) return { ok: true, tookOverFrom: null };
      if (holderIsDead(info.holder)) {
        const took = await this.redis.eval(TAKE_OVER, 1, this.keys.lock, info.holder, holder, String(ttlMs));
        if (took === 1) return { ok: true, tookOverFrom: info.holder };
        continue;
      }
      return { ok: false, holder: info.holder, ttlMs: info.ttlMs };
    }
    const info = await this.lockInfo();
    return { ok: false, holder: info?.holder ?? 'unknown', ttlMs: info?.ttlMs ?? null };
  }

  async renewLock(holder: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.keys.lock, holder, String(ttlMs))) === 1;
  }

  async releaseLock(holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.keys.lock, holder);
  }

  /** Writes the whole state, records `failed` and forgets `recovered` labels, atomically; false if the lock is not ours. */
  async checkpoint(holder: string, state: MigrationState, failed: readonly FailedPoint[] = [], recovered: readonly string[] = []): Promise<boolean> {
    const args: string[] = [holder, JSON.stringify(state), String(failed.length)];
    for (const f of failed) args.push(f.faissId, JSON.stringify(f));
    args.push(...recovered);
    const r = await this.redis.eval(CHECKPOINT, 3, this.keys.state, this.keys.lock, this.keys.failed, ...args);
    return r === 1;
  }

  async pushSamples(_runId: string, samples: readonly ProgressSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.redis.eval(PUSH_SAMPLES, 1, this.keys.samples, String(SAMPLES_CAP), ...samples.map((s) => JSON.stringify(s)));
  }

  async readSamples(_runId: string): Promise<ProgressSample[]> {
    const rows = await this.redis.lrange(this.keys.samples, 0, -1);
    const out: ProgressSample[] = [];
    for (const r of rows) {
      const p = ProgressSampleSchema.safeParse(safeJson(r));
      if (p.success) out.push(p.data);
    }
    return out;
  }

  async failedCount(_runId: string): Promise<number> {
    return this.redis.hlen(this.keys.failed);
  }

  async readFailed(_runId: string, limit = Infinity): Promise<FailedPoint[]> {
    const out: FailedPoint[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.failed, cursor, 'COUNT', 500);
      cursor = next;
      for (let i = 1; i < flat.length && out.length < limit; i += 2) {
        const p = FailedPointSchema.safeParse(safeJson(flat[i]!));
        if (p.success) out.push(p.data);
      }
    } while (cursor !== '0' && out.length < limit);
    return out;
  }

  async saveVerification(result: VerificationResult): Promise<void> {
    await this.redis.set(this.keys.verification, stringifyJson(result));
  }

  async readVerification(_of: VerificationOwner): Promise<VerificationResult | null> {
    const text = await this.redis.get(this.keys.verification);
    if (text === null) return null;
    const parsed = VerificationResultSchema.safeParse(safeJson(text, parseJson));
    return parsed.success ? parsed.data : null;
  }

  /** Deletes state, failed points, samples and verification (never the lock). */
  async reset(): Promise<boolean> {
    const n = await this.redis.del(this.keys.state, this.keys.failed, this.keys.samples, this.keys.verification);
    return n > 0;
  }

  onAvailability(listener: (change: StoreAvailability) => void): () => void {
    this.availability.add(listener);
    return () => this.availability.delete(listener);
  }

  async close(): Promise<void> {
    this.availability.clear();
    this.shared.close();
    this.redis.disconnect();
  }
}

function safeJson(s: string, parse: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parse(s);
  } catch {
    return null;
  }
}
