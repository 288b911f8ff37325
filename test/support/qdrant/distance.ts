/**
 * Distances as Qdrant computes them (lib/segment/src/spaces/simple.rs): Cosine vectors are normalised at
 * upsert and scored by dot product; Dot is the dot product; Euclid and Manhattan are distances (smaller is
 * better) reported as the score. Arithmetic is f32, like Qdrant's non-SIMD path.
 */
import { wasmInstance } from './wasm-module';

export type Distance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';

/**
 * Qdrant's cosine preprocessing: divide by the L2 norm (as f32) unless it is below f32::EPSILON. Qdrant
 * sums in SIMD lanes, whose order no scalar loop reproduces; the kernel (wasm/normalize.ts) sums the
 * squares as doubles in four lanes, so a component can differ from real Qdrant's in the last f32 bit:
 * compare normalised vectors with a 1-ulp tolerance. `inPlace` reuses the array when the caller owns it
 * (the upsert path).
 */
export function normalize(v: Float32Array, inPlace = false): Float32Array {
  const k = (kernel ??= new NormalizeKernel());
  const out = k.run(v);
  if (!out) return v;
  if (inPlace) {
    v.set(out);
    return v;
  }
  return out.slice();
}

interface NormalizeExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  normalize(p: number, n: number): number;
}

/** The WebAssembly kernel and its memory: a vector is copied in, normalised there, and read back. */
class NormalizeKernel {
  private readonly ex = wasmInstance<NormalizeExports>('normalize');
  private readonly at = Math.ceil(this.ex.heapBase() / 16) * 16;
  private floats = new Float32Array(this.ex.memory.buffer);

  /** The normalised vector (a view into the kernel's memory, valid until the next call), or undefined below epsilon. */
  run(v: Float32Array): Float32Array | undefined {
    const need = this.at + v.length * 4;
    const memory = this.ex.memory;
    if (need > memory.buffer.byteLength) {
      memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
      this.floats = new Float32Array(memory.buffer);
    }
    const i = this.at >> 2;
    const view = this.floats.subarray(i, i + v.length);
    view.set(v);
    return this.ex.normalize(this.at, v.length) ? view : undefined;
  }
}

let kernel: NormalizeKernel | undefined;

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
