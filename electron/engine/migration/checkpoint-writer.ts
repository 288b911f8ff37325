/**
 * Writes the run's checkpoints to Redis: one at a time, merged. Batches finish concurrently and each must
 * not be counted done until a checkpoint that includes it is stored; writing one checkpoint per batch in
 * parallel would race (an older picture could land last) and cost a round trip each. So writes are
 * serialised and coalesced: while one is in flight, later requests wait for the next write, which carries
 * all of them. The state document is serialised when a write starts, so each write is a consistent
 * picture, and a batch's failed points travel with its counts.
 */
import type { FailedPoint, MigrationState } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import type { StateStore } from '../state/types';

export interface CheckpointWriterOptions {
  /** The store and the state are read when a write starts (both are set up during the preflight). */
  store: () => StateStore;
  state: () => MigrationState;
  /** Who holds the migration lock: checkpoints are refused for anyone else. */
  holder: string;
  lockTtlMs: number;
  /** Told when the lock had expired and was taken again. */
  onLockRetaken: (message: string) => void;
  /** Told after each stored checkpoint (the store answers). */
  onWritten?: () => void;
  /** A shared run's merge into the document (./shared-run), used instead of the lock-holder's checkpoint when set. */
  sharedCommit?: () => ((failed: FailedPoint[], recovered: string[]) => Promise<void>) | null;
}

export class CheckpointWriter {
  private pendingWrites: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private pendingFailed: FailedPoint[] = [];
  private pendingRecovered: string[] = [];
  private writing = false;
  /** When the write in flight started (ms since the epoch), null when none is: how long the store has been silent. */
  private writeStartedAt: number | null = null;

  constructor(private readonly options: CheckpointWriterOptions) {}

  /** Resolves once a checkpoint taken after this call (with these failed / recovered points) is in Redis. */
  write(failed: FailedPoint[] = [], recovered: string[] = []): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingWrites.push({ resolve, reject });
      this.pendingFailed.push(...failed);
      this.pendingRecovered.push(...recovered);
      this.flushWrites();
    });
  }

  /** How long the checkpoint in flight has waited for the store, ms (0 when none is in flight). */
  waitingMs(now = Date.now()): number {
    return this.writeStartedAt === null ? 0 : now - this.writeStartedAt;
  }

  private flushWrites(): void {
    if (this.writing || this.pendingWrites.length === 0) return;
    const waiters = this.pendingWrites.splice(0);
    const failed = this.pendingFailed.splice(0);
    const recovered = this.pendingRecovered.splice(0);
    this.writing = true;
    this.writeStartedAt = Date.now();
    this.writeNow(failed, recovered).then(
      () => {
        this.writing = false;
        this.writeStartedAt = null;
        this.options.onWritten?.();
        for (const w of waiters) w.resolve();
        this.flushWrites();
      },
      (e: unknown) => {
        this.writing = false;
        this.writeStartedAt = null;
        for (const w of waiters) w.reject(e);
        this.flushWrites();
      },
    );
  }

  /** The atomic checkpoint; rides out Redis outages (ioredis queues and resends) and re-takes an expired lock. */
  private async writeNow(failed: FailedPoint[], recovered: string[]): Promise<void> {
    const shared = this.options.sharedCommit?.();
    if (shared) return shared(failed, recovered);
    const state = this.options.state();
    state.last_checkpoint = new Date().toISOString();
    const store = this.options.store();
    const holder = this.options.holder;
    for (let attempt = 0; ; attempt++) {
      const ok = await store.checkpoint(holder, state, failed, recovered);
      if (ok) return;
      // the lock expired (a long Redis outage): take it again unless someone else has it
      const lock = await store.acquireLock(holder, this.options.lockTtlMs);
      if (!lock.ok || attempt >= 2) {
        throw new UserError('locked', `lost the migration lock to ${lock.ok ? 'another run' : lock.holder} while Redis was unavailable; this run stops (its progress up to the last checkpoint is kept)`);
      }
      this.options.onLockRetaken('The migration lock had expired (Redis was unavailable); took it again');
    }
  }
}
