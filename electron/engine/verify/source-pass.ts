/**
 * One sequential read of the FAISS file that gathers everything verification needs from the source: the
 * sampled points' vectors and labels, brute-force nearest neighbours of the query vectors, and the set of
 * point ids the collection must hold. Memory stays O(batch + sample + ids as typed arrays).
 */
import type { Distance } from '../../../shared/contract';
import type { FaissIndexReader, VectorBatch } from '../faiss/types';
import { pointIdForLabel, type LabelPointIds } from '../point-id';
import { GroundTruth } from './ground-truth';
import { IdSet } from './id-set';
import type { SampledPoint, VerifyProgressListener } from './types';

export interface SourcePassResult {
  sample: SampledPoint[];
  truth: GroundTruth;
  ids: IdSet | null;
}

export interface SourcePassOptions {
  distance: Distance;
  /** Ordinals to read back, in check order. */
  sampleOrdinals: number[];
  /** Query vectors for the search checks. */
  queries: Float32Array[];
  /** Candidates kept per query (search limit plus room for ties). */
  keep: number;
  collectIds: boolean;
  /** Label → point id as the run wrote it (the layout's rule); FAISS labels when omitted. */
  pointId?: LabelPointIds;
  batchSize?: number;
  /**
   * Rows to leave out of ground truth and mark shadowed in the sample: occurrences of a repeated label
   * that Qdrant does not hold (given the batch and the row).
   */
  shadowed?: (batch: VectorBatch, row: number) => boolean;
  onProgress?: VerifyProgressListener;
}

export async function readSource(index: FaissIndexReader, o: SourcePassOptions): Promise<SourcePassResult> {
  const total = index.summary.count;
  const truth = new GroundTruth(o.distance, o.queries, o.keep);
  const ids = o.collectIds ? new IdSet() : null;
  const pointId = o.pointId ?? pointIdForLabel;
  // Sampled ordinals sorted for a merge with the stream; results go back in the requested order.
  const wanted = o.sampleOrdinals.map((ordinal, i) => ({ ordinal, i })).sort((a, b) => a.ordinal - b.ordinal);
  const sample: (SampledPoint | undefined)[] = new Array(o.sampleOrdinals.length);
  const needPass = o.collectIds || o.queries.length > 0 || o.shadowed !== undefined;

  if (!needPass) {
    for (const w of wanted) {
      const b = await index.readRange(w.ordinal, 1);
      sample[w.i] = { ordinal: w.ordinal, label: b.ids[0]!, vector: b.vectors.slice(0, b.dimension) };
    }
  } else {
    let next = 0;
    let done = 0;
    let lastReport = 0;
    for await (const batch of index.batches({ batchSize: o.batchSize ?? 4096, reuseBuffers: true })) {
      // Decided once per row: the decision also counts the label's occurrences.
      let hidden: Uint8Array | null = null;
      if (o.shadowed) {
        hidden = new Uint8Array(batch.count);
        for (let r = 0; r < batch.count; r++) hidden[r] = o.shadowed(batch, r) ? 1 : 0;
      }
      truth.add(batch, hidden ? (row) => hidden[row] === 1 : undefined);
      if (ids) for (const label of batch.ids) ids.add(pointId(label));
      const end = batch.start + batch.count;
      while (next < wanted.length && wanted[next]!.ordinal < end) {
        const w = wanted[next++]!;
        const row = w.ordinal - batch.start;
        const d = batch.dimension;
        // slice copies: the batch buffer is reused for the next batch.
        sample[w.i] = { ordinal: w.ordinal, label: batch.ids[row]!, vector: batch.vectors.slice(row * d, (row + 1) * d), ...(hidden?.[row] ? { shadowed: true } : {}) };
      }
      done = end;
      const now = Date.now();
      if (o.onProgress && now - lastReport > 250) {
        lastReport = now;
        o.onProgress({ phase: 'source', done, total, message: `reading the source: ${done}/${total} vectors` });
      }
    }
    o.onProgress?.({ phase: 'source', done, total, message: `read ${done} vectors from the source` });
  }
  const missing = sample.findIndex((s) => s === undefined);
  if (missing >= 0) throw new Error(`sampled ordinal ${o.sampleOrdinals[missing]} was not found in the source stream`);
  return { sample: sample as SampledPoint[], truth, ids };
}
