/** Axis ranges for the live charts. */
import type { ChartSample } from '../store/run-store';

/**
 * The engine's RSS is what MAX_MEMORY_PERCENT limits, and it is usually a hundredth of the limit: a scale
 * running up to the limit (or to the system's total) would flatten it to zero. The axis therefore follows
 * the RSS, and takes in the limit only once the RSS is within reach of it (half of it); the caption always
 * says how far the limit is.
 */
export function memoryScale(data: readonly Pick<ChartSample, 'rssMb'>[], limitMb: number | null): { top: number; showsLimit: boolean; peakMb: number | null } {
  let peak: number | null = null;
  for (const d of data) if (d.rssMb !== null && (peak === null || d.rssMb > peak)) peak = d.rssMb;
  const showsLimit = limitMb !== null && peak !== null && peak >= limitMb * 0.5;
  const top = showsLimit ? Math.max(limitMb! * 1.05, peak! * 1.05) : niceCeil(Math.max(peak ?? 0, 1) * 1.3);
  return { top, showsLimit, peakMb: peak };
}

function niceCeil(v: number): number {
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= v) return m * step;
  return 10 * step;
}
