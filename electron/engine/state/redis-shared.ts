/**
 * `SharedRunStore` in Redis: the merge of a worker's batches into the current document (WATCH / MULTI on a
 * connection of its own, retried when another worker's merge came first), the workers' records (a hash per
 * run), the run's control word, and the batch queue (./batch-queue). Keys sit beside the seed's key:
 * `<key>:workers:<run id>`, `<key>:control:<run id>`, `<key>:queue:<run id>:*`; they expire a week after
 * their last write, so an abandoned shared run does not stay in Redis for ever.
 */
import type { Redis } from 'ioredis';
import { MigrationStateSchema, WorkerRecordSchema, type FailedPoint, type MigrationState, type WorkerRecord } from '../../../shared/contract';
import { BullBatchQueue } from './batch-queue';
import type { BatchQueue, RunControl, SharedRunStore } from './types';

const KEEP_SECONDS = 7 * 24 * 3600;

export class RedisSharedRunStore implements SharedRunStore {
  private merger: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    /** The seed's key, the run history's keys (a merge writes the run's record with the current document), the base. */
    private readonly keys: { state: string; runs: string; run: (runId: string) => string; runFailed: (runId: string) => string; base: string },
  ) {}

  async updateCurrent(runId: string, mutate: (doc: MigrationState) => MigrationState, failed: readonly FailedPoint[] = [], recovered: readonly string[] = []): Promise<MigrationState | null> {
    // WATCH belongs to a connection: merges get one of their own, so nothing else can interleave with it
    this.merger ??= this.redis.duplicate();
    const r = this.merger;
    for (;;) {
      await r.watch(this.keys.state);
      const text = await r.get(this.keys.state);
      const parsed = text === null ? null : MigrationStateSchema.safeParse(JSON.parse(text));
      if (!parsed?.success || parsed.data.run_id !== runId) {
        await r.unwatch();
        return null;
      }
      const next = mutate(parsed.data);
      const doc = JSON.stringify(next);
      const started = Date.parse(next.started_at);
      const tx = r.multi().set(this.keys.state, doc).set(this.keys.run(runId), doc).zadd(this.keys.runs, 'NX', Number.isFinite(started) ? started : 0, runId);
      const failedKey = this.keys.runFailed(runId);
      for (const f of failed) tx.hset(failedKey, f.faissId, JSON.stringify(f));
      if (recovered.length > 0) tx.hdel(failedKey, ...recovered);
      if ((await tx.exec()) !== null) return next;
      // another worker merged first: read its document and merge into that
    }
  }

  async putWorker(runId: string, record: WorkerRecord): Promise<void> {
    const key = `${this.keys.base}:workers:${runId}`;
    await this.redis.multi().hset(key, record.id, JSON.stringify(record)).expire(key, KEEP_SECONDS).exec();
  }

  async readWorkers(runId: string): Promise<WorkerRecord[]> {
    const all = await this.redis.hgetall(`${this.keys.base}:workers:${runId}`);
    const out: WorkerRecord[] = [];
    for (const text of Object.values(all)) {
      try {
        const p = WorkerRecordSchema.safeParse(JSON.parse(text));
        if (p.success) out.push(p.data);
      } catch {
        // not ours: skipped
      }
    }
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  async setControl(runId: string, control: RunControl): Promise<void> {
    await this.redis.set(`${this.keys.base}:control:${runId}`, control, 'EX', KEEP_SECONDS);
  }

  async readControl(runId: string): Promise<RunControl> {
    const v = await this.redis.get(`${this.keys.base}:control:${runId}`);
    return v === 'pause' || v === 'cancel' ? v : 'run';
  }

  openQueue(runId: string, options: { leaseMs: number }): BatchQueue {
    return new BullBatchQueue(this.redis, `${this.keys.base}:queue`, runId, options.leaseMs);
  }

  close(): void {
    this.merger?.disconnect();
    this.merger = null;
  }
}
