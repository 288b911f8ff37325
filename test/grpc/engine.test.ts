/**
 * Whole runs over both transports against the real Qdrant binary (gRPC cannot talk to the REST stand-in):
 * the run says and records which transport it used; a Qdrant killed and restarted, or frozen, mid-run; the
 * memory limit pausing the run; a point Qdrant refuses, isolated and reported; the CLI killed with SIGKILL
 * again and again. Each ends with exactly the source's points and exact counts. Skipped, with one line,
 * where the binary is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MigrationConfigSchema, type EngineEvent, type MigrationConfig, type MigrationState, type TransportKind } from '../../shared/contract';
import { createRunController } from '../../electron/engine/migration/index';
import { pointIdForDocument } from '../../electron/engine/point-id';
import { buildReport } from '../../electron/engine/report/index';
import { startRedis, type TestRedis } from '../support/redis';
import { bundleCli, runCli, spawnCli } from '../engine/support/cli';
import { vectorFor, writeFlatIndex } from '../engine/support/flat-index';
import { scrollAll } from '../engine/support/qdrant-read';
import { resolveQdrantBin, startRealQdrant, type RealQdrant } from '../support/qdrant/real-server';

const BIN = resolveQdrantBin();
if (!BIN) console.log('test/grpc/engine.test.ts skipped: no Qdrant binary (set QDRANT_BIN, or put it at ../shared/qdrant/bin/qdrant)');

const COUNT = 6000;
const DIM = 16;
const TRANSPORTS: TransportKind[] = ['grpc', 'rest'];

let redis: TestRedis;
let qdrant: RealQdrant;
let work: string;
let index: string;
let n = 0;

function config(transport: TransportKind, over: Partial<MigrationConfig> = {}): MigrationConfig {
  n++;
  return MigrationConfigSchema.parse({
    qdrantUrl: qdrant.url,
    qdrantGrpcUrl: qdrant.grpcUrl,
    transport,
    redisHost: redis.host,
    redisPort: redis.port,
    collection: `e${n}_${transport}`,
    stateKey: `xnai:migration:grpc-engine-${n}`,
    logDir: join(work, 'logs'),
    faissIndexPath: index,
    distance: 'Euclid',
    batchSize: 100,
    // one batch per request: kills, freezes and memory pauses land with most of the run still to do
    requestPoints: 100,
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

/** Every source row stored once, bit-exact, with its faiss_id. */
async function expectExactCopy(collection: string, count = COUNT): Promise<void> {
  const stored = await scrollAll(qdrant.url, collection);
  expect(stored.size).toBe(count);
  const want = new Float32Array(DIM);
  let differ = 0;
  for (let row = 0; row < count; row++) {
    const p = stored.get(String(row));
    vectorFor(row, DIM, want);
    if (!p || p.payload.faiss_id !== row || !Float32Array.from(p.vector).every((v, j) => v === want[j])) differ++;
  }
  expect(differ, 'rows missing or different in Qdrant').toBe(0);
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!BIN)('runs over gRPC and REST against the real Qdrant', () => {
  beforeAll(async () => {
    [redis, qdrant] = await Promise.all([startRedis(), startRealQdrant()]);
    work = mkdtempSync(join(tmpdir(), 'xnai-grpc-engine-'));
    index = join(work, 'index.faiss');
    writeFlatIndex(index, COUNT, DIM);
  });
  afterAll(async () => {
    await Promise.all([redis?.dispose(), qdrant?.stop()]);
  });

  it('TRANSPORT=auto takes gRPC and says so in the log, the progress, the state and the report', async () => {
    const cfg = config('grpc', { transport: 'auto' });
    const c = createRunController({ progressIntervalMs: 50 });
    const events: EngineEvent[] = [];
    c.on((e) => events.push(e));
    await c.start(cfg);
    expect(await c.settled()).toBe('completed');
    const line = `Bulk transport: gRPC at ${qdrant.grpcUrl} (auto: Qdrant ${qdrant.version} answered there)`;
    expect(events.filter((e) => e.type === 'log' && e.msg.startsWith('Bulk transport')).map((e) => e.type === 'log' && e.msg)).toEqual([line]);
    expect(c.snapshot().progress?.transport).toBe('grpc');
    const state = await readState(cfg.stateKey);
    expect(state.transport).toBe(line.replace('Bulk transport: ', ''));
    expect(state.timeline.find((t) => t.event === 'transport')?.detail).toBe(state.transport);
    const report = await buildReport({ ...cfg }, 'md');
    expect(report.content).toMatch(`| Bulk transport | gRPC at ${qdrant.grpcUrl} (auto: Qdrant ${qdrant.version} answered there) |`);
    await expectExactCopy(cfg.collection);
  });

  it('framework stores migrated over gRPC pass verify: documents, metadata and ids as the source has them', async () => {
    const cli = await bundleCli();
    for (const store of ['langchain-py-types', 'llamaindex']) {
      const env = { QDRANT_URL: qdrant.url, QDRANT_GRPC_URL: qdrant.grpcUrl, REDIS_HOST: redis.host, REDIS_PORT: String(redis.port), FAISS_INDEX_PATH: join(process.cwd(), 'test/fixtures/stores', store), QDRANT_COLLECTION: `verify_${store.replace(/-/g, '_')}`, MIGRATION_STATE_KEY: `xnai:migration:grpc-verify-${store}`, LOG_DIR: join(work, 'logs') };
      const run = await runCli(cli, ['run'], env, work);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Bulk transport: gRPC at ${qdrant.grpcUrl} (auto:`);
      const verify = await runCli(cli, ['verify'], env, work);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/ok +payloads: (\d+)\/\1 sampled payloads match the source/);
    }
  });

  for (const transport of TRANSPORTS) {
    describe(`over ${transport}`, () => {
      it('rides out Qdrant killed and restarted mid-run: nothing lost, nothing counted twice', async () => {
        const cfg = config(transport, { concurrency: 2 });
        qdrant.throttle({ runMs: 5, stopMs: 15 });
        const c = createRunController({ progressIntervalMs: 50 });
        const logs: string[] = [];
        c.on((e) => e.type === 'log' && logs.push(e.msg));
        try {
          await c.start(cfg);
          expect(c.snapshot().progress?.transport ?? (await readState(cfg.stateKey)).transport?.slice(0, 4).toLowerCase()).toBe(transport);
          await waitFor('a first checkpoint', async () => (await readState(cfg.stateKey)).processed_vectors > 0);
          await qdrant.kill();
          await new Promise((r) => setTimeout(r, 1500));
          await qdrant.start();
          qdrant.throttle(null);
          expect(await c.settled()).toBe('completed');
        } finally {
          qdrant.throttle(null);
        }
        expect(logs.some((l) => /retrying in/.test(l))).toBe(true);
        expect(await readState(cfg.stateKey)).toMatchObject({ status: 'completed', processed_vectors: COUNT, failed_vectors: 0, batches_processed: 60, watermark: 60, completed_above: [] });
        await expectExactCopy(cfg.collection);
      });

      it('rides out Qdrant frozen for 4 s mid-run', async () => {
        const cfg = config(transport, { concurrency: 2 });
        qdrant.throttle({ runMs: 5, stopMs: 15 });
        const c = createRunController({ progressIntervalMs: 50 });
        try {
          await c.start(cfg);
          await waitFor('a first checkpoint', async () => (await readState(cfg.stateKey)).processed_vectors > 0);
          qdrant.throttle(null);
          const before = (await readState(cfg.stateKey)).processed_vectors;
          await qdrant.freeze(4000);
          expect(before).toBeLessThan(COUNT);
          expect(await c.settled()).toBe('completed');
        } finally {
          qdrant.throttle(null);
        }
        expect(await readState(cfg.stateKey)).toMatchObject({ status: 'completed', processed_vectors: COUNT, failed_vectors: 0 });
        await expectExactCopy(cfg.collection);
      });

      it('memory at the limit takes no new batches until it falls, then completes', async () => {
        const GB = 1024 ** 3;
        let rss = 0.5 * GB;
        const probe = { rssBytes: () => rss, heapUsedBytes: () => 0, totalBytes: () => 10 * GB, availableBytes: () => 4 * GB };
        const cfg = config(transport, { concurrency: 4 });
        qdrant.throttle({ runMs: 5, stopMs: 15 });
        const c = createRunController({ memoryProbe: probe, memoryIntervalMs: 50, progressIntervalMs: 50 });
        try {
          await c.start(cfg);
          await waitFor('a first checkpoint', async () => (await readState(cfg.stateKey)).processed_vectors > 0);
          rss = 6.5 * GB;
          await waitFor('the memory pause', () => c.snapshot().timeline.some((t) => t.event === 'memory-pause'));
          // batches already in flight may finish; after that nothing moves while memory stays over the limit
          let before = -1;
          await waitFor('in-flight batches to finish', async () => {
            const now = (await readState(cfg.stateKey)).processed_vectors;
            const same = now === before;
            before = now;
            if (!same) await new Promise((r) => setTimeout(r, 300));
            return same;
          });
          await new Promise((r) => setTimeout(r, 400));
          expect((await readState(cfg.stateKey)).processed_vectors).toBe(before);
          expect(before).toBeLessThan(COUNT);
          rss = 0.5 * GB;
          qdrant.throttle(null);
          expect(await c.settled()).toBe('completed');
        } finally {
          qdrant.throttle(null);
        }
        const state = await readState(cfg.stateKey);
        expect(state.processed_vectors).toBe(COUNT);
        expect(state.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['memory-pause', 'memory-resume']));
        await expectExactCopy(cfg.collection);
      });

      it('a point Qdrant refuses (a lone surrogate in its document) is isolated, reported, and the rest migrated', async () => {
        // a LangChain JS folder (FaissStore.save): faiss.index + docstore.json, document 137 not valid Unicode
        const folder = join(work, `poison-${transport}`);
        mkdirSync(folder, { recursive: true });
        writeFlatIndex(join(folder, 'faiss.index'), 500, DIM);
        const docs = Array.from({ length: 500 }, (_, i) => `["d${i}",{"pageContent":${i === 137 ? '"broken \\ud800 text"' : `"document ${i}"`},"metadata":{"row":${i}}}]`);
        const mapping = Array.from({ length: 500 }, (_, i) => `"${i}":"d${i}"`);
        writeFileSync(join(folder, 'docstore.json'), `[[${docs.join(',')}],{${mapping.join(',')}}]`);
        const cfg = config(transport, { faissIndexPath: folder });
        const c = createRunController();
        await c.start(cfg);
        expect(await c.settled()).toBe('completed');
        expect(c.exitCode).toBe(6);
        const state = await readState(cfg.stateKey);
        expect(state).toMatchObject({ processed_vectors: 499, failed_vectors: 1 });
        const r = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
        await r.connect();
        // failed points are kept per run (run history): ${key}:run:<run id>:failed
        const failed = await r.hgetall(`${cfg.stateKey}:run:${state.run_id}:failed`);
        r.disconnect();
        expect(Object.keys(failed)).toEqual(['137']);
        expect(JSON.parse(failed['137']!).reason).toMatch(transport === 'grpc' ? /lone surrogate/ : /HTTP 400/);
        const stored = await scrollAll(qdrant.url, cfg.collection);
        expect(stored.size).toBe(499);
        // a LangChain folder's points are keyed by their document ids (uuid5 of "d137", "d138")
        expect(stored.has(pointIdForDocument('d137'))).toBe(false);
        expect(stored.get(pointIdForDocument('d138'))?.payload.page_content).toBe('document 138');
      });

      it('the CLI killed with SIGKILL at random points ten times, then a last run: exactly the source points', async () => {
        const cli = await bundleCli();
        const key = `xnai:migration:grpc-kill-${transport}`;
        const e = {
          QDRANT_URL: qdrant.url,
          QDRANT_GRPC_URL: qdrant.grpcUrl,
          TRANSPORT: transport,
          REDIS_HOST: redis.host,
          REDIS_PORT: String(redis.port),
          FAISS_INDEX_PATH: index,
          DISTANCE: 'Euclid',
          MIGRATION_STATE_KEY: key,
          QDRANT_COLLECTION: `kill_${transport}`,
          BATCH_SIZE: '50',
          // one batch per request: each run moves a few batches before its kill
          REQUEST_POINTS: '50',
          CONCURRENCY_FACTOR: '3',
        };
        let seed = 4242;
        const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
        const processed = async () => {
          const r = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
          await r.connect();
          const text = await r.get(key);
          r.disconnect();
          return text ? (JSON.parse(text) as MigrationState).processed_vectors : 0;
        };
        // slowed so that every kill lands mid-run whatever the machine's speed
        qdrant.throttle({ runMs: 5, stopMs: 20 });
        let last = 0;
        let kills = 0;
        try {
          for (let i = 0; i < 10; i++) {
            const run = spawnCli(cli, ['run', '--quiet'], e, work);
            let exited = false;
            void run.done.then(() => (exited = true));
            await waitFor(`run ${i} to checkpoint`, async () => exited || (await processed()) > last, 60_000);
            await new Promise((r) => setTimeout(r, random() * 150));
            run.child.kill('SIGKILL');
            const r = await run.done;
            if (r.signal === 'SIGKILL') kills++;
            const now = await processed();
            expect(now).toBeGreaterThanOrEqual(last);
            expect(now).toBeLessThan(COUNT);
            last = now;
          }
        } finally {
          qdrant.throttle(null);
        }
        expect(kills).toBe(10);
        const final = await runCli(cli, ['run'], e, work);
        expect(final.code, final.stderr).toBe(0);
        expect(final.stdout).toMatch(transport === 'grpc' ? `Bulk transport: gRPC at ${qdrant.grpcUrl} (TRANSPORT=grpc)` : `Bulk transport: REST at ${qdrant.url} (TRANSPORT=rest)`);
        expect(await readState(key)).toMatchObject({ status: 'completed', processed_vectors: COUNT, failed_vectors: 0, batches_processed: COUNT / 50, watermark: COUNT / 50, completed_above: [] });
        await expectExactCopy(`kill_${transport}`);
      }, 180_000);
    });
  }
});
