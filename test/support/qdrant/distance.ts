/**
 * Distances as Qdrant computes them (lib/segment/src/spaces/simple.rs): Cosine vectors are normalised at
 * upsert and scored by dot product; Dot is the dot product; Euclid and Manhattan are distances (smaller is
 * better) reported as the score. Arithmetic is f32, like Qdrant's non-SIMD path.
 */
export type Distance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';

/**
 * Qdrant's cosine preprocessing: divide by the L2 norm (as f32) unless it is below f32::EPSILON. Qdrant
 * sums in SIMD lanes, whose order no scalar loop reproduces; here the squares are summed as doubles in
 * four lanes (component i into lane i mod 4, then (l0 + l1) + (l2 + l3)): four independent chains run
 * about twice as fast as one. A component can still differ from real Qdrant's in the last f32 bit, so
 * compare normalised vectors with a 1-ulp tolerance. `inPlace` reuses the array when the caller owns it
 * (the upsert path).
 */
export function normalize(v: Float32Array, inPlace = false): Float32Array {
  const n = v.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = v[i]!;
    const b = v[i + 1]!;
    const c = v[i + 2]!;
    const d = v[i + 3]!;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  if (i < n) s0 += v[i]! * v[i]!;
  if (i + 1 < n) s1 += v[i + 1]! * v[i + 1]!;
  if (i + 2 < n) s2 += v[i + 2]! * v[i + 2]!;
  const len = Math.fround(Math.sqrt(s0 + s1 + (s2 + s3)));
  if (len < 1.1920929e-7) return v;
  const out = inPlace ? v : new Float32Array(n);
  for (let j = 0; j < n; j++) out[j] = v[j]! / len;
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
