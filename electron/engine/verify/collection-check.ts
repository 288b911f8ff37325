/**
 * The collection against the source's shape: vector size equal to the FAISS dimension, one dense unnamed
 * vector, and the distance (a metric mismatch is the most common cause of search regressions after a
 * migration, per Qdrant's verification guide, so it is named even when the copy itself is exact).
 */
import type { CheckResult, SourceSummary } from '../../../shared/contract';
import { isDistance } from './distance';
import type { CollectionFacts } from './types';

const METRIC_DISTANCE: Record<string, string> = { l2: 'Euclid', ip: 'Dot' };

export function readCollectionFacts(info: Record<string, unknown>): CollectionFacts | string {
  const config = (info.config ?? {}) as Record<string, unknown>;
  const params = (config.params ?? {}) as Record<string, unknown>;
  const vectors = params.vectors as Record<string, unknown> | undefined;
  if (!vectors || typeof vectors !== 'object') return 'the collection has no dense vector configuration';
  let single = vectors;
  if (!('size' in vectors)) {
    const names = Object.keys(vectors);
    if (names.length === 1 && names[0] === '') single = vectors[''] as Record<string, unknown>;
    else return `the collection uses named vectors (${names.join(', ')}); this tool writes one unnamed vector`;
  }
  const distance = single.distance;
  if (!isDistance(distance)) return `unsupported distance ${String(distance)}`;
  const hnsw = (single.hnsw_config ?? config.hnsw_config ?? null) as Record<string, unknown> | null;
  const num = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : null);
  return {
    distance,
    vectorSize: Number(single.size),
    hnsw,
    indexedVectorsCount: num(info.indexed_vectors_count),
    pointsCount: num(info.points_count),
    status: typeof info.status === 'string' ? info.status : null,
  };
}

export function collectionCheck(facts: CollectionFacts | string, source: SourceSummary): CheckResult {
  const details: Record<string, unknown> = {
    sourceKind: source.kind,
    indexType: source.index.indexType,
    dimension: source.index.dimension,
    sourceMetric: source.index.metric,
  };
  if (typeof facts === 'string') return { name: 'collection', passed: false, summary: facts, details };
  Object.assign(details, { vectorSize: facts.vectorSize, distance: facts.distance, status: facts.status, hnsw: facts.hnsw });
  if (facts.vectorSize !== source.index.dimension) {
    return {
      name: 'collection',
      passed: false,
      summary: `vector size ${facts.vectorSize} in Qdrant, dimension ${source.index.dimension} in the source`,
      details,
    };
  }
  const natural = METRIC_DISTANCE[source.index.metric];
  const note =
    natural && natural !== facts.distance && !(source.index.metric === 'ip' && facts.distance === 'Cosine')
      ? `; note: the source ranks by ${source.index.metric === 'l2' ? 'L2 distance' : 'inner product'}, the collection by ${facts.distance}, so search order differs from FAISS's`
      : '';
  if (note) details.metricNote = note.slice(8);
  return {
    name: 'collection',
    passed: true,
    summary: `${facts.vectorSize}-d ${facts.distance} vectors, status ${facts.status ?? 'unknown'}${note}`,
    details,
  };
}
