/** A point as the stand-in stores it. */
import type { StoredId } from './ids';

export type Payload = Record<string, unknown>;

export interface StoredPoint {
  id: StoredId;
  /** Dense vectors by name; the unnamed vector is under ''. Cosine vectors are stored normalised. */
  vectors: Map<string, Float32Array>;
  payload: Payload;
  /** Operation id of the last write that touched the point (Qdrant's point version). */
  version: number;
}
