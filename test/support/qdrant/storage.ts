/**
 * The stand-in's durable state and its write-ahead semantics. A `wait=true` write is applied before the
 * reply (Qdrant: "completed"); a `wait=false` write is acknowledged first and applied from a queue, like
 * an operation that sits in Qdrant's WAL waiting for the update worker. A crash keeps both, as Qdrant does
 * (it replays its WAL: acknowledged writes survive a SIGKILL, checked against the real server). Losing the
 * queue is a fault a test asks for (`restart({ loseQueued: true })`: the WAL tail never reached the disk,
 * as after a power cut), so a test can show a client that treats "acknowledged" as "durable" losing data.
 */
import { Collection } from './collection';

export class Storage {
  readonly collections = new Map<string, Collection>();
  private queue: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** How long wait=false operations stay queued before being applied (fault: widen the loss window). */
  asyncApplyDelayMs = 0;

  /** Run an acknowledged (wait=false) operation later, in order with the others. */
  enqueue(apply: () => void): void {
    this.queue.push(apply);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, this.asyncApplyDelayMs);
  }

  /** Apply everything queued (a wait=true write first lets earlier acknowledged writes land, as Qdrant's ordering does). */
  drain(): void {
    const q = this.queue;
    this.queue = [];
    for (const apply of q) {
      try {
        apply();
      } catch {
        // An acknowledged operation that fails later is lost, as in Qdrant (the error only reaches the log).
      }
    }
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /**
   * A crash. Applied state survives; queued (acknowledged, unapplied) operations are replayed, as Qdrant
   * replays its WAL, unless `loseQueued` (the fault): then they are gone. Returns how many were lost.
   */
  crash(loseQueued = false): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!loseQueued) {
      this.drain();
      return 0;
    }
    const lost = this.queue.length;
    this.queue = [];
    return lost;
  }
}
