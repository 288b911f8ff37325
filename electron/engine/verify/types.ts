/** Verification's progress reports and the facts gathered from the source in one streaming pass. */
import type { Distance } from '../../../shared/contract';

export const VERIFY_PHASES = ['prepare', 'count', 'source', 'sample', 'search', 'ids', 'store'] as const;
export type VerifyPhase = (typeof VERIFY_PHASES)[number];

export interface VerifyProgress {
  phase: VerifyPhase;
  /** Units done and to do in this phase (points, queries or ids); total 0 when unknown. */
  done: number;
  total: number;
  message: string;
}

export type VerifyProgressListener = (progress: VerifyProgress) => void;

/** One sampled source point: its ordinal in the index, exact label and vector. */
export interface SampledPoint {
  ordinal: number;
  label: bigint;
  vector: Float32Array;
  /**
   * The source repeats this label and Qdrant holds another of its vectors: the copy can hold only one,
   * so this row is not compared (the repeated label is checked through the occurrence Qdrant holds).
   */
  shadowed?: boolean;
}

export interface CollectionFacts {
  distance: Distance;
  vectorSize: number;
  hnsw: Record<string, unknown> | null;
  indexedVectorsCount: number | null;
  pointsCount: number | null;
  status: string | null;
}
