/**
 * float32 values as the shortest decimal that reads back as the same float32: what Qdrant prints, so a
 * vector exported as JSON Lines or shown beside a Qdrant point compares digit for digit (5.818188, not
 * 5.818188190460205), and a consumer parsing to float32 gets the stored bits exactly. One owner for the FAISS
 * JSON Lines export and the points browser's source vector. (The upsert body writer in qdrant/float-format.ts
 * writes 9 significant digits on purpose, for speed; it is not this.)
 */
const f = Math.fround;

/**
 * The shortest-digit number for a float32 value (non-finite values and zeros pass through). 9 significant
 * digits always round-trip, and if p digits do then so do p+1, so a binary search over 1..9 finds the
 * shortest in about three tries.
 */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
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
  return best;
}

/** The same shortest decimal as JSON text; -0 keeps its sign, and a non-finite value (no JSON form) throws. */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`non-finite component ${v}`);
  if (Object.is(v, -0)) return '-0';
  return String(shortestFloat32(v));
}
