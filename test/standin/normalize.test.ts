/**
 * The stand-in's cosine preprocessing (the WebAssembly kernel behind distance.ts normalize) against the
 * rule written out in plain JavaScript: squares summed as doubles in four lanes, (l0 + l1) + (l2 + l3),
 * the norm rounded to f32, each component divided and rounded to f32, nothing done below f32::EPSILON.
 */
import { describe, expect, it } from 'vitest';
import { normalize } from '../support/qdrant/distance';

function reference(v: Float32Array): Float32Array {
  const lanes = [0, 0, 0, 0];
  v.forEach((x, i) => (lanes[i % 4]! += x * x));
  const len = Math.fround(Math.sqrt(lanes[0]! + lanes[1]! + (lanes[2]! + lanes[3]!)));
  if (len < 1.1920929e-7) return v;
  return v.map((x) => x / len);
}

const bits = (v: Float32Array) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));

describe('cosine normalisation kernel', () => {
  it('gives the reference bits for 3,000 seeded vectors of every length remainder, scale and sign', () => {
    let seed = 2024;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let k = 0; k < 3000; k++) {
      const n = 1 + Math.floor(rnd() * 40) + (k % 7 === 0 ? 384 : 0);
      const scale = 2 ** (Math.floor(rnd() * 80) - 60);
      const v = Float32Array.from({ length: n }, () => (rnd() - 0.5) * scale);
      const want = reference(v);
      const copy = v.slice();
      const got = normalize(copy);
      expect(bits(got), `n=${n} scale=${scale}`).toEqual(bits(want));
      expect(bits(copy), 'not in place unless asked').toEqual(bits(v));
      const owned = v.slice();
      expect(normalize(owned, true)).toBe(owned);
      expect(bits(owned)).toEqual(bits(want));
    }
  });

  it('leaves a vector whose norm is at or below f32::EPSILON (2^-23) untouched, and normalises just above it', () => {
    const at = new Float32Array([2 ** -23, 0, 0]);
    expect(normalize(at)).toBe(at);
    expect(Array.from(normalize(new Float32Array([0, 0, 0, 0, 0])))).toEqual([0, 0, 0, 0, 0]);
    const above = new Float32Array([2 ** -22, 0, 0]);
    expect(Array.from(normalize(above))).toEqual([1, 0, 0]);
  });
});
