/**
 * Every FAISS label of an index, in stream order, as BigInt64Array chunks, for counting join mismatches.
 * Indexes without an id map (flat, HNSW, PQ, SQ... not wrapped in IndexIDMap and not IVF) label their rows
 * 0..n-1, so their labels are generated without touching the file; otherwise they are read in batches
 * whose buffers are reused, so memory stays one batch whatever the index size.
 */
import type { FaissIndexReader } from '../faiss/types';

const CHUNK = 65_536;
/** Fourccs whose labels are stored in the file: IDMap wrappers and inverted-file indexes. */
const STORED_LABELS = /^(IxMp|IxM2|IBMp|IBM2|Iw|IBw)/;

export function hasImplicitLabels(chain: readonly string[]): boolean {
  return !chain.some((fourcc) => STORED_LABELS.test(fourcc));
}

export async function* indexLabels(index: FaissIndexReader): AsyncIterable<BigInt64Array> {
  const { count, chain } = index.summary;
  if (hasImplicitLabels(chain)) {
    const chunk = new BigInt64Array(Math.min(CHUNK, Math.max(count, 0)));
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      for (let i = 0; i < n; i++) chunk[i] = BigInt(start + i);
      yield n === chunk.length ? chunk : chunk.subarray(0, n);
    }
    return;
  }
  for await (const batch of index.batches({ batchSize: CHUNK, reuseBuffers: true })) yield batch.ids;
}
