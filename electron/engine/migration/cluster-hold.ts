/**
 * A run into a Qdrant cluster waits, rather than failing blindly, while some shards have no live replica.
 * A failed write says little ("2 out of 6 shards failed to apply operation", a timeout): when one fails, the
 * cluster is asked which shards have no Active replica on a reachable peer. If any, the run holds: it says
 * which shards and where their replicas are, takes no new batches, puts the ones stuck retrying back, and
 * looks again every few seconds; once every shard has a live replica it goes on by itself. With every
 * shard served (one node of a replicated cluster down) nothing holds: Qdrant marks the lost replicas Dead,
 * writes go on to the others, and the node catches up when it is back.
 */
import type { ClusterView } from '../../../shared/contract';
import { describeShardsWithoutReplica } from '../qdrant/cluster';

export interface ClusterHoldHooks {
  /** The cluster now; throws when the entry node cannot be reached (then nothing is decided). */
  read: () => Promise<ClusterView>;
  /** The hold began (with the line naming the shards) or ended (null). */
  changed: (reason: string | null) => void;
}

export class ClusterHold {
  /** Why the run holds, or null when it does not. */
  reason: string | null = null;
  private checking: Promise<boolean> | null = null;
  private lastCheckAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly hooks: ClusterHoldHooks,
    private readonly pollMs = 2000,
  ) {}

  get held(): boolean {
    return this.reason !== null;
  }

  /** A write failed: find out whether shards are without a live replica (at most once per poll interval). */
  check(): Promise<boolean> {
    if (this.held) return Promise.resolve(true);
    if (this.checking) return this.checking;
    if (Date.now() - this.lastCheckAt < this.pollMs) return Promise.resolve(false);
    this.lastCheckAt = Date.now();
    this.checking = this.look().finally(() => (this.checking = null));
    return this.checking;
  }

  private async look(): Promise<boolean> {
    let line: string | null;
    try {
      line = describeShardsWithoutReplica(await this.hooks.read());
    } catch {
      // the entry node itself is unreachable: an ordinary outage, retried as such (a hold keeps looking)
      if (this.held) this.schedule();
      return this.held;
    }
    if (line && !this.held && !this.stopped) {
      this.reason = `${line}; waiting for them (the run goes on by itself when they are back)`;
      this.hooks.changed(this.reason);
      this.schedule();
    } else if (!line && this.held) {
      this.reason = null;
      this.hooks.changed(null);
    } else if (line && this.held) {
      this.schedule();
    }
    return this.held;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.look(), this.pollMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
