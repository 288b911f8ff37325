/** Value formatting shared by the HTML and Markdown reports, so both say the same thing the same way. */
import { elapsedLabel } from './svg-chart';

export function when(ms: number | string | null): string {
  if (ms === null) return '—';
  const d = typeof ms === 'number' ? new Date(ms) : new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function duration(ms: number): string {
  return elapsedLabel(ms);
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

export function rate(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : `${n.toLocaleString('en-US', { maximumFractionDigits: 0 })} points/s`;
}

export function mb(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : `${n.toLocaleString('en-US', { maximumFractionDigits: 0 })} MB`;
}

/** A config or detail value on one line. */
export function value(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Unicode sparkline of a series for the Markdown report, which cannot embed the SVG charts. */
export function sparkline(values: number[], width = 60): string {
  if (values.length === 0) return '';
  const bars = '▁▂▃▄▅▆▇█';
  const stride = Math.max(1, values.length / width);
  const picked: number[] = [];
  for (let i = 0; i < values.length; i += stride) picked.push(values[Math.floor(i)]!);
  const max = Math.max(...picked, 0);
  return picked.map((v) => bars[max > 0 ? Math.min(7, Math.round((Math.max(0, v) / max) * 7)) : 0]).join('');
}
