/**
 * Views, subsets and unions of prepared batches. A batch is the checkpoint unit, but it is not always sent
 * in one request: consecutive batches are combined into one request up to REQUEST_POINTS, under memory
 * pressure a request goes out in smaller slices, and a retry of failed points sends only the points that
 * failed. All of them keep ids, labels, vectors, payloads and each point's batch aligned.
 */
import type { VectorBatch } from '../faiss/types';
import type { PreparedPoints } from '../qdrant/types';

/** A read of several batches as those batches: views of `batchSize` rows each (the last may be shorter). */
export function splitBatch(read: VectorBatch, batchSize: number): VectorBatch[] {
  if (read.count <= batchSize) return [read];
  const d = read.dimension;
  const out: VectorBatch[] = [];
  for (let from = 0; from < read.count; from += batchSize) {
    const to = Math.min(read.count, from + batchSize);
    out.push({ start: read.start + from, count: to - from, dimension: d, ids: read.ids.subarray(from, to), vectors: read.vectors.subarray(from * d, to * d) });
  }
  return out;
}

/** `b` starts where `a` ends, in the same memory: the two can be one view. */
function follows<T extends Float32Array | BigInt64Array>(a: T, b: T): boolean {
  return a.buffer === b.buffer && a.byteOffset + a.byteLength === b.byteOffset;
}

/** Points [from, to) as views over the batch's arrays (no copy: the slice lives only for one request). */
export function slicePoints(p: PreparedPoints, from: number, to: number): PreparedPoints {
  const d = p.dimension;
  return {
    batch: p.pointBatches ? p.pointBatches[from] ?? p.batch : p.batch,
    ...(p.pointBatches ? { pointBatches: p.pointBatches.subarray(from, to) } : {}),
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
  const pointBatches = p.pointBatches ? Uint32Array.from(keep, (i) => p.pointBatches![i]!) : undefined;
  return {
    batch: p.batch,
    ...(pointBatches ? { pointBatches } : {}),
    dimension: d,
    ids: keep.map((i) => p.ids[i]!),
    labels,
    vectors,
    payloads: p.payloads ? keep.map((i) => p.payloads![i]!) : null,
  };
}

/**
 * Several prepared batches as one request's points, in order, each point remembering its batch. One batch is
 * returned as it is. Batches read together (./splitBatch) lie next to each other in one buffer and become one
 * view of it; others (batches put back after a pause or an outage) are copied into one set of arrays.
 */
export function joinPoints(parts: readonly PreparedPoints[]): PreparedPoints {
  if (parts.length === 1) return parts[0]!;
  const d = parts[0]!.dimension;
  const n = parts.reduce((sum, p) => sum + p.ids.length, 0);
  const adjacent = parts.every((p, i) => i === 0 || (follows(parts[i - 1]!.vectors, p.vectors) && follows(parts[i - 1]!.labels, p.labels)));
  const first = parts[0]!;
  const vectors = adjacent ? new Float32Array(first.vectors.buffer, first.vectors.byteOffset, n * d) : new Float32Array(n * d);
  const labels = adjacent ? new BigInt64Array(first.labels.buffer, first.labels.byteOffset, n) : new BigInt64Array(n);
  const pointBatches = new Uint32Array(n);
  const ids: PreparedPoints['ids'][number][] = [];
  const withPayloads = parts[0]!.payloads !== null;
  // one run prepares every batch the same way: a mix would be a bug, never something to paper over
  if (parts.some((p) => (p.payloads !== null) !== withPayloads)) throw new Error('joinPoints: batches with and without payloads in one request');
  const payloads: string[] = [];
  let at = 0;
  for (const p of parts) {
    const count = p.ids.length;
    if (!adjacent) {
      vectors.set(p.vectors.subarray(0, count * d), at * d);
      labels.set(p.labels.subarray(0, count), at);
    }
    if (p.pointBatches) pointBatches.set(p.pointBatches, at);
    else pointBatches.fill(p.batch, at, at + count);
    ids.push(...p.ids);
    if (withPayloads) payloads.push(...p.payloads!);
    at += count;
  }
  return { batch: parts[0]!.batch, pointBatches, dimension: d, ids, labels, vectors, payloads: withPayloads ? payloads : null };
}
