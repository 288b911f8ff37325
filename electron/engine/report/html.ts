/**
 * The HTML report: one self-contained file (inline CSS, inline SVG charts, no script, no external
 * reference, a CSP that forbids loading anything) that opens offline and prints cleanly to PDF (the
 * desktop app prints it with Chromium's printToPDF). Every value is escaped.
 */
import type { ReportData } from './data';
import { escapeHtml as h } from './escape';
import { count, detailLines, duration, when } from './format-values';
import { lineChart } from './svg-chart';
import { collectionRows, configRows, FAILED_HEAD, failedRows, OUTAGE_HEAD, outageRows, PAYLOAD_INDEX_HEAD, payloadIndexRows, sourceRows, TIMELINE_HEAD, timelineRows, totalsRows, WORKERS_HEAD, workerRows } from './sections';

const CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;margin:0 auto;max-width:960px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.muted{color:var(--muted)}.small{font-size:12px}
.verdict{padding:10px 14px;border-radius:6px;font-weight:600;margin:14px 0;border:1px solid}
.verdict.pass{background:#dafbe1;border-color:var(--ok);color:#0a3d1a}.verdict.fail{background:#ffebe9;border-color:var(--bad);color:#5c0b10}.verdict.none{background:var(--bg);border-color:var(--line)}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv th{width:32%}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
.pass{color:var(--ok)}.fail{color:var(--bad)}
.note{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:6px}
svg.chart{max-width:100%;height:auto;display:block;margin:8px 0}
svg .grid{stroke:#eaeef2;stroke-width:1}svg .axis{stroke:#8c959f;stroke-width:1}
svg .tick,svg .legend{font-size:11px;fill:#57606a;font-family:system-ui,sans-serif}
svg .chart-title{font-size:13px;font-weight:600;fill:#1f2328;font-family:system-ui,sans-serif}
svg .chart-empty{font-size:12px;fill:#8c959f;font-family:system-ui,sans-serif}
svg .band{fill:#fff1c2;opacity:.8}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}table,svg.chart,.verdict,.note{break-inside:avoid}tr{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

function kv(rows: [string, string][]): string {
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</table>`;
}

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const th = head.map((c) => `<th>${h(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${h(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function note(text: string | null): string {
  return text ? `<p class="note">${h(text)}</p>` : '';
}

function verificationSection(d: ReportData): string {
  const v = d.verification;
  if (!v) return `<p class="verdict none">Not verified yet: run <code>xnai-migrate verify</code> (or Verify in the app) to compare the collection with the source.</p>`;
  const checks = v.checks
    .map(
      (c) =>
        `<tr><td>${h(c.name)}</td><td class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'FAIL'}</td><td>${h(c.summary)}</td><td><pre>${h(detailLines(c.details).join('\n'))}</pre></td></tr>`,
    )
    .join('');
  return `<p class="verdict ${v.passed ? 'pass' : 'fail'}">${h(v.verdict)}</p>
<p class="muted small">Verified ${h(when(v.at))} in ${h(duration(v.durationMs))} (collection ${h(v.collection)}).</p>
<table><thead><tr><th>Check</th><th>Result</th><th>Summary</th><th>Details</th></tr></thead><tbody>${checks}</tbody></table>`;
}

export function renderHtml(d: ReportData): string {
  const t = d.totals;
  const start = d.samples[0]?.at ?? 0;
  const charts = [
    lineChart({
      title: 'Throughput',
      yUnit: 'points/s',
      series: [{ name: 'points/s', color: '#0969da', points: d.samples.map((s) => ({ x: s.at, y: s.pointsPerSec })) }],
      bands: d.paused,
    }),
    lineChart({
      title: 'Memory',
      yUnit: 'MB',
      series: [
        { name: 'engine RSS', color: '#8250df', points: d.samples.map((s) => ({ x: s.at, y: s.rssMb })) },
        { name: 'limit', color: '#cf222e', dashed: true, points: d.samples.map((s) => ({ x: s.at, y: s.limitMb })) },
        { name: 'system available', color: '#1a7f37', points: d.samples.map((s) => ({ x: s.at, y: s.systemAvailableMb })) },
      ],
      bands: d.paused,
    }),
  ].join('\n');
  const totals = t
    ? kv(totalsRows(t))
    : '';
  const src = d.source;
  const source = kv(sourceRows(src));
  const timeline = d.timeline.length
    ? table(TIMELINE_HEAD, timelineRows(d.timeline))
    : '<p class="muted">No timeline recorded.</p>';
  const failed = d.failedTotal
    ? `${table(FAILED_HEAD, failedRows(d.failedPoints), [2])}${d.failedTotal > d.failedPoints.length ? `<p class="muted">…and ${count(d.failedTotal - d.failedPoints.length)} more (<code>xnai-migrate status</code> lists them).</p>` : ''}`
    : '<p>None: every point was acknowledged by Qdrant.</p>';
  const outages = d.outages.length ? table(OUTAGE_HEAD, outageRows(d.outages)) : '<p>None: Redis and Qdrant answered throughout.</p>';
  const c = d.collection;
  const collection = c.available
    ? `${kv(collectionRows(c))}${c.payloadSchema.length ? table(PAYLOAD_INDEX_HEAD, payloadIndexRows(c), [2]) : ''}`
    : note(c.note);
  const config = d.config ? kv(configRows(d.config)) : '<p class="muted">No run recorded.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(d.title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${h(d.title)}</h1>
<p class="muted small">Generated ${h(when(d.generatedAt))} · Qdrant ${h(d.target.qdrantUrl)} · collection ${h(d.target.collection)} · state in ${h(d.target.store)} key ${h(d.target.stateKey)}${d.runId ? ` · run ${h(d.runId)}` : ''}</p></header>
${note(d.stateNote)}
<section id="verification"><h2>Verification</h2>${verificationSection(d)}</section>
<section id="totals"><h2>Totals</h2>${totals || '<p class="muted">No run recorded.</p>'}</section>
<section id="charts"><h2>Throughput and memory</h2>${d.samples.length ? `<p class="muted small">${count(d.samples.length)} samples from ${h(when(start))}; shaded: paused.</p>` : ''}${charts}</section>
${d.workers.length ? `<section id="workers"><h2>Workers (${count(d.workers.length)})</h2>${table(WORKERS_HEAD, workerRows(d.workers), [1, 4, 5, 6, 7, 8])}</section>\n` : ''}<section id="timeline"><h2>Timeline</h2>${timeline}</section>
<section id="outages"><h2>Outages (${count(d.outages.length)})</h2>${outages}</section>
<section id="failed"><h2>Failed points (${count(d.failedTotal)})</h2>${failed}</section>
<section id="source"><h2>Source</h2>${note(src.note)}${source}</section>
<section id="collection"><h2>Collection after the run: ${h(c.name)}</h2>${collection}</section>
<section id="config"><h2>Run configuration (secrets removed)</h2>${config}</section>
</body></html>
`;
}
