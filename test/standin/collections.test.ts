/** Collections, payload indexes, service endpoints: through the real client, as the product calls them. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { needsOwnQdrant, needsStandIn } from '../support/qdrant';
import { failure, harness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.cleanup());

describe('service endpoints', () => {
  it('answers / with version info, and the health checks in plain text', async () => {
    const root = await h.raw('GET', '/');
    expect(root.status).toBe(200);
    const info = root.json() as { title: string; version: string };
    expect(info.title).toBe('qdrant - vector search engine');
    expect(info.version).toMatch(/^1\.(1[89]|[2-9]\d)\./);
    for (const [path, text] of [['/healthz', 'healthz check passed'], ['/readyz', 'all shards are ready']] as const) {
      const r = await h.raw('GET', path);
      expect(r.status).toBe(200);
      expect(r.text).toBe(text);
    }
    // The client's own version check (GET /) accepts it.
    const v = await h.client.versionInfo();
    expect(v.version).toBe(info.version);
  });

  it('answers telemetry with the collection count', async () => {
    const r = await h.raw('GET', '/telemetry');
    expect(r.status).toBe(200);
    const t = (r.json() as { result: { id: string; collections: { number_of_collections: number } } }).result;
    expect(typeof t.id).toBe('string');
    expect(t.collections.number_of_collections).toBe((await h.client.getCollections()).collections.length);
  });

  it('reports cluster status disabled on a single node', async () => {
    const r = await h.raw('GET', '/cluster');
    expect(r.status).toBe(200);
    expect((r.json() as { result: { status: string } }).result.status).toBe('disabled');
  });

  it('answers an unknown path with 404', async () => {
    expect((await h.raw('GET', '/no/such/endpoint')).status).toBe(404);
  });
});

describe('collection lifecycle', () => {
  it('creates, lists, describes, updates and deletes a collection', async () => {
    const name = h.name('life');
    expect(await h.client.collectionExists(name)).toEqual({ exists: false });
    expect(await h.client.createCollection(name, { vectors: { size: 8, distance: 'Cosine', on_disk: true }, on_disk_payload: true })).toBe(true);
    expect(await h.client.collectionExists(name)).toEqual({ exists: true });
    const list = await h.client.getCollections();
    expect(list.collections.map((c) => c.name)).toContain(name);

    const info = await h.client.getCollection(name);
    expect(info.status).toBe('green');
    expect(info.optimizer_status).toBe('ok');
    expect(info.points_count).toBe(0);
    expect(info.indexed_vectors_count).toBe(0);
    expect(info.segments_count).toBeGreaterThan(0);
    expect(info.config.params.vectors).toMatchObject({ size: 8, distance: 'Cosine', on_disk: true });
    expect(info.config.params.shard_number).toBe(1);
    expect(info.config.params.replication_factor).toBe(1);
    expect(info.config.hnsw_config).toMatchObject({ m: 16, ef_construct: 100, full_scan_threshold: 10000 });
    expect(info.config.optimizer_config).toMatchObject({ deleted_threshold: 0.2, flush_interval_sec: 5 });
    expect(info.config.wal_config).toMatchObject({ wal_capacity_mb: 32, wal_segments_ahead: 0 });
    expect(info.config.quantization_config ?? null).toBeNull();
    expect(info.payload_schema).toEqual({});

    expect(await h.client.updateCollection(name, { optimizers_config: { indexing_threshold: 0 }, hnsw_config: { m: 0 } })).toBe(true);
    const after = await h.client.getCollection(name);
    expect(after.config.optimizer_config.indexing_threshold).toBe(0);
    expect(after.config.hnsw_config.m).toBe(0);

    expect(await h.client.deleteCollection(name)).toBe(true);
    expect(await h.client.collectionExists(name)).toEqual({ exists: false });
    // Deleting again is not an error: the result is false.
    expect(await h.client.deleteCollection(name)).toBe(false);
  });

  it('keeps named vectors apart', async () => {
    const name = h.name('named');
    await h.client.createCollection(name, { vectors: { text: { size: 4, distance: 'Dot' }, image: { size: 2, distance: 'Euclid' } } });
    const info = await h.client.getCollection(name);
    expect(info.config.params.vectors).toMatchObject({ text: { size: 4, distance: 'Dot' }, image: { size: 2, distance: 'Euclid' } });
    await h.client.upsert(name, { wait: true, points: [{ id: 1, vector: { text: [1, 2, 3, 4], image: [5, 6] } }] });
    const [p] = await h.client.retrieve(name, { ids: [1], with_vector: true });
    expect(p!.vector).toEqual({ text: [1, 2, 3, 4], image: [5, 6] });
    const e = await failure(h.client.upsert(name, { wait: true, points: [{ id: 2, vector: { nope: [1] } }] }));
    expect(e.status).toBe(400);
    expect(e.error).toContain('Not existing vector name error: nope');
  });

  it('refuses what Qdrant refuses, with its status and words', async () => {
    const missing = h.name('missing');
    const e404 = await failure(h.client.getCollection(missing));
    expect(e404).toEqual({ status: 404, error: `Not found: Collection \`${missing}\` doesn't exist!` });
    const e404b = await failure(h.client.count(missing, {}));
    expect(e404b.status).toBe(404);

    const name = h.name('dup');
    await h.client.createCollection(name, { vectors: { size: 4, distance: 'Dot' } });
    const e409 = await failure(h.client.createCollection(name, { vectors: { size: 4, distance: 'Dot' } }));
    expect(e409).toEqual({ status: 409, error: `Wrong input: Collection \`${name}\` already exists!` });

    // A vector size is a NonZeroU64: serde refuses 0 inside the untagged VectorsConfig (400), while a
    // range the validator checks (shard_number ≥ 1) is a 422.
    const zero = await failure(h.client.createCollection(h.name('zero'), { vectors: { size: 0, distance: 'Dot' } }));
    expect(zero.status).toBe(400);
    expect(zero.error).toMatch(/^Format error in JSON body: data did not match any variant of untagged enum VectorsConfig/);
    const e422 = await failure(h.client.createCollection(h.name('shards'), { vectors: { size: 4, distance: 'Dot' }, shard_number: 0 }));
    expect(e422).toEqual({ status: 422, error: 'Validation error in JSON body: [shard_number: value 0 invalid, must be 1 or larger]' });
    const ef = await failure(h.client.createCollection(h.name('ef'), { vectors: { size: 4, distance: 'Dot' }, hnsw_config: { ef_construct: 0 } }));
    expect(ef).toEqual({ status: 422, error: 'Validation error in JSON body: [hnsw_config.ef_construct: value 0 invalid, must be 4 or larger]' });

    const bad = await h.raw('PUT', `/collections/${h.name('metric')}`, JSON.stringify({ vectors: { size: 4, distance: 'Cosinus' } }));
    expect(bad.status).toBe(400);
    // An unknown distance fails the untagged VectorsConfig as a whole: Qdrant does not name the word.
    expect(bad.text).toMatch(/Format error in JSON body: data did not match any variant of untagged enum VectorsConfig/);
  });
});

describe('payload indexes', () => {
  it('creates and deletes indexes and reports points per indexed field', async () => {
    const name = h.name('idx');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    for (const [field, schema] of [['source', 'keyword'], ['faiss_id', 'integer'], ['migrated_at', 'keyword'], ['batch_num', 'integer']] as const) {
      const r = await h.client.createPayloadIndex(name, { field_name: field, field_schema: schema, wait: true });
      expect(r.status).toBe('completed');
    }
    await h.client.upsert(name, {
      wait: true,
      points: [
        { id: 1, vector: [1, 0], payload: { source: 'a.faiss', faiss_id: 1, migrated_at: '2026-01-01T00:00:00Z', batch_num: 0 } },
        { id: 2, vector: [0, 1], payload: { source: 'a.faiss', faiss_id: 2, batch_num: 0 } },
        { id: 3, vector: [1, 1], payload: { source: 7 } },
      ],
    });
    const info = await h.client.getCollection(name);
    expect(info.payload_schema.source).toMatchObject({ data_type: 'keyword', points: 2 });
    expect(info.payload_schema.faiss_id).toMatchObject({ data_type: 'integer', points: 2 });
    expect(info.payload_schema.migrated_at).toMatchObject({ data_type: 'keyword', points: 1 });
    expect(info.payload_schema.batch_num).toMatchObject({ data_type: 'integer', points: 2 });
    expect(info.points_count).toBe(3);

    // Counts follow later writes: point 3 gains a keyword source, point 1 goes away.
    await h.client.setPayload(name, { wait: true, points: [3], payload: { source: 'b.faiss' } });
    await h.client.delete(name, { wait: true, points: [1] });
    const moved = await h.client.getCollection(name);
    expect(moved.payload_schema.source?.points).toBe(2);
    expect(moved.payload_schema.faiss_id?.points).toBe(1);
    expect(moved.points_count).toBe(2);
    // An index created after the points counts them at once.
    await h.client.createPayloadIndex(name, { field_name: 'batch_num', field_schema: 'integer', wait: true });
    expect((await h.client.getCollection(name)).payload_schema.batch_num?.points).toBe(1);

    await h.client.deletePayloadIndex(name, 'migrated_at', { wait: true });
    const after = await h.client.getCollection(name);
    expect(Object.keys(after.payload_schema).sort()).toEqual(['batch_num', 'faiss_id', 'source']);
  });

  it('accepts parameterised index schemas', async () => {
    const name = h.name('idxp');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    await h.client.createPayloadIndex(name, { field_name: 'source', field_schema: { type: 'keyword', is_tenant: true, on_disk: true }, wait: true });
    const info = await h.client.getCollection(name);
    expect(info.payload_schema.source?.data_type).toBe('keyword');
    expect(info.payload_schema.source?.params).toMatchObject({ type: 'keyword', is_tenant: true, on_disk: true });
  });
});

describe('optimizations', () => {
  it('reports an idle optimizer', async () => {
    const name = h.name('opt');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    const r = await h.client.getOptimizations(name);
    expect(r.summary).toMatchObject({ queued_optimizations: 0 });
    expect(r.running).toEqual([]);
  });
});

describe('stand-in status faults', () => {
  beforeEach((ctx) => needsStandIn(ctx, 'injected optimisation (faults.optimizing)'));

  it('reports yellow while an optimisation is injected, green afterwards', async () => {
    const name = h.name('yellow');
    await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
    h.qdrant.faults.optimizing(name, 1500);
    expect((await h.client.getCollection(name)).status).toBe('yellow');
    await new Promise((r) => setTimeout(r, 1600));
    expect((await h.client.getCollection(name)).status).toBe('green');
  });
});

describe('API key', () => {
  beforeEach((ctx) => needsOwnQdrant(ctx, 'a server started with an API key'));

  it('requires the key for everything but / and the health checks', async () => {
    const secured = await harness({ apiKey: 'sekrit-key' });
    try {
      const noKey = await fetch(`${secured.qdrant.url}/collections`);
      expect(noKey.status).toBe(401);
      expect(await noKey.text()).toContain('Must provide an API key or an Authorization bearer token');
      const wrong = await fetch(`${secured.qdrant.url}/collections`, { headers: { 'api-key': 'nope' } });
      expect(wrong.status).toBe(401);
      const wrongText = await wrong.text();
      expect(wrongText).toBe('Invalid API key or JWT');
      expect(wrongText).not.toContain('sekrit-key');
      expect((await fetch(`${secured.qdrant.url}/healthz`)).status).toBe(200);
      expect((await secured.client.getCollections()).collections).toEqual([]);
      const bearer = await fetch(`${secured.qdrant.url}/collections`, { headers: { authorization: 'Bearer sekrit-key' } });
      expect(bearer.status).toBe(200);
    } finally {
      await secured.cleanup();
    }
  });
});
