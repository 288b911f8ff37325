/** The shape every benchmark section returns, and the printer `npm run bench` uses. */
export interface BenchTable {
  title: string;
  /** What the numbers are compared with, named (e.g. "seed: Python faiss read_index + reconstruct_n"). */
  reference?: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

function cell(v: string | number): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return v;
}

export function formatTable(t: BenchTable): string {
  const rows = t.rows.map((r) => r.map(cell));
  const widths = t.columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [`## ${t.title}`];
  if (t.reference) out.push(`reference: ${t.reference}`);
  out.push(line(t.columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line));
  for (const n of t.notes ?? []) out.push(`- ${n}`);
  return out.join('\n');
}
