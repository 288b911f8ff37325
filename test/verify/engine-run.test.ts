/**
 * The whole path a user takes: the engine migrates a fixture (ids above 2^53 and negative labels, a pause
 * and a resume mid-run) into Qdrant (the stand-in, or the real server under test:live) with a real Redis, then `verifyMigration` proves the copy
 * and `buildReport` shows exactly what the run recorded, in every format, with no secret anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import type { TestRedis } from '../support/redis';
import { MigrationConfigSchema, MigrationStateSchema, stateKeys, type EngineEvent } from '../../shared/contract';
import { parseJson } from '../../shared/json';
import { createRunController } from '../../electron/engine/migration/index';
import { verifyMigration } from '../../electron/engine/verify/index';
import { buildReport, type ReportData } from '../../electron/engine/report/index';
import { dumpRedis, startServices, stopServices, type Services, type TestQdrant } from './helpers';
import { slowDown } from '../support/qdrant';

const FIXTURE = join(__dirname, '..', 'fixtures', 'faiss', 'v1_15', 'idmap_flat.faiss');
const API_KEY = 'qk-engine-run-b41e07c2d9';
const REDIS_PASSWORD = 'rp-engine-run-9fa3c5e1b8';

let services: Services | undefined;
let redis: TestRedis;
let qdrant: TestQdrant;
let client: Redis;

beforeAll(async () => {
  services = await startServices({ apiKey: API_KEY, redisPassword: REDIS_PASSWORD });
  ({ redis, qdrant, client } = services);
});

afterAll(() => stopServices(services));

describe('engine run → verify → report', () => {
  it('proves the run and reports what it recorded', async (ctx) => {
    const config = MigrationConfigSchema.parse({
      qdrantUrl: qdrant.url,
      qdrantApiKey: API_KEY,
      redisHost: redis.host,
      redisPort: redis.port,
      redisPassword: REDIS_PASSWORD,
      faissIndexPath: FIXTURE,
      collection: 'engine_run',
      stateKey: 'xnai:migration:engine-run',
      batchSize: 10,
      requestPoints: 10,
      concurrency: 1,
      distance: 'Cosine',
    });
    slowDown(ctx, qdrant, 25); // so the pause lands mid-run
    const controller = createRunController({ progressIntervalMs: 20, memoryIntervalMs: 50 });
    let pausedOnce = false;
    const firstProgress = new Promise<void>((resolve) => {
      controller.on((e: EngineEvent) => {
        if (e.type === 'progress' && e.progress.processed > 0) resolve();
      });
    });
    await controller.start(config);
    await firstProgress;
    expect(await controller.pause()).toBe('paused');
    pausedOnce = true;
    await new Promise((r) => setTimeout(r, 150));
    await controller.resume();
    expect(await controller.settled()).toBe('completed');
    await controller.dispose();
    qdrant.faults.reset();
    expect(pausedOnce).toBe(true);

    const result = await verifyMigration(config, { sampleSize: 200, queries: 10 });
    expect(result.verdict).toMatch(/^PASS: 200\/200 points, 200\/200 sampled vectors equal, payloads match, exact search 10\/10, recall@10 \d\.\d\d, all ids present$/);

    const state = MigrationStateSchema.parse(parseJson(String(await client.get(config.stateKey))));
    const target = { ...config };
    const json = parseJson<ReportData>((await buildReport(target, 'json')).content);
    expect(json.runId).toBe(state.run_id);
    expect(json.totals).toMatchObject({ status: 'completed', totalVectors: 200, processed: 200, failed: 0, batchesDone: 20, batchesTotal: 20, pauses: 1 });
    expect(json.timeline.map((e) => e.event)).toEqual(state.timeline.map((e) => e.event));
    expect(json.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['start', 'pause', 'resume', 'end']));
    expect(json.paused).toHaveLength(1);
    expect(json.failedTotal).toBe(0);
    expect(json.verification?.verdict).toBe(result.verdict);
    expect(json.source).toMatchObject({ kind: 'faiss-file', count: 200, dimension: 8, unchanged: true, fingerprint: state.source });
    expect(json.collection).toMatchObject({ available: true, pointsCount: 200, vectorSize: 8, distance: 'Cosine' });
    expect(json.config).toMatchObject({ qdrantApiKey: '(set)', redisPassword: '(set)', batchSize: 10, collection: 'engine_run' });

    const html = (await buildReport(target, 'html')).content;
    const md = (await buildReport(target, 'md')).content;
    expect(html).toContain(result.verdict.replace(/&/g, '&amp;'));
    expect(md).toContain('| Points migrated | 200 of 200 |');
    for (const text of [html, md, JSON.stringify(json), await dumpRedis(client)]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(REDIS_PASSWORD);
    }
    // kept with the run it verifies
    expect(result.runId).toBe(state.run_id);
    expect(await client.exists(stateKeys(config.stateKey).runVerification(state.run_id))).toBe(1);
  });
});
