/**
 * Decoder corners the FAISS-written fixtures do not reach (half-float specials, bit-packed PQ codes of widths
 * no fixture uses) and the JSON Lines number format.
 */
import { describe, expect, it } from 'vitest';
import { pqDecoder, sqDecoder } from '../../electron/engine/faiss/decoders';
import { formatFloat32 } from '../../electron/engine/float32';

describe('fp16 and bf16 decoding', () => {
  it('decodes IEEE half specials exactly', () => {
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc000, -2],
      [0x7bff, 65504],
      [0x0001, 2 ** -24],
      [0x03ff, 1023 * 2 ** -24],
      [0x0400, 2 ** -14],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
      [0x8000, -0],
      [0x3555, 0.333251953125],
    ];
    const dec = sqDecoder({ qtype: 4, d: cases.length, codeSize: 2 * cases.length, trained: new Float32Array(0) }, 'QT_fp16');
    const code = new Uint8Array(2 * cases.length);
    cases.forEach(([h], i) => {
      code[2 * i] = h & 0xff;
      code[2 * i + 1] = h >> 8;
    });
    const out = new Float32Array(cases.length);
    dec.decode(code, 1, out, 0);
    cases.forEach(([, v], i) => expect(Object.is(out[i], v), `half ${cases[i]![0].toString(16)}`).toBe(true));
    const nan = new Float32Array(1);
    sqDecoder({ qtype: 4, d: 1, codeSize: 2, trained: new Float32Array(0) }, 'QT_fp16').decode(Uint8Array.of(0x00, 0x7e), 1, nan, 0);
    expect(Number.isNaN(nan[0])).toBe(true);
  });

  it('bf16 is the upper half of a float32', () => {
    const src = Float32Array.of(1.5, -3.140625, 2 ** 100, -0);
    const words = new Uint16Array(src.buffer);
    const code = new Uint8Array(8);
    for (let i = 0; i < 4; i++) {
      code[2 * i] = words[2 * i + 1]! & 0xff;
      code[2 * i + 1] = words[2 * i + 1]! >> 8;
    }
    const out = new Float32Array(4);
    sqDecoder({ qtype: 7, d: 4, codeSize: 8, trained: new Float32Array(0) }, 'QT_bf16').decode(code, 1, out, 0);
    expect([...out]).toEqual([1.5, -3.140625, 2 ** 100, -0]);
  });
});

describe('PQ codes of any width', () => {
  for (const nbits of [1, 3, 5, 7, 12, 16]) {
    it(`nbits=${nbits}: sub-codes read from a little-endian bit stream`, () => {
      const M = 5;
      const d = M; // dsub = 1: centroid k of sub-quantizer m is m·1000 + k
      const ksub = 2 ** nbits;
      const centroids = new Float32Array(M * ksub);
      for (let m = 0; m < M; m++) for (let k = 0; k < ksub; k++) centroids[m * ksub + k] = m * 100000 + k;
      const dec = pqDecoder({ d, M, nbits, centroids });
      expect(dec.codeSize).toBe(Math.ceil((M * nbits) / 8));
      // Two vectors, packed like FAISS's PQEncoderGeneric.
      const want = [0, 1, 2, 3, 4].map((m) => [(m * 7 + 3) % ksub, ksub - 1 - m].map((x) => Math.max(0, x)));
      const code = new Uint8Array(2 * dec.codeSize);
      for (let v = 0; v < 2; v++) {
        let bit = 0;
        for (let m = 0; m < M; m++) {
          const k = want[m]![v]!;
          for (let b = 0; b < nbits; b++, bit++) if ((k >> b) & 1) code[v * dec.codeSize + (bit >> 3)]! |= 1 << (bit & 7);
        }
      }
      const out = new Float32Array(2 * d);
      dec.decode(code, 2, out, 0);
      for (let v = 0; v < 2; v++) for (let m = 0; m < M; m++) expect(out[v * d + m]).toBe(m * 100000 + want[m]![v]!);
    });
  }
});

describe('float32 in JSON Lines', () => {
  it('writes the shortest decimal that reads back to the same float32', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(0.5)).toBe('0.5');
    expect(formatFloat32(-0)).toBe('-0');
    expect(formatFloat32(Math.fround(16777217))).toBe('16777216');
    expect(formatFloat32(Math.fround(3.4e38))).toBe('3.4e+38');
    expect(formatFloat32(2 ** -149)).toBe('1e-45');
    let seed = 7;
    const words = new Uint32Array(1);
    const f = new Float32Array(words.buffer);
    for (let i = 0; i < 20000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      words[0] = seed;
      if (!Number.isFinite(f[0]!)) continue;
      const s = formatFloat32(f[0]!);
      expect(Object.is(Math.fround(JSON.parse(s) as number), f[0]), s).toBe(true);
    }
  });

  it('refuses NaN and infinities, which JSON cannot carry', () => {
    expect(() => formatFloat32(NaN)).toThrow(RangeError);
    expect(() => formatFloat32(Infinity)).toThrow(RangeError);
  });
});
