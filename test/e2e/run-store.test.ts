/**
 * The run store as engine events drive it (no browser: without a document it flushes on a timer, the path
 * a hidden tab takes). Pins the promises the dashboard relies on: a burst of events is one store update,
 * chart history is bounded and resolves one second, pause freezes the ETA, a new run starts clean.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent, Progress } from '../../shared/contract/run';
import { receiveEvent, useRun, CHART_CAPACITY } from '../../renderer/src/store/run-store';

const flushed = () => new Promise((r) => setTimeout(r, 300));

function progress(runId: string, processed: number, at: number, extra: Partial<Progress> = {}): EngineEvent {
  return {
    type: 'progress',
    progress: { runId, processed, failed: 0, total: 10_000, batchesDone: processed / 100, batchesTotal: 100, pointsPerSec: 0, etaSeconds: null, batchLatencyMs: 40, concurrency: 2, batchSize: 100, rssMb: 80, elapsedMs: at, at, ...extra },
  };
}

const state = (runId: string, status: 'running' | 'paused' | 'completed', at: number): EngineEvent => ({ type: 'state', runId, status, at });

describe('run store', () => {
  let run = 0;
  let id = '';
  beforeEach(() => {
    id = `run-${++run}`;
  });

  it('applies a burst of events in one update', async () => {
    const before = useRun.getState().flushes;
    receiveEvent(state(id, 'running', 0));
    for (let i = 1; i <= 50; i++) receiveEvent(progress(id, i * 100, i * 100));
    receiveEvent({ type: 'log', level: 'info', msg: 'hello', at: 5000 });
    await flushed();
    const s = useRun.getState();
    expect(s.flushes).toBe(before + 1);
    expect(s.status).toBe('running');
    expect(s.progress?.processed).toBe(5000);
    expect(s.logs.at(-1)?.msg).toBe('hello');
    // 50 progress events over 5 s of engine time: about one chart sample per second.
    expect(s.samples.length).toBeGreaterThanOrEqual(5);
    expect(s.samples.length).toBeLessThanOrEqual(6);
  });

  it('keeps at most the chart capacity, oldest dropped', async () => {
    receiveEvent(state(id, 'running', 0));
    for (let i = 1; i <= CHART_CAPACITY + 100; i++) receiveEvent(progress(id, i, i * 1000));
    await flushed();
    const s = useRun.getState().samples;
    expect(s).toHaveLength(CHART_CAPACITY);
    expect(s[0]!.t).toBe(101_000);
  });

  it('freezes points/s and ETA while paused, and charts the pause as a gap', async () => {
    receiveEvent(state(id, 'running', 0));
    for (let i = 0; i <= 10; i++) receiveEvent(progress(id, i * 500, i * 1000));
    await flushed();
    const running = useRun.getState().rate;
    expect(running.etaSeconds).not.toBeNull();
    receiveEvent(state(id, 'paused', 11_000));
    receiveEvent(progress(id, 5000, 12_500));
    await flushed();
    const paused = useRun.getState();
    expect(paused.rate.frozen).toBe(true);
    expect(paused.rate.etaSeconds).toBe(running.etaSeconds);
    expect(paused.samples.at(-1)?.pps).toBeNull();
    expect(paused.samples.at(-1)?.latencyMs).toBeNull();
  });

  it('breaks the throughput and latency lines at a pause even when no event arrives during it', async () => {
    receiveEvent(state(id, 'running', 0));
    for (let i = 0; i <= 5; i++) receiveEvent(progress(id, i * 500, i * 1000));
    // Paused at 5.2 s, resumed at 60 s: nothing in between (an engine that samples nothing while paused).
    receiveEvent(state(id, 'paused', 5_200));
    receiveEvent(state(id, 'running', 60_000));
    for (let i = 0; i <= 3; i++) receiveEvent(progress(id, 3000 + i * 500, 60_500 + i * 1000));
    await flushed();
    const s = useRun.getState().samples;
    const before = s.filter((x) => x.t <= 5_000);
    const after = s.filter((x) => x.t >= 60_000);
    expect(before.at(-1)?.pps).not.toBeNull();
    expect(after[0]?.pps).not.toBeNull();
    // Between the last sample before the pause and the first after it lies a sample with no rate or latency:
    // recharts (connectNulls off) ends the line there instead of drawing it across the pause.
    const between = s.filter((x) => x.t > 5_000 && x.t < 60_500);
    expect(between.length).toBeGreaterThan(0);
    expect(between.every((x) => x.pps === null && x.latencyMs === null)).toBe(true);
  });

  it('starts a new run with empty charts and no stale speed', async () => {
    receiveEvent(state(id, 'running', 0));
    for (let i = 0; i <= 5; i++) receiveEvent(progress(id, i * 1000, i * 1000));
    await flushed();
    const next = `${id}-b`;
    receiveEvent(state(next, 'running', 10_000));
    receiveEvent(progress(next, 0, 10_000));
    await flushed();
    const s = useRun.getState();
    expect(s.runId).toBe(next);
    expect(s.samples).toHaveLength(1);
    expect(s.rate.etaSeconds).toBeNull();
  });

  it('keeps the outages the run is waiting for: begin and retry set one per service, end and the end of the run clear it', async () => {
    const outage = (service: 'redis' | 'qdrant', phase: 'begin' | 'retry' | 'end', attempts: number): EngineEvent => ({
      type: 'outage',
      runId: id,
      phase,
      outage: { service, address: service === 'redis' ? '127.0.0.1:6379' : 'http://127.0.0.1:6333', from: 1000, reason: `${service} refused the connection`, retryAt: 2000 + attempts * 1000, attempts },
      at: 1000 + attempts * 1000,
    });
    receiveEvent(state(id, 'running', 0));
    receiveEvent(outage('redis', 'begin', 0));
    receiveEvent(outage('redis', 'retry', 1));
    receiveEvent(outage('qdrant', 'begin', 0));
    await flushed();
    expect(useRun.getState().outages.map((o) => [o.service, o.attempts])).toEqual([
      ['redis', 1],
      ['qdrant', 0],
    ]);
    receiveEvent(outage('redis', 'end', 2));
    await flushed();
    expect(useRun.getState().outages.map((o) => o.service)).toEqual(['qdrant']);
    receiveEvent(state(id, 'completed', 9000));
    await flushed();
    expect(useRun.getState().outages).toEqual([]);
  });
});
