/**
 * The points browser: a scroll page with `key = value` chips and the `next_page_offset` cursor, one point by
 * id, and "find similar" through Qdrant's universal query API (query by point id). Ids stay exact above
 * 2^53 end to end: strings in the contract, bigint in the JSON bodies.
 */
import { readMigrationField, type PayloadFilterChip, type PointView } from '../../../shared/contract';
import { pointIdForDocument } from '../point-id';
import { UserError } from '../../../shared/errors';
import { collectionPath, qdrantRead, qdrantReadOk, rawIdToString, safeUrl, type CollectionTarget, type RawPoint, type RawPointId } from '../qdrant/rest-reads';
import { idForQdrant, toPointView } from './point-view';

export type BrowseTarget = CollectionTarget;

/**
 * A chip's value as Qdrant's `match.value` wants it. A form sends text; when the collection indexes the key
 * as integer or bool, "42" / "true" are meant as numbers / booleans (big integers stay exact).
 */
export function matchValue(chip: PayloadFilterChip, dataType: string | undefined): string | number | bigint | boolean {
  const v = chip.value;
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (dataType === 'integer' && /^-?\d+$/.test(t)) {
    const n = BigInt(t);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
  }
  if (dataType === 'bool' && (t === 'true' || t === 'false')) return t === 'true';
  return v;
}

/** The collection's payload index types by key (what `matchValue` needs); a missing collection is the user's error. */
export async function payloadTypes(target: BrowseTarget): Promise<Map<string, string>> {
  const r = await qdrantRead<{ payload_schema?: Record<string, { data_type?: string }> }>(target, 'GET', collectionPath(target.collection));
  if (r.status === 404) throw new UserError('usage', `collection "${target.collection}" does not exist in Qdrant at ${safeUrl(target.qdrantUrl)}`);
  return new Map(Object.entries(r.result?.payload_schema ?? {}).map(([k, s]) => [k, s.data_type ?? '']));
}

export function buildFilter(chips: PayloadFilterChip[], types: Map<string, string>) {
  if (chips.length === 0) return undefined;
  return { must: chips.map((c) => ({ key: c.key, match: { value: matchValue(c, types.get(c.key)) } })) };
}

export async function scrollPoints(
  target: BrowseTarget,
  page: { limit: number; offset: string | null; filter: PayloadFilterChip[]; withVector: boolean },
): Promise<{ points: PointView[]; nextOffset: string | null }> {
  const types = page.filter.length > 0 ? await payloadTypes(target) : new Map<string, string>();
  const body: Record<string, unknown> = { limit: page.limit, with_payload: true, with_vector: page.withVector };
  if (page.offset !== null) body.offset = idForQdrant(page.offset);
  const filter = buildFilter(page.filter, types);
  if (filter) body.filter = filter;
  const r = await qdrantRead<{ points: RawPoint[]; next_page_offset?: RawPointId | null }>(target, 'POST', collectionPath(target.collection, '/points/scroll'), body);
  if (r.status === 404) throw new UserError('usage', `collection "${target.collection}" does not exist in Qdrant at ${safeUrl(target.qdrantUrl)}`);
  if (r.result === null) {
    const kind = r.status === 400 || r.status === 422 ? 'usage' : 'connection';
    throw new UserError(kind, `Qdrant refused the scroll of "${target.collection}" (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
  }
  const next = r.result.next_page_offset;
  return { points: r.result.points.map(toPointView), nextOffset: next === undefined || next === null ? null : rawIdToString(next) };
}

export async function getPoint(target: BrowseTarget, id: string): Promise<PointView | null> {
  const p = await getPointRecord(target, id, true);
  return p ? toPointView(p) : null;
}


/** One point by exact id through the retrieve API: an empty answer for a missing point, 404 only for a missing collection. */
async function getPointRecord(target: BrowseTarget, id: string, withVector: boolean): Promise<RawPoint | null> {
  const r = await qdrantRead<RawPoint[]>(target, 'POST', collectionPath(target.collection, '/points'), { ids: [idForQdrant(id)], with_payload: true, with_vector: withVector });
  if (r.status === 404) throw new UserError('usage', `collection "${target.collection}" does not exist in Qdrant at ${safeUrl(target.qdrantUrl)}`);
  if (r.result === null) throw new UserError('connection', `Qdrant refused point ${id} of "${target.collection}" (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
  return r.result[0] ?? null;
}

/**
 * Nearest neighbours of a stored point. Queried with the point's own vector (not `query: <id>`, which makes
 * Qdrant leave the point out), so the point itself normally comes first with the top score: a quick check
 * that what was migrated is findable by its own vector.
 */
export async function findSimilar(target: BrowseTarget, id: string, limit: number): Promise<PointView[]> {
  const point = await getPointRecord(target, id, true);
  if (!point) throw new UserError('usage', `point ${id} does not exist in collection "${target.collection}"`);
  const vector = toPointView(point).vector;
  if (!vector) throw new UserError('usage', `point ${id} has no dense vector to search with`);
  const result = await qdrantReadOk<{ points: RawPoint[] }>(
    target,
    'POST',
    collectionPath(target.collection, '/points/query'),
    { query: vector, limit, with_payload: true, with_vector: false },
    `the similarity query for point ${id}`,
  );
  return result.points.map(toPointView);
}

/**
 * A point found by what the user knows: its framework document id (the point id is derived from it, see
 * ../point-id) or its exact FAISS label, filtered on `_xnai.faiss_id` (framework layouts) and then on
 * `faiss_id` (raw layout, where a point whose `_xnai` says otherwise is a user's own field and skipped).
 */
export async function findPoint(target: BrowseTarget, by: 'faissId' | 'documentId', value: string): Promise<PointView | null> {
  if (by === 'documentId') return getPoint(target, pointIdForDocument(value));
  const t = value.trim();
  if (!/^-?\d+$/.test(t) || BigInt(t) < -(2n ** 63n) || BigInt(t) >= 2n ** 63n) {
    throw new UserError('usage', `FAISS id "${value}" is not a 64-bit integer label`);
  }
  const label = BigInt(t);
  const match = label >= BigInt(Number.MIN_SAFE_INTEGER) && label <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(label) : label;
  for (const key of ['_xnai.faiss_id', 'faiss_id']) {
    const r = await qdrantRead<{ points: RawPoint[] }>(target, 'POST', collectionPath(target.collection, '/points/scroll'), {
      limit: 16,
      with_payload: true,
      with_vector: true,
      filter: { must: [{ key, match: { value: match } }] },
    });
    if (r.status === 404) throw new UserError('usage', `collection "${target.collection}" does not exist in Qdrant at ${safeUrl(target.qdrantUrl)}`);
    if (r.result === null) throw new UserError('connection', `Qdrant refused the lookup of FAISS id ${t} in "${target.collection}" (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
    const hit = r.result.points.find((p) => {
      const id = readMigrationField(p.payload, 'faiss_id');
      return (typeof id === 'number' || typeof id === 'bigint') && BigInt(id) === label;
    });
    if (hit) return toPointView(hit);
  }
  return null;
}
