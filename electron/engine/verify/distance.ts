/**
 * Scores under a Qdrant distance, computed the way Qdrant ranks, as one "key" where larger is better:
 * Cosine → cosine similarity, Dot → dot product, Euclid → −(squared L2 distance), Manhattan → −(L1 distance).
 * Ground truth is computed in float64 from the float32 vectors; Qdrant computes in float32 with SIMD, so
 * comparisons allow a tolerance proportional to the magnitudes involved (never to the result itself, so a
 * wrong vector still shows).
 */
import type { Distance } from '../../../shared/contract';

export function isDistance(s: unknown): s is Distance {
  return s === 'Cosine' || s === 'Dot' || s === 'Euclid' || s === 'Manhattan';
}

export function norm(v: Float32Array, offset = 0, dim = v.length): number {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const x = v[offset + i]!;
    s += x * x;
  }
  return Math.sqrt(s);
}

/** Key (larger is better) of row `v[offset .. offset+dim)` against query `q` with precomputed norms. */
export function scoreKey(distance: Distance, q: Float32Array, qNorm: number, v: Float32Array, offset: number, dim: number): number {
  switch (distance) {
    case 'Dot': {
      let s = 0;
      for (let i = 0; i < dim; i++) s += q[i]! * v[offset + i]!;
      return s;
    }
    case 'Cosine': {
      let s = 0;
      let vv = 0;
      for (let i = 0; i < dim; i++) {
        const x = v[offset + i]!;
        s += q[i]! * x;
        vv += x * x;
      }
      // Qdrant leaves a zero vector as it is (its dot product with anything is 0).
      const d = qNorm * Math.sqrt(vv);
      return d === 0 ? 0 : s / d;
    }
    case 'Euclid': {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        const x = q[i]! - v[offset + i]!;
        s += x * x;
      }
      return -s;
    }
    case 'Manhattan': {
      let s = 0;
      for (let i = 0; i < dim; i++) s += Math.abs(q[i]! - v[offset + i]!);
      return -s;
    }
  }
}

/** Qdrant's reported score turned into the same key (Qdrant reports the Euclid distance, not its square). */
export function keyFromQdrantScore(distance: Distance, score: number): number {
  switch (distance) {
    case 'Dot':
    case 'Cosine':
      return score;
    case 'Euclid':
      return -(score * score);
    case 'Manhattan':
      return -Math.abs(score);
  }
}

/** A key as the user reads it (the score Qdrant would show). */
export function displayScore(distance: Distance, key: number): number {
  return distance === 'Euclid' ? Math.sqrt(Math.max(0, -key)) : distance === 'Manhattan' ? -key : key;
}

/**
 * How far apart two keys of one query may be and still count as the same score: float32 accumulation
 * error over `dim` terms, scaled by the magnitudes (|q|, the largest |v| in the source).
 */
export function keyTolerance(distance: Distance, dim: number, qNorm: number, maxNorm: number): number {
  const eps = 2 ** -23 * Math.sqrt(dim) * 8;
  switch (distance) {
    case 'Cosine':
      return eps + 1e-6;
    case 'Dot':
      return eps * qNorm * maxNorm + 1e-6;
    case 'Euclid':
      return eps * (qNorm + maxNorm) ** 2 + 1e-6;
    case 'Manhattan':
      return eps * Math.sqrt(dim) * (qNorm + maxNorm) + 1e-6;
  }
}

/** float32 normalisation as Qdrant applies it to Cosine collections (zero vectors are kept). */
export function normalized(v: Float32Array): Float32Array {
  const n = norm(v);
  if (n === 0) return v;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}
