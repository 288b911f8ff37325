/** Query (nearest by vector, by id, filtered, exact, thresholds), legacy search and facets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, harness, vectors, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.cleanup());

type Metric = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';

/** Scores computed here, independently of the stand-in, in double precision. */
function expectedScore(metric: Metric, q: number[], v: number[]): number {
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  switch (metric) {
    case 'Cosine':
      return dot(q, v) / Math.sqrt(dot(q, q) * dot(v, v));
    case 'Dot':
      return dot(q, v);
    case 'Euclid':
      return Math.sqrt(q.reduce((s, x, i) => s + (x - v[i]!) ** 2, 0));
    case 'Manhattan':
      return q.reduce((s, x, i) => s + Math.abs(x - v[i]!), 0);
  }
}

describe('nearest-neighbour scores as Qdrant computes them', () => {
  for (const metric of ['Cosine', 'Dot', 'Euclid', 'Manhattan'] as const) {
    it(`${metric}: exact top-k, order and scores`, async () => {
      const name = h.name(metric.toLowerCase());
      await h.client.createCollection(name, { vectors: { size: 16, distance: metric } });
      const vs = vectors(60, 16, 7);
      await h.client.upsert(name, { wait: true, points: vs.map((v, i) => ({ id: i, vector: v, payload: { i } })) });
      const q = vectors(1, 16, 99)[0]!;
      const res = await h.client.query(name, { query: q, limit: 5, params: { exact: true }, with_payload: true });
      const want = vs
        .map((v, i) => ({ i, s: expectedScore(metric, q, v) }))
        .sort((a, b) => (metric === 'Cosine' || metric === 'Dot' ? b.s - a.s : a.s - b.s))
        .slice(0, 5);
      expect(res.points.map((p) => p.id)).toEqual(want.map((w) => w.i));
      res.points.forEach((p, k) => {
        expect(p.score).toBeCloseTo(want[k]!.s, 4);
        expect(p.payload).toEqual({ i: want[k]!.i });
        expect(p.vector ?? null).toBeNull();
      });
    });
  }

  it('queries by point id (the point itself is not a result), with filter, threshold, offset', async () => {
    const name = h.name('byid');
    await h.client.createCollection(name, { vectors: { size: 8, distance: 'Cosine' } });
    const vs = vectors(40, 8, 3);
    await h.client.upsert(name, { wait: true, points: vs.map((v, i) => ({ id: i + 1, vector: v, payload: { group: i % 2 === 0 ? 'even' : 'odd' } })) });
    const byId = await h.client.query(name, { query: 1, limit: 5 });
    expect(byId.points.map((p) => p.id)).not.toContain(1);
    expect(byId.points).toHaveLength(5);
    const byVector = await h.client.query(name, { query: vs[0], limit: 6 });
    expect(byVector.points[0]!.id).toBe(1);
    expect(byVector.points.slice(1).map((p) => p.id)).toEqual(byId.points.map((p) => p.id));

    const nearest = await h.client.query(name, { query: { nearest: vs[0]! }, limit: 100, filter: { must: [{ key: 'group', match: { value: 'odd' } }] }, with_payload: true });
    expect(nearest.points.length).toBe(20);
    expect(nearest.points.every((p) => p.payload?.group === 'odd')).toBe(true);

    const threshold = 0.3;
    const above = await h.client.query(name, { query: vs[0], limit: 100, score_threshold: threshold });
    expect(above.points.length).toBeGreaterThan(0);
    expect(above.points.every((p) => p.score >= threshold)).toBe(true);
    const all = await h.client.query(name, { query: vs[0], limit: 100 });
    expect(above.points.length).toBe(all.points.filter((p) => p.score >= threshold).length);

    const paged = await h.client.query(name, { query: vs[0], limit: 3, offset: 2 });
    expect(paged.points.map((p) => p.id)).toEqual(all.points.slice(2, 5).map((p) => p.id));

    const withVec = await h.client.query(name, { query: vs[0], limit: 1, with_vector: true });
    expect((withVec.points[0]!.vector as number[]).length).toBe(8);
  });

  it('refuses a query vector of the wrong size and an unknown point id', async () => {
    const name = h.name('qerr');
    await h.client.createCollection(name, { vectors: { size: 4, distance: 'Dot' } });
    const e = await failure(h.client.query(name, { query: [1, 2, 3] }));
    expect(e).toEqual({ status: 400, error: 'Wrong input: Vector dimension error: expected dim: 4, got 3' });
    const e2 = await failure(h.client.query(name, { query: 12345 }));
    expect(e2.status).toBe(404);
    expect(e2.error).toContain('No point with id 12345 found');
  });

  it('lists points in id order for a query without a vector', async () => {
    const name = h.name('noquery');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    await h.client.upsert(name, { wait: true, points: [3, 1, 2].map((id) => ({ id, vector: [id, 0] })) });
    const res = await h.client.query(name, { limit: 10 });
    expect(res.points.map((p) => p.id)).toEqual([1, 2, 3]);
  });

  it('runs a batch of queries', async () => {
    const name = h.name('qbatch');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    await h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 0] }, { id: 2, vector: [0, 1] }] });
    const res = await h.client.queryBatch(name, { searches: [{ query: [1, 0], limit: 1 }, { query: [0, 1], limit: 1 }] });
    expect(res.map((r) => r.points[0]!.id)).toEqual([1, 2]);
  });
});

describe('facet', () => {
  it('counts values of an indexed keyword field', async () => {
    const name = h.name('facet');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    await h.client.createPayloadIndex(name, { field_name: 'source', field_schema: 'keyword', wait: true });
    const sources = ['a', 'b', 'a', 'c', 'a', 'b'];
    await h.client.upsert(name, { wait: true, points: sources.map((s, i) => ({ id: i, vector: [1, 1], payload: { source: s } })) });
    const res = await h.client.facet(name, { key: 'source', exact: true });
    expect(res.hits).toEqual([
      { value: 'a', count: 3 },
      { value: 'b', count: 2 },
      { value: 'c', count: 1 },
    ]);
  });
});
