/**
 * Views and subsets of one prepared batch. A batch is the checkpoint unit, but it is not always sent in one
 * request: under memory pressure it goes out in request-sized slices, and a retry of failed points sends
 * only the points that failed. Both keep ids, labels, vectors and payloads aligned.
 */
import type { PreparedPoints } from '../qdrant/types';

/** Points [from, to) as views over the batch's arrays (no copy: the slice lives only for one request). */
export function slicePoints(p: PreparedPoints, from: number, to: number): PreparedPoints {
  const d = p.dimension;
  return {
    batch: p.batch,
    dimension: d,
    ids: p.ids.slice(from, to),
    labels: p.labels.subarray(from, to),
    vectors: p.vectors.subarray(from * d, to * d),
    payloads: p.payloads ? p.payloads.slice(from, to) : null,
  };
}

/** The points at the given positions, copied into compact arrays (they are scattered through the batch). */
export function pickPoints(p: PreparedPoints, keep: number[]): PreparedPoints {
  const d = p.dimension;
  const vectors = new Float32Array(keep.length * d);
  const labels = new BigInt64Array(keep.length);
  keep.forEach((i, k) => {
    vectors.set(p.vectors.subarray(i * d, (i + 1) * d), k * d);
    labels[k] = p.labels[i]!;
  });
  return { batch: p.batch, dimension: d, ids: keep.map((i) => p.ids[i]!), labels, vectors, payloads: p.payloads ? keep.map((i) => p.payloads![i]!) : null };
}
