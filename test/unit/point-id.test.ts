import { describe, expect, it } from 'vitest';
import { pointIdForLabel, pointIdFromString, pointIdToString } from '../../electron/engine/point-id';

describe('pointIdForLabel', () => {
  it('keeps non-negative labels exact, beyond 2^53', () => {
    expect(pointIdForLabel(0n)).toBe(0n);
    expect(pointIdForLabel(9007199254740993n)).toBe(9007199254740993n);
    expect(pointIdForLabel(9223372036854775807n)).toBe(9223372036854775807n);
  });
  it('maps negative labels to distinct, stable version-5 UUIDs', () => {
    const a = pointIdForLabel(-1n);
    const b = pointIdForLabel(-2n);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(pointIdForLabel(-1n)).toBe(a);
    expect(pointIdForLabel(-9223372036854775808n)).not.toBe(a);
  });
  it('round-trips through the contract string form', () => {
    for (const l of [0n, 42n, 18446744073709551615n, -5n]) {
      const id = pointIdForLabel(l);
      expect(pointIdFromString(pointIdToString(id))).toEqual(id);
    }
  });
});
