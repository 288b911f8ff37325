/** The points browser's match count: Qdrant's exact count (POST /points/count, exact: true) with the same filter as the scroll. */
import type { PayloadFilterChip } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { collectionPath, qdrantRead, safeUrl } from '../qdrant/rest-reads';
import { buildFilter, payloadTypes, type BrowseTarget } from './points';

export async function countPoints(target: BrowseTarget, chips: PayloadFilterChip[]): Promise<{ count: number; exact: boolean }> {
  const types = chips.length > 0 ? await payloadTypes(target) : new Map<string, string>();
  const filter = buildFilter(chips, types);
  const r = await qdrantRead<{ count: number | bigint }>(target, 'POST', collectionPath(target.collection, '/points/count'), { exact: true, ...(filter ? { filter } : {}) });
  if (r.status === 404) throw new UserError('usage', `collection "${target.collection}" does not exist in Qdrant at ${safeUrl(target.qdrantUrl)}`);
  if (r.result === null) {
    const kind = r.status === 400 || r.status === 422 ? 'usage' : 'connection';
    throw new UserError(kind, `Qdrant refused to count the points of "${target.collection}" (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
  }
  return { count: Number(r.result.count), exact: true };
}
