/** The stand-in is held to Qdrant's OpenAPI document, and the check bites. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsStandIn } from '../support/qdrant';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { harness, type Harness } from './helpers';
import { loadOpenApi, openApiDir } from '../support/qdrant/openapi';
import { ROUTES } from '../support/qdrant/routes';
import { handlers } from '../support/qdrant/api';

const HAVE_DOCS = existsSync(join(openApiDir(), 'openapi-v1.19.0.json'));

describe.skipIf(!HAVE_DOCS)('route table against the official documents', () => {
  for (const version of ['1.19.0', '1.18.3'] as const) {
    it(`every route is an operation of Qdrant ${version} with the same method and path (search only in 1.18.3)`, () => {
      const api = loadOpenApi(version)!;
      for (const r of ROUTES) {
        const op = api.operations.get(r.operationId);
        if (r.operationId === 'search_points' && version === '1.19.0') {
          // Removed from the 1.19 document (still routed by the 1.19 server): served, not validated.
          expect(op).toBeUndefined();
          continue;
        }
        expect(op, r.operationId).toEqual({ method: r.method, path: r.template });
      }
    });
  }

  it('has a handler for every route', () => {
    for (const r of ROUTES) expect(handlers[r.operationId], r.operationId).toBeTypeOf('function');
  });
});

describe.skipIf(!HAVE_DOCS)('validation bites', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.cleanup());

  it('answers a malformed request 4xx in Qdrant\'s words (the stand-in also records it)', async () => {
    const name = h.name('bad');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    const error = (r: { json: () => unknown }) => (r.json() as { status: { error: string } }).status.error;
    // serde names the Rust type it expected; the position differs by design (Qdrant: "at line 1 column 15").
    const cases = [
      [{ limit: 'ten' }, /^Format error in JSON body: invalid type: string "ten", expected usize at /],
      [{ limit: -1 }, /^Format error in JSON body: invalid value: integer `-1`, expected usize at /],
      [{ limit: 1.5 }, /^Format error in JSON body: invalid type: floating point `1.5`, expected usize at /],
      [{ with_vector: 'yes' }, /^Format error in JSON body: /],
    ] as const;
    for (const [body, want] of cases) {
      const r = await h.raw('POST', `/collections/${name}/points/scroll`, JSON.stringify(body));
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(error(r), JSON.stringify(body)).toMatch(want);
    }
    // The validator names the field inside the request struct it checks.
    const r2 = await h.raw('POST', `/collections/${name}/points/scroll`, JSON.stringify({ limit: 0 }));
    expect(r2.status).toBe(422);
    expect(error(r2)).toBe('Validation error in JSON body: [scroll_request.limit: value 0 invalid, must be 1 or larger]');
    const r4 = await h.raw('POST', `/collections/${name}/points/query`, JSON.stringify({ query: [1, 1], limit: 0 }));
    expect(r4.status).toBe(422);
    expect(error(r4)).toBe('Validation error in JSON body: [internal.limit: value 0 invalid, must be 1 or larger]');
    const r3 = await h.raw('PUT', `/collections/${name}/points?wait=maybe`, JSON.stringify({ points: [] }));
    expect(r3.status).toBe(400);
    expect(error(r3)).toBe('Deserialize error in query parameters: provided string was not `true` or `false`');
    if (h.qdrant.isStandIn) expect(h.qdrant.violations.some((v) => v.direction === 'request' && v.operationId === 'scroll_points' && v.message.includes('limit'))).toBe(true);
  });

  it('catches a response that is missing a required field (the stand-in answers 500 and records it)', async (ctx) => {
    needsStandIn(ctx, 'corruptNextResponse');
    const name = h.name('corrupt');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    h.qdrant.faults.corruptNextResponse(
      (body) => {
        delete (body.result as Record<string, unknown>).optimizer_status;
      },
      { match: { operation: 'get_collection' } },
    );
    const r = await h.raw('GET', `/collections/${name}`);
    expect(r.status).toBe(500);
    expect(r.text).toContain('get_collection response violates Qdrant 1.19.0 OpenAPI');
    expect(r.text).toContain("optimizer_status");
    const v = h.qdrant.violations.find((x) => x.direction === 'response');
    expect(v?.operationId).toBe('get_collection');
    // The next answer is whole again.
    expect((await h.raw('GET', `/collections/${name}`)).status).toBe(200);
  });

  it('catches a response value of the wrong type deep inside the result', async (ctx) => {
    needsStandIn(ctx, 'corruptNextResponse');
    const name = h.name('corrupt2');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    await h.client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 2] }] });
    h.qdrant.faults.corruptNextResponse((body) => {
      ((body.result as { points: Record<string, unknown>[] }).points[0]!).id = -5;
    });
    const r = await h.raw('POST', `/collections/${name}/points/scroll`, '{}');
    expect(r.status).toBe(500);
    expect(r.text).toContain('scroll_points response violates');
  });

  it('serves the 1.18.3 document when asked, including the legacy search endpoint', async (ctx) => {
    needsStandIn(ctx, 'openapiVersion option');
    const old = await harness({ openapiVersion: '1.18.3' });
    try {
      expect(old.qdrant.server?.openapi?.version).toBe('1.18.3');
      expect((await old.raw('GET', '/')).json()).toMatchObject({ version: '1.18.3' });
      await old.client.createCollection('c', { vectors: { size: 2, distance: 'Dot' } });
      await old.client.upsert('c', { wait: true, points: [{ id: 1, vector: [1, 0] }, { id: 2, vector: [0, 1] }] });
      const hits = await old.client.search('c', { vector: [1, 0.1], limit: 1 });
      expect(hits.map((x) => x.id)).toEqual([1]);
      const bad = await old.raw('POST', '/collections/c/points/search', JSON.stringify({ vector: [1, 0], limit: 'x' }));
      expect(bad.status).toBe(400);
      expect(old.qdrant.violations).toHaveLength(1);
    } finally {
      await old.cleanup();
    }
  });

  it('a whole client session leaves no contract violation behind', async (ctx) => {
    needsStandIn(ctx, 'record of contract violations');
    const clean = await harness();
    try {
      const c = new QdrantClient({ url: clean.qdrant.url, checkCompatibility: true });
      await c.createCollection('s', { vectors: { size: 3, distance: 'Cosine' } });
      await c.createPayloadIndex('s', { field_name: 'k', field_schema: 'keyword', wait: true });
      await c.upsert('s', { wait: true, points: [{ id: 1, vector: [1, 2, 3], payload: { k: 'a' } }, { id: '6f9a0f0e-4b7a-5d1c-9b1d-2a6f3e4c5b7a', vector: [3, 2, 1], payload: { k: 'b' } }] });
      await c.getCollection('s');
      await c.scroll('s', { with_vector: true });
      await c.retrieve('s', { ids: [1], with_vector: true });
      await c.count('s', { filter: { must: [{ key: 'k', match: { value: 'a' } }] } });
      await c.query('s', { query: [1, 1, 1], with_payload: true, with_vector: true });
      await c.facet('s', { key: 'k' });
      await c.getOptimizations('s');
      await c.collectionClusterInfo('s');
      await c.deletePayloadIndex('s', 'k', { wait: true });
      await c.deleteCollection('s');
      expect(clean.qdrant.violations).toEqual([]);
    } finally {
      await clean.cleanup();
    }
  });
});
