/**
 * The engine commands behind "any collection, browsable" and the Set-up view's pre-Start check, through the
 * engine's own command handlers (what every host calls), against a real redis-server and the OpenAPI-checked
 * Qdrant stand-in (or the real Qdrant at QDRANT_URL): two migrations (a FAISS file and a LangChain folder)
 * listed by the collection picker; payload keys suggested from the schema and a sample (`metadata.source`
 * for "source"); a filter on the suggested key with its exact count; size and distance conflicts and what
 * Start would do, before Start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationConfig } from '../../shared/contract';
import { createEngineService, type EngineService } from '../../electron/engine/handlers';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant/index';
import { writeFlatIndex } from '../engine/support/flat-index';
import { runConfig } from './support';

const FIXTURES = join(process.cwd(), 'test/fixtures');
const LANGCHAIN = join(FIXTURES, 'stores/langchain-py');
const FLAT = join(FIXTURES, 'faiss/v1_15/flat_l2.faiss');
const KEY = `xnai:migration:any-collection:${process.pid}`;

let redis: TestRedis;
let qdrant: TestQdrant;
let engine: EngineService;
let work: string;
const suffix = `${process.pid}_${Date.now()}`;
const FLAT_COLLECTION = `flat_${suffix}`;
const DOCS_COLLECTION = `docs_${suffix}`;

const config = (over: Partial<MigrationConfig>): MigrationConfig => runConfig({ qdrant, redis, work, stateKey: KEY }, over);

const target = (collection: string) => ({ qdrantUrl: qdrant.url, qdrantApiKey: qdrant.apiKey, redisHost: redis.host, redisPort: redis.port, redisDb: 0, stateKey: KEY, collection });

async function migrate(cfg: MigrationConfig): Promise<void> {
  await engine.handlers.startRun({ config: cfg });
  for (;;) {
    const snap = await engine.handlers.getSnapshot({});
    if (snap.status === 'completed') return;
    if (snap.status === 'failed') throw new Error(snap.lastError ?? 'failed');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  [redis, qdrant] = await Promise.all([startRedis(), startQdrant()]);
  work = mkdtempSync(join(tmpdir(), 'xnai-any-collection-'));
  engine = createEngineService({ env: {} });
  await migrate(config({ faissIndexPath: FLAT, collection: FLAT_COLLECTION }));
  await migrate(config({ faissIndexPath: LANGCHAIN, collection: DOCS_COLLECTION }));
});
afterAll(async () => {
  await engine?.dispose();
  await Promise.all([redis?.dispose(), qdrant?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the collection picker', () => {
  it('lists every collection on the server with its points, vector size, distance and status', async () => {
    const { collections } = await engine.handlers.listCollections({ qdrantUrl: qdrant.url, qdrantApiKey: qdrant.apiKey });
    const byName = new Map(collections.map((c) => [c.name, c]));
    expect(byName.get(FLAT_COLLECTION)).toMatchObject({ pointsCount: 200, status: 'green', vectors: [{ name: '', size: 8, distance: 'Euclid' }], problem: null });
    expect(byName.get(DOCS_COLLECTION)).toMatchObject({ pointsCount: 7, vectors: [{ name: '', size: 8, distance: 'Euclid' }], problem: null });
    // sorted by name, as a picker shows them
    const names = collections.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('names the address and the fix when Qdrant does not answer', async () => {
    await expect(engine.handlers.listCollections({ qdrantUrl: 'http://127.0.0.1:9', qdrantApiKey: undefined })).rejects.toThrow(/Qdrant at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('payload keys and the match count', () => {
  it('suggests metadata.source for "source", from the schema and a sample, with types and examples', async () => {
    const { keys, sampled } = await engine.handlers.payloadKeys({ ...target(DOCS_COLLECTION), sample: 200, query: 'source' });
    expect(sampled).toBe(7);
    const first = keys.filter((k) => k.matchesQuery).map((k) => k.key);
    // the document's own key and the migration's (kept under _xnai in framework layouts)
    expect(first.sort()).toEqual(['_xnai.source', 'metadata.source']);
    expect(keys.slice(0, 2).every((k) => k.matchesQuery)).toBe(true);
    const meta = keys.find((k) => k.key === 'metadata.source')!;
    expect(meta).toMatchObject({ types: ['string'], indexed: null, seenIn: 6 });
    // at most five distinct values, all of them real ones
    expect(meta.examples).toHaveLength(5);
    for (const e of meta.examples) expect(['notes/qdrant.md', 'unicode.txt', 'nested.json', 'ints.csv', 'dates.log', 'empty.txt']).toContain(e);
    // the seed's indexed key, nested keys, arrays of scalars, big integers kept exact as examples
    expect(keys.find((k) => k.key === '_xnai.faiss_id')).toMatchObject({ indexed: 'integer', seenIn: 7 });
    expect(keys.find((k) => k.key === 'metadata.author.name')).toMatchObject({ types: ['string'], examples: ['Ada'] });
    expect(keys.find((k) => k.key === 'metadata.lang')?.examples).toEqual(expect.arrayContaining(['de', 'ja', 'he']));
    expect(keys.find((k) => k.key === 'metadata.big')?.examples).toEqual(['9223372036854775807']);
    expect(keys.find((k) => k.key === 'page_content')?.seenIn).toBe(7);
  });

  it('a suggested key filters to a non-empty page, and the exact count matches it', async () => {
    const chip = [{ key: 'metadata.source', value: 'unicode.txt' }];
    const page = await engine.handlers.scrollPoints({ ...target(DOCS_COLLECTION), limit: 25, offset: null, filter: chip, withVector: false });
    expect(page.points.map((p) => (p.payload?.metadata as { title?: string }).title)).toEqual(['Ünïcödé ✓']);
    expect(await engine.handlers.countPoints({ ...target(DOCS_COLLECTION), filter: chip })).toEqual({ count: 1, exact: true });
    // an array of scalars matches any element; no chips counts everything
    expect(await engine.handlers.countPoints({ ...target(DOCS_COLLECTION), filter: [{ key: 'metadata.lang', value: 'ja' }] })).toEqual({ count: 1, exact: true });
    expect(await engine.handlers.countPoints({ ...target(DOCS_COLLECTION), filter: [] })).toEqual({ count: 7, exact: true });
    // the key the user typed first finds nothing at the top level: that is what the suggestion is for
    expect((await engine.handlers.countPoints({ ...target(DOCS_COLLECTION), filter: [{ key: 'title', value: 'Ünïcödé ✓' }] })).count).toBe(0);
  });

  it('a missing collection is one clear line', async () => {
    await expect(engine.handlers.countPoints({ ...target('no_such_collection'), filter: [] })).rejects.toThrow('collection "no_such_collection" does not exist in Qdrant');
    await expect(engine.handlers.payloadKeys({ ...target('no_such_collection'), sample: 10 })).rejects.toThrow('collection "no_such_collection" does not exist in Qdrant');
  });
});

describe('checkTarget: conflicts and what Start would do, before Start', () => {
  it('a new collection has no conflict; the same source and collection again has nothing left to do', async () => {
    const fresh = await engine.handlers.checkTarget({ config: config({ faissIndexPath: FLAT, collection: `new_${suffix}` }) });
    expect(fresh.conflicts).toEqual([]);
    expect(fresh.collection.exists).toBe(false);
    expect(fresh.plan).toMatchObject({ kind: 'fresh', runId: null });
    const again = await engine.handlers.checkTarget({ config: config({ faissIndexPath: LANGCHAIN, collection: DOCS_COLLECTION }) });
    expect(again.conflicts).toEqual([]);
    expect(again.plan.kind).toBe('nothing-left');
    expect(again.plan.message).toMatch(/already migrated this source into ".*" \(7 points\)/);
  });

  it('a 16-d source into the 8-d collection: the size conflict in the preflight\'s words; another distance too', async () => {
    const wide = join(work, 'wide.faiss');
    writeFlatIndex(wide, 50, 16);
    const check = await engine.handlers.checkTarget({ config: config({ faissIndexPath: wide, collection: FLAT_COLLECTION, distance: 'Cosine' }) });
    expect(check.source).toEqual({ dimension: 16, count: 50, metric: 'l2' });
    expect(check.collection).toMatchObject({ name: FLAT_COLLECTION, exists: true, pointsCount: 200, vectorSize: 8, distance: 'Euclid' });
    expect(check.conflicts).toEqual([
      { field: 'size', existing: '8', requested: '16', message: `collection "${FLAT_COLLECTION}" holds 8-dimensional vectors but the index has 16: use another collection (QDRANT_COLLECTION=...) or delete it` },
      { field: 'distance', existing: 'Euclid', requested: 'Cosine', message: `collection "${FLAT_COLLECTION}" uses distance Euclid but this run asks for Cosine: set DISTANCE=Euclid or use another collection` },
    ]);
    // Start says the same as the check
    await expect(engine.handlers.startRun({ config: config({ faissIndexPath: wide, collection: FLAT_COLLECTION }) })).rejects.toThrow(check.conflicts[0]!.message);
  });

  it('an unreachable Redis makes the plan say why, without failing the check', async () => {
    const check = await engine.handlers.checkTarget({ config: config({ faissIndexPath: FLAT, collection: `new_${suffix}`, redisPort: 9 }) });
    expect(check.conflicts).toEqual([]);
    expect(check.plan.kind).toBe('refused');
    expect(check.plan.message).toMatch(/Redis at .*:9/);
  });
});
