/**
 * JSON Lines output of vectors: `{"id": <exact integer>, "vector": [...]}` per line. Ids are written from the
 * bigint (exact beyond 2^53); each float32 component in the shortest decimal that reads back to the same
 * float32, so a consumer parsing to float32 gets the stored bits exactly.
 */
import type { VectorBatch } from './types';
import { formatFloat32 } from '../float32';

/** Row `row` of a batch as one JSON line (without the newline). */
export function vectorLine(batch: VectorBatch, row: number, extra?: string): string {
  const d = batch.dimension;
  const parts = new Array<string>(d);
  const base = row * d;
  for (let i = 0; i < d; i++) {
    const v = batch.vectors[base + i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(`vector of id ${batch.ids[row]} has a non-finite component (${v}) at position ${i}, which JSON cannot represent`);
    }
    parts[i] = formatFloat32(v);
  }
  return `{"id":${batch.ids[row]!.toString()},"vector":[${parts.join(',')}]${extra ? `,${extra}` : ''}}`;
}
