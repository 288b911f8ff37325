/**
 * Every FAISS label of an index, in stream order, as BigInt64Array chunks, for counting join mismatches.
 * The reader's `labels()` reads only the stored ids (IDMap's id table, IVF lists' ids; nothing for plain
 * rows, labelled 0..n-1), so counting never touches vector bytes; readers without it fall back to batches
 * with reused buffers. Memory stays one chunk whatever the index size.
 */
import type { FaissIndexReader } from '../faiss/types';

const CHUNK = 65_536;

export async function* indexLabels(index: FaissIndexReader): AsyncIterable<BigInt64Array> {
  if (index.labels) {
    for await (const batch of index.labels({ batchSize: CHUNK })) yield batch.ids;
    return;
  }
  for await (const batch of index.batches({ batchSize: CHUNK, reuseBuffers: true })) yield batch.ids;
}
