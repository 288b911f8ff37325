/**
 * Qdrant's answer to one query against brute-force ground truth. Ties are handled by score: ground truth
 * entries within `tol` of the k-th best score form a tie band, and any of them may fill the last places.
 * Every entry clearly better than the band must be returned, every returned point must be in or above the
 * band, and its score must equal the ground-truth score within `tol`.
 */
import type { Distance } from '../../../shared/contract';
import { displayScore, keyFromQdrantScore } from './distance';

/** A score to 7 significant digits: float32 precision, enough to see a difference. */
function show(x: number): string {
  return String(Number(x.toPrecision(7)));
}

export interface TruthEntry {
  id: string;
  key: number;
}

export interface Answer {
  id: string;
  score: number;
}

export interface SearchAgreement {
  agree: boolean;
  /** What differs, naming the point ids. */
  reason: string | null;
  /** Returned points that belong in the top k (ties counted), for recall. */
  hits: number;
  /** Places to fill: min(k, number of points in the source). */
  expected: number;
}

export function compareAnswer(
  distance: Distance,
  truth: TruthEntry[],
  answer: Answer[],
  k: number,
  tol: number,
  sourceCount: number,
): SearchAgreement {
  const expected = Math.min(k, sourceCount);
  if (expected === 0) return { agree: answer.length === 0, reason: answer.length ? `${answer.length} results from an empty source` : null, hits: 0, expected };
  const kth = truth[Math.min(expected, truth.length) - 1]!.key;
  const last = truth[truth.length - 1]!.key;
  // When every kept candidate is inside the tie band, points beyond what was kept may be tied too.
  const bandOverflows = truth.length > expected && last >= kth - tol;
  const byId = new Map(truth.map((t) => [t.id, t.key]));
  let hits = 0;
  let reason: string | null = null;
  // A better point that is missing explains the rest (a later point moved up), so it is named first.
  const returnedIds = new Set(answer.slice(0, expected).map((a) => a.id));
  for (const t of truth) {
    if (t.key <= kth + tol) break;
    if (!returnedIds.has(t.id)) {
      reason = `point ${t.id} (score ${show(displayScore(distance, t.key))}) is missing from the results`;
      break;
    }
  }
  for (const a of answer.slice(0, expected)) {
    const key = keyFromQdrantScore(distance, a.score);
    const want = byId.get(a.id);
    if (want === undefined) {
      if (bandOverflows && key >= kth - tol) {
        hits++;
        continue;
      }
      reason ??= `point ${a.id} (score ${show(a.score)}) is not among the ${expected} nearest`;
      continue;
    }
    if (want < kth - tol) {
      reason ??= `point ${a.id} is ranked in the top ${expected} but its true score ${show(displayScore(distance, want))} is below the ${expected}th ${show(displayScore(distance, kth))}`;
      continue;
    }
    hits++;
    if (Math.abs(key - want) > tol) {
      reason ??= `point ${a.id} scored ${show(a.score)} instead of ${show(displayScore(distance, want))}`;
    }
  }
  if (answer.length < expected) reason ??= `${answer.length} results instead of ${expected}`;
  return { agree: reason === null, reason, hits, expected };
}
