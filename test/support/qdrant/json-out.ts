/**
 * The response writer. Qdrant (serde_json) prints u64 ids exactly and f32 vector components in their
 * shortest round-trip form ("0.1", not "0.10000000149011612"). A client that parses these gets the same
 * doubles it would get from real Qdrant, so comparisons that work here work there. JSON.stringify can do
 * neither, so responses go through this writer: bigint → integer literal, Float32Array → shortest f32 text.
 */

import { JsonFloat } from './json-in';

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Shortest decimal text that reads back (through a double, then f32) as exactly `f`. */
export function f32ToJson(f: number): string {
  if (!Number.isFinite(f)) return 'null';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const a = Math.abs(f);
  if (a >= 1e-10 && a < 1e15) {
    // Digits by integer arithmetic: m·10^-k with m of p digits, shortest p whose value rounds back to f.
    // m/10^k (or m·10^-k) is exact-operand, single-rounding: the double a JSON parser gives for that text.
    let e = Math.floor(Math.log10(a));
    if (e >= 0 ? POW10[e]! > a : 1 / POW10[-e]! > a) e--;
    else if (e + 1 >= 0 ? POW10[e + 1]! <= a : 1 / POW10[-e - 1]! <= a) e++;
    for (let p = 1; p <= 9; p++) {
      const k = p - 1 - e;
      const m = k >= 0 ? Math.round(a * POW10[k]!) : Math.round(a / POW10[-k]!);
      const back = k >= 0 ? m / POW10[k]! : m * POW10[-k]!;
      if (Math.fround(back) !== a) continue;
      return (f < 0 ? '-' : '') + decimalText(m, k);
    }
  }
  return f32ToJsonSlow(f);
}

/** m·10^-k as plain decimal text ("0.013870078", "1234.5", "1.0"). */
function decimalText(m: number, k: number): string {
  let s = String(m);
  let kk = k;
  // Drop trailing zeros of the mantissa (a rounding may produce them).
  while (kk > 0 && s.length > 1 && s.charCodeAt(s.length - 1) === 48) {
    s = s.slice(0, -1);
    kk--;
  }
  if (kk <= 0) return `${s}${'0'.repeat(-kk)}.0`;
  if (kk < s.length) return `${s.slice(0, s.length - kk)}.${s.slice(s.length - kk)}`;
  return `0.${'0'.repeat(kk - s.length)}${s}`;
}

/** The general (slower) form for very small or large magnitudes. */
function f32ToJsonSlow(f: number): string {
  let best = '';
  for (let p = 9; p >= 1; p--) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) !== f) break;
    best = s;
  }
  if (best === '') best = f.toPrecision(9);
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
  if (v instanceof JsonFloat) {
    out.push(f64FloatText(v.value));
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

/** A whole-number f64 written so it reads back as a float, as serde_json writes it (`1.0`, `100.0`, `1e+16`). */
function f64FloatText(x: number): string {
  if (Object.is(x, -0)) return '-0.0';
  return Math.abs(x) < 1e16 ? `${x}.0` : x.toExponential();
}

/** JSON text for a response body (bigint exact, Float32Array as shortest f32). */
export function writeJson(v: unknown): string {
  const out: string[] = [];
  write(v, out);
  return out.join('');
}

/**
 * The same value as plain JSON data for schema validation: bigint → number (the schema only checks
 * type and range, which a double answers for u64), Float32Array → number[]. A non-finite f32 (a score or
 * vector component from a vector holding infinity) becomes 0: Qdrant writes it as null although its own
 * document says number, and the stand-in answers as Qdrant does.
 */
export function toPlain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Float32Array) return Array.from(v, (x) => (Number.isFinite(x) ? x : 0));
  if (v instanceof F32) return Number.isFinite(v.value) ? v.value : 0;
  if (v instanceof JsonFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  const o: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (val !== undefined) o[k] = toPlain(val);
  return o;
}
