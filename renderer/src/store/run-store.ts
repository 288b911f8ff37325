/**
 * The live run as the dashboard shows it. Engine events arrive through `bridge.onEvent` at module level
 * (Heroic's pattern: the store subscribes once, components only select), are queued, and applied in one
 * `setState` per animation frame, so a burst of progress, memory and log events costs one React render.
 * Chart history lives in ring buffers outside React and is copied out once per flush.
 */
import { create } from 'zustand';
import type { EngineEvent, JobStatus, MemorySample, Progress, TimelineEntry } from '../../../shared/contract/run';
import type { EngineSnapshot } from '../../../shared/contract/commands';
import type { SourceSummary } from '../../../shared/contract/source';
import type { ActiveOutage } from '../../../shared/contract/history';
import { RingBuffer } from '../lib/ring-buffer';
import { RateEstimator, type RateView } from '../lib/rate';

/** One point of the live charts; about one per second, the last ten minutes. */
export interface ChartSample {
  t: number;
  /** null while the job is not running: the throughput and latency lines break there instead of bridging it. */
  pps: number | null;
  latencyMs: number | null;
  rssMb: number | null;
  systemUsedMb: number | null;
  limitMb: number | null;
}

export interface LogLine {
  /** Increasing number of the line in this window: a stable key while old lines drop off the top. */
  seq: number;
  at: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
}

export interface RunState {
  status: JobStatus;
  runId: string | null;
  /** Why the job reached its state (e.g. the error that failed it), when the engine says. */
  reason: string | null;
  progress: Progress | null;
  memory: MemorySample | null;
  rate: RateView;
  samples: ChartSample[];
  logs: LogLine[];
  lastError: { message: string; code: number; at: number } | null;
  /** The latest warning (retries during an outage, memory pressure), shown on the progress card while recent. */
  lastWarning: { msg: string; at: number } | null;
  timeline: TimelineEntry[];
  /** Services the run is waiting for right now (Redis or Qdrant stopped answering), with the next retry. */
  outages: ActiveOutage[];
  warnings: string[];
  source: SourceSummary | null;
  config: Record<string, unknown> | null;
  /** Engine events applied so far and React updates they caused (the bench reads these). */
  eventsApplied: number;
  flushes: number;
}

export const CHART_CAPACITY = 600;
export const LOG_CAPACITY = 300;
/** Samples closer than this (engine time) are merged: the charts resolve one second. */
const SAMPLE_SPACING_MS = 1000;
export const ACTIVE_STATUSES: readonly JobStatus[] = ['preparing', 'running', 'pausing', 'paused'];

const samples = new RingBuffer<ChartSample>(CHART_CAPACITY);
const logs = new RingBuffer<LogLine>(LOG_CAPACITY);
let logSeq = 0;
const logLine = (line: Omit<LogLine, 'seq'>): LogLine => ({ seq: ++logSeq, ...line });
const rate = new RateEstimator();

export const useRun = create<RunState>()(() => ({
  status: 'idle',
  runId: null,
  reason: null,
  progress: null,
  memory: null,
  rate: rate.view(),
  samples: [],
  logs: [],
  lastError: null,
  lastWarning: null,
  timeline: [],
  outages: [],
  warnings: [],
  source: null,
  config: null,
  eventsApplied: 0,
  flushes: 0,
}));

let pending: EngineEvent[] = [];
let scheduled = false;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // rAF gives at most one render per frame; hidden tabs get no frames, so fall back to a timer there.
  if (typeof document !== 'undefined' && document.visibilityState === 'visible' && typeof requestAnimationFrame === 'function') {
    requestAnimationFrame(flush);
  } else {
    setTimeout(flush, 250);
  }
}

/** Queue an engine event; the store changes on the next frame. */
export function receiveEvent(event: EngineEvent): void {
  pending.push(event);
  schedule();
}

function newRun(runId: string | null): void {
  samples.clear();
  rate.reset();
  void runId;
}

/**
 * Appended when the job leaves "running": a sample whose rate and latency are null, so the lines stop at the
 * last running second and start again at the first one after the pause, even when no event came in between.
 */
function pushGap(at: number, rssMb: number | null, limitMb: number | null, systemUsedMb: number | null): boolean {
  const last = samples.last();
  if (last && last.pps === null && last.latencyMs === null) return false;
  samples.push({ t: last ? Math.max(at, last.t + 1) : at, pps: null, latencyMs: null, rssMb, systemUsedMb, limitMb });
  return true;
}

/** Returns true when a new sample was appended (at most once a second), false when the last was updated. */
function pushSample(sample: ChartSample): boolean {
  const last = samples.last();
  if (last && sample.pps !== null && last.pps === null && last.latencyMs === null && sample.t - last.t < SAMPLE_SPACING_MS) {
    // The first running sample after a gap never merges into the gap (that would bridge it).
    samples.push({ ...sample, t: Math.max(sample.t, last.t + 1) });
    return true;
  }
  if (last && sample.t - last.t < SAMPLE_SPACING_MS) {
    // Within one second the newest values win, but a gap (null) never erases a measured latency.
    samples.replaceLast({ ...sample, t: last.t, latencyMs: sample.latencyMs ?? last.latencyMs });
    return false;
  }
  samples.push(sample);
  return true;
}

function sampleFrom(progress: Progress | null, memory: MemorySample | null, rateView: RateView, status: JobStatus, at: number): ChartSample {
  const running = status === 'running';
  return {
    t: at,
    pps: progress && running ? (rateView.pointsPerSec ?? 0) : null,
    // 0 means no batch acknowledged yet: a gap, not a 0 ms point.
    latencyMs: progress && running && progress.batchLatencyMs > 0 ? progress.batchLatencyMs : null,
    rssMb: memory ? memory.rssMb : (progress?.rssMb ?? null),
    systemUsedMb: memory ? memory.systemTotalMb - memory.systemAvailableMb : null,
    limitMb: memory ? memory.limitMb : null,
  };
}

function flush(): void {
  scheduled = false;
  const events = pending;
  pending = [];
  if (events.length === 0) return;
  const s = useRun.getState();
  let { status, runId, reason, progress, memory, lastError, lastWarning, rate: rateView, timeline, outages } = s;
  let appended = false;
  let sampled = false;
  let statusChanged = false;
  let logsChanged = false;

  for (const e of events) {
    switch (e.type) {
      case 'state':
        if (e.runId !== null && e.runId !== runId) {
          newRun(e.runId);
          progress = null;
          outages = [];
        }
        runId = e.runId ?? runId;
        statusChanged = statusChanged || status !== e.status;
        // A run that ended waits for nothing.
        if (!ACTIVE_STATUSES.includes(e.status)) outages = [];
        status = e.status;
        reason = e.reason ?? null;
        if (status !== 'running') {
          rateView = rate.freeze();
          const last = samples.last();
          if (last && pushGap(e.at, last.rssMb, last.limitMb, last.systemUsedMb)) appended = true;
        }
        if (status === 'running' || status === 'preparing') lastError = null;
        if (status !== 'running') lastWarning = null;
        logs.push(logLine({ at: e.at, level: status === 'failed' ? 'error' : 'info', msg: `Job ${status}${e.reason ? `: ${e.reason}` : ''}` }));
        logsChanged = true;
        // Shown until the next snapshot brings the engine's own timeline (which replaces this one).
        timeline = [...timeline, { at: e.at, event: status, ...(e.reason ? { detail: e.reason } : {}) }].slice(-50);
        break;
      case 'progress': {
        const p = e.progress;
        if (p.runId !== runId) {
          newRun(p.runId);
          runId = p.runId;
        }
        progress = p;
        rateView = status === 'running' ? rate.observe(p.processed, p.total, p.at) : rate.freeze();
        // Sampled per event on the engine's clock, so a throttled (hidden) tab still keeps 1 s resolution.
        appended = pushSample(sampleFrom(progress, memory, rateView, status, p.at)) || appended;
        sampled = true;
        break;
      }
      case 'memory':
        memory = e.sample;
        appended = pushSample(sampleFrom(progress, memory, rateView, status, e.sample.at)) || appended;
        sampled = true;
        break;
      case 'log':
        logs.push(logLine({ at: e.at, level: e.level, msg: e.msg }));
        logsChanged = true;
        if (e.level === 'warn') lastWarning = { msg: e.msg, at: e.at };
        break;
      case 'outage': {
        const others = outages.filter((o) => o.service !== e.outage.service);
        outages = e.phase === 'end' ? others : [...others, e.outage];
        break;
      }
      case 'error':
        lastError = { message: e.message, code: e.code, at: e.at };
        logs.push(logLine({ at: e.at, level: 'error', msg: e.message }));
        logsChanged = true;
        break;
    }
  }
  // Charts redraw when a sample is appended (1 Hz) or the job changes state, not on every event: a
  // recharts render of three charts is the most expensive thing on the page.
  const chartChanged = appended || (statusChanged && sampled);
  useRun.setState({
    status,
    runId,
    reason,
    progress,
    memory,
    lastError,
    lastWarning,
    rate: rateView,
    timeline,
    outages,
    ...(chartChanged ? { samples: samples.toArray() } : {}),
    ...(logsChanged ? { logs: logs.toArray() } : {}),
    eventsApplied: s.eventsApplied + events.length,
    flushes: s.flushes + 1,
  });
}

/** The engine's own view after (re)connecting: the run may have moved on while the link was down. */
export function applySnapshot(snap: EngineSnapshot): void {
  const s = useRun.getState();
  if (snap.runId !== s.runId) newRun(snap.runId);
  let rateView = s.rate;
  if (snap.progress) {
    rateView = snap.status === 'running' ? rate.observe(snap.progress.processed, snap.progress.total, snap.progress.at) : rate.freeze();
  } else if (snap.status !== 'running') rateView = rate.freeze();
  if (snap.progress || snap.lastMemory) {
    pushSample(sampleFrom(snap.progress, snap.lastMemory, rateView, snap.status, Math.max(snap.progress?.at ?? 0, snap.lastMemory?.at ?? 0)));
  }
  useRun.setState({
    status: snap.status,
    runId: snap.runId,
    progress: snap.progress,
    memory: snap.lastMemory ?? s.memory,
    rate: rateView,
    // The engine's timeline wins; an engine that keeps none leaves the one built from state events.
    timeline: snap.timeline.length || snap.runId !== s.runId ? snap.timeline : s.timeline,
    warnings: snap.warnings,
    outages: snap.outages,
    source: snap.source,
    config: snap.config,
    lastError: snap.lastError ? { message: snap.lastError, code: 1, at: Date.now() } : null,
    samples: samples.toArray(),
    logs: logs.toArray(),
  });
}

export function isActive(status: JobStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}
