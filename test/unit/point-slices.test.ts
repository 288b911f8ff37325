/**
 * Requests of several batches (REQUEST_POINTS): one read split into batches that share its memory, joined
 * back into one request without a copy; batches from elsewhere (put back after a pause) copied in order;
 * every point keeps its own batch number through slices and picks (a failed point is recorded under it).
 */
import { describe, expect, it } from 'vitest';
import type { VectorBatch } from '../../electron/engine/faiss/types';
import { joinPoints, pickPoints, slicePoints, splitBatch } from '../../electron/engine/migration/point-slices';
import { preparePoints } from '../../electron/engine/migration/prepare';
import { batchOfPoint } from '../../electron/engine/qdrant/types';

const D = 3;

/** Rows [start, start + count): label = row, vector components row*10 + j. */
function read(start: number, count: number): VectorBatch {
  const ids = BigInt64Array.from({ length: count }, (_, i) => BigInt(start + i));
  const vectors = Float32Array.from({ length: count * D }, (_, k) => (start + Math.floor(k / D)) * 10 + (k % D));
  return { start, count, dimension: D, ids, vectors };
}

const prepare = (b: VectorBatch, bs: number) => preparePoints(Math.floor(b.start / bs), b, 'raw', null, '2026-12-02T00:00:00Z');

describe('requests of several batches', () => {
  it('splits one read into batches of the batch size, the last shorter, as views of the same memory', () => {
    const r = read(100, 25);
    const parts = splitBatch(r, 10);
    expect(parts.map((p) => [p.start, p.count])).toEqual([[100, 10], [110, 10], [120, 5]]);
    expect(parts.every((p) => p.vectors.buffer === r.vectors.buffer && p.ids.buffer === r.ids.buffer)).toBe(true);
    expect(Array.from(parts[2]!.vectors.subarray(0, D))).toEqual([1200, 1201, 1202]);
    expect(splitBatch(r, 25)).toEqual([r]);
  });

  it('joins batches read together without a copy, each point under its own batch', () => {
    const r = read(100, 25);
    const joined = joinPoints(splitBatch(r, 10).map((b) => prepare(b, 10)));
    expect(joined.vectors.buffer).toBe(r.vectors.buffer);
    expect(Array.from(joined.vectors)).toEqual(Array.from(r.vectors));
    expect(Array.from(joined.labels)).toEqual(Array.from(r.ids));
    expect(joined.ids.length).toBe(25);
    expect([batchOfPoint(joined, 0), batchOfPoint(joined, 9), batchOfPoint(joined, 10), batchOfPoint(joined, 24)]).toEqual([10, 10, 11, 12]);
    expect(joined.payloads![24]).toBe('{"source":"faiss","faiss_id":124,"migrated_at":"2026-12-02T00:00:00Z","batch_num":12}');
  });

  it('copies batches from different reads (put back after a pause) into one request, in order', () => {
    const a = read(300, 10);
    const b = read(100, 10);
    const joined = joinPoints([prepare(a, 10), prepare(b, 10)]);
    expect(joined.vectors.buffer).not.toBe(a.vectors.buffer);
    expect(Array.from(joined.labels)).toEqual([...Array.from(a.ids), ...Array.from(b.ids)]);
    expect(Array.from(joined.vectors.subarray(10 * D, 10 * D + D))).toEqual([1000, 1001, 1002]);
    expect([batchOfPoint(joined, 0), batchOfPoint(joined, 10)]).toEqual([30, 10]);
  });

  it("keeps each point's batch through a slice (memory pressure) and a pick (the points to send again)", () => {
    const joined = joinPoints(splitBatch(read(0, 30), 10).map((b) => prepare(b, 10)));
    const slice = slicePoints(joined, 8, 22);
    expect(slice.batch).toBe(0);
    expect([batchOfPoint(slice, 0), batchOfPoint(slice, 2), batchOfPoint(slice, 13)]).toEqual([0, 1, 2]);
    const picked = pickPoints(joined, [29, 3, 15]);
    expect(Array.from(picked.labels)).toEqual([29n, 3n, 15n]);
    expect([0, 1, 2].map((i) => batchOfPoint(picked, i))).toEqual([2, 0, 1]);
  });
});
