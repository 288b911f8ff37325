/**
 * Points/s as an exponential moving average over ticks, and the ETA from it. While paused the rate reads
 * 0 and the ETA is null (frozen, not counting down), and the elapsed time excludes paused spans.
 */
export class RateTracker {
  private ema = 0;
  private lastAt: number | null = null;
  private lastCount = 0;
  private samples = 0;
  private pausedSince: number | null = null;
  private pausedTotal = 0;

  constructor(
    private readonly startedAt: number,
    private readonly alpha = 0.3,
  ) {}

  /** Feed the running total; call a few times a second. */
  tick(count: number, now = Date.now()): void {
    if (this.pausedSince !== null) return;
    if (this.lastAt === null) {
      this.lastAt = now;
      this.lastCount = count;
      return;
    }
    const dt = (now - this.lastAt) / 1000;
    if (dt < 0.05) return;
    const rate = (count - this.lastCount) / dt;
    this.ema = this.samples === 0 ? rate : this.alpha * rate + (1 - this.alpha) * this.ema;
    this.samples++;
    this.lastAt = now;
    this.lastCount = count;
  }

  pause(now = Date.now()): void {
    if (this.pausedSince === null) this.pausedSince = now;
  }

  resume(now = Date.now()): void {
    if (this.pausedSince === null) return;
    this.pausedTotal += now - this.pausedSince;
    this.pausedSince = null;
    this.lastAt = null;
  }

  get paused(): boolean {
    return this.pausedSince !== null;
  }

  pointsPerSec(): number {
    return this.paused ? 0 : Math.max(0, this.ema);
  }

  etaSeconds(remaining: number): number | null {
    if (this.paused || this.samples < 2 || this.ema <= 0) return null;
    return Math.round(remaining / this.ema);
  }

  elapsedMs(now = Date.now()): number {
    const pausedNow = this.pausedSince !== null ? now - this.pausedSince : 0;
    return now - this.startedAt - this.pausedTotal - pausedNow;
  }
}
