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

/**
 * A check's details as short lines a person reads: `key: value` for scalars and objects (one-line JSON),
 * and one line per item for lists (failures, examples), so a named point stays on one line.
 */
export function detailLines(details: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(details)) {
    if (Array.isArray(v) && v.length > 0 && v.some((x) => typeof x === 'object' && x !== null)) {
      out.push(`${k}:`);
      for (const item of v) {
        out.push(
          typeof item === 'object' && item !== null
            ? `  • ${Object.entries(item as Record<string, unknown>).map(([a, b]) => `${a} ${value(b)}`).join(', ')}`
            : `  • ${value(item)}`,
        );
      }
    } else if (Array.isArray(v)) {
      out.push(`${k}: ${v.length ? v.map(value).join(', ') : 'none'}`);
    } else {
      out.push(`${k}: ${typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(6))) : value(v)}`);
    }
  }
  return out;
}
