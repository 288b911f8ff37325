/**
 * The comparison rules verification relies on, on values where the right answer is known by
 * construction: bit-exact vectors, Cosine normalisation tolerance, payload differences named by path,
 * search answers with ties at the k-th place, and id sets beyond 2^53 and UUIDs.
 */
import { describe, expect, it } from 'vitest';
import { compareVector } from '../../electron/engine/verify/vector-compare';
import { comparePayload } from '../../electron/engine/verify/payload-compare';
import { compareAnswer } from '../../electron/engine/verify/search-compare';
import { IdSet } from '../../electron/engine/verify/id-set';
import { sampleOrdinals } from '../../electron/engine/verify/sampling';
import { pointIdForLabel } from '../../electron/engine/point-id';

describe('vector comparison', () => {
  const v = new Float32Array([0.1, -2.5, 3.75, 1e-8]);
  it('Euclid/Dot: equal only when every float32 is identical', () => {
    expect(compareVector('Euclid', v, Array.from(v)).equal).toBe(true);
    const off = Array.from(v);
    off[2] = Math.fround(3.75) + 2 ** -21; // one ulp-ish away
    const d = compareVector('Dot', v, off);
    expect(d.equal).toBe(false);
    expect(d.reason).toMatch(/component 2/);
  });
  it('Cosine: equal to the float32-normalised original, not to the original', () => {
    const n = Math.hypot(...v);
    const stored = Array.from(v, (x) => Math.fround(Math.fround(x) / Math.fround(n)));
    expect(compareVector('Cosine', v, stored).equal).toBe(true);
    expect(compareVector('Cosine', v, Array.from(v)).equal).toBe(false);
    stored[1] = stored[1]! * 1.001;
    expect(compareVector('Cosine', v, stored).reason).toMatch(/component 1/);
  });
  it('names a wrong dimension and a missing vector', () => {
    expect(compareVector('Dot', v, [1, 2]).reason).toBe('dimension 2 instead of 4');
    expect(compareVector('Dot', v, undefined).reason).toBe('no vector stored');
  });
});

describe('payload comparison', () => {
  const want = { source: 'faiss', faiss_id: 9007199254740993n, migrated_at: 'x', batch_num: 0, page_content: 'hello', metadata: { author: 'a', tags: ['x'] } };
  const got = { ...want, faiss_id: 9007199254740993n, migrated_at: '2026-01-01T00:00:00Z', batch_num: 7, metadata: { author: 'a', tags: ['x'] } };
  it('ignores run fields, compares ids > 2^53 exactly', () => {
    expect(comparePayload(want, got)).toEqual({ equal: true, reason: null });
    expect(comparePayload(want, { ...got, faiss_id: 9007199254740992n }).reason).toMatch(/^faiss_id: 9007199254740992 instead of 9007199254740993/);
  });
  it('names the first differing path', () => {
    expect(comparePayload(want, { ...got, metadata: { author: 'b', tags: ['x'] } }).reason).toBe('metadata.author: "b" instead of "a"');
    expect(comparePayload(want, { ...got, extra: 1 }).reason).toBe('extra: unexpected field (1)');
    expect(comparePayload(want, { ...got, migrated_at: 'yesterday' }).reason).toMatch(/migrated_at/);
  });
});

describe('search answer against ground truth', () => {
  const truth = [
    { id: 'a', key: 0.9 },
    { id: 'b', key: 0.8 },
    { id: 'c', key: 0.7 },
    { id: 'd', key: 0.7 },
    { id: 'e', key: 0.1 },
  ];
  it('accepts either of two tied points in the last place', () => {
    const r1 = compareAnswer('Dot', truth, [{ id: 'a', score: 0.9 }, { id: 'b', score: 0.8 }, { id: 'd', score: 0.7 }], 3, 1e-6, 5);
    expect(r1).toMatchObject({ agree: true, hits: 3 });
  });
  it('rejects a point outside the top k and a missing better point, naming them', () => {
    const r = compareAnswer('Dot', truth, [{ id: 'a', score: 0.9 }, { id: 'c', score: 0.7 }, { id: 'e', score: 0.1 }], 3, 1e-6, 5);
    expect(r.agree).toBe(false);
    expect(r.reason).toBe('point b (score 0.8) is missing from the results');
    expect(r.hits).toBe(2);
  });
  it('rejects a wrong score for the right id', () => {
    const r = compareAnswer('Dot', truth, [{ id: 'a', score: 0.5 }, { id: 'b', score: 0.8 }, { id: 'c', score: 0.7 }], 3, 1e-6, 5);
    expect(r.reason).toMatch(/point a scored 0.5/);
  });
  it('Euclid scores are distances (ground truth keys are negative squares)', () => {
    const t = [{ id: 'x', key: -0 }, { id: 'y', key: -4 }];
    expect(compareAnswer('Euclid', t, [{ id: 'x', score: 0 }, { id: 'y', score: 2 }], 2, 1e-6, 2).agree).toBe(true);
  });
});

describe('IdSet', () => {
  it('finds missing and unexpected ids exactly, above 2^53 and as UUIDs', () => {
    const labels = [0n, 9007199254740993n, 9223372036854775807n, -1n, -9223372036854775808n];
    const source = new IdSet();
    for (const l of labels) source.add(pointIdForLabel(l));
    const coll = new IdSet();
    coll.add(0n);
    coll.add(9007199254740992n); // the rounded neighbour of 2^53 + 1, not the same id
    coll.add(9223372036854775807n);
    coll.add(pointIdForLabel(-1n));
    const c = source.compare(coll);
    expect(c.onlyHere).toBe(2);
    expect(c.examplesOnlyHere).toEqual(['9007199254740993', pointIdForLabel(-9223372036854775808n)]);
    expect(c.onlyThere).toBe(1);
    expect(c.examplesOnlyThere).toEqual(['9007199254740992']);
  });
  it('counts repeated source labels once', () => {
    const a = new IdSet();
    for (const x of [5n, 5n, 6n]) a.add(x);
    const b = new IdSet();
    for (const x of [6n, 5n]) b.add(x);
    expect(a.compare(b)).toMatchObject({ onlyHere: 0, onlyThere: 0, duplicatesHere: 1, examplesDuplicates: ['5'] });
  });
});

describe('sampling', () => {
  it('draws k distinct ordinals reproducibly', () => {
    const a = sampleOrdinals(1000, 50, 7);
    expect(new Set(a).size).toBe(50);
    expect(a.every((x) => x >= 0 && x < 1000)).toBe(true);
    expect(sampleOrdinals(1000, 50, 7)).toEqual(a);
    expect(sampleOrdinals(1000, 50, 8)).not.toEqual(a);
    expect(sampleOrdinals(5, 50, 1).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('verdict line', () => {
  it('names a failed collection check without an empty overview', async () => {
    const { verdictLine } = await import('../../electron/engine/verify/verdict');
    expect(verdictLine([{ name: 'collection', passed: false, summary: 'vector size 4 in Qdrant, dimension 8 in the source', details: {} }])).toBe(
      'FAIL: collection: vector size 4 in Qdrant, dimension 8 in the source',
    );
  });
});

describe('scroll page parsing', () => {
  it('keeps integer ids and the next offset exact without the lossless parser', async () => {
    const { parseIdsPage } = await import('../../electron/engine/verify/qdrant-rest');
    const text = '{"result":{"points":[{"id":18446744073709551615},{"id": 9007199254740993},{"id":"6B3B8C0E-0000-5000-8000-000000000000"}],"next_page_offset":9007199254740995},"status":"ok","time":0.1}';
    const page = parseIdsPage<{ points: { id: unknown }[]; next_page_offset: unknown }>(text).result;
    expect(page.points.map((p) => p.id)).toEqual(['18446744073709551615', '9007199254740993', '6B3B8C0E-0000-5000-8000-000000000000']);
    expect(page.next_page_offset).toBe('9007199254740995');
  });
});
