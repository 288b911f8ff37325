/**
 * JSON Lines output of vectors: `{"id": <exact integer>, "vector": [...]}` per line. Ids are written from the
 * bigint (exact beyond 2^53); each float32 component in the shortest decimal that reads back to the same
 * float32, so a consumer parsing to float32 gets the stored bits exactly.
 */
import type { VectorBatch } from './types';

const f = Math.fround;

/**
 * Shortest decimal for a float32 value. 9 significant digits always round-trip, and if p digits do then so
 * do p+1, so a binary search over 1..9 finds the shortest in about three tries.
 */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`non-finite component ${v}`);
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  let lo = 1;
  let hi = 9;
  let best = Number(v.toPrecision(9));
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const candidate = Number(v.toPrecision(mid));
    if (f(candidate) === v) {
      best = candidate;
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return String(best);
}

/** Row `row` of a batch as one JSON line (without the newline). */
export function vectorLine(batch: VectorBatch, row: number, extra?: string): string {
  const d = batch.dimension;
  const parts = new Array<string>(d);
  const base = row * d;
  for (let i = 0; i < d; i++) {
    const v = batch.vectors[base + i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(`vector of id ${batch.ids[row]} has a non-finite component (${v}) at position ${i}, which JSON cannot represent`);
    }
    parts[i] = formatFloat32(v);
  }
  return `{"id":${batch.ids[row]!.toString()},"vector":[${parts.join(',')}]${extra ? `,${extra}` : ''}}`;
}
