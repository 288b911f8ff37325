/**
 * The collection picker: every collection on the server with its status, points and vectors, as Qdrant's
 * own Web UI lists them. GET /collections names them; each one's info is read beside it (a few at a time, so
 * a server with hundreds of collections answers in a few round trips). A collection whose info cannot be
 * read is still listed, with the reason.
 */
import pLimit from 'p-limit';
import type { CollectionSummary } from '../../../shared/contract';
import { describeError } from '../../../shared/errors';
import { collectionPath, qdrantReadOk, type QdrantTarget } from '../qdrant/rest-reads';

interface RawVectorParams {
  size?: number | bigint;
  distance?: string;
}

interface RawInfo {
  status?: string;
  points_count?: number | bigint | null;
  indexed_vectors_count?: number | bigint | null;
  segments_count?: number | bigint;
  config?: { params?: { vectors?: RawVectorParams | Record<string, RawVectorParams> } };
}

const STATUSES = ['green', 'yellow', 'grey', 'red'] as const;
const num = (x: unknown): number | null => (typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : null);

/** The unnamed vector ("" as its name) or each named one. */
export function vectorsOf(vectors: unknown): CollectionSummary['vectors'] {
  if (vectors === null || typeof vectors !== 'object') return [];
  const v = vectors as Record<string, unknown>;
  const one = (name: string, p: RawVectorParams) => ({ name, size: num(p.size), distance: typeof p.distance === 'string' ? p.distance : null });
  if ('size' in v || 'distance' in v) return [one('', v as RawVectorParams)];
  return Object.entries(v)
    .filter(([, p]) => p !== null && typeof p === 'object')
    .map(([name, p]) => one(name, p as RawVectorParams));
}

export async function listCollections(target: QdrantTarget): Promise<CollectionSummary[]> {
  const list = await qdrantReadOk<{ collections: { name: string }[] }>(target, 'GET', 'collections', undefined, 'the list of collections');
  const names = list.collections.map((c) => c.name).sort((a, b) => a.localeCompare(b));
  const limit = pLimit(4);
  return Promise.all(
    names.map((name) =>
      limit(async (): Promise<CollectionSummary> => {
        try {
          const info = await qdrantReadOk<RawInfo>({ ...target }, 'GET', collectionPath(name), undefined, `the info of collection "${name}"`);
          return {
            name,
            status: STATUSES.find((s) => s === info.status) ?? null,
            pointsCount: num(info.points_count),
            indexedVectorsCount: num(info.indexed_vectors_count),
            segmentsCount: num(info.segments_count),
            vectors: vectorsOf(info.config?.params?.vectors),
            problem: null,
          };
        } catch (e) {
          // deleted between the two calls, or refused: listed anyway, with why
          return { name, status: null, pointsCount: null, indexedVectorsCount: null, segmentsCount: null, vectors: [], problem: describeError(e) };
        }
      }),
    ),
  );
}
