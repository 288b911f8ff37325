/**
 * The engine's memory as Electron measures it (app.getAppMetrics(), the utility process's working set), as
 * memory samples beside the engine's own: the desktop shows what the OS charges the process, including
 * what Node's counters miss. Polled every 2 s with a timer that never overlaps itself.
 */
import { freemem, totalmem } from 'node:os';
import type { MemorySample } from '../../shared/contract';

export interface ProcessMetricLike {
  pid: number;
  type: string;
  name?: string;
  /** KB, as Electron reports it. */
  memory: { workingSetSize: number; privateBytes?: number };
}

export function sampleFromMetrics(metrics: ProcessMetricLike[], pid: number | undefined, maxMemoryPercent: number, now = Date.now()): MemorySample | null {
  if (pid === undefined) return null;
  const m = metrics.find((x) => x.pid === pid);
  if (!m) return null;
  const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
  const systemTotalMb = Math.round(totalmem() / 1048576);
  const limitMb = Math.round(systemTotalMb * maxMemoryPercent);
  const rssMb = mb(m.memory.workingSetSize);
  return {
    at: now,
    rssMb,
    heapUsedMb: mb(m.memory.privateBytes ?? m.memory.workingSetSize),
    systemTotalMb,
    systemAvailableMb: Math.round(freemem() / 1048576),
    limitMb,
    level: rssMb >= limitMb ? 'limit' : rssMb >= limitMb * 0.85 ? 'warn' : 'ok',
    source: 'app-metrics',
  };
}

export function pollAppMetrics(
  getMetrics: () => ProcessMetricLike[],
  getPid: () => number | undefined,
  getMaxMemoryPercent: () => number,
  emit: (sample: MemorySample) => void,
  intervalMs = 2_000,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const tick = () => {
    try {
      const s = sampleFromMetrics(getMetrics(), getPid(), getMaxMemoryPercent());
      if (s) emit(s);
    } finally {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    }
  };
  timer = setTimeout(tick, intervalMs);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
