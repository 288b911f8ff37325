/**
 * A batch from the reader → points ready for the sink: exact point ids (electron/engine/point-id.ts: the
 * FAISS label's in the raw layout, the document's in the framework layouts), and each point's payload (the
 * migration's fields plus the document, in the chosen layout) rendered once to bigint-exact JSON text.
 */
import type { DocumentStore } from '../docstore/types';
import type { VectorBatch } from '../faiss/types';
import { buildPayload, type ConcretePayloadLayout } from '../payload/index';
import { labelPointIds, pointIdForLabel, type PointId } from '../point-id';
import { payloadToJson } from '../qdrant/payload-json';
import type { PreparedPoints } from '../qdrant/types';

export function preparePoints(number: number, batch: VectorBatch, layout: ConcretePayloadLayout, documents: DocumentStore | null, migratedAt = new Date().toISOString()): PreparedPoints {
  const ids: PointId[] = new Array(batch.count);
  const payloads: string[] = new Array(batch.count);
  if (!documents && batch.count > 0) {
    // No documents: every payload is the seed's four fields. Render them from a template, but only after
    // checking that the template gives exactly what buildPayload + payloadToJson give for this batch's
    // first point (so a change in the payload module can never be silently bypassed).
    const at = JSON.stringify(migratedAt);
    const fast = (label: bigint) => `{"source":"faiss","faiss_id":${label},"migrated_at":${at},"batch_num":${number}}`;
    const first = batch.ids[0]!;
    if (fast(first) === payloadToJson(buildPayload(layout, undefined, { source: 'faiss', faiss_id: first, migrated_at: migratedAt, batch_num: number }))) {
      for (let i = 0; i < batch.count; i++) {
        const label = batch.ids[i]!;
        ids[i] = pointIdForLabel(label);
        payloads[i] = fast(label);
      }
      return { batch: number, dimension: batch.dimension, ids, labels: batch.ids, vectors: batch.vectors, payloads };
    }
  }
  const pointId = labelPointIds(layout, documents);
  for (let i = 0; i < batch.count; i++) {
    const label = batch.ids[i]!;
    ids[i] = pointId(label);
    const doc = documents?.documentFor(label);
    payloads[i] = payloadToJson(buildPayload(layout, doc, { source: 'faiss', faiss_id: label, migrated_at: migratedAt, batch_num: number }));
  }
  return { batch: number, dimension: batch.dimension, ids, labels: batch.ids, vectors: batch.vectors, payloads };
}
