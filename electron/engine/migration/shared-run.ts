/**
 * One process's part in a shared run: several workers (the seed, `xnai-migrate run --shared`, and any number
 * of `xnai-migrate run --join`) on one migration, through the state store's shared parts (Redis).
 *
 * - Batches come from the run's queue as leases (BullMQ job locks) this worker keeps extending while it works
 *   on them; a worker that dies stops extending, its leases expire and the batches go to another worker.
 * - A finished batch is merged into the one state document (`mergeDelta`, atomic against the other workers'
 *   merges) before its lease is completed: a batch done twice (a lease that expired while its worker was
 *   only slow) is counted once, because the document's own ledger says it is already done.
 * - Every second each worker reports itself (host, pid, rate, RSS) and reads the run's control word, so
 *   Pause, Resume and Cancel given to any worker reach all of them.
 */
import { hostname } from 'node:os';
import type { MigrationState, TimelineEntry, WorkerRecord } from '../../../shared/contract';
import type { BatchLease, BatchQueue, RunControl, SharedRunStore } from '../state/types';
import { BatchLedger } from './ledger';

/** What one worker adds to the document at one merge. */
export interface SharedDelta {
  batches: { n: number; processed: number; failed: number }[];
  /** A status this worker set (pause, resume, cancel); 'completed' is only ever set by the merge itself. */
  status?: MigrationState['status'];
  timeline: TimelineEntry[];
}

const TIMELINE_CAP = 200;
const ENDED = new Set<MigrationState['status']>(['completed', 'cancelled']);

/** The document after a worker's delta: batches not yet done are counted, others ignored; completed when all are. */
export function mergeDelta(doc: MigrationState, delta: SharedDelta, now = new Date()): MigrationState {
  const next: MigrationState = { ...doc, timeline: [...doc.timeline] };
  const ledger = new BatchLedger(doc.watermark, doc.completed_above, doc.total_batches);
  for (const b of delta.batches) {
    if (!ledger.complete(b.n)) continue;
    next.processed_vectors += b.processed;
    next.failed_vectors += b.failed;
    next.last_batch_id = b.n;
  }
  next.watermark = ledger.watermark;
  next.completed_above = ledger.completedAbove();
  next.batches_processed = ledger.doneCount();
  // 'completed' comes from the ledger alone, never from a worker's word
  if (delta.status && delta.status !== 'completed' && !ENDED.has(next.status)) next.status = delta.status;
  if (ledger.allDone() && next.status !== 'cancelled') {
    next.status = 'completed';
    next.completed_at ??= now.toISOString();
  }
  next.timeline.push(...delta.timeline);
  if (next.timeline.length > TIMELINE_CAP) next.timeline.splice(1, next.timeline.length - TIMELINE_CAP);
  next.last_checkpoint = now.toISOString();
  return next;
}

/** Batches of the document not yet done, lowest first. */
export function batchesLeft(doc: MigrationState): number[] {
  const ledger = new BatchLedger(doc.watermark, doc.completed_above, doc.total_batches);
  const out: number[] = [];
  for (let n = ledger.watermark; n < doc.total_batches; n++) if (!ledger.isDone(n)) out.push(n);
  return out;
}

export interface SharedRunOptions {
  store: SharedRunStore;
  /** The shared run: the document's run_id. */
  runId: string;
  role: WorkerRecord['role'];
  /** This worker's id (host:pid:session). */
  workerId: string;
  leaseMs: number;
}

export class SharedRun {
  readonly queue: BatchQueue;
  private readonly leases = new Map<number, BatchLease>();
  private pending: SharedDelta = { batches: [], timeline: [] };
  private extender: NodeJS.Timeout;
  readonly startedAt = Date.now();
  readonly host = hostname();

  constructor(private readonly options: SharedRunOptions) {
    this.queue = options.store.openQueue(options.runId, { leaseMs: options.leaseMs });
    // a lease lives while its worker does: renewed three times per lease
    this.extender = setInterval(() => void this.extendAll(), Math.max(200, Math.floor(options.leaseMs / 3)));
  }

  get runId(): string {
    return this.options.runId;
  }

  get role(): WorkerRecord['role'] {
    return this.options.role;
  }

  /** The seed, at start or resume: every batch not yet done goes (back) into the queue, and the run goes on. */
  async open(doc: MigrationState): Promise<void> {
    await this.queue.fill(batchesLeft(doc));
    await this.options.store.setControl(this.runId, 'run');
  }

  /** The next batch leased to this worker, or null when none is waiting now. */
  async take(): Promise<BatchLease | null> {
    const lease = await this.queue.take();
    if (lease) this.leases.set(lease.batch, lease);
    return lease;
  }

  /** The batch is in the document: its lease is completed. */
  async done(batch: number): Promise<void> {
    const lease = this.leases.get(batch);
    this.leases.delete(batch);
    if (lease) await this.queue.complete(lease);
  }

  private async extendAll(): Promise<void> {
    await Promise.all([...this.leases.values()].map((l) => this.queue.extend(l)));
  }

  recordBatch(n: number, processed: number, failed: number): void {
    this.pending.batches.push({ n, processed, failed });
  }

  recordStatus(status: MigrationState['status']): void {
    // a worker's own failure is its own: the run goes on with the others
    if (status !== 'failed') this.pending.status = status;
  }

  recordTimeline(entry: TimelineEntry): void {
    this.pending.timeline.push(entry);
  }

  /** Merges everything recorded since the last merge; the document as written, or null when the run is gone. */
  async commit(failed: Parameters<SharedRunStore['updateCurrent']>[2], recovered: readonly string[]): Promise<MigrationState | null> {
    const delta = this.pending;
    this.pending = { batches: [], timeline: [] };
    try {
      return await this.options.store.updateCurrent(this.runId, (doc) => mergeDelta(doc, delta), failed, recovered);
    } catch (e) {
      // not written: merged with the next commit instead
      this.pending = { batches: [...delta.batches, ...this.pending.batches], status: this.pending.status ?? delta.status, timeline: [...delta.timeline, ...this.pending.timeline] };
      throw e;
    }
  }

  /**
   * Nothing is waiting: true when the document says every batch is done. When nothing is leased either but
   * batches are left (the queue was emptied: a seed restarted meanwhile), they are put back.
   */
  async drained(doc: MigrationState): Promise<boolean> {
    const left = batchesLeft(doc);
    if (left.length === 0) return true;
    const counts = await this.queue.counts();
    if (counts.waiting === 0 && counts.leased === 0) await this.queue.add(left);
    return false;
  }

  report(record: Omit<WorkerRecord, 'id' | 'host' | 'pid' | 'role' | 'startedAt' | 'at'>): Promise<void> {
    return this.options.store.putWorker(this.runId, { id: this.options.workerId, host: this.host, pid: process.pid, role: this.options.role, startedAt: this.startedAt, at: Date.now(), ...record });
  }

  workers(): Promise<WorkerRecord[]> {
    return this.options.store.readWorkers(this.runId);
  }

  control(): Promise<RunControl> {
    return this.options.store.readControl(this.runId);
  }

  setControl(control: RunControl): Promise<void> {
    return this.options.store.setControl(this.runId, control);
  }

  async close(): Promise<void> {
    clearInterval(this.extender);
    // leases not completed are left to expire: another worker takes those batches
    this.leases.clear();
    await this.queue.close();
  }
}
