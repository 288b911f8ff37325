/**
 * The rows the HTML and Markdown reports both show (totals, source, collection, timeline, failed points,
 * payload indexes, configuration), as plain text: each renderer only lays them out and escapes them its own
 * way, so the two formats cannot drift apart in what they say.
 */
import type { ReportCollection, ReportData, ReportSource, ReportTotals } from './data';
import { count, duration, mb, rate, value, when } from './format-values';

export type LabelledRow = [string, string];

export function totalsRows(t: ReportTotals): LabelledRow[] {
  return [
    ['Status', t.status],
    ['Points migrated', `${count(t.processed)} of ${count(t.totalVectors)}`],
    ['Failed points', count(t.failed)],
    ['Batches', `${count(t.batchesDone)} of ${count(t.batchesTotal)}`],
    ['Started', when(t.startedAt)],
    ['Ended', t.completedAt ? when(t.completedAt) : 'not finished'],
    ['Elapsed', duration(t.elapsedMs)],
    ['Running time (pauses excluded)', `${duration(t.activeMs)} (${t.pauses} pause${t.pauses === 1 ? '' : 's'})`],
    ['Average throughput', rate(t.avgPointsPerSec)],
    ['Peak throughput', rate(t.peakPointsPerSec)],
    ['Peak engine memory (RSS)', mb(t.peakRssMb)],
    ['Memory limit', mb(t.memoryLimitMb)],
    ['Bulk transport', t.transport ?? '—'],
  ];
}

export function sourceRows(s: ReportSource): LabelledRow[] {
  return [
    ['Path', value(s.path)],
    ['Type', s.kind ?? '—'],
    ['FAISS index', s.indexType ?? '—'],
    ['Vectors', count(s.count)],
    ['Dimension', count(s.dimension)],
    ['Metric', s.metric ?? '—'],
    ['Fingerprint: size', s.fingerprint ? `${count(s.fingerprint.size)} bytes` : '—'],
    ['Fingerprint: modified', s.fingerprint ? when(s.fingerprint.mtimeMs) : '—'],
    ['Fingerprint: header SHA-256', s.fingerprint?.headerSha256 ?? '—'],
    ['Unchanged since the run', s.unchanged === null ? 'unknown' : s.unchanged ? 'yes' : 'NO: the file on disk differs'],
  ];
}

/** The collection's state after the run (for an available collection). */
export function collectionRows(c: ReportCollection): LabelledRow[] {
  return [
    ['Status', c.status ?? '—'],
    ['Optimizer', c.optimizerStatus ?? '—'],
    ['Points (approximate)', count(c.pointsCount)],
    ['Indexed vectors', count(c.indexedVectorsCount)],
    ['Segments', count(c.segmentsCount)],
    ['Vectors', `${count(c.vectorSize)}-d ${c.distance ?? '?'}${c.onDisk === null ? '' : c.onDisk ? ', on disk' : ', in RAM'}`],
    ['HNSW', c.hnsw ? value(c.hnsw) : '—'],
  ];
}

export const PAYLOAD_INDEX_HEAD = ['Payload index', 'Type', 'Points'];

export function payloadIndexRows(c: ReportCollection): string[][] {
  return c.payloadSchema.map((p) => [p.field, p.dataType, count(p.points)]);
}

export const TIMELINE_HEAD = ['Time', 'Since start', 'Event', 'Detail'];

/** Each event with its time since the first event. */
export function timelineRows(timeline: ReportData['timeline']): string[][] {
  const t0 = timeline[0]?.at;
  return timeline.map((e) => [when(e.at), duration(e.at - (t0 ?? e.at)), e.event, e.detail ?? '']);
}

export const FAILED_HEAD = ['FAISS id', 'Point id', 'Batch', 'Reason'];

export function failedRows(failed: ReportData['failedPoints']): string[][] {
  return failed.map((f) => [f.faissId, f.pointId, String(f.batch), f.reason]);
}

/** The run's configuration, secrets already removed by the data layer. */
export function configRows(config: Record<string, unknown>): LabelledRow[] {
  return Object.entries(config).map(([k, v]) => [k, value(v)]);
}

export const WORKERS_HEAD = ['Host', 'PID', 'Role', 'Status', 'Points', 'Batches', 'Points/s (last)', 'Peak RSS', 'CPU'];

/** A shared run's workers, as they last reported. */
export function workerRows(workers: ReportData['workers']): string[][] {
  return workers.map((w) => [w.host, String(w.pid), w.role, w.status, count(w.processed), count(w.batches), rate(w.pointsPerSec), mb(w.peakRssMb), w.cpuSeconds === undefined ? '—' : `${w.cpuSeconds.toFixed(1)} s`]);
}

export const OUTAGE_HEAD = ['Service', 'Address', 'From', 'Lasted', 'Reason'];

/** Each outage the run waited out, and how long it lasted. */
export function outageRows(outages: ReportData['outages']): string[][] {
  return outages.map((o) => [o.service === 'redis' ? 'Redis' : 'Qdrant', o.address, when(o.from), o.to === null ? 'not over when recorded' : duration(o.to - o.from), o.reason]);
}
