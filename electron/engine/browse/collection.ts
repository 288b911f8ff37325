/** Collection info as the UI's Info panel shows it (Qdrant Web UI's Info tab), from GET /collections/{name}. */
import type { CollectionInfoView } from '../../../shared/contract';
import { collectionPath, qdrantRead, type CollectionTarget } from '../qdrant/rest-reads';
import { UserError } from '../../../shared/errors';

interface RawVectorParams {
  size?: number | bigint;
  distance?: string;
  on_disk?: boolean | null;
  memory?: string | null;
}

interface RawCollectionInfo {
  status?: string;
  optimizer_status?: string | { error: string };
  points_count?: number | null;
  indexed_vectors_count?: number | null;
  segments_count?: number;
  config?: { params?: { vectors?: RawVectorParams | Record<string, RawVectorParams> } };
  payload_schema?: Record<string, { data_type?: string; points?: number }>;
}

const STATUSES = ['green', 'yellow', 'grey', 'red'] as const;

function vectorParams(vectors: unknown): RawVectorParams | null {
  if (vectors === null || typeof vectors !== 'object') return null;
  const v = vectors as Record<string, unknown>;
  if ('size' in v || 'distance' in v) return v as RawVectorParams;
  const first = Object.values(v)[0];
  return first !== null && typeof first === 'object' ? (first as RawVectorParams) : null;
}

const num = (x: unknown): number | null => (typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : null);

export async function getCollectionInfo(target: CollectionTarget): Promise<CollectionInfoView> {
  const r = await qdrantRead<RawCollectionInfo>(target, 'GET', collectionPath(target.collection));
  if (r.status === 404) {
    return {
      name: target.collection, exists: false, status: null, optimizerStatus: null, pointsCount: null, indexedVectorsCount: null,
      segmentsCount: null, vectorSize: null, distance: null, onDisk: null, payloadSchema: [], raw: null,
    };
  }
  if (r.result === null) throw new UserError('connection', `Qdrant refused collection info for "${target.collection}" (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
  const info = r.result;
  const params = vectorParams(info.config?.params?.vectors);
  const status = STATUSES.find((s) => s === info.status) ?? null;
  const optimizer = info.optimizer_status;
  return {
    name: target.collection,
    exists: true,
    status,
    optimizerStatus: optimizer === undefined ? null : typeof optimizer === 'string' ? optimizer : `error: ${optimizer.error}`,
    pointsCount: num(info.points_count),
    indexedVectorsCount: num(info.indexed_vectors_count),
    segmentsCount: num(info.segments_count),
    vectorSize: num(params?.size),
    distance: params?.distance ?? null,
    // 1.19 deprecates on_disk in favour of memory: "cold" is the on-disk placement.
    onDisk: params ? (params.memory ? params.memory === 'cold' : (params.on_disk ?? false)) : null,
    payloadSchema: Object.entries(info.payload_schema ?? {}).map(([field, s]) => ({ field, dataType: s.data_type ?? 'unknown', points: num(s.points) })),
    raw: JSON.parse(JSON.stringify(info, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))),
  };
}
