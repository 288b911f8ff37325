/**
 * Sources that repeat a FAISS label (IndexIDMap allows it) can only become one point per label in
 * Qdrant: whichever occurrence was written last. To verify such a copy, the vectors Qdrant holds for the
 * repeated ids are read, and source rows of those labels that differ from it are "shadowed": left out of
 * ground truth and of the sampled vector comparison. A repeated label none of whose vectors equals the
 * stored one is still a failure, named with the number of candidates.
 */
import type { Distance } from '../../../shared/contract';
import type { VectorBatch } from '../faiss/types';
import { pointIdForLabel, pointIdToString, type LabelPointIds } from '../point-id';
import type { IdSet } from './id-set';
import { rawIdToString, type QdrantRest } from './qdrant-rest';
import type { Failure } from './sample-check';
import { compareVector } from './vector-compare';

/** Repeated ids handled this way at most; beyond it, a source is mostly repeats and is reported as is. */
const MAX_REPEATED = 100_000;
const CHUNK = 256;

export interface RepeatedLabels {
  shadowed: (batch: VectorBatch, row: number) => boolean;
  /** After a pass with `shadowed`: repeated ids none of whose source vectors Qdrant holds. */
  unheld(): Failure[];
}

export async function repeatedLabels(qdrant: QdrantRest, ids: IdSet | null, distance: Distance, pointId: LabelPointIds = pointIdForLabel): Promise<RepeatedLabels | null> {
  if (!ids) return null;
  const repeated = ids.repeated(MAX_REPEATED);
  if (repeated.length === 0) return null;
  const stored = new Map<string, unknown>();
  for (let i = 0; i < repeated.length; i += CHUNK) {
    for (const p of await qdrant.retrieve(repeated.slice(i, i + CHUNK), true, false)) stored.set(rawIdToString(p.id), p.vector);
  }
  const held = new Set<string>();
  const candidates = new Map<string, { label: bigint; count: number }>();
  return {
    shadowed(batch, row) {
      const label = batch.ids[row]!;
      const id = pointIdToString(pointId(label));
      if (!stored.has(id)) return false;
      const c = candidates.get(id) ?? { label, count: 0 };
      c.count++;
      candidates.set(id, c);
      const d = batch.dimension;
      const equal = compareVector(distance, batch.vectors.subarray(row * d, (row + 1) * d), stored.get(id)).equal;
      if (equal) held.add(id);
      return !equal;
    },
    unheld() {
      const out: Failure[] = [];
      for (const [id, c] of candidates) {
        if (held.has(id)) continue;
        out.push({ pointId: id, faissId: c.label.toString(), reason: `the source repeats this label ${c.count} times and none of its vectors equals the one in Qdrant` });
      }
      return out;
    },
  };
}
