/**
 * The comparison rules verification relies on, on values where the right answer is known by
 * construction: bit-exact vectors, Cosine normalisation tolerance, payload differences named by path,
 * search answers with ties at the k-th place, and id sets beyond 2^53 and UUIDs.
 */
import { describe, expect, it } from 'vitest';
import { compareVector } from '../../electron/engine/verify/vector-compare';
import { PyFloat, pyFloatRepr } from '../../electron/engine/python-number';
import { serdeJsonNumber } from '../../electron/engine/verify/qdrant-numbers';
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
    expect(comparePayload(want, got)).toEqual({ equal: true, reason: null, differences: [] });
    expect(comparePayload(want, { ...got, faiss_id: 9007199254740992n }).reason).toBe('faiss_id: int 9007199254740993 in the source, int 9007199254740992 in Qdrant');
  });
  it('names the first differing path with both types and exact texts', () => {
    expect(comparePayload(want, { ...got, metadata: { author: 'b', tags: ['x'] } }).reason).toBe('metadata.author: str "a" in the source, str "b" in Qdrant');
    expect(comparePayload(want, { ...got, extra: 1 }).reason).toBe('extra: missing (missing) in the source, int 1 in Qdrant');
    expect(comparePayload(want, { ...got, migrated_at: 'yesterday' }).reason).toMatch(/migrated_at/);
  });
  it('run fields under _xnai (framework layouts) are checked for their type only', () => {
    const own = { page_content: 'p', metadata: {}, _xnai: { source: 'faiss', faiss_id: 3, migrated_at: 'x', batch_num: 0, doc_id: 'd' } };
    expect(comparePayload(own, { ...own, _xnai: { ...own._xnai, migrated_at: '2026-01-01T00:00:00Z', batch_num: 9 } }).equal).toBe(true);
    expect(comparePayload(own, { ...own, _xnai: { ...own._xnai, migrated_at: 5, batch_num: 9 } }).reason).toBe('_xnai.migrated_at: int 5 is not an ISO timestamp');
    expect(comparePayload(own, { ...own, _xnai: { ...own._xnai, migrated_at: '2026-01-01T00:00:00Z', batch_num: 9, doc_id: 'e' } }).reason).toBe('_xnai.doc_id: str "d" in the source, str "e" in Qdrant');
  });
  it('a float that became an int, and 2**60 as a float against the int Qdrant would otherwise hold, print differently', () => {
    const src = { ...want, metadata: { n: new PyFloat(5), big: new PyFloat(2 ** 60), z: new PyFloat(-0) } };
    const r = comparePayload(src, { ...got, metadata: { n: 5, big: 1152921504606846976n, z: new PyFloat(0) } });
    expect(r.equal).toBe(false);
    expect(r.differences.map((d) => [d.path, d.source, d.qdrant, d.cause])).toEqual([
      ['metadata.n', { type: 'float', text: '5.0' }, { type: 'int', text: '5' }, 'mismatch'],
      ['metadata.big', { type: 'float', text: '1.152921504606847e+18' }, { type: 'int', text: '1152921504606846976' }, 'mismatch'],
      ['metadata.z', { type: 'float', text: '-0.0' }, { type: 'float', text: '0.0' }, 'mismatch'],
    ]);
    expect(r.differences[0]!.explanation).toBe('the source has the float 5.0, Qdrant the int 5: a Python application reads 5 (an int), not 5.0');
  });
  it("a float Qdrant's REST JSON parser rounds is classified as such, and does not fail the comparison", () => {
    // 0.22375380588830573 is read by serde_json (no float_roundtrip) as 0.2237538058883057 (checked against Qdrant 1.18.3)
    const x = 0.22375380588830573;
    const stored = serdeJsonNumber(pyFloatRepr(x))!;
    expect(stored).toEqual({ kind: 'float', value: 0.2237538058883057 });
    const r = comparePayload({ ...want, metadata: { x: new PyFloat(x) } }, { ...got, metadata: { x: new PyFloat(stored.value as number) } });
    expect(r.equal).toBe(true);
    expect(r.differences).toEqual([
      expect.objectContaining({ path: 'metadata.x', source: { type: 'float', text: '0.22375380588830573' }, qdrant: { type: 'float', text: '0.2237538058883057' }, cause: 'qdrant-json-number' }),
    ]);
    // the same stored value for a source float that does not round that way is a real mismatch
    expect(comparePayload({ ...want, metadata: { x: new PyFloat(0.5) } }, { ...got, metadata: { x: new PyFloat(stored.value as number) } }).equal).toBe(false);
  });
  it('an int beyond 64 bits stored as a float by Qdrant is classified as Qdrant\'s parsing', () => {
    const r = comparePayload({ ...want, metadata: { x: 2n ** 64n } }, { ...got, metadata: { x: new PyFloat(18446744073709551616) } });
    expect(r.equal).toBe(true);
    expect(r.differences[0]).toMatchObject({ cause: 'qdrant-json-number', source: { type: 'int', text: '18446744073709551616' }, qdrant: { type: 'float', text: '1.8446744073709552e+19' } });
  });
});

describe("Qdrant's JSON number parsing (serde_json without float_roundtrip)", () => {
  it.each([
    ['5', { kind: 'int', value: 5n }],
    ['-9223372036854775808', { kind: 'int', value: -(2n ** 63n) }],
    ['18446744073709551615', { kind: 'int', value: 2n ** 64n - 1n }],
    ['18446744073709551616', { kind: 'float', value: 18446744073709551616 }],
    ['5.0', { kind: 'float', value: 5 }],
    ['-0.0', { kind: 'float', value: -0 }],
    ['1e+300', { kind: 'float', value: 1e300 }],
    ['1.152921504606847e+18', { kind: 'float', value: 1152921504606846976 }],
    ['2.5e-07', { kind: 'float', value: 2.5e-7 }],
  ])('%s', (text, want) => {
    expect(serdeJsonNumber(text)).toEqual(want);
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
