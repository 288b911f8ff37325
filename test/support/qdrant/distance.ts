/**
 * Distances as Qdrant computes them (lib/segment/src/spaces/simple.rs): Cosine vectors are normalised at
 * upsert and scored by dot product; Dot is the dot product; Euclid and Manhattan are distances (smaller is
 * better) reported as the score. Arithmetic is f32, like Qdrant's non-SIMD path.
 */
export type Distance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';

const F32_EPSILON = 1.1920929e-7;

/**
 * Qdrant's cosine preprocessing: divide by the L2 norm (as f32) unless its square is below f32::EPSILON. Qdrant
 * sums in SIMD lanes, whose order no scalar loop reproduces; here the squares are summed as doubles in four
 * lanes, (l0 + l1) + (l2 + l3), so a component can differ from real Qdrant's in the last f32 bit: compare
 * normalised vectors with a 1-ulp tolerance. A component beyond f32 range (stored as infinity) makes the
 * norm infinite, as in Qdrant: infinite components become NaN and the others 0. `inPlace` reuses the array
 * when the caller owns it (the upsert path).
 */
export function normalize(v: Float32Array, inPlace = false): Float32Array {
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  const n = v.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    l0 += v[i]! * v[i]!;
    l1 += v[i + 1]! * v[i + 1]!;
    l2 += v[i + 2]! * v[i + 2]!;
    l3 += v[i + 3]! * v[i + 3]!;
  }
  if (i < n) l0 += v[i]! * v[i]!;
  if (i + 1 < n) l1 += v[i + 1]! * v[i + 1]!;
  if (i + 2 < n) l2 += v[i + 2]! * v[i + 2]!;
  // Qdrant compares the squared length with f32::EPSILON, before the square root.
  const squared = Math.fround(l0 + l1 + (l2 + l3));
  if (squared < F32_EPSILON) return v;
  const len = Math.fround(Math.sqrt(squared));
  const out = inPlace ? v : new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = v[k]! / len;
  return out;
}

export function score(distance: Distance, a: Float32Array, b: Float32Array): number {
  let s = 0;
  switch (distance) {
    case 'Cosine':
    case 'Dot':
      for (let i = 0; i < a.length; i++) s = Math.fround(s + Math.fround(a[i]! * b[i]!));
      return s;
    case 'Euclid':
      for (let i = 0; i < a.length; i++) {
        const d = Math.fround(a[i]! - b[i]!);
        s = Math.fround(s + Math.fround(d * d));
      }
      return Math.fround(Math.sqrt(s));
    case 'Manhattan':
      for (let i = 0; i < a.length; i++) s = Math.fround(s + Math.abs(Math.fround(a[i]! - b[i]!)));
      return s;
  }
}

/** Larger is better for similarities, smaller for distances. */
export function higherIsBetter(distance: Distance): boolean {
  return distance === 'Cosine' || distance === 'Dot';
}
