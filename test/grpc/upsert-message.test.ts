/**
 * The hand-written UpsertPoints message, decoded by Qdrant's own generated schema: exact u64 and UUID ids,
 * vectors bit for bit (NaN payload bits, subnormals, -0 included), payloads, wait and ordering; messages
 * split under the byte limit without losing or repeating a point; a point alone over the limit refused.
 */
import { describe, expect, it } from 'vitest';
import { PointTooLargeError } from '../../electron/engine/qdrant/body-writer';
import { PayloadEncodingError } from '../../electron/engine/qdrant/grpc/json-to-value';
import { UpsertMessageWriter } from '../../electron/engine/qdrant/grpc/upsert-message';
import type { PointId } from '../../electron/engine/point-id';
import type { PreparedPoints } from '../../electron/engine/qdrant/types';
import { decodeUpsert, plain } from './oracle';

function batch(n: number, dim: number, seed = 1): PreparedPoints {
  let s = seed;
  const bits = new Uint32Array(n * dim);
  for (let i = 0; i < bits.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    bits[i] = s;
  }
  const ids: PointId[] = [];
  const labels = new BigInt64Array(n);
  const payloads: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = i % 3 === 0 ? BigInt(i) : i % 3 === 1 ? 18446744073709551615n - BigInt(i) : `0000${i.toString(16).padStart(4, '0')}-aaaa-4bbb-8ccc-dddddddddddd`;
    ids.push(id);
    labels[i] = BigInt(i);
    payloads.push(`{"source":"faiss","faiss_id":${i},"score":${i}.25,"text":"p\\u00e9 ${'x'.repeat(i % 50)}"}`);
  }
  return { batch: 7, dimension: dim, ids, labels, vectors: new Float32Array(bits.buffer), payloads };
}

function checkPoint(got: ReturnType<typeof decodeUpsert>['points'][number], points: PreparedPoints, i: number) {
  const id = points.ids[i]!;
  if (typeof id === 'bigint') expect(got.id?.pointIdOptions).toEqual({ case: 'num', value: id });
  else expect(got.id?.pointIdOptions).toEqual({ case: 'uuid', value: id });
  const v = got.vectors?.vectorsOptions;
  expect(v?.case).toBe('vector');
  const dense = v?.case === 'vector' ? v.value.vector : undefined;
  expect(dense?.case).toBe('dense');
  const data = dense?.case === 'dense' ? dense.value.data : [];
  const d = points.dimension;
  // bit-exact; NaNs are left out here (a float32 NaN read into a JS number and back is quieted), the raw
  // byte check below covers them
  const want = new Uint32Array(points.vectors.buffer, points.vectors.byteOffset + i * d * 4, d);
  const gotBits = new Uint32Array(Float32Array.from(data).buffer);
  let differ = 0;
  for (let j = 0; j < d; j++) if ((want[j]! & 0x7f800000) !== 0x7f800000 && gotBits[j] !== want[j]) differ++;
  expect(differ, `floats of point ${i} that differ`).toBe(0);
  expect(plain({ kind: { case: 'structValue', value: { fields: got.payload } } } as never)).toEqual({
    struct: { source: 'faiss', faiss_id: { int: BigInt(i) }, score: { double: i + 0.25 }, text: `pé ${'x'.repeat(i % 50)}` },
  });
}

describe('UpsertPoints written by hand', () => {
  it("decodes with Qdrant's schema: ids, bit-exact vectors, payloads, collection, wait, ordering", () => {
    const points = batch(40, 17);
    for (const ordering of ['weak', 'medium', 'strong'] as const) {
      const { message, next } = new UpsertMessageWriter('my.collection-1', ordering).encode(points, Array.from({ length: 40 }, (_, i) => i), 0, 32 << 20);
      expect(next).toBe(40);
      const m = decodeUpsert(message);
      expect(m.collectionName).toBe('my.collection-1');
      expect(m.wait).toBe(true);
      expect(m.ordering?.type ?? 0).toBe({ weak: 0, medium: 1, strong: 2 }[ordering]);
      expect(m.points).toHaveLength(40);
      m.points.forEach((p, k) => checkPoint(p, points, k));
      // every vector's bytes, NaN payloads included, are in the message verbatim
      for (let i = 0; i < 40; i++) expect(message.indexOf(Buffer.from(points.vectors.buffer, i * 17 * 4, 17 * 4))).toBeGreaterThan(0);
    }
  });

  it('only the positions in `order`, in that order; a point without payload has none', () => {
    const points = { ...batch(10, 4), payloads: null };
    const order = [9, 2, 5];
    const m = decodeUpsert(new UpsertMessageWriter('c').encode(points, order, 0, 1 << 20).message);
    expect(m.points.map((p) => p.id?.pointIdOptions.value)).toEqual(order.map((i) => points.ids[i]));
    expect(m.points.every((p) => Object.keys(p.payload).length === 0)).toBe(true);
  });

  it('splits under the byte limit: every message fits, every point once, in order (1536-d, 2.4 MB: the writer grows)', () => {
    const points = batch(400, 1536, 9);
    const order = Array.from({ length: 400 }, (_, i) => i);
    const writer = new UpsertMessageWriter('c');
    for (const limit of [64 * 1024, 1_000_000, 8 << 20]) {
      const seen: number[] = [];
      let from = 0;
      let messages = 0;
      while (from < order.length) {
        const { message, next } = writer.encode(points, order, from, limit);
        expect(message.length).toBeLessThanOrEqual(limit);
        expect(next).toBeGreaterThan(from);
        const m = decodeUpsert(message);
        m.points.forEach((p, k) => checkPoint(p, points, from + k));
        for (let k = from; k < next; k++) seen.push(k);
        from = next;
        messages++;
      }
      expect(seen).toEqual(order);
      expect(messages).toBeGreaterThanOrEqual(Math.ceil((400 * 1536 * 4) / limit));
    }
  });

  it('a point that alone exceeds the limit is refused (PointTooLargeError), a bad payload with its reason', () => {
    const points = batch(3, 1000);
    expect(() => new UpsertMessageWriter('c').encode(points, [0, 1, 2], 0, 2000)).toThrow(PointTooLargeError);
    const bad = { ...points, payloads: ['{"a":1}', '{"s":"\\ud800"}', '{"a":2}'] };
    const writer = new UpsertMessageWriter('c');
    expect(() => writer.encode(bad, [0, 1, 2], 0, 1 << 20)).toThrow(PayloadEncodingError);
    // the writer is still usable after a refused point
    expect(decodeUpsert(writer.encode(bad, [0, 2], 0, 1 << 20).message).points).toHaveLength(2);
  });
});
