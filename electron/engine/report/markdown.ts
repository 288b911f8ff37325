/** The Markdown report: the same sections as the HTML one, charts replaced by sparklines and min/max. */
import type { ReportData } from './data';
import { escapeMd, escapeMdCell as cell } from './escape';
import { count, detailLines, duration, mb, rate, sparkline, value, when } from './format-values';

function table(head: string[], rows: string[][]): string {
  const line = (r: string[]) => `| ${r.map(cell).join(' | ')} |`;
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

function series(name: string, values: number[], unit: string): string[] {
  if (values.length === 0) return [];
  return [name, `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ${unit}`, sparkline(values)];
}

export function renderMarkdown(d: ReportData): string {
  const out: string[] = [`# ${escapeMd(d.title)}`, ''];
  out.push(
    `Generated ${when(d.generatedAt)} · Qdrant ${escapeMd(d.target.qdrantUrl)} · collection ${escapeMd(d.target.collection)} · Redis ${escapeMd(d.target.redis)} key ${escapeMd(d.target.stateKey)}${d.runId ? ` · run ${escapeMd(d.runId)}` : ''}`,
    '',
  );
  if (d.stateNote) out.push(`> ${escapeMd(d.stateNote)}`, '');

  out.push('## Verification', '');
  const v = d.verification;
  if (!v) out.push('Not verified yet: run `xnai-migrate verify` to compare the collection with the source.', '');
  else {
    out.push(`**${escapeMd(v.verdict)}**`, '', `Verified ${when(v.at)} in ${duration(v.durationMs)}.`, '');
    out.push(table(['Check', 'Result', 'Summary', 'Details'], v.checks.map((c) => [c.name, c.passed ? 'pass' : 'FAIL', c.summary, detailLines(c.details).map((l) => l.trim()).join('; ').replace(/:; /g, ': ')])), '');
  }

  out.push('## Totals', '');
  const t = d.totals;
  if (!t) out.push('No run recorded.', '');
  else {
    out.push(
      table(
        ['', ''],
        [
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
        ],
      ),
      '',
    );
  }

  out.push('## Throughput and memory', '');
  if (d.samples.length === 0) out.push('No samples recorded for this run.', '');
  else {
    const rows = [
      series('Throughput', d.samples.map((s) => s.pointsPerSec), 'points/s'),
      series('Engine RSS', d.samples.map((s) => s.rssMb), 'MB'),
      series('System available', d.samples.map((s) => s.systemAvailableMb), 'MB'),
    ];
    out.push(`${count(d.samples.length)} samples (the HTML report draws them as charts).`, '', table(['Series', 'Range', 'Over time'], rows), '');
  }

  out.push('## Timeline', '');
  if (d.timeline.length === 0) out.push('No timeline recorded.', '');
  else {
    const t0 = d.timeline[0]!.at;
    out.push(table(['Time', 'Since start', 'Event', 'Detail'], d.timeline.map((e) => [when(e.at), duration(e.at - t0), e.event, e.detail ?? ''])), '');
  }

  out.push(`## Failed points (${count(d.failedTotal)})`, '');
  if (d.failedTotal === 0) out.push('None: every point was acknowledged by Qdrant.', '');
  else {
    out.push(table(['FAISS id', 'Point id', 'Batch', 'Reason'], d.failedPoints.map((f) => [f.faissId, f.pointId, String(f.batch), f.reason])), '');
    if (d.failedTotal > d.failedPoints.length) out.push(`…and ${count(d.failedTotal - d.failedPoints.length)} more.`, '');
  }

  const s = d.source;
  out.push('## Source', '');
  if (s.note) out.push(`> ${escapeMd(s.note)}`, '');
  out.push(
    table(
      ['', ''],
      [
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
      ],
    ),
    '',
  );

  const c = d.collection;
  out.push(`## Collection after the run: ${escapeMd(c.name)}`, '');
  if (!c.available) out.push(`> ${escapeMd(c.note ?? 'unavailable')}`, '');
  else {
    out.push(
      table(
        ['', ''],
        [
          ['Status', c.status ?? '—'],
          ['Optimizer', c.optimizerStatus ?? '—'],
          ['Points (approximate)', count(c.pointsCount)],
          ['Indexed vectors', count(c.indexedVectorsCount)],
          ['Segments', count(c.segmentsCount)],
          ['Vectors', `${count(c.vectorSize)}-d ${c.distance ?? '?'}${c.onDisk === null ? '' : c.onDisk ? ', on disk' : ', in RAM'}`],
          ['HNSW', c.hnsw ? value(c.hnsw) : '—'],
        ],
      ),
      '',
    );
    if (c.payloadSchema.length) out.push(table(['Payload index', 'Type', 'Points'], c.payloadSchema.map((p) => [p.field, p.dataType, count(p.points)])), '');
  }

  out.push('## Run configuration (secrets removed)', '');
  if (!d.config) out.push('No run recorded.', '');
  else out.push(table(['Setting', 'Value'], Object.entries(d.config).map(([k, x]) => [k, value(x)])), '');
  return `${out.join('\n')}\n`;
}
