/**
 * One stored vector against its FAISS original. Euclid, Dot and Manhattan collections keep the float32
 * values as written, so they must match bit for bit. Cosine collections store the vector normalised by
 * Qdrant in float32, so the original is normalised here and each component may differ by the rounding of
 * that division and of the norm (a few units in the last place, bounded by the dimension).
 */
import type { Distance } from '../../../shared/contract';
import { normalized } from './distance';

export interface VectorDiff {
  equal: boolean;
  /** Why it differs, in one phrase ("dimension 383 instead of 384", "component 7: 0.5 instead of 0.25"). */
  reason: string | null;
  maxAbsDiff: number;
  /** The first differing component: its index, the expected float32 and what Qdrant holds. */
  first?: { index: number; want: number; got: unknown };
}

export function compareVector(distance: Distance, original: Float32Array, stored: unknown): VectorDiff {
  if (!Array.isArray(stored)) {
    return { equal: false, reason: stored === undefined || stored === null ? 'no vector stored' : 'stored vector is not a plain dense vector', maxAbsDiff: Infinity };
  }
  if (stored.length !== original.length) {
    return { equal: false, reason: `dimension ${stored.length} instead of ${original.length}`, maxAbsDiff: Infinity };
  }
  const cosine = distance === 'Cosine';
  const expected = cosine ? normalized(original) : original;
  // Qdrant normalises in float32: |Δ| ≤ (dim + 2) ulp relative to each component, plus one ulp of 1.
  const relTol = cosine ? (original.length + 2) * 2 ** -24 : 0;
  let maxAbsDiff = 0;
  let first: string | null = null;
  let at: VectorDiff['first'];
  for (let i = 0; i < expected.length; i++) {
    const raw = stored[i];
    if (typeof raw !== 'number') {
      if (first === null) at = { index: i, want: expected[i]!, got: raw };
      first ??= `component ${i} is not a number`;
      maxAbsDiff = Infinity;
      continue;
    }
    const got = Math.fround(raw);
    const want = expected[i]!;
    const diff = Math.abs(got - want);
    if (diff > maxAbsDiff || Number.isNaN(diff)) maxAbsDiff = Number.isNaN(diff) ? Infinity : diff;
    const ok = cosine ? diff <= relTol * Math.abs(want) + 2 ** -24 : Object.is(got, want) || got === want;
    if (!ok && first === null) {
      first = `component ${i}: ${got} instead of ${want}`;
      at = { index: i, want, got: raw };
    }
  }
  return { equal: first === null, reason: first, maxAbsDiff, ...(at ? { first: at } : {}) };
}
