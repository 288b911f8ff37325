/**
 * `RedisStateStore`: the `StateStore` (./types) in Redis, under the seed's key (layout: `stateKeys(base)` in
 * the contract).
 *
 * - The seed's JSON document lives at the base key itself, so `redis-cli get xnai:migration:faiss_to_qdrant`
 *   keeps working: it is the current (or last) run's. Each checkpoint rewrites it whole together with that
 *   run's record (`:run:<id>`), its entry in the history (`:runs`, scored by start) and the failed points of
 *   that batch, in one Lua script that first checks this run still holds the lock. Whole-document writes
 *   are idempotent: a checkpoint repeated after a Redis reconnect never counts a batch twice.
 * - A new run never deletes or overwrites another run's record: it only replaces the current document.
 * - The lock is SET NX PX with the holder's host:pid:run, renewed while the run lives and released at the end.
 *   A lock left by a process on this host that no longer exists (SIGKILL) is taken over at once.
 * - Samples are a capped list per run: when full, every other entry is dropped (the history keeps its shape).
 * - Keys an earlier version wrote (one run's `:failed`, `:samples`, `:verification` beside the seed's key) are
 *   moved into that run's record on first contact (`upgrade`), never dropped.
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
import { describeConnectionError } from '../connection-failure';
import { RedisSharedRunStore } from './redis-shared';
import { SAMPLES_CAP, type LockResult, type StateStore, type StoreAvailability, type VerificationOwner } from './types';

// KEYS: current, lock, run record, run failed, runs; ARGV: holder, document, run id, start score, n, n pairs, recovered...
const CHECKPOINT = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[5], 'NX', ARGV[4], ARGV[3])
local n = tonumber(ARGV[5])
local i = 6
for _ = 1, n do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i <= #ARGV do
  redis.call('HDEL', KEYS[4], ARGV[i])
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

// KEYS: current, run record, failed, samples, verification, runs; ARGV: run id. The current document goes
// only when it is this run's.
const DELETE_RUN = `
local n = 0
local cur = redis.call('GET', KEYS[1])
if cur then
  local ok, doc = pcall(cjson.decode, cur)
  if ok and type(doc) == 'table' and doc['run_id'] == ARGV[1] then n = n + redis.call('DEL', KEYS[1]) end
end
n = n + redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
n = n + redis.call('ZREM', KEYS[6], ARGV[1])
return n`;

// First contact: the current document's run into the history, and an earlier version's keys into that run.
// KEYS: current, run record, runs, legacy failed, legacy samples, legacy verification, run failed, run samples,
// verification destination; ARGV: the current document as read, run id, start score, move verification (1/0).
const UPGRADE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then redis.call('SET', KEYS[2], ARGV[1]) end
redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[2])
local moved = 0
if redis.call('EXISTS', KEYS[4]) == 1 and redis.call('EXISTS', KEYS[7]) == 0 then redis.call('RENAME', KEYS[4], KEYS[7]) moved = moved + 1 end
if redis.call('EXISTS', KEYS[5]) == 1 and redis.call('EXISTS', KEYS[8]) == 0 then redis.call('RENAME', KEYS[5], KEYS[8]) moved = moved + 1 end
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[6]) == 1 and redis.call('EXISTS', KEYS[9]) == 0 then redis.call('RENAME', KEYS[6], KEYS[9]) moved = moved + 1 end
return moved`;

const MOVE_IF_ABSENT = `if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('EXISTS', KEYS[2]) == 0 then redis.call('RENAME', KEYS[1], KEYS[2]) return 1 end return 0`;

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
    this.watchConnection();
    this.shared = new RedisSharedRunStore(redis, { state: this.keys.state, runs: this.keys.runs, run: this.keys.run, runFailed: this.keys.runFailed, base: key });
  }

  // ------------------------------------------------------------ documents

  private parseState(text: string, what: string, fix: string): MigrationState {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UserError('badInput', `${what} does not hold JSON; ${fix}`);
    }
    const parsed = MigrationStateSchema.safeParse(json);
    if (!parsed.success) {
      const status = (json as { status?: unknown })?.status;
      throw new UserError('badInput', `${what} holds a state this version cannot resume (status ${JSON.stringify(status ?? null)}, written by another tool or version); ${fix}`);
    }
    return parsed.data;
  }

  private parseCurrent(text: string): MigrationState {
    return this.parseState(text, `the Redis key ${this.key}`, `"xnai-migrate reset" clears it, or set MIGRATION_STATE_KEY to use another key`);
  }

  private parseRun(runId: string, text: string): MigrationState {
    return this.parseState(text, `run ${runId} under ${this.key}`, `"xnai-migrate runs delete ${runId}" removes it`);
  }

  async readCurrent(): Promise<MigrationState | null> {
    const text = await this.redis.get(this.keys.state);
    return text === null ? null : this.parseCurrent(text);
  }

  /**
   * First contact (called by `openStateStore`): the current document's run joins the history if it is not
   * there yet (a document written before run history, or by an earlier version since), and the keys an
   * earlier version kept beside the seed's key move into that run: failed points, samples, and the
   * verification when it is of that run's collection (else it becomes its collection's). Nothing is
   * dropped; an unreadable current document is left for `readCurrent` to report.
   */
  async upgrade(): Promise<void> {
    const legacy = this.keys.legacy;
    const text = await this.redis.get(this.keys.state);
    const verification = await this.readVerificationAt(legacy.verification);
    let state: MigrationState | null = null;
    if (text !== null) {
      try {
        state = this.parseCurrent(text);
      } catch {
        state = null;
      }
    }
    if (state && text !== null) {
      const id = state.run_id;
      const ownRun = verification === null || verification.collection === state.collection;
      const destination = ownRun ? this.keys.runVerification(id) : this.keys.collectionVerification(verification.collection);
      const r = await this.redis.eval(
        UPGRADE, 9,
        this.keys.state, this.keys.run(id), this.keys.runs, legacy.failed, legacy.samples, legacy.verification, this.keys.runFailed(id), this.keys.runSamples(id), destination,
        text, id, String(startScore(state)), '1',
      );
      if (r !== -1) return;
      // the document changed between the two reads (a run checkpointed): it is in the history already
    }
    if (verification) await this.redis.eval(MOVE_IF_ABSENT, 2, legacy.verification, this.keys.collectionVerification(verification.collection));
  }

  // ------------------------------------------------------------ the lock

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

  // ------------------------------------------------------------ checkpoints and run data

  /** Writes the whole state as the current document and its run's record, records `failed` and forgets `recovered` labels, atomically; false if the lock is not ours. */
  async checkpoint(holder: string, state: MigrationState, failed: readonly FailedPoint[] = [], recovered: readonly string[] = []): Promise<boolean> {
    const id = state.run_id;
    const args: string[] = [holder, JSON.stringify(state), id, String(startScore(state)), String(failed.length)];
    for (const f of failed) args.push(f.faissId, JSON.stringify(f));
    args.push(...recovered);
    const r = await this.redis.eval(CHECKPOINT, 5, this.keys.state, this.keys.lock, this.keys.run(id), this.keys.runFailed(id), this.keys.runs, ...args);
    return r === 1;
  }

  async pushSamples(runId: string, samples: readonly ProgressSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.redis.eval(PUSH_SAMPLES, 1, this.keys.runSamples(runId), String(SAMPLES_CAP), ...samples.map((s) => JSON.stringify(s)));
  }

  async readSamples(runId: string): Promise<ProgressSample[]> {
    const rows = await this.redis.lrange(this.keys.runSamples(runId), 0, -1);
    const out: ProgressSample[] = [];
    for (const r of rows) {
      const p = ProgressSampleSchema.safeParse(safeJson(r));
      if (p.success) out.push(p.data);
    }
    return out;
  }

  async failedCount(runId: string): Promise<number> {
    return this.redis.hlen(this.keys.runFailed(runId));
  }

  async readFailed(runId: string, limit = Infinity): Promise<FailedPoint[]> {
    const out: FailedPoint[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.runFailed(runId), cursor, 'COUNT', 500);
      cursor = next;
      for (let i = 1; i < flat.length && out.length < limit; i += 2) {
        const p = FailedPointSchema.safeParse(safeJson(flat[i]!));
        if (p.success) out.push(p.data);
      }
    } while (cursor !== '0' && out.length < limit);
    return out;
  }

  private verificationKey(of: VerificationOwner): string {
    return 'runId' in of ? this.keys.runVerification(of.runId) : this.keys.collectionVerification(of.collection);
  }

  async saveVerification(result: VerificationResult): Promise<void> {
    const owner: VerificationOwner = result.runId !== null ? { runId: result.runId } : { collection: result.collection };
    await this.redis.set(this.verificationKey(owner), stringifyJson(result));
  }

  readVerification(of: VerificationOwner): Promise<VerificationResult | null> {
    return this.readVerificationAt(this.verificationKey(of));
  }

  private async readVerificationAt(key: string): Promise<VerificationResult | null> {
    const text = await this.redis.get(key);
    if (text === null) return null;
    const parsed = VerificationResultSchema.safeParse(safeJson(text, parseJson));
    return parsed.success ? parsed.data : null;
  }

  // ------------------------------------------------------------ run history

  async listRuns(limit = 200): Promise<{ runs: MigrationState[]; unreadable: { runId: string; problem: string }[] }> {
    const ids = await this.redis.zrevrange(this.keys.runs, 0, Math.max(0, limit - 1));
    if (ids.length === 0) return { runs: [], unreadable: [] };
    const texts = await this.redis.mget(...ids.map((id) => this.keys.run(id)));
    const runs: MigrationState[] = [];
    const unreadable: { runId: string; problem: string }[] = [];
    ids.forEach((id, i) => {
      const text = texts[i];
      if (text === null || text === undefined) return; // deleted between the two reads
      try {
        runs.push(this.parseRun(id, text));
      } catch (e) {
        unreadable.push({ runId: id, problem: (e as Error).message });
      }
    });
    return { runs, unreadable };
  }

  async readRun(runId: string): Promise<MigrationState | null> {
    const text = await this.redis.get(this.keys.run(runId));
    return text === null ? null : this.parseRun(runId, text);
  }

  async recordRun(state: MigrationState): Promise<void> {
    await this.redis.multi().set(this.keys.run(state.run_id), JSON.stringify(state)).zadd(this.keys.runs, 'NX', startScore(state), state.run_id).exec();
  }

  async deleteRun(runId: string): Promise<boolean> {
    const k = this.keys;
    const n = await this.redis.eval(DELETE_RUN, 6, k.state, k.run(runId), k.runFailed(runId), k.runSamples(runId), k.runVerification(runId), k.runs, runId);
    return Number(n) > 0;
  }

  // ------------------------------------------------------------ housekeeping

  async reset(): Promise<boolean> {
    const text = await this.redis.get(this.keys.state);
    const runId = text === null ? null : runIdOf(text);
    const legacy = this.keys.legacy;
    let n = await this.redis.del(this.keys.state, legacy.failed, legacy.samples, legacy.verification);
    if (runId) n += (await this.deleteRun(runId)) ? 1 : 0;
    return n > 0;
  }

  /**
   * ioredis reconnects by itself (commands queue meanwhile): each attempt it announces is an outage's
   * countdown, and 'ready' after one is its end. The socket's last error says why, in the shared words.
   */
  private watchConnection(): void {
    let lastError: unknown = null;
    let down = false;
    const address = `${this.redis.options.host ?? 'localhost'}:${this.redis.options.port ?? 6379}`;
    const tell = (change: StoreAvailability) => {
      for (const l of this.availability) l(change);
    };
    this.redis.on('error', (e: unknown) => {
      lastError = e;
    });
    this.redis.on('reconnecting', (delayMs: unknown) => {
      const now = Date.now();
      down = true;
      const reason = describeConnectionError('Redis', address, lastError ?? new Error('Connection is closed'));
      tell({ available: false, at: now, reason, retryAt: typeof delayMs === 'number' ? now + delayMs : null });
    });
    this.redis.on('ready', () => {
      if (!down) return;
      down = false;
      lastError = null;
      tell({ available: true, at: Date.now() });
    });
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

/** A run's place in the history: its start, ms since the epoch (0 when unreadable, so it sorts last). */
function startScore(state: MigrationState): number {
  const t = Date.parse(state.started_at);
  return Number.isFinite(t) ? t : 0;
}

/** The run id of a current document, even one this version cannot otherwise read. */
function runIdOf(text: string): string | null {
  const id = (safeJson(text) as { run_id?: unknown } | null)?.run_id;
  return typeof id === 'string' && id ? id : null;
}

function safeJson(s: string, parse: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parse(s);
  } catch {
    return null;
  }
}
