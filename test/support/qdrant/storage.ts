/**
 * The stand-in's durable state and its write-ahead semantics. A `wait=true` write is applied before the
 * reply (Qdrant: "completed"); a `wait=false` write is acknowledged first and applied from a queue, like
 * an operation that sits in Qdrant's WAL waiting for the update worker. A restart keeps everything applied
 * and drops what is still queued (the stand-in's stand-in for an unflushed WAL tail), so a test can show a
 * client that treats "acknowledged" as "durable" losing data, and one that waits not losing any.
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

  /** A crash: queued (acknowledged, unapplied) operations are gone; applied state survives. */
  crash(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lost = this.queue.length;
    this.queue = [];
    return lost;
  }
}
