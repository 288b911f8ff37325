/**
 * Copies a fixture into a collection the way a migration does (point id by the layout's rule, payload from
 * `buildPayload` written by `payloadToJson`), through Qdrant's REST API. Used where a test needs a collection in a precise state
 * without a whole run; end-to-end tests migrate with the engine instead.
 */
import type { Distance } from '../../shared/contract';
import { openSource } from '../../electron/engine/source/index';
import { buildPayload, resolvePayloadLayout } from '../../electron/engine/payload/index';
import { labelPointIds } from '../../electron/engine/point-id';
import { payloadToJson } from '../../electron/engine/qdrant/payload-json';
import { JsonText, dropCollection, qdrantCall, type QdrantAccess } from './helpers';

export async function populate(q: QdrantAccess, collection: string, sourcePath: string, distance: Distance, batchSize = 64): Promise<{ count: number }> {
  const source = await openSource(sourcePath);
  try {
    const { dimension, count } = source.summary.index;
    // A real Qdrant (QDRANT_URL) keeps collections between runs: start from a fresh one.
    await dropCollection(q, collection);
    await qdrantCall(q, 'PUT', `/collections/${collection}`, { vectors: { size: dimension, distance, on_disk: true } });
    const layout = resolvePayloadLayout('auto', source.summary.documents?.defaultLayout);
    const migratedAt = new Date().toISOString();
    const pointId = labelPointIds(layout, source.documents);
    for await (const batch of source.index.batches({ batchSize })) {
      const points = [];
      for (let r = 0; r < batch.count; r++) {
        const label = batch.ids[r]!;
        points.push({
          id: pointId(label),
          vector: Array.from(batch.vectors.subarray(r * dimension, (r + 1) * dimension)),
          payload: buildPayload(layout, source.documents?.documentFor(label), {
            source: 'faiss',
            faiss_id: label,
            migrated_at: migratedAt,
            batch_num: batch.start / batchSize,
          }),
        });
      }
      await qdrantCall(q, 'PUT', `/collections/${collection}/points?wait=true`, new JsonText(payloadToJson({ points })));
    }
    return { count };
  } finally {
    await source.close();
  }
}
