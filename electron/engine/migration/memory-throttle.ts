/**
 * Keeps a run inside its memory limit (MAX_MEMORY_PERCENT): one sample a tick, and from it how many
 * requests may be in flight, how many points go in one request, and whether new batches are taken at all.
 * Near the limit it halves both and collects garbage; at the limit it stops taking batches until memory is
 * back under it; calm samples win the capacity back one step at a time, so a run does not oscillate.
 * The checkpoint unit (the batch) never changes: only the request size does.
 */
import type { MemorySample } from '../../../shared/contract';
import { approachingMessage, collectGarbage, processProbe, sampleMemory, type MemoryProbe } from '../memory/index';

export interface MemoryThrottleHooks {
  /** Every sample, before any decision is taken on it (for the memory event and the stored history). */
  sampled: (s: MemorySample) => void;
  /** A timeline entry (throttle, pause, resume). */
  mark: (event: string, detail: string) => void;
  say: (level: 'info' | 'warn', msg: string) => void;
  /** Memory fell back under the limit: the scheduler may take batches again. */
  released: () => void;
}

export class MemoryThrottle {
  /** Requests allowed in flight now (at most the configured concurrency). */
  concurrency: number;
  /** Points per upsert request now (at most REQUEST_POINTS). */
  requestPoints: number;
  /** At the limit: no new batches until a sample is back under it. */
  paused = false;
  private lastWarnAt = 0;
  /** The most requests ever in flight: the configured concurrency unless raised (one per shard of a cluster). */
  private ceiling: number;

  constructor(
    private readonly limits: { maxMemoryPercent: number; concurrency: number; requestPoints: number },
    private readonly probe: MemoryProbe | undefined,
    private readonly hooks: MemoryThrottleHooks,
  ) {
    this.concurrency = limits.concurrency;
    this.ceiling = limits.concurrency;
    this.requestPoints = limits.requestPoints;
  }

  /** Allow `n` requests in flight (never fewer than configured); memory pressure still lowers it. */
  raiseCeiling(n: number): void {
    if (n <= this.ceiling) return;
    this.ceiling = n;
    this.concurrency = n;
  }

  /** Takes one sample and adapts to it. */
  sample(): MemorySample {
    const s = sampleMemory(this.limits.maxMemoryPercent, this.probe ?? processProbe);
    this.hooks.sampled(s);
    this.adapt(s);
    return s;
  }

  private adapt(s: MemorySample): void {
    if (s.level === 'ok') {
      if (this.paused) {
        this.paused = false;
        this.hooks.mark('memory-resume', `${s.rssMb}MB / ${s.limitMb}MB`);
        this.hooks.say('info', `Memory back under the limit (${s.rssMb}MB / ${s.limitMb}MB): taking batches again`);
        this.hooks.released();
      }
      // recover slowly: one more request in flight per calm sample, up to the configured number
      if (this.concurrency < this.ceiling) this.concurrency++;
      if (this.requestPoints < this.limits.requestPoints) this.requestPoints = Math.min(this.limits.requestPoints, this.requestPoints * 2);
      return;
    }
    // warn in the seed's words, but not every second while it lasts
    const now = Date.now();
    if (now - this.lastWarnAt > 10_000) {
      this.lastWarnAt = now;
      this.hooks.say('warn', approachingMessage(s));
    }
    const lower = Math.max(1, Math.floor(this.concurrency / 2));
    const smaller = Math.max(16, Math.floor(this.requestPoints / 2));
    if (lower !== this.concurrency || smaller !== this.requestPoints) {
      this.concurrency = lower;
      this.requestPoints = smaller;
      this.hooks.mark('memory-throttle', `${s.rssMb}MB / ${s.limitMb}MB: ${lower} in flight, ${smaller} points per request`);
    }
    collectGarbage();
    if (s.level === 'limit' && !this.paused) {
      this.paused = true;
      this.hooks.mark('memory-pause', `${s.rssMb}MB / ${s.limitMb}MB`);
      this.hooks.say('warn', `Memory limit reached (${s.rssMb}MB / ${s.limitMb}MB): no new batches until memory falls`);
    }
  }
}
