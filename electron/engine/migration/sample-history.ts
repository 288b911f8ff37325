/**
 * The run's history for the report and the charts: one point per memory sample (memory plus the progress
 * figures of that moment), buffered and stored in Redis every few seconds rather than per sample, so
 * keeping a history costs the run one small write now and then. Losing a flush loses chart points only,
 * never progress, so a failed write is logged at debug and dropped.
 */
import type { MemorySample, Progress, ProgressSample } from '../../../shared/contract';
import type { StateStore } from '../state/types';

export class SampleHistory {
  private buffer: ProgressSample[] = [];

  /** One history point: this memory sample with the last progress emitted (zeros before the first). */
  record(s: MemorySample, p: Progress | null): void {
    this.buffer.push({
      at: s.at,
      processed: p?.processed ?? 0,
      failed: p?.failed ?? 0,
      pointsPerSec: p?.pointsPerSec ?? 0,
      batchLatencyMs: p?.batchLatencyMs ?? 0,
      rssMb: s.rssMb,
      systemAvailableMb: s.systemAvailableMb,
      limitMb: s.limitMb,
    });
  }

  /** Stores what was buffered (dropped when there is no store yet). */
  async flush(store: StateStore | null, runId: string, debug: (msg: string) => void): Promise<void> {
    const batch = this.buffer.splice(0);
    if (batch.length === 0 || !store) return;
    try {
      await store.pushSamples(runId, batch);
    } catch (e) {
      debug(`samples not stored: ${(e as Error).message}`);
    }
  }
}
