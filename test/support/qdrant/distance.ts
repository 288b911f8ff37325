/**
 * Distances as Qdrant computes them (lib/segment/src/spaces/simple.rs): Cosine vectors are normalised at
 * upsert and scored by dot product; Dot is the dot product; Euclid and Manhattan are distances (smaller is
 * better) reported as the score. Arithmetic is f32, like Qdrant's non-SIMD path.
 */
export type Distance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';

/**
 * Qdrant's cosine preprocessing: divide by the L2 norm (as f32) unless it is below f32::EPSILON. Qdrant
 * sums in SIMD lanes, whose order no scalar loop reproduces; the sum here is a double, so a component can
 * differ from real Qdrant's in the last f32 bit (compare normalised vectors with a 1-ulp tolerance).
 * `inPlace` reuses the array when the caller owns it (the upsert path).
 */
export function normalize(v: Float32Array, inPlace = false): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const len = Math.fround(Math.sqrt(sum));
  if (len < 1.1920929e-7) return v;
  const out = inPlace ? v : new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / len;
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
