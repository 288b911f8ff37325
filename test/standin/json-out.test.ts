/** The response writer prints f32 values as Qdrant (serde_json + ryu) does: shortest text that reads back exactly. */
import { describe, expect, it } from 'vitest';
import { f32ToJson, writeJson, F32 } from '../support/qdrant/json-out';

/** The shortest significant-digit count that round-trips, found the slow, obvious way. */
function shortestDigits(f: number): number {
  for (let p = 1; p <= 9; p++) if (Math.fround(Number(f.toPrecision(p))) === f) return p;
  return 9;
}
const digits = (s: string) => s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;

describe('f32ToJson', () => {
  it('reads back as the same f32, with the fewest digits, across 100,000 random bit patterns', () => {
    const u32 = new Uint32Array(1);
    const f32 = new Float32Array(u32.buffer);
    let seed = 2026;
    let checked = 0;
    for (let i = 0; i < 100_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      u32[0] = seed ^ Math.imul(i, 2654435761);
      const f = f32[0]!;
      if (!Number.isFinite(f)) continue;
      const s = f32ToJson(f);
      expect(s).toMatch(/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/);
      expect(Math.fround(Number(s))).toBe(f);
      if (f !== 0) expect(digits(s)).toBe(shortestDigits(f));
      checked++;
    }
    expect(checked).toBeGreaterThan(99_000);
  });

  it('writes familiar values as Qdrant does', () => {
    expect([0.1, 1, 3, 0.5, -2.5, 0.013870078, 1 / 3].map((x) => f32ToJson(Math.fround(x)))).toEqual(['0.1', '1.0', '3.0', '0.5', '-2.5', '0.013870078', '0.33333334']);
    expect(f32ToJson(Number.NaN)).toBe('null');
  });

  it('writes bigint ids exactly and f32 arrays and scores in shortest form', () => {
    expect(writeJson({ id: 18446744073709551615n, vector: Float32Array.of(0.1, 2), score: new F32(0.1), skip: undefined })).toBe('{"id":18446744073709551615,"vector":[0.1,2.0],"score":0.1}');
  });
});
