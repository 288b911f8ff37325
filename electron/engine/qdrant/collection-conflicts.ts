/**
 * Whether an existing collection can take this run's points: one unnamed vector of the index's dimension
 * and the run's distance. The same lines are shown by the Set-up view before Start (`checkTarget`) and by
 * the run's preflight when it refuses the collection, so the user reads one wording.
 */
import type { TargetConflict } from '../../../shared/contract';

/** `vectors`: the collection's vector params, `{size, distance}` for one unnamed vector, else a map of named ones. */
export function collectionConflicts(name: string, vectors: unknown, wanted: { dimension: number; distance: string }): TargetConflict[] {
  const v = (vectors ?? {}) as Record<string, unknown>;
  if (typeof v.size !== 'number' && typeof v.size !== 'bigint') {
    const names = Object.keys(v).join(', ') || 'none';
    return [
      {
        field: 'vectors',
        existing: `named vectors (${names})`,
        requested: 'one unnamed vector',
        message: `collection "${name}" uses named vectors (${names}); migrate into a new collection (QDRANT_COLLECTION=...)`,
      },
    ];
  }
  const out: TargetConflict[] = [];
  const size = Number(v.size);
  if (size !== wanted.dimension) {
    out.push({
      field: 'size',
      existing: String(size),
      requested: String(wanted.dimension),
      message: `collection "${name}" holds ${size}-dimensional vectors but the index has ${wanted.dimension}: use another collection (QDRANT_COLLECTION=...) or delete it`,
    });
  }
  const distance = typeof v.distance === 'string' ? v.distance : '?';
  if (distance !== wanted.distance) {
    out.push({
      field: 'distance',
      existing: distance,
      requested: wanted.distance,
      message: `collection "${name}" uses distance ${distance} but this run asks for ${wanted.distance}: set DISTANCE=${distance} or use another collection`,
    });
  }
  return out;
}
