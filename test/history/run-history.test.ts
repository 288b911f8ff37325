/**
 * Run history that never loses a run, through the engine's command handlers (what the desktop app, the
 * browser UI and the CLI call), against a real redis-server and the Qdrant stand-in (or the real Qdrant
 * under test:live): two migrations one after the other both kept, browsable and exportable; a start
 * refused for a size mismatch leaves the earlier runs and the seed's key as they were; an interrupted run
 * resumed from the history under its own id; verification kept with its run; deletion; a short run's
 * samples and peak RSS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MigrationStateSchema, type MigrationConfig, type RunSummary } from '../../shared/contract';
import { parseJson } from '../../shared/json';
import { createEngineService, type EngineService } from '../../electron/engine/handlers';
import type { ReportData } from '../../electron/engine/report/data';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant/index';
import { writeFlatIndex } from '../engine/support/flat-index';
import { runConfig } from './support';
import { countPoints } from '../engine/support/qdrant-read';

const FIXTURES = join(process.cwd(), 'test/fixtures');
const FLAT = join(FIXTURES, 'faiss/v1_15/flat_l2.faiss');
const LANGCHAIN = join(FIXTURES, 'stores/langchain-py');
const KEY = 'xnai:migration:faiss_to_qdrant';

let redis: TestRedis;
let qdrant: TestQdrant;
let raw: Redis;
let engine: EngineService;
let work: string;
let big: string;
const tag = `${process.pid}_${Date.now()}`;

const config = (over: Partial<MigrationConfig>): MigrationConfig => runConfig({ qdrant, redis, work, stateKey: KEY }, over);

const stateTarget = () => ({ qdrantUrl: qdrant.url, qdrantApiKey: qdrant.apiKey, redisHost: redis.host, redisPort: redis.port, redisDb: 0, stateKey: KEY });

async function settle(): Promise<string> {
  for (;;) {
    const snap = await engine.handlers.getSnapshot({});
    if (['completed', 'failed', 'cancelled', 'paused'].includes(snap.status)) return snap.status;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function migrate(cfg: MigrationConfig): Promise<string> {
  const { runId } = await engine.handlers.startRun({ config: cfg });
  expect(await settle()).toBe('completed');
  return runId;
}

const seedDocument = async () => MigrationStateSchema.parse(JSON.parse(String(await raw.get(KEY))));
const runs = async (): Promise<RunSummary[]> => (await engine.handlers.listRuns({ ...stateTarget(), limit: 200 })).runs;

let flatRun: string;
let docsRun: string;
const FLAT_COLLECTION = `flat_${tag}`;
const DOCS_COLLECTION = `docs_${tag}`;

beforeAll(async () => {
  [redis, qdrant] = await Promise.all([startRedis(), startQdrant()]);
  raw = new Redis({ host: redis.host, port: redis.port });
  work = mkdtempSync(join(tmpdir(), 'xnai-history-'));
  big = join(work, 'big.faiss');
  writeFlatIndex(big, 6000, 16);
  engine = createEngineService({ env: {} });
});
afterAll(async () => {
  await engine?.dispose();
  raw?.disconnect();
  await Promise.all([redis?.dispose(), qdrant?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('two migrations one after the other', () => {
  it('both are kept, listed newest first, and the seed\'s key holds the last one', async () => {
    flatRun = await migrate(config({ faissIndexPath: FLAT, collection: FLAT_COLLECTION }));
    docsRun = await migrate(config({ faissIndexPath: LANGCHAIN, collection: DOCS_COLLECTION }));
    expect(docsRun).not.toBe(flatRun);
    const list = await engine.handlers.listRuns({ ...stateTarget(), limit: 200 });
    expect(list.store).toBe(`Redis at ${redis.host}:${redis.port} db 0`);
    expect(list.unreadable).toEqual([]);
    expect(list.runs.map((r) => r.runId)).toEqual([docsRun, flatRun]);
    expect(list.runs[1]).toMatchObject({ runId: flatRun, status: 'completed', active: false, resumable: false, current: false, neverStarted: false, sourcePath: FLAT, collection: FLAT_COLLECTION, total: 200, processed: 200, failed: 0, error: null, outages: 0 });
    expect(list.runs[0]).toMatchObject({ runId: docsRun, status: 'completed', current: true, sourcePath: LANGCHAIN, indexPath: join(LANGCHAIN, 'index.faiss'), collection: DOCS_COLLECTION, processed: 7 });
    expect((await seedDocument()).run_id).toBe(docsRun);
    // the seed's document keeps the seed's fields
    expect(await seedDocument()).toMatchObject({ status: 'completed', total_vectors: 7, processed_vectors: 7, failed_vectors: 0 });
  });

  it('each opens with its dashboard as recorded: counts, timeline, samples and peak RSS, however short', async () => {
    const detail = await engine.handlers.getRun({ ...stateTarget(), runId: flatRun });
    expect(detail.state).toMatchObject({ run_id: flatRun, collection: FLAT_COLLECTION, processed_vectors: 200, status: 'completed' });
    expect(detail.state.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['start', 'end']));
    expect(detail.state.timeline[0]!.event).toBe('start');
    // a run of well under a second still records its history and peak memory
    expect(detail.samples.length).toBeGreaterThanOrEqual(2);
    expect(detail.peakRssMb).toBeGreaterThan(10);
    expect(detail.state.peak_rss_mb).toBe(detail.peakRssMb);
    expect(detail.failedTotal).toBe(0);
    expect(detail.outages).toEqual([]);
    expect(detail.state.config).toMatchObject({ faissIndexPath: FLAT, collection: FLAT_COLLECTION });
    const report = parseJson<ReportData>((await engine.handlers.buildReport({ ...stateTarget(), collection: 'whatever', format: 'json', runId: flatRun })).content);
    expect(report.runId).toBe(flatRun);
    expect(report.target.collection).toBe(FLAT_COLLECTION);
    expect(report.collection).toMatchObject({ name: FLAT_COLLECTION, pointsCount: 200 });
    expect(report.samples.length).toBeGreaterThanOrEqual(2);
    expect(report.totals?.peakRssMb).toBe(detail.peakRssMb);
    const md = (await engine.handlers.buildReport({ ...stateTarget(), collection: 'whatever', format: 'md', runId: flatRun })).content;
    expect(md).not.toContain('no samples recorded');
  });

  it('verification belongs to its run and never shows under another', async () => {
    const v = await engine.handlers.verify({ config: config({ faissIndexPath: FLAT, collection: FLAT_COLLECTION }), options: { sampleSize: 20, queries: 2, idCoverage: true, seed: 1 } });
    expect(v.passed).toBe(true);
    expect(v.runId).toBe(flatRun);
    const list = await runs();
    expect(list.find((r) => r.runId === flatRun)?.verification).toMatchObject({ passed: true, verdict: v.verdict });
    expect(list.find((r) => r.runId === docsRun)?.verification).toBeNull();
    expect((await engine.handlers.getRun({ ...stateTarget(), runId: docsRun })).verification).toBeNull();
    // the current run's report (the LangChain one) does not borrow it either
    const current = parseJson<ReportData>((await engine.handlers.buildReport({ ...stateTarget(), collection: DOCS_COLLECTION, format: 'json' })).content);
    expect(current.runId).toBe(docsRun);
    expect(current.verification).toBeNull();
    // naming a run of another collection is refused, not filed under it
    await expect(engine.handlers.verify({ config: config({ faissIndexPath: LANGCHAIN, collection: DOCS_COLLECTION }), options: { sampleSize: 1, queries: 0, idCoverage: false, seed: 1 }, runId: flatRun })).rejects.toThrow(`run ${flatRun} migrated collection "${FLAT_COLLECTION}", not "${DOCS_COLLECTION}"`);
  });
});

describe('a start refused before its first point', () => {
  it('a size mismatch or a wrong VECTOR_SIZE leaves every earlier run and the seed\'s key as they were, and is kept as never started', async () => {
    const before = await raw.get(KEY);
    const earlier = await runs();
    const wide = join(work, 'wide.faiss');
    writeFlatIndex(wide, 50, 16);
    await expect(engine.handlers.startRun({ config: config({ faissIndexPath: wide, collection: FLAT_COLLECTION }) })).rejects.toThrow(`collection "${FLAT_COLLECTION}" holds 8-dimensional vectors but the index has 16`);
    expect(await raw.get(KEY)).toBe(before);
    const after = await runs();
    expect(after.slice(1)).toEqual(earlier);
    expect(after[0]).toMatchObject({ status: 'failed', neverStarted: true, resumable: false, current: false, collection: FLAT_COLLECTION, processed: 0, error: expect.stringContaining('holds 8-dimensional vectors but the index has 16') });
    // a VECTOR_SIZE that is not the index's: refused the same way, and kept beside the first refusal
    await expect(engine.handlers.startRun({ config: config({ faissIndexPath: wide, collection: `${FLAT_COLLECTION}_sized`, vectorSize: 384 }) })).rejects.toThrow(`VECTOR_SIZE=384 but ${wide} holds 16-dimensional vectors`);
    expect(await raw.get(KEY)).toBe(before);
    const sized = await runs();
    expect(sized.slice(1)).toEqual(after);
    expect(sized[0]).toMatchObject({ status: 'failed', neverStarted: true, resumable: false, current: false, collection: `${FLAT_COLLECTION}_sized`, processed: 0, error: expect.stringContaining('VECTOR_SIZE=384 but') });
    // and Start of the LangChain folder again is not offered as a resume of the refused run
    const check = await engine.handlers.checkTarget({ config: config({ faissIndexPath: LANGCHAIN, collection: DOCS_COLLECTION }) });
    expect(check.plan).toMatchObject({ kind: 'nothing-left', runId: docsRun });
    // its verification and data are still there
    expect((await engine.handlers.getRun({ ...stateTarget(), runId: flatRun })).verification?.passed).toBe(true);
  });
});

describe('resume through the history', () => {
  it('an interrupted run, superseded by another, resumes under its own id and ends exact', async () => {
    const collection = `big_${tag}`;
    const { runId: bigRun } = await engine.handlers.startRun({ config: config({ faissIndexPath: big, collection, batchSize: 100, requestPoints: 100, concurrency: 2 }) }); // one batch per request: paused mid-run
    expect(await engine.handlers.pauseRun({})).toEqual({ status: 'paused' });
    const paused = (await runs()).find((r) => r.runId === bigRun)!;
    expect(paused).toMatchObject({ status: 'paused', active: true, resumable: false, current: true });
    expect(paused.processed).toBeLessThan(6000);
    // an active run cannot be deleted
    await expect(engine.handlers.deleteRun({ ...stateTarget(), runId: bigRun })).rejects.toThrow(`run ${bigRun} is running`);
    await engine.handlers.cancelRun({});
    const interrupted = (await runs()).find((r) => r.runId === bigRun)!;
    expect(interrupted).toMatchObject({ active: false, resumable: true });

    // another run becomes the current one: the interrupted run stays in the history
    const other = await migrate(config({ faissIndexPath: FLAT, collection: `again_${tag}` }));
    expect((await seedDocument()).run_id).toBe(other);

    const { runId } = await engine.handlers.resumeStoredRun({ ...stateTarget(), runId: bigRun });
    expect(runId).toBe(bigRun);
    expect(await settle()).toBe('completed');
    const done = await engine.handlers.getRun({ ...stateTarget(), runId: bigRun });
    expect(done.state).toMatchObject({ run_id: bigRun, status: 'completed', processed_vectors: 6000, batches_processed: 60, watermark: 60, failed_vectors: 0 });
    expect(done.state.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['start', 'pause', 'cancelled', 'resume', 'end']));
    expect(done.summary.current).toBe(true);
    expect(await countPoints(qdrant.url, collection)).toBe(6000);
    // one record per run, never a copy
    const ids = (await runs()).map((r) => r.runId);
    expect(ids.filter((id) => id === bigRun)).toHaveLength(1);
    expect(ids).toEqual(expect.arrayContaining([flatRun, docsRun, other, bigRun]));
  });

  it('refuses an unknown run and a run recorded against another Qdrant, naming what to do', async () => {
    await expect(engine.handlers.resumeStoredRun({ ...stateTarget(), runId: 'no-such-run' })).rejects.toThrow(`no run no-such-run under ${KEY}: "xnai-migrate runs" lists the runs kept there`);
    await expect(engine.handlers.resumeStoredRun({ ...stateTarget(), qdrantUrl: 'http://127.0.0.1:9', runId: flatRun })).rejects.toThrow(/migrated into Qdrant at http:\/\/.*, but the settings point at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('deleting a run', () => {
  it('removes that run and its data only', async () => {
    const before = await runs();
    expect(await engine.handlers.deleteRun({ ...stateTarget(), runId: flatRun })).toEqual({ deleted: true });
    const after = await runs();
    expect(after.map((r) => r.runId)).toEqual(before.map((r) => r.runId).filter((id) => id !== flatRun));
    await expect(engine.handlers.getRun({ ...stateTarget(), runId: flatRun })).rejects.toThrow(`no run ${flatRun}`);
    expect(await engine.handlers.deleteRun({ ...stateTarget(), runId: flatRun })).toEqual({ deleted: false });
    // the collection in Qdrant is not touched
    expect(await countPoints(qdrant.url, FLAT_COLLECTION)).toBe(200);
  });
});
