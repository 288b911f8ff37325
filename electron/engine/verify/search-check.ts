/**
 * Search parity: each query vector is searched in Qdrant twice, exactly (params.exact = true, a full
 * scan) and through the HNSW index. The exact answer must equal brute-force ground truth from the FAISS
 * file (same ids, ties by score); the HNSW answer's recall@k against it is reported with the collection's
 * HNSW settings, since approximate search is allowed to miss.
 */
import type { CheckResult, Distance } from '../../../shared/contract';
import { pointIdForLabel, pointIdToString, type LabelPointIds } from '../point-id';
import { keyTolerance } from './distance';
import type { GroundTruth } from './ground-truth';
import { rawIdToString, type QdrantRest } from './qdrant-rest';
import { compareAnswer, type TruthEntry } from './search-compare';
import type { CollectionFacts, VerifyProgressListener } from './types';

export const SEARCH_K = 10;
/** Candidates kept per query beyond k, so a tie at the k-th place can be recognised. */
export const TIE_ROOM = 22;

export interface SearchCheckOptions {
  facts: CollectionFacts;
  dimension: number;
  sourceCount: number;
  /** Labels of the query points (queries are source vectors), for naming. */
  queryLabels: bigint[];
  /** Label → point id as the run wrote it; FAISS labels when omitted. */
  pointId?: LabelPointIds;
  onProgress?: VerifyProgressListener;
}

export async function checkSearch(qdrant: QdrantRest, truth: GroundTruth, o: SearchCheckOptions): Promise<CheckResult[]> {
  const distance: Distance = o.facts.distance;
  const m = truth.queries.length;
  const pointId = o.pointId ?? pointIdForLabel;
  let exactAgree = 0;
  const disagreements: { query: number; vectorOfPoint: string; reason: string }[] = [];
  let hits = 0;
  let places = 0;
  const perQueryRecall: number[] = [];
  for (let q = 0; q < m; q++) {
    const vector = truth.queries[q]!;
    const tol = keyTolerance(distance, o.dimension, truth.queryNorm(q), truth.maxNorm);
    const expected: TruthEntry[] = truth.neighbours(q).map((n) => ({ id: pointIdToString(pointId(n.label)), key: n.key }));
    const toAnswer = (points: { id: Parameters<typeof rawIdToString>[0]; score?: number }[]) =>
      points.map((p) => ({ id: rawIdToString(p.id), score: Number(p.score) }));
    const exact = compareAnswer(distance, expected, toAnswer(await qdrant.query(vector, SEARCH_K, true)), SEARCH_K, tol, o.sourceCount);
    const vectorOfPoint = pointIdToString(pointId(o.queryLabels[q]!));
    if (exact.agree) exactAgree++;
    else disagreements.push({ query: q + 1, vectorOfPoint, reason: exact.reason ?? 'differs' });
    const approx = compareAnswer(distance, expected, toAnswer(await qdrant.query(vector, SEARCH_K, false)), SEARCH_K, tol, o.sourceCount);
    hits += approx.hits;
    places += approx.expected;
    perQueryRecall.push(approx.expected ? approx.hits / approx.expected : 1);
    o.onProgress?.({ phase: 'search', done: q + 1, total: m, message: `searched ${q + 1}/${m} queries` });
  }
  const recall = places ? hits / places : 1;
  const first = disagreements[0];
  const exactCheck: CheckResult = {
    name: 'search',
    passed: disagreements.length === 0,
    summary:
      disagreements.length === 0
        ? `exact search agrees with brute force on ${exactAgree}/${m} queries (top ${SEARCH_K}, ${distance})`
        : `exact search agrees on ${exactAgree}/${m} queries; query ${first!.query} (vector of point ${first!.vectorOfPoint}): ${first!.reason}${disagreements.length > 1 ? ` (and ${disagreements.length - 1} more)` : ''}`,
    details: { queries: m, agreeing: exactAgree, k: SEARCH_K, distance, disagreements: disagreements.slice(0, 10) },
  };
  const hnsw = o.facts.hnsw ?? {};
  const indexed = o.facts.indexedVectorsCount;
  const scanNote = indexed === 0 ? ' (no vectors indexed yet: Qdrant answered by full scan)' : '';
  const recallCheck: CheckResult = {
    name: 'recall',
    // Approximate search may miss by design: recall is reported, not judged.
    passed: true,
    summary: `HNSW recall@${SEARCH_K} ${recall.toFixed(3)} over ${m} queries (m=${String(hnsw.m ?? '?')}, ef_construct=${String(hnsw.ef_construct ?? '?')})${scanNote}`,
    details: {
      recallAt10: recall,
      queries: m,
      minQueryRecall: perQueryRecall.length ? Math.min(...perQueryRecall) : null,
      hnsw,
      indexedVectorsCount: indexed,
    },
  };
  return [exactCheck, recallCheck];
}
