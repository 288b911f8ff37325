/**
 * A small SVG line-chart writer for the report: time on x, one or more series on y, shaded bands for
 * pauses. Hand-written rather than a charting library because the report must be one static, offline,
 * printable file: no script, no fonts, no external references, and a few dozen lines do it.
 */
import { escapeHtml } from './escape';

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
  /** Dashed line (limits, thresholds). */
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  yUnit: string;
  series: Series[];
  /** Shaded x ranges, e.g. paused intervals. */
  bands?: { from: number; to: number; label: string }[];
  width?: number;
  height?: number;
}

const M = { left: 60, right: 16, top: 30, bottom: 34 };
const MAX_POINTS = 600;

/** 1, 2 or 5 × 10^k at or above `v / steps`, so ticks read as round numbers. */
export function niceStep(max: number, steps: number): number {
  if (!(max > 0)) return 1;
  const raw = max / steps;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Elapsed time as m:ss or h:mm:ss. */
export function elapsedLabel(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function fmt(v: number): string {
  if (v >= 1000) return `${Math.round(v / 100) / 10}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_POINTS) return points;
  const stride = points.length / MAX_POINTS;
  const out: T[] = [];
  for (let i = 0; i < MAX_POINTS; i++) out.push(points[Math.floor(i * stride)]!);
  out.push(points[points.length - 1]!);
  return out;
}

export function lineChart(o: ChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 240;
  const pw = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const all = o.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const head = `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(o.title)}"><title>${escapeHtml(o.title)}</title>`;
  const titleText = `<text x="${M.left}" y="18" class="chart-title">${escapeHtml(o.title)}</text>`;
  if (all.length < 2) {
    return `${head}${titleText}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="chart-empty">no samples recorded for this run</text></svg>`;
  }
  const x0 = Math.min(...all.map((p) => p.x));
  const x1 = Math.max(...all.map((p) => p.x));
  const yMaxRaw = Math.max(...all.map((p) => p.y));
  const step = niceStep(yMaxRaw, 4);
  const yMax = Math.max(step, Math.ceil(yMaxRaw / step) * step);
  const sx = (x: number) => M.left + (x1 === x0 ? pw / 2 : ((x - x0) / (x1 - x0)) * pw);
  const sy = (y: number) => M.top + ph - (Math.max(0, y) / yMax) * ph;
  const parts: string[] = [head, titleText];
  for (const b of o.bands ?? []) {
    const a = sx(Math.max(b.from, x0));
    const z = sx(Math.min(b.to, x1));
    if (z > a) parts.push(`<rect x="${a.toFixed(1)}" y="${M.top}" width="${(z - a).toFixed(1)}" height="${ph}" class="band"><title>${escapeHtml(b.label)}</title></rect>`);
  }
  for (let v = 0; v <= yMax + step / 2; v += step) {
    const y = sy(v).toFixed(1);
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" class="tick">${fmt(v)}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const x = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<text x="${sx(x).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle" class="tick">${elapsedLabel(x - x0)}</text>`);
  }
  parts.push(`<text x="12" y="${M.top + ph / 2}" transform="rotate(-90 12 ${M.top + ph / 2})" text-anchor="middle" class="tick">${escapeHtml(o.yUnit)}</text>`);
  parts.push(`<text x="${M.left + pw}" y="${height - 4}" text-anchor="end" class="tick">elapsed (m:ss)</text>`);
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}" class="axis"/><line x1="${M.left}" x2="${M.left + pw}" y1="${M.top + ph}" y2="${M.top + ph}" class="axis"/>`);
  let lx = width - M.right;
  for (const s of [...o.series].reverse()) {
    const pts = thin(s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
    if (pts.length === 0) continue;
    const d = pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${d}" fill="none" stroke="${escapeHtml(s.color)}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 4"' : ''}><title>${escapeHtml(s.name)}</title></polyline>`);
    const label = escapeHtml(s.name);
    const w = 14 + s.name.length * 6.2;
    lx -= w;
    parts.push(`<line x1="${lx.toFixed(1)}" x2="${(lx + 10).toFixed(1)}" y1="14" y2="14" stroke="${escapeHtml(s.color)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="3 2"' : ''}/><text x="${(lx + 13).toFixed(1)}" y="18" class="legend">${label}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
