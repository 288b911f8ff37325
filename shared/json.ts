/**
 * JSON that keeps integers exact beyond 2^53.
 *
 * Qdrant point ids are unsigned 64-bit and FAISS labels are int64: both travel as `bigint` inside the
 * product and must cross JSON boundaries (WebSocket frames, reports, exports) without rounding.
 * `stringifyJson` writes a bigint as a bare integer literal; `parseJson` turns any integer literal that
 * is not a safe JS number back into a bigint. Small documents only: the bulk upsert path has its own
 * body writer.
 */
import { parse, stringify, isSafeNumber } from 'lossless-json';

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

export function stringifyJson(value: unknown, space?: number): string {
  const out = stringify(value, (_key, v) => v, space, [
    { test: (v: unknown) => typeof v === 'bigint', stringify: (v: unknown) => (v as bigint).toString() },
  ]);
  if (out === undefined) throw new TypeError('value is not JSON-serialisable');
  return out;
}

function parseNumber(text: string): number | bigint {
  if (isSafeNumber(text)) return Number(text);
  if (/^-?\d+$/.test(text)) return BigInt(text);
  return Number(text);
}

export function parseJson<T = unknown>(text: string): T {
  return parse(text, null, parseNumber) as T;
}
