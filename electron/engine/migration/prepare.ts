/**
 * A batch from the reader → points ready for the sink: exact point ids from the labels (electron/engine/
 * point-id.ts), and each point's payload (the seed's fields plus the document, in the chosen layout)
 * rendered once to bigint-exact JSON text.
 */
import type { DocumentStore } from '../docstore/types';
import type { VectorBatch } from '../faiss/types';
import { buildPayload, type ConcretePayloadLayout } from '../payload/index';
import { pointIdForLabel, type PointId } from '../point-id';
import { payloadToJson } from '../qdrant/payload-json';
import type { PreparedPoints } from '../qdrant/types';

export function preparePoints(number: number, batch: VectorBatch, layout: ConcretePayloadLayout, documents: DocumentStore | null, migratedAt = new Date().toISOString()): PreparedPoints {
  const ids: PointId[] = new Array(batch.count);
  const payloads: string[] = new Array(batch.count);
  for (let i = 0; i < batch.count; i++) {
    const label = batch.ids[i]!;
    ids[i] = pointIdForLabel(label);
    const doc = documents?.documentFor(label);
    payloads[i] = payloadToJson(buildPayload(layout, doc, { source: 'faiss', faiss_id: label, migrated_at: migratedAt, batch_num: number }));
  }
  return { batch: number, dimension: batch.dimension, ids, labels: batch.ids, vectors: batch.vectors, payloads };
}
