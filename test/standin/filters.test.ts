/** Filter semantics, each condition counted against a small known payload set. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schemas } from '@qdrant/js-client-rest';
import { harness, type Harness } from './helpers';

let h: Harness;
let name: string;

const PAYLOADS: Record<string, unknown>[] = [
  { city: 'Berlin', count: 1, price: 9.5, tags: ['red', 'green'], text: 'The quick brown fox', date: '2026-01-01T00:00:00Z', country: { name: 'DE', cities: [{ name: 'Berlin', pop: 3.6 }] } },
  { city: ['Berlin', 'London'], count: 5, price: 20, tags: [], text: 'lazy dog sleeps', date: '2026-06-01T00:00:00Z', country: { name: 'UK', cities: [{ name: 'London', pop: 9 }, { name: 'Leeds', pop: 0.8 }] } },
  { city: 'Moscow', count: 10, price: null, text: 'quick quick', date: '2025-12-31T00:00:00Z' },
  { city: 'London', count: -3, tags: ['blue'], nested: [{ a: 1, b: 'x' }, { a: 2, b: 'y' }] },
  { count: 7, nested: [{ a: 1, b: 'y' }] },
];

beforeAll(async () => {
  h = await harness();
  name = h.name('filters');
  await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
  await h.client.createPayloadIndex(name, { field_name: 'text', field_schema: 'text', wait: true });
  await h.client.upsert(name, { wait: true, points: PAYLOADS.map((payload, i) => ({ id: i + 1, vector: [1, i], payload })) });
});
afterAll(() => h.cleanup());

async function ids(filter: Schemas['Filter']): Promise<(number | string)[]> {
  const page = await h.client.scroll(name, { filter, limit: 100, with_payload: false });
  const counted = await h.client.count(name, { filter, exact: true });
  expect(counted.count).toBe(page.points.length);
  return page.points.map((p) => p.id);
}

describe('filters', () => {
  it('match value, any, except (arrays match on any element)', async () => {
    expect(await ids({ must: [{ key: 'city', match: { value: 'Berlin' } }] })).toEqual([1, 2]);
    expect(await ids({ must: [{ key: 'city', match: { any: ['Moscow', 'London'] } }] })).toEqual([2, 3, 4]);
    expect(await ids({ must: [{ key: 'count', match: { value: 5 } }] })).toEqual([2]);
    // except: some value outside the list (['Berlin', 'London'] matches); a point without the field does not.
    expect(await ids({ must: [{ key: 'city', match: { except: ['Berlin'] } }] })).toEqual([2, 3, 4]);
    expect(await ids({ must_not: [{ key: 'city', match: { except: ['Berlin'] } }] })).toEqual([1, 5]);
  });

  it('full-text match on a text index', async () => {
    expect(await ids({ must: [{ key: 'text', match: { text: 'quick fox' } }] })).toEqual([1]);
    expect(await ids({ must: [{ key: 'text', match: { text: 'QUICK' } }] })).toEqual([1, 3]);
  });

  it('range on numbers and datetimes', async () => {
    expect(await ids({ must: [{ key: 'count', range: { gte: 1, lt: 7 } }] })).toEqual([1, 2]);
    expect(await ids({ must: [{ key: 'price', range: { gt: 9.5 } }] })).toEqual([2]);
    expect(await ids({ must: [{ key: 'date', range: { gte: '2026-01-01T00:00:00Z' } }] })).toEqual([1, 2]);
  });

  it('must, should, must_not, min_should and nested filters', async () => {
    expect(await ids({ should: [{ key: 'city', match: { value: 'Moscow' } }, { key: 'count', match: { value: 7 } }] })).toEqual([3, 5]);
    expect(await ids({ must_not: [{ key: 'city', match: { value: 'Berlin' } }] })).toEqual([3, 4, 5]);
    expect(
      await ids({
        min_should: {
          conditions: [{ key: 'city', match: { value: 'Berlin' } }, { key: 'count', range: { gte: 5 } }, { key: 'tags', match: { value: 'red' } }],
          min_count: 2,
        },
      }),
    ).toEqual([1, 2]);
    expect(await ids({ must: [{ should: [{ key: 'count', range: { lt: 0 } }, { key: 'count', range: { gt: 9 } }] }] })).toEqual([3, 4]);
  });

  it('has_id, is_empty, is_null', async () => {
    expect(await ids({ must: [{ has_id: [2, 4, 99] }] })).toEqual([2, 4]);
    expect(await ids({ must: [{ is_empty: { key: 'tags' } }] })).toEqual([2, 3, 5]);
    expect(await ids({ must: [{ is_null: { key: 'price' } }] })).toEqual([3]);
    expect(await ids({ must_not: [{ is_empty: { key: 'city' } }] })).toEqual([1, 2, 3, 4]);
  });

  it('nested keys: dotted paths, [] arrays, and the nested condition', async () => {
    expect(await ids({ must: [{ key: 'country.name', match: { value: 'UK' } }] })).toEqual([2]);
    expect(await ids({ must: [{ key: 'country.cities[].name', match: { value: 'Leeds' } }] })).toEqual([2]);
    expect(await ids({ must: [{ key: 'country.cities[].pop', range: { gt: 5 } }] })).toEqual([2]);
    // Same element must satisfy both: only point 4 has an element with a=1 and b='x'.
    expect(await ids({ must: [{ nested: { key: 'nested', filter: { must: [{ key: 'a', match: { value: 1 } }, { key: 'b', match: { value: 'x' } }] } } }] })).toEqual([4]);
    // Without nested, the conditions may hold on different elements.
    expect(await ids({ must: [{ key: 'nested[].a', match: { value: 2 } }, { key: 'nested[].b', match: { value: 'x' } }] })).toEqual([4]);
    expect(await ids({ must: [{ key: 'nested[].a', match: { value: 1 } }, { key: 'nested[].b', match: { value: 'y' } }] })).toEqual([4, 5]);
  });

  it('values_count', async () => {
    expect(await ids({ must: [{ key: 'tags', values_count: { gte: 2 } }] })).toEqual([1]);
  });
});
