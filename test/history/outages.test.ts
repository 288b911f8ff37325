/**
 * Outages in plain sight, through the engine's command handlers and events (what the UI shows), against a
 * real redis-server and the Qdrant stand-in or the real Qdrant binary (test:live): Redis stopped for two
 * seconds mid-run, then Qdrant. Each time the run says "Waiting for …" with the address, the reason in words
 * and a retry countdown (events and snapshot), logs a line when it starts and when it ends (events and
 * logs/migration.log), keeps it in the timeline and the run's record with its duration, the report lists
 * it, and the run completes with exactly the source's points.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent, MigrationConfig } from '../../shared/contract';
import { createEngineService, type EngineService } from '../../electron/engine/handlers';
import { startRedis, type TestRedis } from '../support/redis';
import { needsOwnQdrant, slowDown, startQdrant, type TestQdrant } from '../support/qdrant/index';
import { writeFlatIndex } from '../engine/support/flat-index';
import { countPoints } from '../engine/support/qdrant-read';
import { runConfig } from './support';

const KEY = 'xnai:migration:outages';
const COUNT = 20_000;
let redis: TestRedis;
let qdrant: TestQdrant;
let engine: EngineService;
let work: string;
let index: string;
const events: EngineEvent[] = [];
const tag = `${process.pid}_${Date.now()}`;

beforeAll(async () => {
  [redis, qdrant] = await Promise.all([startRedis(), startQdrant()]);
  work = mkdtempSync(join(tmpdir(), 'xnai-outages-'));
  index = join(work, 'index.faiss');
  writeFlatIndex(index, COUNT, 16);
  engine = createEngineService({ env: {} });
  engine.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await engine?.dispose();
  await Promise.all([redis?.dispose(), qdrant?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

const config = (collection: string): MigrationConfig => runConfig({ qdrant, redis, work, stateKey: KEY }, { faissIndexPath: index, collection, batchSize: 100, requestPoints: 100, concurrency: 2 }); // one batch per request: the outages land mid-run
const stateTarget = () => ({ qdrantUrl: qdrant.url, qdrantApiKey: qdrant.apiKey, redisHost: redis.host, redisPort: redis.port, redisDb: 0, stateKey: KEY });

async function untilProcessed(atLeast: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const p = (await engine.handlers.getSnapshot({})).progress;
    if (p && p.processed >= atLeast) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`fewer than ${atLeast} points processed after 20 s`);
}

async function settle(): Promise<string> {
  for (;;) {
    const snap = await engine.handlers.getSnapshot({});
    if (['completed', 'failed', 'cancelled'].includes(snap.status)) return snap.status;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** While `down` lasts, the snapshot's outages as the UI's badge reads them, polled. */
async function watchSnapshot(during: Promise<void>): Promise<{ service: string; retryAt: number | null; status: string }[]> {
  const seen: { service: string; retryAt: number | null; status: string }[] = [];
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    const snap = await engine.handlers.getSnapshot({});
    for (const o of snap.outages) seen.push({ service: o.service, retryAt: o.retryAt, status: snap.status });
    await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

function outageEvents(service: 'redis' | 'qdrant') {
  return events.filter((e): e is Extract<EngineEvent, { type: 'outage' }> => e.type === 'outage' && e.outage.service === service);
}

const logs = () => events.filter((e): e is Extract<EngineEvent, { type: 'log' }> => e.type === 'log').map((e) => e.msg);

async function expectShownEverywhere(runId: string, service: 'redis' | 'qdrant', name: string, address: string, reason: RegExp): Promise<void> {
  const mine = outageEvents(service);
  const begin = mine.find((e) => e.phase === 'begin');
  const end = mine.find((e) => e.phase === 'end');
  expect(begin?.outage).toMatchObject({ service, address, attempts: 1 });
  expect(begin?.outage.reason).toMatch(reason);
  expect(begin?.outage.retryAt).toBeGreaterThan(begin!.at - 1);
  expect(end?.durationMs).toBeGreaterThanOrEqual(1000);
  // a line when it starts and when it ends, in the events and in logs/migration.log
  const started = logs().find((l) => l.startsWith(`Waiting for ${name}: `));
  const ended = logs().find((l) => l.startsWith(`${name} at ${address} answers again after `));
  expect(started).toBeDefined();
  expect(ended).toBeDefined();
  const file = readFileSync(join(work, 'logs', 'migration.log'), 'utf8');
  expect(file).toContain(`Waiting for ${name}: `);
  expect(file).toContain(`${name} at ${address} answers again after `);
  // the run's record: timeline and outages with their duration
  const detail = await engine.handlers.getRun({ ...stateTarget(), runId });
  expect(detail.state).toMatchObject({ status: 'completed', processed_vectors: COUNT, failed_vectors: 0, batches_processed: COUNT / 100 });
  const events2 = detail.state.timeline.map((t) => t.event);
  expect(events2).toEqual(expect.arrayContaining(['outage', 'outage-end']));
  expect(detail.state.timeline.find((t) => t.event === 'outage')?.detail).toMatch(new RegExp(`^${name} at ${address.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} stopped answering: `));
  expect(detail.outages).toHaveLength(1);
  const o = detail.outages[0]!;
  expect(o).toMatchObject({ service, address });
  expect(o.to! - o.from).toBeGreaterThanOrEqual(1000);
  expect(detail.summary.outages).toBe(1);
  // and the report
  const md = (await engine.handlers.buildReport({ ...stateTarget(), collection: detail.state.collection, format: 'md', runId })).content;
  expect(md).toContain('## Outages (1)');
  const row = md.split('\n').find((l) => l.startsWith(`| ${name} |`));
  expect(row?.replace(/\\/g, '')).toContain(`| ${address} |`);
  expect(row).toContain(' cannot be reached: ');
}

describe('outages in plain sight', () => {
  it('Redis stopped for two seconds mid-run: waiting shown with the reason and countdown, then the run completes', async (ctx: TestContext) => {
    slowDown(ctx, qdrant, 10);
    try {
      const collection = `redis_out_${tag}`;
      const { runId } = await engine.handlers.startRun({ config: config(collection) });
      await untilProcessed(500);
      const down = redis.restart(2000);
      const seen = await watchSnapshot(down);
      expect(seen.some((s) => s.service === 'redis' && s.retryAt !== null && s.status === 'running')).toBe(true);
      expect(await settle()).toBe('completed');
      expect((await engine.handlers.getSnapshot({})).outages).toEqual([]);
      await expectShownEverywhere(runId, 'redis', 'Redis', `${redis.host}:${redis.port}`, /^Redis at .* cannot be reached: (nothing is listening there|it closed the connection)/);
      expect(await countPoints(qdrant.url, collection)).toBe(COUNT);
    } finally {
      qdrant.faults.reset();
    }
  });

  it('Redis frozen (connections open, no answers) for seven seconds: waiting shown once the checkpoint has waited 5 s, then the run completes', async (ctx: TestContext) => {
    slowDown(ctx, qdrant, 10);
    try {
      const collection = `redis_frozen_${tag}`;
      const before = outageEvents('redis').length;
      const { runId } = await engine.handlers.startRun({ config: config(collection) });
      await untilProcessed(500);
      const seen = await watchSnapshot(redis.freeze(7000));
      expect(seen.some((s) => s.service === 'redis' && s.status === 'running')).toBe(true);
      expect(await settle()).toBe('completed');
      const mine = outageEvents('redis').slice(before);
      expect(mine[0]).toMatchObject({ phase: 'begin', outage: { service: 'redis', retryAt: null } });
      expect(mine[0]!.outage.reason).toMatch(new RegExp(`^Redis at ${redis.host.replace(/\./g, '\\.')}:${redis.port} has not answered for \\d+\\.\\d s: it is overloaded or stopped \\(frozen\\)`));
      expect(mine.find((e) => e.phase === 'end')?.durationMs).toBeGreaterThan(500);
      const detail = await engine.handlers.getRun({ ...stateTarget(), runId });
      expect(detail.state).toMatchObject({ status: 'completed', processed_vectors: COUNT, batches_processed: COUNT / 100 });
      expect(detail.outages.map((o) => o.service)).toEqual(['redis']);
      expect(await countPoints(qdrant.url, collection)).toBe(COUNT);
    } finally {
      qdrant.faults.reset();
    }
  });

  it('Qdrant down for two seconds mid-run: waiting shown with the reason and countdown, then the run completes', async (ctx: TestContext) => {
    needsOwnQdrant(ctx, 'stopping Qdrant mid-run');
    slowDown(ctx, qdrant, 10);
    try {
      const collection = `qdrant_out_${tag}`;
      const { runId } = await engine.handlers.startRun({ config: config(collection) });
      await untilProcessed(500);
      const down = (async () => {
        if (qdrant.real) {
          await qdrant.real.kill();
          await new Promise((r) => setTimeout(r, 2000));
          await qdrant.real.start();
        } else {
          await qdrant.faults.down();
          await new Promise((r) => setTimeout(r, 2000));
          await qdrant.faults.up();
        }
      })();
      const seen = await watchSnapshot(down);
      expect(seen.some((s) => s.service === 'qdrant' && s.retryAt !== null)).toBe(true);
      expect(await settle()).toBe('completed');
      const url = new URL(qdrant.url);
      await expectShownEverywhere(runId, 'qdrant', 'Qdrant', `${url.protocol}//${url.host}`, /^Qdrant at .* cannot be reached: (nothing is listening there|it closed the connection)/);
      expect(await countPoints(qdrant.url, collection)).toBe(COUNT);
    } finally {
      qdrant.faults.reset();
    }
  });
});
