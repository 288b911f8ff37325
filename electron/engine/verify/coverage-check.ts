/**
 * Count parity and id coverage. The count is Qdrant's exact count against the source's; coverage
 * scrolls every id of the collection (ids only, pages of a few thousand) into an `IdSet` and compares it
 * with the ids the source's labels map to, naming missing and unexpected points.
 */
import type { CheckResult } from '../../../shared/contract';
import type { IdSet, SetComparison } from './id-set';
import { IdSet as IdSetImpl } from './id-set';
import { rawIdToString, type QdrantRest, type RawPointId } from './qdrant-rest';
import type { VerifyProgressListener } from './types';

/** Ids per scroll page: ~60 bytes each in the response, so about half a megabyte per request. */
const PAGE = 8192;

/**
 * `distinct` is the number of different ids the source's labels give, when known: a source that repeats
 * a label yields one point for it, so that is the count to expect.
 */
export function countCheck(qdrantCount: number, sourceCount: number, distinct: number | null = null): CheckResult {
  const expected = distinct ?? sourceCount;
  const passed = qdrantCount === expected;
  const diff = qdrantCount - expected;
  const repeats = expected !== sourceCount ? ` (${sourceCount} vectors, ${sourceCount - expected} repeating a label)` : '';
  return {
    name: 'count',
    passed,
    summary: passed
      ? `${qdrantCount}/${expected} points${repeats}`
      : `${qdrantCount}/${expected} points (${diff < 0 ? `${-diff} missing` : `${diff} more than the source`})${repeats}`,
    details: { qdrant: qdrantCount, source: sourceCount, expected },
  };
}

export async function scrollIds(qdrant: QdrantRest, expectedTotal: number, onProgress?: VerifyProgressListener): Promise<IdSet> {
  const ids = new IdSetImpl();
  let offset: RawPointId | null = null;
  do {
    const page: { points: { id: RawPointId }[]; next: RawPointId | null } = await qdrant.scrollIds(offset, PAGE);
    for (const p of page.points) {
      const s = rawIdToString(p.id);
      ids.add(/^\d+$/.test(s) ? BigInt(s) : s);
    }
    offset = page.next;
    onProgress?.({ phase: 'ids', done: ids.size, total: expectedTotal, message: `scrolled ${ids.size} point ids` });
  } while (offset !== null);
  return ids;
}

export function coverageCheck(source: IdSet, collection: IdSet, c: SetComparison = source.compare(collection)): CheckResult {
  const passed = c.onlyHere === 0 && c.onlyThere === 0;
  const parts: string[] = [];
  if (c.onlyHere) parts.push(`${c.onlyHere} source ids missing from Qdrant (${c.examplesOnlyHere.join(', ')}${c.onlyHere > c.examplesOnlyHere.length ? ', ...' : ''})`);
  if (c.onlyThere) parts.push(`${c.onlyThere} points in Qdrant not in the source (${c.examplesOnlyThere.join(', ')}${c.onlyThere > c.examplesOnlyThere.length ? ', ...' : ''})`);
  const dupNote = c.duplicatesHere ? `; ${c.duplicatesHere} source rows repeat a label (${c.examplesDuplicates.join(', ')}${c.duplicatesHere > c.examplesDuplicates.length ? ', ...' : ''}): one point each` : '';
  return {
    name: 'ids',
    passed,
    summary: passed ? `all ${source.size - c.duplicatesHere} source ids present${dupNote}` : `${parts.join('; ')}${dupNote}`,
    details: {
      sourceIds: source.size,
      collectionIds: collection.size,
      missing: c.onlyHere,
      missingExamples: c.examplesOnlyHere,
      unexpected: c.onlyThere,
      unexpectedExamples: c.examplesOnlyThere,
      duplicateLabels: c.duplicatesHere,
      duplicateExamples: c.examplesDuplicates,
    },
  };
}
