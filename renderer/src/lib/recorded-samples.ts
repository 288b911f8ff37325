/**
 * A run's recorded history (ProgressSample, about one a second, downsampled when long) as chart samples:
 * where no sample was recorded for a while (a pause, a crash before a resume) or the run moved nothing, the
 * throughput and latency lines break, as on the live charts.
 */
import type { ProgressSample } from '../../../shared/contract/state';
import type { ChartSample } from '../store/run-store';

/** Longer than this between two samples is a gap (the recorder writes about one a second). */
const GAP_MS = 5_000;

export function chartFromSamples(samples: readonly ProgressSample[]): ChartSample[] {
  const out: ChartSample[] = [];
  let prev: ProgressSample | null = null;
  for (const s of samples) {
    if (prev && s.at - prev.at > GAP_MS) {
      out.push({ t: prev.at + 1, pps: null, latencyMs: null, rssMb: prev.rssMb, systemUsedMb: null, limitMb: prev.limitMb });
    }
    const moved = prev === null || s.processed + s.failed > prev.processed + prev.failed || s.pointsPerSec > 0;
    out.push({
      t: s.at,
      pps: moved ? s.pointsPerSec : null,
      latencyMs: moved && s.batchLatencyMs > 0 ? s.batchLatencyMs : null,
      rssMb: s.rssMb,
      systemUsedMb: null,
      limitMb: s.limitMb,
    });
    prev = s;
  }
  return out;
}
