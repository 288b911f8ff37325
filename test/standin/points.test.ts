/** Points: writes, reads, ids, vectors and the errors Qdrant gives, through the client and raw HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { needsOwnQdrant } from '../support/qdrant';
import { failure, harness, vectors, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.cleanup());

const norm = (v: number[]) => {
  const len = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  return v.map((x) => Math.fround(x / len));
};

async function collection(tag: string, size: number, distance: 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan' = 'Cosine') {
  const name = h.name(tag);
  await h.client.createCollection(name, { vectors: { size, distance } });
  return name;
}

describe('upsert and retrieve', () => {
  it('stores Cosine vectors normalised and Dot vectors as sent', async () => {
    const cos = await collection('cos', 4, 'Cosine');
    const dot = await collection('dot', 4, 'Dot');
    const v = [0.5, -1.25, 3, 0.125];
    for (const name of [cos, dot]) {
      const r = await h.client.upsert(name, { wait: true, points: [{ id: 7, vector: v, payload: { text: 'hello', n: 1 } }] });
      expect(r.status).toBe('completed');
    }
    const [c] = await h.client.retrieve(cos, { ids: [7], with_vector: true });
    const expected = norm(v);
    (c!.vector as number[]).forEach((x, i) => expect(Math.abs(Math.fround(x) - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * 2 ** -23));
    const [d] = await h.client.retrieve(dot, { ids: [7], with_vector: true });
    expect(d!.vector).toEqual(v);
    expect(d!.payload).toEqual({ text: 'hello', n: 1 });
  });

  it('normalises a Cosine vector only when its squared length is at least f32::EPSILON (2^-23)', async () => {
    const name = await collection('eps', 3, 'Cosine');
    const points = [
      { id: 1, vector: [2 ** -12, 0, 0] }, // squared length 2^-24: kept as sent
      { id: 2, vector: [2 ** -11, 0, 0] }, // 2^-22: normalised
      { id: 3, vector: [0, 0, 0] },
    ];
    await h.client.upsert(name, { wait: true, points });
    const got = await h.client.retrieve(name, { ids: [1, 2, 3], with_vector: true });
    expect(got.map((p) => (p.vector as number[]).map(Math.fround))).toEqual([[2 ** -12, 0, 0], [1, 0, 0], [0, 0, 0]]);
  });

  it('stores a value beyond f32 range as infinity (written back as null), and a Cosine vector holding one as NaN and zeros', async () => {
    const dot = await collection('inf', 2, 'Dot');
    const cos = await collection('infcos', 2, 'Cosine');
    for (const name of [dot, cos]) {
      const r = await h.raw('PUT', `/collections/${name}/points?wait=true`, '{"points":[{"id":1,"vector":[1e39,1]},{"id":2,"vector":[-1e39,1]},{"id":3,"vector":[1,1]}]}');
      expect(r.status, name).toBe(200);
    }
    const read = async (name: string, ids: number[]) => (await h.raw('POST', `/collections/${name}/points`, JSON.stringify({ ids, with_vector: true }))).text;
    expect(await read(dot, [1, 2])).toMatch(/"id":1,.*"vector":\[null,1\.0\].*"id":2,.*"vector":\[null,1\.0\]/);
    expect(await read(cos, [1])).toMatch(/"vector":\[null,0\.0\]/);
    // Scores that are not finite are written as null too; +infinity ranks first, as the best score there is.
    const q = await h.raw('POST', `/collections/${dot}/points/query`, '{"query":[1,1]}');
    const points = (JSON.parse(q.text) as { result: { points: { id: number; score: number | null }[] } }).result.points;
    expect(points.map((p) => [p.id, p.score])).toEqual([[1, null], [3, 2], [2, null]]);
  });

  it('returns f32 values in their shortest form, so a double read back rounds to the stored f32', async () => {
    const name = await collection('f32', 3, 'Dot');
    const v = [0.1, 1 / 3, -2.718281828459045];
    await h.client.upsert(name, { wait: true, points: [{ id: 1, vector: v }] });
    const r = await h.raw('POST', `/collections/${name}/points`, JSON.stringify({ ids: [1], with_vector: true }));
    expect(r.text).toContain('"vector":[0.1,0.33333334,-2.7182817]');
  });

  it('acknowledges wait=false writes and applies them shortly after', async () => {
    const name = await collection('async', 2, 'Dot');
    const r = await h.client.upsert(name, { wait: false, points: [{ id: 1, vector: [1, 2] }] });
    expect(r.status).toBe('acknowledged');
    for (let i = 0; i < 50; i++) {
      if ((await h.client.count(name, { exact: true })).count === 1) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect((await h.client.count(name, { exact: true })).count).toBe(1);
  });

  it('accepts the batch form and overwrites an id that is written twice', async () => {
    const name = await collection('batch', 2, 'Dot');
    await h.client.upsert(name, { wait: true, batch: { ids: [1, 2], vectors: [[1, 0], [0, 1]], payloads: [{ a: 1 }, { a: 2 }] } });
    await h.client.upsert(name, { wait: true, points: [{ id: 2, vector: [5, 5], payload: { a: 3 } }] });
    const got = await h.client.retrieve(name, { ids: [1, 2], with_vector: true });
    expect(got.map((p) => [p.id, p.vector, p.payload])).toEqual([
      [1, [1, 0], { a: 1 }],
      [2, [5, 5], { a: 3 }],
    ]);
    expect((await h.client.getCollection(name)).points_count).toBe(2);
  });

  it('honours update_mode insert_only (existing points are kept)', async () => {
    const name = await collection('insertonly', 2, 'Dot');
    await h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 1], payload: { v: 'first' } }] });
    const r = await h.raw('PUT', `/collections/${name}/points?wait=true`, JSON.stringify({ points: [{ id: 1, vector: [2, 2], payload: { v: 'second' } }, { id: 2, vector: [3, 3] }], update_mode: 'insert_only' }));
    expect(r.status).toBe(200);
    const got = await h.client.retrieve(name, { ids: [1, 2] });
    expect(got.map((p) => p.payload)).toEqual([{ v: 'first' }, {}]);
  });
});

describe('point ids', () => {
  it('keeps u64 ids exact beyond 2^53, in responses and scroll cursors', async () => {
    const name = await collection('bigid', 2, 'Dot');
    const big = ['9007199254740993', '18446744073709551615', '12345678901234567890'];
    const body = `{"points":[${big.map((id, i) => `{"id":${id},"vector":[${i},1],"payload":{"faiss_id":${id}}}`).join(',')}]}`;
    const up = await h.raw('PUT', `/collections/${name}/points?wait=true`, body);
    expect(up.status).toBe(200);
    const got = await h.raw('POST', `/collections/${name}/points`, `{"ids":[18446744073709551615,9007199254740993],"with_payload":true}`);
    expect(got.status).toBe(200);
    expect(got.text).toContain('"id":18446744073709551615');
    expect(got.text).toContain('"id":9007199254740993');
    expect(got.text).toContain('"faiss_id":9007199254740993');
    const page = await h.raw('POST', `/collections/${name}/points/scroll`, '{"limit":1}');
    expect(page.text).toContain('"id":9007199254740993');
    expect(page.text).toContain('"next_page_offset":12345678901234567890');
    const next = await h.raw('POST', `/collections/${name}/points/scroll`, '{"limit":5,"offset":12345678901234567890}');
    expect(next.text).toMatch(/"points":\[\{"id":12345678901234567890,.*\{"id":18446744073709551615,.*"next_page_offset":null/);
    const single = await h.raw('GET', `/collections/${name}/points/18446744073709551615`);
    expect(single.status).toBe(200);
    expect(single.text).toContain('"id":18446744073709551615');
  });

  it('accepts UUIDs in every form and returns them hyphenated, after all integer ids', async () => {
    const name = await collection('uuid', 2, 'Dot');
    await h.client.upsert(name, {
      wait: true,
      points: [
        { id: '550E8400E29B41D4A716446655440000', vector: [1, 0] },
        { id: 5, vector: [0, 1] },
        { id: 'urn:uuid:00000000-0000-0000-0000-000000000001', vector: [1, 1] },
      ],
    });
    const page = await h.client.scroll(name, { limit: 10 });
    expect(page.points.map((p) => p.id)).toEqual([5, '00000000-0000-0000-0000-000000000001', '550e8400-e29b-41d4-a716-446655440000']);
  });

  it('refuses negative, fractional, oversized and non-UUID string ids with Qdrant\'s message', async () => {
    const name = await collection('badid', 2, 'Dot');
    // Qdrant names the value as serde_json read it: an integer beyond u64 becomes a double, written as Rust
    // writes an f64 (all digits, no exponent); 1.0 and 1e2 are doubles too; JSON null is `Unit`.
    const cases = [['-1', '-1'], ['1.5', '1.5'], ['"abc"', 'abc'], ['"42"', '42'], ['18446744073709551616', '18446744073709552000'], ['1e30', '1000000000000000000000000000000'], ['1e2', '100'], ['1.0', '1'], ['-9223372036854775809', '-9223372036854776000'], ['null', 'Unit'], ['true', 'true']] as const;
    for (const [id, shown] of cases) {
      const r = await h.raw('PUT', `/collections/${name}/points?wait=true`, `{"points":[{"id":${id},"vector":[1,2]}]}`);
      expect(r.status, id).toBe(400);
      const error = (r.json() as { status: { error: string } }).status.error;
      expect(error, id).toMatch(/^Format error in JSON body: /);
      expect(error, id).toContain(`value ${shown} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
    }
    expect((await h.client.count(name, {})).count).toBe(0);
  });
});

describe('bad vectors and bodies', () => {
  it('refuses a vector of the wrong size and stores nothing of the batch', async () => {
    const name = await collection('dim', 4, 'Cosine');
    const e = await failure(h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 2, 3, 4] }, { id: 2, vector: [1, 2, 3] }] }));
    expect(e).toEqual({ status: 400, error: 'Wrong input: Vector dimension error: expected dim: 4, got 3' });
    expect((await h.client.count(name, {})).count).toBe(0);
    const empty = await failure(h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [] }] }));
    expect(empty).toEqual({ status: 422, error: 'Validation error in JSON body: [points[0].vector.vector: dense vector must not be empty]' });
  });

  it('refuses NaN (sent as null by JSON) and numbers out of range', async () => {
    const name = await collection('nan', 2, 'Dot');
    const e = await failure(h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [Number.NaN, 1] }] }));
    expect(e.status).toBe(400);
    expect(e.error).toMatch(/^Format error in JSON body: data did not match any variant of untagged enum VectorStruct\b/);
    const batch = await failure(h.client.upsert(name, { wait: true, batch: { ids: [1], vectors: [[Number.NaN, 1]] } }));
    expect(batch.error).toMatch(/^Format error in JSON body: data did not match any variant of untagged enum BatchVectorStruct\b/);
    const inf = await h.raw('PUT', `/collections/${name}/points?wait=true`, '{"points":[{"id":1,"vector":[1e999,1]}]}');
    expect(inf.status).toBe(400);
    expect(inf.text).toContain('Format error in JSON body: number out of range');
    const lit = await h.raw('PUT', `/collections/${name}/points?wait=true`, '{"points":[{"id":1,"vector":[NaN,1]}]}');
    expect(lit.status).toBe(400);
    expect(lit.text).toContain('Format error in JSON body');
    expect((await h.client.count(name, {})).count).toBe(0);
  });

  it('refuses a malformed JSON body naming where it broke', async () => {
    const name = await collection('syntax', 2, 'Dot');
    const r = await h.raw('PUT', `/collections/${name}/points?wait=true`, '{"points":[{"id":1,"vector":[1,2]}');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/Format error in JSON body: .* at line 1 column \d+/);
  });

  it('refuses unknown fields where Qdrant denies them (filters) and ignores them elsewhere', async () => {
    const name = await collection('unknown', 2, 'Dot');
    const bad = await h.raw('POST', `/collections/${name}/points/count`, '{"filter":{"must":[],"mustt":[]}}');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('unknown field `mustt`');
    const ok = await h.raw('PUT', `/collections/${name}/points?wait=true`, '{"points":[{"id":1,"vector":[1,2],"colour":"red"}],"extra":true}');
    expect(ok.status).toBe(200);
  });
});

describe('request size limit', () => {
  beforeEach((ctx) => needsOwnQdrant(ctx, 'a server started with max_request_size_mb=1'));

  it('refuses a body over max_request_size_mb with Qdrant\'s text, and accepts one under it', async () => {
    const small = await harness({ maxRequestSizeMb: 1 });
    try {
      await small.client.createCollection('limit', { vectors: { size: 384, distance: 'Dot' } });
      const points = vectors(400, 384).map((v, i) => ({ id: i, vector: v }));
      const body = JSON.stringify({ points });
      expect(body.length).toBeGreaterThan(1024 * 1024);
      const r = await small.raw('PUT', '/collections/limit/points?wait=true', body);
      expect(r.status).toBe(400);
      expect((r.json() as { status: { error: string } }).status.error).toBe(`JSON payload (${Buffer.byteLength(body)} bytes) is larger than allowed (limit: 1048576 bytes).`);
      const fits = JSON.stringify({ points: points.slice(0, 100) });
      expect((await small.raw('PUT', '/collections/limit/points?wait=true', fits)).status).toBe(200);
    } finally {
      await small.cleanup();
    }
  });
});

describe('delete and payload operations', () => {
  it('deletes by ids and by filter', async () => {
    const name = await collection('del', 2, 'Dot');
    await h.client.upsert(name, { wait: true, points: [1, 2, 3, 4].map((id) => ({ id, vector: [id, 1], payload: { even: id % 2 === 0 } })) });
    await h.client.delete(name, { wait: true, points: [1] });
    expect((await h.client.count(name, {})).count).toBe(3);
    await h.client.delete(name, { wait: true, filter: { must: [{ key: 'even', match: { value: true } }] } });
    const left = await h.client.scroll(name, {});
    expect(left.points.map((p) => p.id)).toEqual([3]);
  });

  it('sets, overwrites, deletes and clears payload', async () => {
    const name = await collection('payload', 2, 'Dot');
    await h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 1], payload: { a: 1, b: 2 } }] });
    await h.client.setPayload(name, { wait: true, points: [1], payload: { c: 3 } });
    expect((await h.client.retrieve(name, { ids: [1] }))[0]!.payload).toEqual({ a: 1, b: 2, c: 3 });
    await h.client.deletePayload(name, { wait: true, points: [1], keys: ['a'] });
    expect((await h.client.retrieve(name, { ids: [1] }))[0]!.payload).toEqual({ b: 2, c: 3 });
    await h.client.overwritePayload(name, { wait: true, points: [1], payload: { z: true } });
    expect((await h.client.retrieve(name, { ids: [1] }))[0]!.payload).toEqual({ z: true });
    await h.client.clearPayload(name, { wait: true, points: [1] });
    expect((await h.client.retrieve(name, { ids: [1] }))[0]!.payload).toEqual({});
  });

  it('runs a batch of operations in order', async () => {
    const name = await collection('batchupd', 2, 'Dot');
    const r = await h.client.batchUpdate(name, {
      wait: true,
      operations: [
        { upsert: { points: [{ id: 1, vector: [1, 0], payload: { k: 'x' } }, { id: 2, vector: [0, 1] }] } },
        { set_payload: { payload: { tag: 'new' }, points: [2] } },
        { delete: { points: [1] } },
        { update_vectors: { points: [{ id: 2, vector: [9, 9] }] } },
      ],
    });
    expect(r.map((x) => x.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const got = await h.client.retrieve(name, { ids: [1, 2], with_vector: true });
    expect(got).toEqual([{ id: 2, payload: { tag: 'new' }, vector: [9, 9] }]);
  });
});

describe('scroll and count', () => {
  it('walks every point exactly once with the offset cursor, filtered or not', async () => {
    const name = await collection('scroll', 2, 'Dot');
    const ids = Array.from({ length: 57 }, (_, i) => i * 3 + 1);
    await h.client.upsert(name, { wait: true, points: ids.map((id) => ({ id, vector: [id, 1], payload: { mod: id % 5, text: `doc ${id}` } })) });
    const seen: (number | string)[] = [];
    let offset: number | string | null | undefined;
    do {
      const page: { points: { id: number | string }[]; next_page_offset?: unknown } = await h.client.scroll(name, { limit: 10, offset: offset ?? undefined, with_payload: false });
      seen.push(...page.points.map((p) => p.id));
      offset = page.next_page_offset as number | string | null | undefined;
    } while (offset !== null && offset !== undefined);
    expect(seen).toEqual(ids);
    const filtered = await h.client.scroll(name, { limit: 100, filter: { must: [{ key: 'mod', match: { value: 0 } }] } });
    expect(filtered.points.map((p) => p.id)).toEqual(ids.filter((id) => id % 5 === 0));
    expect((await h.client.count(name, { exact: true })).count).toBe(57);
    expect((await h.client.count(name, { exact: false })).count).toBe(57);
    expect((await h.client.count(name, { filter: { must: [{ key: 'mod', match: { value: 0 } }] } })).count).toBe(filtered.points.length);
  });

  it('selects payload keys and vectors as asked', async () => {
    const name = await collection('select', 2, 'Dot');
    await h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 2], payload: { a: 1, b: { c: 2 }, d: 'x' } }] });
    const inc = await h.client.scroll(name, { with_payload: ['a', 'b'] });
    expect(inc.points[0]!.payload).toEqual({ a: 1, b: { c: 2 } });
    const exc = await h.client.scroll(name, { with_payload: { exclude: ['a'] }, with_vector: true });
    expect(exc.points[0]!.payload).toEqual({ b: { c: 2 }, d: 'x' });
    expect(exc.points[0]!.vector).toEqual([1, 2]);
    const none = await h.client.scroll(name, { with_payload: false });
    expect(none.points[0]!.payload ?? null).toBeNull();
    expect(none.points[0]!.vector ?? null).toBeNull();
  });

  it('orders by an indexed numeric field (and refuses without the index)', async () => {
    const name = await collection('orderby', 2, 'Dot');
    await h.client.upsert(name, { wait: true, points: [5, 1, 4, 2, 3].map((n, i) => ({ id: i + 1, vector: [1, 1], payload: { batch_num: n } })) });
    const e = await failure(h.client.scroll(name, { order_by: 'batch_num' }));
    expect(e.status).toBe(400);
    expect(e.error).toContain('No range index for `order_by` key: `batch_num`');
    await h.client.createPayloadIndex(name, { field_name: 'batch_num', field_schema: 'integer', wait: true });
    const asc = await h.client.scroll(name, { order_by: 'batch_num', limit: 3 });
    expect(asc.points.map((p) => p.payload?.batch_num)).toEqual([1, 2, 3]);
    expect(asc.points.map((p) => p.order_value)).toEqual([1, 2, 3]);
    const desc = await h.client.scroll(name, { order_by: { key: 'batch_num', direction: 'desc', start_from: 4 } });
    expect(desc.points.map((p) => p.payload?.batch_num)).toEqual([4, 3, 2, 1]);
  });
});
