/**
 * The response writer. Qdrant (serde_json) prints u64 ids exactly and f32 vector components in their
 * shortest round-trip form ("0.1", not "0.10000000149011612"). A client that parses these gets the same
 * doubles it would get from real Qdrant, so comparisons that work here work there. JSON.stringify can do
 * neither, so responses go through this writer: bigint → integer literal, Float32Array → shortest f32 text.
 */

/** Shortest decimal text that reads back (through a double, then f32) as exactly `f`. */
export function f32ToJson(f: number): string {
  if (!Number.isFinite(f)) return 'null';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  // Most float32 values need 8 or 9 significant digits: try 8 first, then walk down while it still holds.
  let best = f.toPrecision(9);
  let p = 8;
  while (p >= 1) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) !== f) break;
    best = s;
    p--;
  }
  const n = Number(best);
  const out = String(n);
  return Number.isInteger(n) && !out.includes('e') ? `${out}.0` : out;
}

/** A number Qdrant holds as f32 (scores): written in its shortest f32 form. */
export class F32 {
  constructor(readonly value: number) {}
}

function writeString(s: string): string {
  return JSON.stringify(s);
}

function write(v: unknown, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'string':
      out.push(writeString(v));
      return;
    case 'number':
      out.push(Number.isFinite(v) ? String(v) : 'null');
      return;
    case 'bigint':
      out.push(v.toString());
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      out.push('null');
      return;
  }
  if (v instanceof F32) {
    out.push(f32ToJson(Math.fround(v.value)));
    return;
  }
  if (v instanceof Float32Array) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + f32ToJson(v[i]!);
    out.push(`${s}]`);
    return;
  }
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(',');
      write(v[i], out);
    }
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(writeString(k), ':');
    write(val, out);
  }
  out.push('}');
}

/** JSON text for a response body (bigint exact, Float32Array as shortest f32). */
export function writeJson(v: unknown): string {
  const out: string[] = [];
  write(v, out);
  return out.join('');
}

/**
 * The same value as plain JSON data for schema validation: bigint → number (the schema only checks
 * type and range, which a double answers for u64), Float32Array → number[].
 */
export function toPlain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Float32Array) return Array.from(v);
  if (v instanceof F32) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  const o: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (val !== undefined) o[k] = toPlain(val);
  return o;
}
