/** The Markdown report: the same sections as the HTML one, charts replaced by sparklines and min/max. */
import type { ReportData } from './data';
import { escapeMd, escapeMdCell as cell } from './escape';
import { count, detailLines, duration, sparkline, when } from './format-values';
import { collectionRows, configRows, FAILED_HEAD, failedRows, OUTAGE_HEAD, outageRows, PAYLOAD_INDEX_HEAD, payloadIndexRows, sourceRows, TIMELINE_HEAD, timelineRows, totalsRows, WORKERS_HEAD, workerRows } from './sections';

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
    `Generated ${when(d.generatedAt)} · Qdrant ${escapeMd(d.target.qdrantUrl)} · collection ${escapeMd(d.target.collection)} · state in ${escapeMd(d.target.store)} key ${escapeMd(d.target.stateKey)}${d.runId ? ` · run ${escapeMd(d.runId)}` : ''}`,
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
    out.push(table(['', ''], totalsRows(t)), '');
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

  if (d.workers.length) out.push(`## Workers (${count(d.workers.length)})`, '', table(WORKERS_HEAD, workerRows(d.workers)), '');
  out.push('## Timeline', '');
  if (d.timeline.length === 0) out.push('No timeline recorded.', '');
  else out.push(table(TIMELINE_HEAD, timelineRows(d.timeline)), '');

  out.push(`## Outages (${count(d.outages.length)})`, '');
  if (d.outages.length === 0) out.push('None: Redis and Qdrant answered throughout.', '');
  else out.push(table(OUTAGE_HEAD, outageRows(d.outages)), '');

  out.push(`## Failed points (${count(d.failedTotal)})`, '');
  if (d.failedTotal === 0) out.push('None: every point was acknowledged by Qdrant.', '');
  else {
    out.push(table(FAILED_HEAD, failedRows(d.failedPoints)), '');
    if (d.failedTotal > d.failedPoints.length) out.push(`…and ${count(d.failedTotal - d.failedPoints.length)} more.`, '');
  }

  const s = d.source;
  out.push('## Source', '');
  if (s.note) out.push(`> ${escapeMd(s.note)}`, '');
  out.push(table(['', ''], sourceRows(s)), '');

  const c = d.collection;
  out.push(`## Collection after the run: ${escapeMd(c.name)}`, '');
  if (!c.available) out.push(`> ${escapeMd(c.note ?? 'unavailable')}`, '');
  else {
    out.push(table(['', ''], collectionRows(c)), '');
    if (c.payloadSchema.length) out.push(table(PAYLOAD_INDEX_HEAD, payloadIndexRows(c)), '');
  }

  out.push('## Run configuration (secrets removed)', '');
  if (!d.config) out.push('No run recorded.', '');
  else out.push(table(['Setting', 'Value'], configRows(d.config)), '');
  return `${out.join('\n')}\n`;
}
