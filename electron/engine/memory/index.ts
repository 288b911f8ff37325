/**
 * Memory monitor: samples the engine's RSS and the system's available memory (MemAvailable from
 * /proc/meminfo on Linux, os.freemem elsewhere) about once a second. The limit is MAX_MEMORY_PERCENT of
 * total RAM, compared with the process's RSS (what the migration controls). At 90 % of it the level is
 * `warn` (the run lowers concurrency and request size and collects garbage when --expose-gc is on); at the
 * limit it is `limit` (the run pauses taking new batches until memory falls back under 90 %).
 */
import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import type { MemorySample } from '../../../shared/contract';

const MB = 1024 * 1024;

export interface MemoryProbe {
  rssBytes(): number;
  heapUsedBytes(): number;
  totalBytes(): number;
  availableBytes(): number;
}

export function systemAvailableBytes(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return freemem();
}

export const processProbe: MemoryProbe = {
  rssBytes: () => process.memoryUsage.rss(),
  heapUsedBytes: () => process.memoryUsage().heapUsed,
  totalBytes: () => totalmem(),
  availableBytes: systemAvailableBytes,
};

export const WARN_FRACTION = 0.9;

export function sampleMemory(maxMemoryPercent: number, probe: MemoryProbe = processProbe): MemorySample {
  const rss = probe.rssBytes();
  const total = probe.totalBytes();
  const limit = total * maxMemoryPercent;
  const level = rss >= limit ? 'limit' : rss >= limit * WARN_FRACTION ? 'warn' : 'ok';
  return {
    at: Date.now(),
    rssMb: Math.round(rss / MB),
    heapUsedMb: Math.round(probe.heapUsedBytes() / MB),
    systemTotalMb: Math.round(total / MB),
    systemAvailableMb: Math.round(probe.availableBytes() / MB),
    limitMb: Math.round(limit / MB),
    level,
    source: 'engine',
  };
}

/** The seed's words: "Memory limit approaching: 3500MB / 3960MB". */
export function approachingMessage(s: MemorySample): string {
  return `Memory limit approaching: ${s.rssMb}MB / ${s.limitMb}MB`;
}

/** Collect garbage when the host exposed it (node --expose-gc); a no-op otherwise. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') {
    gc();
    return true;
  }
  return false;
}
