/**
 * Full migrations through the run controller, in process, against a real redis-server and a Qdrant (the
 * OpenAPI-checked stand-in under `npm test`, the real binary under `npm run test:live`): every point arrives
 * once, bit-exact, with its payload; pause/resume; Qdrant crashing, hanging or failing requests and Redis
 * restarting mid-run end with exactly the source's points and exact counts in the state. `slowDown()` keeps
 * runs long enough to act on mid-run (latency on the stand-in, a throttled process for the binary).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MigrationConfigSchema, readMigrationField, type EngineEvent, type MigrationConfig, type MigrationState } from '../../shared/contract';
import { parseJson } from '../../shared/json';
import { openSource } from '../../electron/engine/source/index';
import { createRunController } from '../../electron/engine/migration/index';
import { labelPointIds, pointIdForDocument, pointIdForLabel, pointIdToString } from '../../electron/engine/point-id';
import { resolvePayloadLayout } from '../../electron/engine/payload/index';
import { findPoint } from '../../electron/engine/browse/index';
import { openStateStore } from '../../electron/engine/state/open';
import { startRedis, type TestRedis } from '../support/redis';
import { needsOwnQdrant, needsStandIn, slowDown, startQdrant, type TestQdrant } from '../support/qdrant/index';
import { writeFlatIndex } from './support/flat-index';
import { countPoints, scrollAll } from './support/qdrant-read';

const FIXTURES = join(process.cwd(), 'test/fixtures');
let redis: TestRedis;
let qdrant: TestQdrant;
let work: string;
let big: string;
let n = 0;

beforeAll(async () => {
  [redis, qdrant] = await Promise.all([startRedis(), startQdrant()]);
  work = mkdtempSync(join(tmpdir(), 'xnai-engine-'));
  big = join(work, 'big.faiss');
  writeFlatIndex(big, 6000, 16);
});
afterAll(async () => {
  await Promise.all([redis?.dispose(), qdrant?.stop()]);
});

function config(over: Partial<MigrationConfig>): MigrationConfig {
  n++;
  return MigrationConfigSchema.parse({
    qdrantUrl: qdrant.url,
    // the launched binary's gRPC port: TRANSPORT=auto then runs these suites over gRPC under test:live
    qdrantGrpcUrl: qdrant.real?.grpcUrl,
    qdrantApiKey: qdrant.apiKey,
    redisHost: redis.host,
    redisPort: redis.port,
    collection: `c${n}`,
    stateKey: `xnai:migration:test${n}`,
    logDir: join(work, 'logs'),
    faissIndexPath: big,
    // Euclid keeps vectors as sent (Cosine collections store them normalised, as Qdrant does)
    distance: 'Euclid',
    ...over,
  });
}

async function readState(key: string): Promise<MigrationState> {
  const r = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
  await r.connect();
  const text = await r.get(key);
  r.disconnect();
  return JSON.parse(text!) as MigrationState;
}

async function expectExactCopy(cfg: MigrationConfig): Promise<void> {
  const source = await openSource(cfg.faissIndexPath);
  const reader = source.index;
  const stored = await scrollAll(qdrant.url, cfg.collection, qdrant.apiKey);
  // point ids by the run's layout: FAISS labels (raw), the documents' own ids (langchain, llamaindex)
  const pointId = labelPointIds(resolvePayloadLayout(cfg.payloadLayout, source.summary.documents?.defaultLayout), source.documents);
  expect(stored.size).toBe(reader.summary.count);
  let checked = 0;
  for await (const b of reader.batches({ batchSize: 1000 })) {
    for (let i = 0; i < b.count; i++) {
      const label = b.ids[i]!;
      const p = stored.get(pointIdToString(pointId(label)));
      expect(p, `point for FAISS id ${label}`).toBeDefined();
      expect(BigInt(readMigrationField(p!.payload, 'faiss_id') as number | bigint)).toBe(label);
      const want = b.vectors.subarray(i * b.dimension, (i + 1) * b.dimension);
      // bit-exact: the stored number read back as float32 is the FAISS float
      const got = Float32Array.from(p!.vector);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
      checked++;
    }
  }
  expect(checked).toBe(reader.summary.count);
  await source.close();
}

async function runToEnd(cfg: MigrationConfig, deps = {}) {
  const c = createRunController({ progressIntervalMs: 50, ...deps });
  const events: EngineEvent[] = [];
  c.on((e) => events.push(e));
  await c.start(cfg);
  const status = await c.settled();
  return { c, status, events };
}

/** Wait until the run has stored at least `atLeast` points (its progress says so), failing after 30 s. */
async function untilProcessed(c: { snapshot(): { progress: { processed: number } | null } }, atLeast = 1): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const processed = c.snapshot().progress?.processed ?? 0;
    if (processed >= atLeast) return processed;
    if (Date.now() > deadline) throw new Error(`the run stored fewer than ${atLeast} points in 30 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('full migrations', () => {
  it('IDMap with labels beyond 2^53 and negative labels: every point once, bit-exact, exact ids and faiss_id', async () => {
    const cfg = config({ faissIndexPath: join(FIXTURES, 'faiss/v1_15/idmap_flat.faiss'), batchSize: 64, distance: 'Dot' });
    const { status, events, c } = await runToEnd(cfg);
    expect(status).toBe('completed');
    expect(c.exitCode).toBe(0);
    await expectExactCopy(cfg);
    const stored = await scrollAll(qdrant.url, cfg.collection);
    expect(stored.get('9223372036854775807')?.payload.faiss_id).toBe(9223372036854775807n);
    const neg = pointIdToString(pointIdForLabel(-9223372036854775808n));
    expect(stored.get(neg)?.payload.faiss_id).toBe(-9223372036854775808n);
    const state = await readState(cfg.stateKey);
    expect(state).toMatchObject({ status: 'completed', total_vectors: 200, processed_vectors: 200, failed_vectors: 0, batches_processed: 4, watermark: 4, completed_above: [] });
    // the collection as the seed lays it out
    const info = (await (await fetch(`${qdrant.url}/collections/${cfg.collection}`)).json()) as { result: { config: { params: { vectors: { size: number; distance: string; on_disk: boolean } } }; payload_schema: Record<string, { data_type: string }> } };
    expect(info.result.config.params.vectors).toMatchObject({ size: 8, distance: 'Dot', on_disk: true });
    expect(Object.fromEntries(Object.entries(info.result.payload_schema).map(([k, v]) => [k, v.data_type]))).toEqual({ source: 'keyword', faiss_id: 'integer', migrated_at: 'keyword', batch_num: 'integer' });
    expect(events.some((e) => e.type === 'progress' && e.progress.processed === 200)).toBe(true);
    expect(qdrant.violations).toEqual([]);
  });

  it('REQUEST_POINTS sends whole batches together: fewer requests, each batch checkpointed once, a refused point recorded under its own batch', async (ctx) => {
    needsStandIn(ctx, 'request log and rejectPoints');
    const upserts = (collection: string) => qdrant.faults.log.filter((r) => r.operationId === 'upsert_points' && r.path.includes(`/collections/${collection}/`));
    // 6000 points in 60 batches of 100, three batches to a request: 20 requests
    const clean = config({ batchSize: 100, requestPoints: 300, concurrency: 2 });
    expect((await runToEnd(clean)).status).toBe('completed');
    expect(upserts(clean.collection).map((r) => r.status)).toEqual(new Array(20).fill(200));
    expect(await readState(clean.stateKey)).toMatchObject({ status: 'completed', processed_vectors: 6000, failed_vectors: 0, batches_processed: 60, watermark: 60, completed_above: [] });
    await expectExactCopy(clean);

    // ten batches to a request; the server refuses two points of two different requests
    const poisoned = config({ batchSize: 100, requestPoints: 1000, concurrency: 2 });
    qdrant.faults.rejectPoints([150, 4321], { reason: 'refused by the test' });
    try {
      const { status, events } = await runToEnd(poisoned);
      expect(status).toBe('completed');
      expect(events.some((e) => e.type === 'log' && e.level === 'warn' && e.msg.startsWith('Point 4321 (FAISS id 4321) failed'))).toBe(true);
    } finally {
      qdrant.faults.reset();
    }
    const state = await readState(poisoned.stateKey);
    expect(state).toMatchObject({ status: 'completed', processed_vectors: 5998, failed_vectors: 2, batches_processed: 60, watermark: 60, completed_above: [] });
    const store = await openStateStore(poisoned);
    try {
      const failed = await store.readFailed(state.run_id);
      expect(failed.map((f) => ({ faissId: f.faissId, batch: f.batch })).sort((a, b) => a.batch - b.batch)).toEqual([
        { faissId: '150', batch: 1 },
        { faissId: '4321', batch: 43 },
      ]);
    } finally {
      await store.close();
    }
    expect(await countPoints(qdrant.url, poisoned.collection)).toBe(5998);
  });

  it('a LangChain folder: each point is its document, under the docstore id, in the layout langchain-qdrant reads', async () => {
    const store = 'langchain-py';
    // no DISTANCE: auto picks Euclid for this L2 store of unnormalised vectors
    const cfg = config({ faissIndexPath: join(FIXTURES, 'stores', store), distance: 'auto' });
    const { status, events } = await runToEnd(cfg);
    expect(status).toBe('completed');
    await expectExactCopy(cfg);
    const expected = parseJson(readFileSync(join(FIXTURES, 'stores/expected', `${store}.json`), 'utf8')) as { rows: { label: number; doc_id: string; langchain: { page_content: string; metadata: unknown } }[] };
    const stored = await scrollAll(qdrant.url, cfg.collection);
    for (const row of expected.rows) {
      // "doc-0" is no UUID: its point id is uuid5(DOCUMENT_ID_NAMESPACE, "doc-0"), the id kept in _xnai.doc_id
      const p = stored.get(pointIdForDocument(row.doc_id))!;
      expect(p.payload.page_content).toBe(row.langchain.page_content);
      expect(p.payload.metadata).toEqual(row.langchain.metadata);
      expect(p.payload._xnai).toMatchObject({ source: 'faiss', faiss_id: row.label, doc_id: row.doc_id });
      // these three keys and no other; their order is the source's over REST but not over gRPC, whose
      // payload map Qdrant keeps in its own order (docs/engine.md, Transports)
      expect(Object.keys(p.payload).sort()).toEqual(['_xnai', 'metadata', 'page_content']);
    }
    const info = (await (await fetch(`${qdrant.url}/collections/${cfg.collection}`)).json()) as { result: { config: { params: { vectors: { distance: string } } }; payload_schema: Record<string, { data_type: string }> } };
    expect(info.result.config.params.vectors.distance).toBe('Euclid');
    expect(Object.fromEntries(Object.entries(info.result.payload_schema).map(([k, v]) => [k, v.data_type]))).toEqual({ '_xnai.source': 'keyword', '_xnai.faiss_id': 'integer', '_xnai.migrated_at': 'keyword', '_xnai.batch_num': 'integer' });
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.msg] : []));
    expect(logs).toContain('Migration fields: _xnai.source, _xnai.faiss_id, _xnai.migrated_at, _xnai.batch_num and _xnai.doc_id (kept apart from the document\'s own metadata, indexed)');
    expect(logs.find((l) => l.startsWith('Distance: '))).toMatch(/^Distance: Euclid \(DISTANCE=auto: L2 index, vectors not unit length \(norms [\d.]+–[\d.]+ over 7 vectors sampled across the file\): Euclid keeps FAISS's ranking, Cosine would not\)$/);
    const state = await readState(cfg.stateKey);
    expect([state.distance, state.payload_layout]).toEqual(['Euclid', 'langchain']);

    // the points browser finds a point by its document id and by its FAISS label
    const target = { qdrantUrl: qdrant.url, qdrantApiKey: qdrant.apiKey, collection: cfg.collection };
    const byDoc = await findPoint(target, 'documentId', 'doc-3');
    const byLabel = await findPoint(target, 'faissId', '3');
    expect(byDoc?.id).toBe(pointIdForDocument('doc-3'));
    expect(byLabel).toEqual(byDoc);
    expect(byDoc?.payload?.page_content).toBe('Large integers stay exact.');
    expect(await findPoint(target, 'documentId', 'no-such-doc')).toBeNull();
    await expect(findPoint(target, 'faissId', 'x1')).rejects.toThrow('FAISS id "x1" is not a 64-bit integer label');
  });

  it('DISTANCE=auto: an inner-product store of unit vectors becomes Cosine; an explicit DISTANCE still wins, with a warning', async () => {
    const ip = config({ faissIndexPath: join(FIXTURES, 'stores', 'langchain-py-ip'), distance: 'auto' });
    expect((await runToEnd(ip)).status).toBe('completed');
    expect((await readState(ip.stateKey)).distance).toBe('Cosine');
    const forced = config({ faissIndexPath: join(FIXTURES, 'stores', 'langchain-py'), distance: 'Cosine' });
    const { status, c } = await runToEnd(forced);
    expect(status).toBe('completed');
    expect(c.snapshot().warnings.join('\n')).toMatch(/DISTANCE=Cosine but the index ranks by L2 distance and its sampled vectors have norms [\d.]+–[\d.]+: search results will be ordered differently from FAISS's \(DISTANCE=auto picks Euclid, which keeps the ranking\)/);
  });
});

describe('bad documents are refused before anything is written', () => {
  async function expectNothingWritten(cfg: MigrationConfig, message: RegExp): Promise<void> {
    const c = createRunController();
    await expect(c.start(cfg)).rejects.toThrow(message);
    expect(c.exitCode).toBe(3);
    expect((await fetch(`${qdrant.url}/collections/${cfg.collection}/exists`).then((r) => r.json())) as unknown).toMatchObject({ result: { exists: false } });
    const r = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await r.connect();
    expect(await r.keys(`${cfg.stateKey}*`)).toEqual([]);
    r.disconnect();
  }

  /** A LangChain JS folder (the fixture's index) with a docstore.json of our own. */
  function jsStore(ids: string[], metadata: Record<string, unknown> = {}): string {
    const dir = mkdtempSync(join(work, 'js-'));
    cpSync(join(FIXTURES, 'stores/langchain-js/faiss.index'), join(dir, 'faiss.index'));
    const entries = ids.map((id, i) => [id, { pageContent: `text ${i}`, metadata }]);
    writeFileSync(join(dir, 'docstore.json'), JSON.stringify([entries, Object.fromEntries(ids.map((id, i) => [String(i), id]))]));
    return dir;
  }

  it('two document ids that are one UUID in two spellings, naming both', async () => {
    const ids = ['0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'c', 'd', 'e', 'f', 'g'];
    await expectNothingWritten(
      config({ faissIndexPath: jsStore(ids) }),
      /js-\w+: documents "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" and "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D" both become point 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d; in the langchain layout each document is one point, so nothing was written: give the documents distinct ids, or set PAYLOAD_LAYOUT=raw/,
    );
  });

  it('a FAISS label with no docstore entry', async () => {
    await expectNothingWritten(
      config({ faissIndexPath: join(FIXTURES, 'stores', 'langchain-py-mismatch') }),
      /langchain-py-mismatch: 3 vectors have no document in the docstore \(vector 7: no entry in index_to_docstore_id\); the langchain layout needs every vector's document.*PAYLOAD_LAYOUT=raw/,
    );
    // with PAYLOAD_LAYOUT=raw the vectors migrate, keyed by label
    const raw = config({ faissIndexPath: join(FIXTURES, 'stores', 'langchain-py-mismatch'), payloadLayout: 'raw' });
    expect((await runToEnd(raw)).status).toBe('completed');
    await expectExactCopy(raw);
  });

  it('a docstore that cannot be parsed, and a node using the reserved _xnai key (llamaindex layout)', async () => {
    const broken = jsStore(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    writeFileSync(join(broken, 'docstore.json'), '[[["a", {"pageContent": "x"');
    await expectNothingWritten(config({ faissIndexPath: broken }), /docstore.json: the LangChain JS docstore is not valid JSON/);
    await expectNothingWritten(
      config({ faissIndexPath: jsStore(['a', 'b', 'c', 'd', 'e', 'f', 'g'], { _xnai: 1 }), payloadLayout: 'llamaindex' }),
      /document "a" has a metadata key "_xnai", which the llamaindex layout reserves/,
    );
  });
  it('refuses an existing collection of another size, naming both, and a VECTOR_SIZE that does not match', async () => {
    const first = config({ faissIndexPath: join(FIXTURES, 'faiss/v1_15/flat_l2.faiss') });
    expect((await runToEnd(first)).status).toBe('completed');
    const other = config({ collection: first.collection });
    await expect(createRunController().start(other)).rejects.toThrow(`collection "${first.collection}" holds 8-dimensional vectors but the index has 16`);
    await expect(createRunController().start(config({ vectorSize: 384 }))).rejects.toThrow('VECTOR_SIZE=384 but');
  });
});

describe('control and failures mid-run', () => {
  it('pause lets in-flight batches finish and says paused; resume completes with exact counts', async (ctx) => {
    slowDown(ctx, qdrant, 15);
    try {
      // one batch per request: the pause comes with most of the run still to do
      const cfg = config({ batchSize: 100, requestPoints: 100, concurrency: 3 });
      const c = createRunController({ progressIntervalMs: 50 });
      await c.start(cfg);
      await untilProcessed(c);
      expect(await c.pause()).toBe('paused');
      const paused = await readState(cfg.stateKey);
      expect(paused.status).toBe('paused');
      expect(paused.processed_vectors).toBeGreaterThan(0);
      expect(paused.processed_vectors).toBeLessThan(6000);
      // nothing moves while paused
      const countPaused = await countPoints(qdrant.url, cfg.collection);
      await new Promise((r) => setTimeout(r, 200));
      expect(await countPoints(qdrant.url, cfg.collection)).toBe(countPaused);
      expect(c.snapshot().progress?.etaSeconds).toBeNull();
      await c.resume();
      expect(await c.settled()).toBe('completed');
      const state = await readState(cfg.stateKey);
      expect(state).toMatchObject({ status: 'completed', processed_vectors: 6000, batches_processed: 60, watermark: 60 });
      expect(state.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['start', 'pause', 'resume', 'end']));
      await expectExactCopy(cfg);
    } finally {
      qdrant.faults.reset();
    }
  });

  it('rides out a Qdrant outage, 503s, 429 with Retry-After and dropped connections mid-run', async (ctx) => {
    needsStandIn(ctx, 'injected 503, 429 and dropped connections');
    // one batch per request: the outage comes with most of the run still to do
    const cfg = config({ batchSize: 200, requestPoints: 200, concurrency: 2 });
    slowDown(ctx, qdrant, 10);
    qdrant.faults.failNext(3, 503, { match: { operation: 'upsert_points' } });
    qdrant.faults.failNext(2, 429, { match: { operation: 'upsert_points' }, retryAfter: 1 });
    qdrant.faults.dropNext(2, { match: { operation: 'upsert_points' }, when: 'after-apply' });
    try {
      const c = createRunController({ progressIntervalMs: 50 });
      const logs: string[] = [];
      c.on((e) => e.type === 'log' && logs.push(e.msg));
      await c.start(cfg);
      await new Promise((r) => setTimeout(r, 400));
      await qdrant.faults.down();
      await new Promise((r) => setTimeout(r, 1200));
      await qdrant.faults.up();
      expect(await c.settled()).toBe('completed');
      expect(logs.some((l) => /retrying in/.test(l))).toBe(true);
      const state = await readState(cfg.stateKey);
      expect(state).toMatchObject({ processed_vectors: 6000, failed_vectors: 0, batches_processed: 30 });
      await expectExactCopy(cfg);
    } finally {
      qdrant.faults.reset();
    }
  });

  it('rides out Qdrant crashing mid-run (SIGKILL, down 1.2 s, restarted) and hanging mid-run (frozen 1.5 s)', async (ctx) => {
    needsOwnQdrant(ctx, 'restart() and freeze()');
    // one batch per request: both faults land with most of the run still to do
    const cfg = config({ batchSize: 100, requestPoints: 100, concurrency: 2 });
    const c = createRunController({ progressIntervalMs: 20 });
    const logs: string[] = [];
    c.on((e) => e.type === 'log' && logs.push(e.msg));
    try {
      slowDown(ctx, qdrant, 20);
      await c.start(cfg);
      const atCrash = await untilProcessed(c);
      await qdrant.restart({ downMs: 1200 }); // the stand-in: its model of a crash; the binary: a real one
      slowDown(ctx, qdrant, 20); // a restart ends a throttle
      const atHang = await untilProcessed(c, atCrash + 100);
      // A hung server (the binary only: a stand-in cannot stop answering this way): requests stay open.
      if (qdrant.real) await qdrant.real.freeze(1500);
      expect(atHang, 'both faults landed mid-run').toBeLessThan(6000);
      expect(await c.settled()).toBe('completed');
      expect(logs.some((l) => /retrying in/.test(l))).toBe(true);
      const state = await readState(cfg.stateKey);
      expect(state).toMatchObject({ processed_vectors: 6000, failed_vectors: 0, batches_processed: 60, completed_above: [] });
      await expectExactCopy(cfg);
    } finally {
      qdrant.faults.reset();
      await c.dispose();
    }
  });

  it('rides out a Redis restart mid-run: no batch lost, none counted twice', async (ctx) => {
    slowDown(ctx, qdrant, 30);
    try {
      // five small batches to a request (300 requests): the restart lands mid-run, and the batches of a
      // request acknowledged while Redis is away are each checkpointed once when it is back
      const cfg = config({ batchSize: 20, requestPoints: 100, concurrency: 2 });
      const c = createRunController({ progressIntervalMs: 50 });
      await c.start(cfg);
      await untilProcessed(c);
      await redis.restart(700);
      expect(c.snapshot().progress!.processed, 'the restart landed mid-run').toBeLessThan(6000);
      expect(await c.settled()).toBe('completed');
      const state = await readState(cfg.stateKey);
      expect(state).toMatchObject({ status: 'completed', processed_vectors: 6000, batches_processed: 300, watermark: 300, completed_above: [] });
      expect(await countPoints(qdrant.url, cfg.collection)).toBe(6000);
    } finally {
      qdrant.faults.reset();
    }
  });

  it('never resumes into a changed index; another file is a new run; RESUME_MODE=false starts a new run', async (ctx) => {
    const own = join(work, 'resume-me.faiss');
    writeFlatIndex(own, 6000, 16);
    // small batches, one per request: the pause lands with most of the run still to do, however loaded the machine
    const cfg = config({ batchSize: 100, requestPoints: 100, faissIndexPath: own });
    const c = createRunController();
    slowDown(ctx, qdrant, 40);
    await c.start(cfg);
    await untilProcessed(c);
    await c.pause();
    await c.dispose();
    qdrant.faults.reset();
    const paused = await readState(cfg.stateKey);
    expect(paused.status).toBe('paused');
    // the same file rewritten since: resuming would skip or repeat points, so it is refused
    writeFlatIndex(own, 500, 16);
    await expect(createRunController().start(cfg)).rejects.toThrow(new RegExp(`run ${paused.run_id} under .* migrated a different version of this index .*RESUME_MODE=false to start a new run`));
    // another file is another migration: a new run, the paused one kept
    const other = join(work, 'other.faiss');
    writeFlatIndex(other, 500, 16);
    const next = createRunController();
    const logs: string[] = [];
    next.on((e) => e.type === 'log' && logs.push(e.msg));
    await next.start({ ...cfg, faissIndexPath: other, collection: `${cfg.collection}b` });
    expect(await next.settled()).toBe('completed');
    expect(logs).toContain(`starting a new run; run ${paused.run_id} (paused at ${paused.processed_vectors} of 6000 points of ${own} into "${cfg.collection}") stays in the run history and can be resumed from there`);
    expect(await readState(cfg.stateKey)).toMatchObject({ processed_vectors: 500, total_vectors: 500 });
    const fresh = createRunController();
    await fresh.start({ ...cfg, faissIndexPath: other, resumeMode: false, collection: `${cfg.collection}b` });
    expect(await fresh.settled()).toBe('completed');
    const last = await readState(cfg.stateKey);
    expect(last).toMatchObject({ processed_vectors: 500, total_vectors: 500 });
    expect(last.run_id).not.toBe(paused.run_id);
  });

  it('memory: at 90 % of the limit warns in the seed\'s words and throttles; at the limit takes no new batches until memory falls', async (ctx) => {
    const GB = 1024 ** 3;
    let rss = 0.5 * GB;
    // a host whose RSS the test controls: total 10 GB, limit 0.6 → 6144 MB
    const probe = { rssBytes: () => rss, heapUsedBytes: () => 0, totalBytes: () => 10 * GB, availableBytes: () => 4 * GB };
    slowDown(ctx, qdrant, 40);
    try {
      // one batch per request, so that the run is still going when memory rises
      const cfg = config({ batchSize: 100, requestPoints: 100, concurrency: 4 });
      const c = createRunController({ memoryProbe: probe, memoryIntervalMs: 50, progressIntervalMs: 50 });
      const events: EngineEvent[] = [];
      c.on((e) => events.push(e));
      await c.start(cfg);
      await new Promise((r) => setTimeout(r, 200));
      rss = 5.7 * GB; // 95 % of the limit
      await new Promise((r) => setTimeout(r, 200));
      expect(events.some((e) => e.type === 'log' && e.msg === 'Memory limit approaching: 5837MB / 6144MB')).toBe(true);
      expect(c.snapshot().progress!.concurrency).toBeLessThan(4);
      rss = 6.5 * GB; // over the limit: no new batches
      // Once the pause is in force, the batches already in flight may still finish (that is the design);
      // wait until they have, then nothing more may be processed while memory stays over the limit.
      const deadline = Date.now() + 10_000;
      while (!c.snapshot().timeline.some((t) => t.event === 'memory-pause')) {
        if (Date.now() > deadline) throw new Error('no memory-pause within 10 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      // Settled: no change across three polls 200 ms apart (a loaded machine may take a while to finish them).
      let before = (await readState(cfg.stateKey)).processed_vectors;
      for (let quiet = 0; quiet < 3 && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 200));
        const now = (await readState(cfg.stateKey)).processed_vectors;
        quiet = now === before ? quiet + 1 : 0;
        before = now;
      }
      await new Promise((r) => setTimeout(r, 400));
      expect((await readState(cfg.stateKey)).processed_vectors).toBe(before);
      expect(before).toBeLessThan(6000);
      rss = 0.5 * GB;
      expect(await c.settled()).toBe('completed');
      const state = await readState(cfg.stateKey);
      expect(state.processed_vectors).toBe(6000);
      expect(state.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['memory-throttle', 'memory-pause', 'memory-resume']));
      const samples = events.filter((e) => e.type === 'memory');
      expect(samples.some((e) => e.type === 'memory' && e.sample.level === 'limit' && e.sample.limitMb === 6144)).toBe(true);
    } finally {
      qdrant.faults.reset();
    }
  });

  it('a fatal failure mid-run (the collection deleted) stops every batch in flight and fails with one clear reason', async (ctx) => {
    slowDown(ctx, qdrant, 20);
    try {
      // one batch per request: the collection goes with most of the run still to do
      const cfg = config({ batchSize: 100, requestPoints: 100, concurrency: 3 });
      const c = createRunController({ progressIntervalMs: 50 });
      await c.start(cfg);
      await untilProcessed(c);
      await fetch(`${qdrant.url}/collections/${cfg.collection}`, { method: 'DELETE', headers: qdrant.apiKey ? { 'api-key': qdrant.apiKey } : {} });
      expect(await c.settled()).toBe('failed');
      expect(c.exitCode).toBe(4);
      expect(c.snapshot().lastError).toMatch(new RegExp(`collection "${cfg.collection}" no longer exists`));
      const state = await readState(cfg.stateKey);
      expect(state.status).toBe('failed');
      expect(state.processed_vectors).toBeLessThan(6000);
    } finally {
      qdrant.faults.reset();
    }
  });

  it('after a completed run: a deleted collection is migrated again, and another collection gets a new migration', async () => {
    const cfg = config({ faissIndexPath: join(FIXTURES, 'faiss/v1_15/flat_l2.faiss') });
    expect((await runToEnd(cfg)).status).toBe('completed');
    await fetch(`${qdrant.url}/collections/${cfg.collection}`, { method: 'DELETE' });
    const again = await runToEnd(cfg);
    expect(again.status).toBe('completed');
    expect(again.events.some((e) => e.type === 'log' && /did not exist although the saved state counts 200 points/.test(e.msg))).toBe(true);
    expect(await countPoints(qdrant.url, cfg.collection)).toBe(200);
    const other = { ...cfg, collection: `${cfg.collection}_copy` };
    expect((await runToEnd(other)).status).toBe('completed');
    expect(await countPoints(qdrant.url, other.collection)).toBe(200);
    expect(await readState(cfg.stateKey)).toMatchObject({ collection: other.collection, processed_vectors: 200 });
  });
});
