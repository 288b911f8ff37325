/**
 * Points/s and ETA as the dashboard shows them. A whole-run average reacts too slowly and a per-batch
 * rate is too noisy, so the rate is an exponential moving average weighted by elapsed time
 * (alpha = 1 - e^(-dt/tau)), which stays correct whatever the event rate is. Timestamps are the
 * engine's (`progress.at`), so transport jitter does not show up as speed changes.
 *
 * For the first `tauMs` after a start or resume the rate is the plain average since then: an EMA seeded
 * from the first, often idle, interval would take several time constants to catch up.
 *
 * While the job is not running the estimate is frozen: the last ETA stays on screen, marked as paused,
 * and the time spent paused never counts as a slow interval after resume.
 */
export interface RateView {
  /** Smoothed points per second; null until there is a first interval. */
  pointsPerSec: number | null;
  /** Seconds left at the smoothed rate; null until `minIntervals` intervals were seen. */
  etaSeconds: number | null;
  /** True while paused (or otherwise not running): the numbers are the last ones measured. */
  frozen: boolean;
}

export interface RateOptions {
  /** Time constant of the average, ms. */
  tauMs?: number;
  /** Intervals needed before an ETA is shown ("—" before that). */
  minIntervals?: number;
}

export class RateEstimator {
  private readonly tauMs: number;
  private readonly minIntervals: number;
  private ema: number | null = null;
  private intervals = 0;
  private lastAt: number | null = null;
  private lastProcessed = 0;
  /** Where the current stretch of running began (start, resume). */
  private baseAt: number | null = null;
  private baseProcessed = 0;
  private eta: number | null = null;
  private frozen = false;

  constructor(options: RateOptions = {}) {
    this.tauMs = options.tauMs ?? 5_000;
    this.minIntervals = options.minIntervals ?? 3;
  }

  reset(): void {
    this.ema = null;
    this.intervals = 0;
    this.lastAt = null;
    this.lastProcessed = 0;
    this.baseAt = null;
    this.baseProcessed = 0;
    this.eta = null;
    this.frozen = false;
  }

  /** A new progress reading taken while the job runs. */
  observe(processed: number, total: number, at: number): RateView {
    this.frozen = false;
    if (this.lastAt !== null && processed < this.lastProcessed) {
      // A new run (or a reset) started counting again: old speed says nothing about it.
      this.reset();
    }
    if (this.baseAt === null) {
      this.baseAt = at;
      this.baseProcessed = processed;
    }
    if (this.lastAt !== null && at > this.lastAt) {
      const dt = at - this.lastAt;
      if (at - this.baseAt <= this.tauMs) {
        this.ema = ((processed - this.baseProcessed) * 1000) / (at - this.baseAt);
      } else {
        const instant = ((processed - this.lastProcessed) * 1000) / dt;
        const alpha = 1 - Math.exp(-dt / this.tauMs);
        this.ema = this.ema === null ? instant : alpha * instant + (1 - alpha) * this.ema;
      }
      this.intervals++;
    }
    this.lastAt = at;
    this.lastProcessed = processed;
    const remaining = Math.max(0, total - processed);
    if (remaining === 0) this.eta = 0;
    else if (this.intervals >= this.minIntervals && this.ema !== null && this.ema > 0) this.eta = remaining / this.ema;
    else this.eta = null;
    return this.view();
  }

  /** The job stopped running (paused, pausing, ended): keep the numbers, forget the time baseline. */
  freeze(): RateView {
    this.frozen = true;
    this.lastAt = null;
    this.baseAt = null;
    return this.view();
  }

  view(): RateView {
    return { pointsPerSec: this.ema, etaSeconds: this.eta, frozen: this.frozen };
  }
}
