/**
 * How serde_json (Qdrant's JSON reader) names values and types in its error messages, so the stand-in's
 * 400s read as Qdrant 1.18.3's do (checked against the real server by test/live/compare.test.ts):
 *   invalid type: string "ten", expected usize
 *   invalid value: integer `-1`, expected usize
 *   value 18446744073709552000 is not a valid point ID, …
 */

import { JsonFloat } from './json-in';

const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

/**
 * An f64 as Rust's `Display` writes it: the shortest digits that read back, never an exponent
 * (1e30 → "1000000000000000000000000000000", 1.0 → "1", 1e-7 → "0.0000001").
 */
export function rustF64(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'inf' : '-inf';
  const text = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, int, frac = '', exp] = m;
  const digits = int! + frac;
  const point = int!.length + Number(exp);
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A JSON number as serde_json holds it before it is converted: an integer that fits i64 or u64 stays one,
 * anything else (a fraction, an exponent, a bigger integer) is an f64. `v` comes from the stand-in's parser:
 * a number, or a bigint for integers beyond 2^53.
 */
export function serdeNumberText(v: number | bigint): string {
  if (typeof v === 'bigint') return v >= I64_MIN && v <= U64_MAX ? v.toString() : rustF64(Number(v));
  return Number.isInteger(v) && Number.isSafeInteger(v) ? String(v) : rustF64(v);
}

/** The value as Qdrant's point-id error names it (`value Unit is not a valid point ID` for null). */
export function pointIdValueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonFloat) return rustF64(v.value);
  if (typeof v === 'number' || typeof v === 'bigint') return serdeNumberText(v);
  if (v === null || v === undefined) return 'Unit';
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x instanceof JsonFloat ? x.value : x));
}

/** serde's `Unexpected` wording for a value: `string "ten"`, ``integer `5` ``, `sequence`, `map`, `null`. */
export function unexpected(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof JsonFloat) return `floating point \`${v.value}.0\``;
  if (Array.isArray(v)) return 'sequence';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  if (typeof v === 'bigint') return `integer \`${v}\``;
  if (typeof v === 'number') return Number.isInteger(v) ? `integer \`${v}\`` : `floating point \`${v}\``;
  return String(v);
}

const RUST_TYPE: Record<string, string> = { uint: 'usize', uint64: 'u64', uint32: 'u32', uint16: 'u16', uint8: 'u8', int64: 'i64', int32: 'i32', float: 'f32', double: 'f64' };

/** What serde says it expected, from an OpenAPI schema node: a Rust number type by its format, else the JSON kind. */
export function expected(schema: unknown): string {
  const s = (schema ?? {}) as { type?: string | string[]; format?: string };
  if (s.format && RUST_TYPE[s.format]) return RUST_TYPE[s.format]!;
  const type = (Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : [s.type])[0];
  switch (type) {
    case 'boolean':
      return 'a boolean';
    case 'string':
      return 'a string';
    case 'array':
      return 'a sequence';
    case 'object':
      return 'a map';
    case 'integer':
      return 'i64';
    case 'number':
      return 'f64';
    default:
      return 'a value';
  }
}
