/**
 * `DISTANCE=auto` (the default): the Qdrant distance that keeps FAISS's own ranking of this index.
 *
 * - inner product or L2 over unit-length vectors → Cosine (the seed's choice: on unit vectors L2 distance
 *   and inner product both rank exactly as cosine similarity does, and Cosine is what normalised embeddings
 *   are usually searched with);
 * - L2 otherwise → Euclid;
 * - inner product otherwise → Dot.
 *
 * "Unit length" is decided from a sample spread evenly over the whole file (not its first rows: a store
 * whose later additions were not normalised must not be called normalised), with a tolerance for
 * float32 rounding, or for the reconstruction error of quantized codes.
 */
import type { Distance, DistanceChoice } from '../../../shared/contract';
import type { FaissIndexReader } from '../faiss/types';

/** Vectors read for the decision (single-vector positional reads spread over the file). */
export const AUTO_DISTANCE_SAMPLE = 256;
/** |norm − 1| allowed for stored float32 vectors: rounding of a normalised float32 vector stays far below. */
const EXACT_TOLERANCE = 1e-3;
/** For quantized codes (SQ, PQ) the reconstruction error moves norms by up to a few percent. */
const QUANTIZED_TOLERANCE = 0.05;

export interface NormSample {
  sampled: number;
  min: number;
  max: number;
}

/** Norms of up to `sample` vectors at evenly spread ordinals (first and last included). */
export async function sampleNorms(index: FaissIndexReader, sample = AUTO_DISTANCE_SAMPLE): Promise<NormSample> {
  const n = index.summary.count;
  const k = Math.min(sample, n);
  let min = Infinity;
  let max = 0;
  let sampled = 0;
  for (let i = 0; i < k; i++) {
    const ordinal = k === 1 ? 0 : Math.round((i * (n - 1)) / (k - 1));
    const b = await index.readRange(ordinal, 1);
    if (b.count === 0) continue;
    let s = 0;
    for (let j = 0; j < b.dimension; j++) s += b.vectors[j]! * b.vectors[j]!;
    const norm = Math.sqrt(s);
    min = Math.min(min, norm);
    max = Math.max(max, norm);
    sampled++;
  }
  return { sampled, min: sampled ? min : 0, max };
}

export function chooseDistance(metric: 'l2' | 'ip', exact: boolean, norms: NormSample): DistanceChoice {
  const name = metric === 'l2' ? 'L2' : 'inner product';
  const facts = { sampled: norms.sampled, normMin: norms.min, normMax: norms.max };
  if (norms.sampled === 0) {
    return { distance: 'Cosine', reason: `${name} index with no vectors: Cosine, the seed's default`, ...facts };
  }
  const tol = exact ? EXACT_TOLERANCE : QUANTIZED_TOLERANCE;
  const range = `norms ${norms.min.toFixed(3)}–${norms.max.toFixed(3)} over ${norms.sampled} vectors sampled across the file`;
  const unit = Math.abs(norms.min - 1) <= tol && Math.abs(norms.max - 1) <= tol;
  if (unit) return { distance: 'Cosine', reason: `${name} index over unit-length vectors (${range}): Cosine ranks exactly as FAISS does`, ...facts };
  const distance: Distance = metric === 'l2' ? 'Euclid' : 'Dot';
  return { distance, reason: `${name} index, vectors not unit length (${range}): ${distance} keeps FAISS's ranking, Cosine would not`, ...facts };
}

export async function autoDistance(index: FaissIndexReader): Promise<DistanceChoice> {
  return chooseDistance(index.summary.metric, index.summary.exact, await sampleNorms(index));
}

/**
 * The warning for an explicit DISTANCE that does not keep FAISS's ranking (the auto choice names the one
 * that does), or null.
 */
export function rankingWarning(metric: 'l2' | 'ip', chosen: Distance, auto: DistanceChoice): string | null {
  if (chosen === auto.distance) return null;
  // Over unit vectors, L2 distance, inner product and cosine similarity all rank alike.
  if (auto.distance === 'Cosine' && chosen !== 'Manhattan') return null;
  const name = metric === 'l2' ? 'L2 distance' : 'inner product';
  const norms = auto.sampled ? ` and its sampled vectors have norms ${auto.normMin.toFixed(3)}–${auto.normMax.toFixed(3)}` : '';
  return `DISTANCE=${chosen} but the index ranks by ${name}${norms}: search results will be ordered differently from FAISS's (DISTANCE=auto picks ${auto.distance}, which keeps the ranking)`;
}
