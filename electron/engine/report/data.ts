/**
 * Everything a report shows, gathered once and rendered by each format: the run's redacted
 * configuration, its source (fingerprint, kind, index type), timeline, totals, progress samples, failed
 * points, the last verification and the collection as Qdrant describes it now. Sources that cannot be
 * reached (Qdrant down, source file moved) become a note in the report, not a failure to report.
 */
import type { z } from 'zod';
import type { FailedPoint, MigrationState, Outage, ProgressSample, SourceKind, TimelineEntry, VerificationResult, WorkerRecord } from '../../../shared/contract';
import { redactConfig, type TargetSchema } from '../../../shared/contract';
import { describeError } from '../../../shared/errors';
import { detectSource } from '../source/detect';
import { fingerprintFile } from '../source/fingerprint';
import { openFaissIndex } from '../faiss/index';
import { QdrantRest, safeUrl } from '../verify/qdrant-rest';
import { withStateStore } from '../state/open';
import { readRunRecord } from './run-record';

/** Connection settings, collection and state key (the buildReport request without its format). */
export type ReportTarget = z.output<typeof TargetSchema>;

export interface ReportTotals {
  status: string;
  totalVectors: number;
  processed: number;
  failed: number;
  batchesDone: number;
  batchesTotal: number;
  startedAt: string;
  completedAt: string | null;
  /** Wall-clock from start to end (or to the last checkpoint while not finished). */
  elapsedMs: number;
  /** Time spent running (elapsed minus paused intervals). */
  activeMs: number;
  pauses: number;
  avgPointsPerSec: number;
  peakPointsPerSec: number | null;
  peakRssMb: number | null;
  memoryLimitMb: number | null;
  /** How the last session sent points ("gRPC at http://…:6334 (auto: …)"); null for states before the gRPC sink. */
  transport: string | null;
}

export interface ReportSource {
  path: string | null;
  kind: SourceKind | null;
  indexType: string | null;
  dimension: number | null;
  count: number | null;
  metric: string | null;
  fingerprint: MigrationState['source'] | null;
  /** Whether the file on disk still matches the fingerprint the run recorded. */
  unchanged: boolean | null;
  note: string | null;
}

export interface ReportCollection {
  name: string;
  available: boolean;
  note: string | null;
  status: string | null;
  optimizerStatus: string | null;
  pointsCount: number | null;
  indexedVectorsCount: number | null;
  segmentsCount: number | null;
  vectorSize: number | null;
  distance: string | null;
  onDisk: boolean | null;
  hnsw: Record<string, unknown> | null;
  payloadSchema: { field: string; dataType: string; points: number | null }[];
}

export interface PausedInterval {
  from: number;
  to: number;
  label: string;
}

export interface ReportData {
  title: string;
  generatedAt: string;
  /** `store`: where the state lives and why ("Redis at 127.0.0.1:6379 db 0", "the embedded store in …"). */
  target: { qdrantUrl: string; collection: string; store: string; stateKey: string };
  runId: string | null;
  stateNote: string | null;
  config: Record<string, unknown> | null;
  source: ReportSource;
  timeline: TimelineEntry[];
  paused: PausedInterval[];
  /** Redis and Qdrant outages the run waited out, with their duration (`to` null: still waiting when the record was written). */
  outages: Outage[];
  totals: ReportTotals | null;
  samples: ProgressSample[];
  failedPoints: FailedPoint[];
  failedTotal: number;
  verification: VerificationResult | null;
  collection: ReportCollection;
  /** A shared run's workers as they last reported (host, rate, RSS); empty for a run of one process. */
  workers: WorkerRecord[];
}

const num = (v: unknown): number | null => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : null);

/** Paused intervals from the timeline: a pause opens one, the next resume (or the end) closes it. */
export function pausedIntervals(timeline: TimelineEntry[], endAt: number): PausedInterval[] {
  const out: PausedInterval[] = [];
  let open: TimelineEntry | null = null;
  for (const e of [...timeline].sort((a, b) => a.at - b.at)) {
    const ev = e.event.toLowerCase();
    if (/paus/.test(ev) && !/resum/.test(ev)) {
      if (!open) open = e;
    } else if (open && /resum|start|restart/.test(ev)) {
      out.push({ from: open.at, to: e.at, label: `paused${open.detail ? `: ${open.detail}` : ''}` });
      open = null;
    }
  }
  if (open) out.push({ from: open.at, to: Math.max(open.at, endAt), label: `paused${open.detail ? `: ${open.detail}` : ''}` });
  return out;
}

export function computeTotals(state: MigrationState, samples: ProgressSample[], paused: PausedInterval[]): ReportTotals {
  const start = Date.parse(state.started_at);
  const endIso = state.completed_at ?? state.last_checkpoint;
  const end = Date.parse(endIso);
  const elapsedMs = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
  const pausedMs = paused.reduce((s, p) => s + Math.max(0, Math.min(p.to, end) - Math.max(p.from, start)), 0);
  const activeMs = Math.max(0, elapsedMs - pausedMs);
  return {
    status: state.status,
    totalVectors: state.total_vectors,
    processed: state.processed_vectors,
    failed: state.failed_vectors,
    batchesDone: state.batches_processed,
    batchesTotal: state.total_batches,
    startedAt: state.started_at,
    completedAt: state.completed_at,
    elapsedMs,
    activeMs,
    pauses: paused.length,
    avgPointsPerSec: activeMs > 0 ? state.processed_vectors / (activeMs / 1000) : 0,
    peakPointsPerSec: samples.length ? Math.max(...samples.map((s) => s.pointsPerSec)) : null,
    // the document keeps the peak too, so a run shorter than a sampling interval still has one
    peakRssMb: samples.length || state.peak_rss_mb !== undefined ? Math.max(...samples.map((s) => s.rssMb), state.peak_rss_mb ?? 0) : null,
    memoryLimitMb: samples.length ? samples[samples.length - 1]!.limitMb : null,
    transport: state.transport ?? null,
  };
}

async function describeSource(state: MigrationState | null): Promise<ReportSource> {
  const fingerprint = state?.source ?? null;
  const configured = typeof state?.config.faissIndexPath === 'string' ? state.config.faissIndexPath : null;
  const path = configured ?? fingerprint?.path ?? null;
  const out: ReportSource = { path, kind: null, indexType: null, dimension: null, count: null, metric: null, fingerprint, unchanged: null, note: null };
  if (!path) {
    out.note = 'no run recorded: the source is unknown';
    return out;
  }
  try {
    const detected = await detectSource(path);
    out.kind = detected.kind;
    const index = await openFaissIndex(detected.indexPath);
    try {
      Object.assign(out, { indexType: index.summary.indexType, dimension: index.summary.dimension, count: index.summary.count, metric: index.summary.metric });
    } finally {
      await index.close();
    }
    if (fingerprint) {
      const now = await fingerprintFile(fingerprint.path);
      out.unchanged = now.size === fingerprint.size && now.headerSha256 === fingerprint.headerSha256;
    }
  } catch (e) {
    out.note = `the source could not be read now (${describeError(e)}); the fingerprint below is the one the run recorded`;
  }
  return out;
}

async function describeCollection(target: ReportTarget): Promise<ReportCollection> {
  const out: ReportCollection = {
    name: target.collection,
    available: false,
    note: null,
    status: null,
    optimizerStatus: null,
    pointsCount: null,
    indexedVectorsCount: null,
    segmentsCount: null,
    vectorSize: null,
    distance: null,
    onDisk: null,
    hnsw: null,
    payloadSchema: [],
  };
  try {
    const info = await new QdrantRest(target, 15_000).collectionInfo();
    if (info === null) {
      out.note = `collection "${target.collection}" does not exist in Qdrant`;
      return out;
    }
    const config = (info.config ?? {}) as Record<string, unknown>;
    const params = (config.params ?? {}) as Record<string, unknown>;
    const vectorsRaw = (params.vectors ?? {}) as Record<string, unknown>;
    const vectors = ('size' in vectorsRaw ? vectorsRaw : ((vectorsRaw[''] ?? {}) as Record<string, unknown>)) as Record<string, unknown>;
    const opt = info.optimizer_status;
    Object.assign(out, {
      available: true,
      status: typeof info.status === 'string' ? info.status : null,
      optimizerStatus: typeof opt === 'string' ? opt : opt && typeof opt === 'object' ? `error: ${String((opt as { error?: unknown }).error)}` : null,
      pointsCount: num(info.points_count),
      indexedVectorsCount: num(info.indexed_vectors_count),
      segmentsCount: num(info.segments_count),
      vectorSize: num(vectors.size),
      distance: typeof vectors.distance === 'string' ? vectors.distance : null,
      onDisk: typeof vectors.on_disk === 'boolean' ? vectors.on_disk : null,
      hnsw: (vectors.hnsw_config ?? config.hnsw_config ?? null) as Record<string, unknown> | null,
      payloadSchema: Object.entries((info.payload_schema ?? {}) as Record<string, Record<string, unknown>>).map(([field, s]) => ({
        field,
        dataType: String(s.data_type ?? '?'),
        points: num(s.points),
      })),
    });
  } catch (e) {
    out.note = `collection info unavailable: ${describeError(e)}`;
  }
  return out;
}

function safeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out = redactConfig(config as Record<string, unknown>);
  if (typeof out.qdrantUrl === 'string') out.qdrantUrl = safeUrl(out.qdrantUrl);
  return out;
}

/** The report's data for the current run, or for `runId` (any run of the history, reported with its own collection). */
export async function gatherReportData(requested: ReportTarget, now = new Date(), runId?: string): Promise<ReportData> {
  let storeText = '';
  let workers: WorkerRecord[] = [];
  const record = await withStateStore(requested, async (store) => {
    storeText = `${store.location} (${store.reason})`;
    const r = await readRunRecord(store, requested.collection, runId);
    if (r.state?.shared && store.shared) workers = await store.shared.readWorkers(r.state.run_id);
    return r;
  });
  const target = runId && record.state ? { ...requested, collection: record.state.collection } : requested;
  const state = record.state;
  const endAt = state ? Date.parse(state.completed_at ?? state.last_checkpoint) : now.getTime();
  const timeline = state ? [...state.timeline].sort((a, b) => a.at - b.at) : [];
  const paused = pausedIntervals(timeline, endAt);
  const [source, collection] = await Promise.all([describeSource(state), describeCollection(target)]);
  return {
    title: `XNAi migration report: ${target.collection}`,
    generatedAt: now.toISOString(),
    target: {
      qdrantUrl: safeUrl(target.qdrantUrl),
      collection: target.collection,
      store: storeText,
      stateKey: target.stateKey,
    },
    runId: state?.run_id ?? null,
    stateNote: record.stateProblem ?? (state ? null : `no migration state under ${target.stateKey}: nothing has been migrated with these settings yet`),
    // The state holds a redacted config already; redacting again costs nothing and guards old states.
    config: state ? safeConfig(state.config) : null,
    source,
    timeline,
    paused,
    outages: state?.outages ?? [],
    totals: state ? computeTotals(state, record.samples, paused) : null,
    samples: record.samples,
    failedPoints: record.failedPoints,
    failedTotal: record.failedTotal,
    verification: record.verification,
    collection,
    workers,
  };
}
