/**
 * A shared run's batches as a BullMQ queue in the same Redis as the state: one job per batch number, taken by
 * workers with BullMQ's manual fetching (`getNextJob`), so the run's own scheduler (memory throttle, pause,
 * concurrency) keeps deciding when to take one. A job's lock is the batch's lease: extended while the batch is
 * worked on; when its worker dies the lock expires, BullMQ's stalled-job check (every half lease, in each
 * worker) puts the job back and another worker takes it. Why BullMQ rather than our own Lua leases: it is well
 * kept and its lock / stalled-job protocol is what a lease protocol must be; its cost is measured in
 * `npm run bench scale` (about a quarter of a millisecond per batch here, under 1 % of a batch's time).
 *
 * Keys: `<state key>:queue:<run id>:*` (BullMQ's layout under that prefix), so `redis-cli --scan --pattern
 * 'xnai:migration:*'` still shows everything.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BatchLease, BatchQueue } from './types';

interface Lease extends BatchLease {
  job: Job<{ n: number }>;
  token: string;
}

const ADD_CHUNK = 1000;

export class BullBatchQueue implements BatchQueue {
  private readonly queue: Queue<{ n: number }>;
  private readonly worker: Worker<{ n: number }>;
  private stalledTimer: Promise<void> | null = null;

  constructor(
    redis: Redis,
    prefix: string,
    runId: string,
    private readonly leaseMs: number,
  ) {
    const opts = { connection: redis, prefix };
    this.queue = new Queue(runId, opts);
    // no processor: batches are fetched by the run's own loop
    this.worker = new Worker(runId, null, {
      ...opts,
      autorun: false,
      lockDuration: leaseMs,
      stalledInterval: Math.max(500, Math.floor(leaseMs / 2)),
      // a batch whose workers keep dying is handed out again, never failed by the queue
      maxStalledCount: 1_000_000,
    });
    // BullMQ reports connection trouble as events; the state store already says when Redis goes away
    this.queue.on('error', () => undefined);
    this.worker.on('error', () => undefined);
  }

  async fill(batches: readonly number[]): Promise<void> {
    await this.queue.obliterate({ force: true });
    await this.queue.resume();
    await this.add(batches);
  }

  /** A job id per batch number: adding a batch that is already waiting or leased does nothing. */
  async add(batches: readonly number[]): Promise<void> {
    for (let i = 0; i < batches.length; i += ADD_CHUNK) {
      await this.queue.addBulk(
        batches.slice(i, i + ADD_CHUNK).map((n) => ({ name: 'batch', data: { n }, opts: { jobId: `b${n}`, removeOnComplete: true, removeOnFail: true } })),
      );
    }
  }

  async take(): Promise<BatchLease | null> {
    this.stalledTimer ??= this.worker.startStalledCheckTimer();
    const token = randomUUID();
    const job = (await this.worker.getNextJob(token, { block: false })) as Job<{ n: number }> | undefined;
    if (!job) return null;
    const lease: Lease = { batch: job.data.n, handedBack: (job.stalledCounter ?? 0) > 0, job, token };
    return lease;
  }

  async extend(lease: BatchLease): Promise<boolean> {
    const { job, token } = lease as Lease;
    try {
      return (await job.extendLock(token, this.leaseMs)) > 0;
    } catch {
      return false;
    }
  }

  async complete(lease: BatchLease): Promise<void> {
    const { job, token } = lease as Lease;
    try {
      await job.moveToCompleted(null, token, false);
    } catch {
      // the lease was lost (another worker has the batch now): the document already counts it once
    }
  }

  async counts(): Promise<{ waiting: number; leased: number }> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), leased: c.active ?? 0 };
  }

  async close(): Promise<void> {
    await this.worker.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }
}
