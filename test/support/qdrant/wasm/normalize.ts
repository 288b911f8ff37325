/**
 * AssemblyScript (compiled to WebAssembly by test/support/qdrant/wasm-module.ts): Qdrant's cosine
 * preprocessing for the stand-in, in place, four floats a step. This is the stand-in's only
 * implementation of it (distance.ts calls it), so the upsert fast path, the general path and queries all
 * store and score with the same bits.
 *
 * The squares are summed as doubles in four lanes (component i into lane i mod 4, then
 * (l0 + l1) + (l2 + l3)), the norm is rounded to f32, and each component is divided by it in f32 (the
 * same result as dividing the doubles and rounding once: f32 division is correctly rounded).
 */

/** Where the host may put vectors: after this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Normalise the n floats at p in place; false (and untouched) when the norm is below f32::EPSILON. */
export function normalize(p: usize, n: u32): bool {
  let s01 = f64x2.splat(0);
  let s23 = f64x2.splat(0);
  const whole = n & ~3;
  for (let i: u32 = 0; i < whole; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
    s01 = f64x2.add(s01, f64x2.mul(lo, lo));
    s23 = f64x2.add(s23, f64x2.mul(hi, hi));
  }
  let s0 = f64x2.extract_lane(s01, 0);
  let s1 = f64x2.extract_lane(s01, 1);
  let s2 = f64x2.extract_lane(s23, 0);
  const s3 = f64x2.extract_lane(s23, 1);
  const tail = p + (<usize>whole << 2);
  if (whole < n) s0 += <f64>load<f32>(tail) * <f64>load<f32>(tail);
  if (whole + 1 < n) s1 += <f64>load<f32>(tail, 4) * <f64>load<f32>(tail, 4);
  if (whole + 2 < n) s2 += <f64>load<f32>(tail, 8) * <f64>load<f32>(tail, 8);
  const len = <f32>Math.sqrt(s0 + s1 + (s2 + s3));
  // Compared as a double, as the JavaScript `len < 1.1920929e-7` it replaces (2^-23 itself is below it).
  if (<f64>len < 1.1920929e-7) return false;
  const by = f32x4.splat(len);
  for (let i: u32 = 0; i < whole; i += 4) {
    const at = p + (<usize>i << 2);
    v128.store(at, f32x4.div(v128.load(at), by));
  }
  for (let i = whole; i < n; i++) {
    const at = p + (<usize>i << 2);
    store<f32>(at, load<f32>(at) / len);
  }
  return true;
}
