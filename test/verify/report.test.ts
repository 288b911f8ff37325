/**
 * Reports against a known run: a state, samples, failed points and verification written to a real Redis
 * in the contract's layout, a collection in the Qdrant stand-in. Each format must show the same totals,
 * timeline, failed points and verdict; none may contain the run's API key or Redis password; the HTML
 * must be self-contained and render and print in real Chromium with the network cut off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { TestRedis } from '../support/redis';
import { fingerprintFile } from '../../electron/engine/source/fingerprint';
import { MigrationConfigSchema, redactConfig, type MigrationConfig, stateKeys, type FailedPoint, type MigrationState, type ProgressSample } from '../../shared/contract';
import { parseJson, stringifyJson } from '../../shared/json';
import { verifyMigration } from '../../electron/engine/verify/index';
import { buildReport, type ReportData } from '../../electron/engine/report/index';
import { deletePoint, dumpRedis, startServices, stopServices, type Services, type TestQdrant } from './helpers';
import { populate } from './populate';

const FIXTURE = join(__dirname, '..', 'fixtures', 'faiss', 'v1_15', 'flat_l2.faiss');
const API_KEY = 'qk-report-SECRET-93f0a1';
const REDIS_PASSWORD = 'rp-report-SECRET-c27d55';
const COLLECTION = 'report_run';
const BASE = 'xnai:migration:report-test';

type Qdrant = TestQdrant;
let services: Services | undefined;
let redis: TestRedis;
let qdrant: Qdrant;
let client: Redis;

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const failed: FailedPoint[] = [
  { faissId: '7', pointId: '7', batch: 0, reason: 'Qdrant answered HTTP 400: vector contains NaN' },
  { faissId: '133', pointId: '133', batch: 2, reason: 'payload <too> "large" & rejected' },
];

function knownRun(): { state: MigrationState; samples: ProgressSample[]; config: MigrationConfig } {
  const config = MigrationConfigSchema.parse({
    qdrantUrl: qdrant.url,
    qdrantApiKey: API_KEY,
    redisHost: redis.host,
    redisPort: redis.port,
    redisPassword: REDIS_PASSWORD,
    faissIndexPath: FIXTURE,
    collection: COLLECTION,
    stateKey: BASE,
    batchSize: 64,
  });
  const samples: ProgressSample[] = [];
  for (let s = 0; s <= 40; s++) {
    if (s > 10 && s < 20) continue; // paused
    samples.push({ at: T0 + s * 1000, processed: Math.min(200, s * 6), failed: s > 30 ? 2 : 0, pointsPerSec: s >= 20 ? 9 : 6, batchLatencyMs: 40, rssMb: 80 + s, systemAvailableMb: 3000, limitMb: 3960 });
  }
  return {
    config,
    samples,
    state: {
      status: 'completed',
      started_at: new Date(T0).toISOString(),
      total_vectors: 200,
      processed_vectors: 198,
      failed_vectors: 2,
      batches_processed: 4,
      last_batch_id: 3,
      last_checkpoint: new Date(T0 + 40_000).toISOString(),
      completed_at: new Date(T0 + 40_000).toISOString(),
      version: 1,
      run_id: 'run-known-0001',
      collection: COLLECTION,
      batch_size: 64,
      total_batches: 4,
      watermark: 4,
      completed_above: [],
      source: { path: FIXTURE, size: 0, mtimeMs: 0, headerSha256: '' },
      distance: 'Euclid',
      payload_layout: 'raw',
      config: redactConfig(config) as unknown as Record<string, unknown>,
      timeline: [
        { at: T0, event: 'start', detail: 'fresh run' },
        { at: T0 + 10_000, event: 'pause', detail: 'by user' },
        { at: T0 + 20_000, event: 'resume' },
        { at: T0 + 40_000, event: 'completed', detail: '198 points, 2 failed' },
      ],
    },
  };
}

beforeAll(async () => {
  services = await startServices({ apiKey: API_KEY, redisPassword: REDIS_PASSWORD });
  ({ redis, qdrant, client } = services);
  await populate({ url: qdrant.url, apiKey: API_KEY }, COLLECTION, FIXTURE, 'Euclid');
  // The two failed points never reached Qdrant.
  for (const f of failed) await deletePoint({ url: qdrant.url, apiKey: API_KEY }, COLLECTION, BigInt(f.pointId));
  const { state, samples } = knownRun();
  state.source = await fingerprintFile(FIXTURE);
  const keys = stateKeys(BASE);
  await client.set(keys.state, stringifyJson(state));
  // written as the version before run history did: moved into the run's record on first contact
  await client.rpush(keys.legacy.samples, ...samples.map((s) => stringifyJson(s)));
  for (const f of failed) await client.hset(keys.legacy.failed, f.faissId, stringifyJson(f));
  await verifyMigration(knownRun().config, { sampleSize: 200, queries: 10 });
});

afterAll(() => stopServices(services));

const target = () => ({
  qdrantUrl: qdrant.url,
  qdrantApiKey: API_KEY,
  redisHost: redis.host,
  redisPort: redis.port,
  redisPassword: REDIS_PASSWORD,
  redisDb: 0,
  collection: COLLECTION,
  stateKey: BASE,
});

describe('report of a known run', () => {
  it('JSON carries the totals, timeline, failed points and verification exactly', async () => {
    const r = await buildReport(target(), 'json');
    expect(r.mimeType).toBe('application/json');
    expect(r.filename).toMatch(/^xnai-report-report_run-\d{8}-\d{6}Z\.json$/);
    const d = parseJson<ReportData & { format: string }>(r.content);
    expect(d.format).toBe('xnai-migration-report');
    expect(d.totals).toMatchObject({ status: 'completed', totalVectors: 200, processed: 198, failed: 2, batchesDone: 4, batchesTotal: 4, elapsedMs: 40_000, activeMs: 30_000, pauses: 1, peakRssMb: 120, memoryLimitMb: 3960 });
    expect(d.totals!.avgPointsPerSec).toBeCloseTo(6.6, 5);
    expect(d.timeline.map((e) => e.event)).toEqual(['start', 'pause', 'resume', 'completed']);
    expect(d.paused).toEqual([{ from: T0 + 10_000, to: T0 + 20_000, label: 'paused: by user' }]);
    expect(d.failedTotal).toBe(2);
    expect(d.failedPoints).toEqual(failed);
    expect(d.samples).toHaveLength(32);
    expect(d.verification!.passed).toBe(false);
    expect(d.verification!.verdict).toMatch(/^FAIL: count: 198\/200 points \(2 missing\)/);
    expect(d.verification!.verdict).toContain('2 source ids missing from Qdrant (7, 133)');
    expect(d.source).toMatchObject({ kind: 'faiss-file', indexType: expect.stringContaining('Flat'), count: 200, dimension: 8, metric: 'l2', unchanged: true });
    expect(d.collection).toMatchObject({ name: COLLECTION, available: true, pointsCount: 198, vectorSize: 8, distance: 'Euclid' });
    expect(d.config).toMatchObject({ qdrantApiKey: '(set)', redisPassword: '(set)', batchSize: 64, collection: COLLECTION });
  });

  it('Markdown shows the same facts, escaped', async () => {
    const r = await buildReport(target(), 'md');
    expect(r.mimeType).toMatch(/^text\/markdown/);
    const md = r.content;
    expect(md).toContain('| Points migrated | 198 of 200 |');
    expect(md).toContain('| Failed points | 2 |');
    expect(md).toContain('| Running time (pauses excluded) | 0:30 (1 pause) |');
    expect(md).toMatch(/\| 2026-11-20 10:00:10 UTC \| 0:10 \| pause \| by user \|/);
    expect(md).toContain('| 133 | 133 | 2 | payload \\<too\\> "large" & rejected |');
    expect(md).toMatch(/\*\*FAIL: count: 198\/200 points \(2 missing\)/);
    expect(md).toMatch(/\| Throughput \| 6–9 points\/s \| [▁▂▃▄▅▆▇█]+ \|/);
  });

  it('HTML is self-contained, escaped, and renders and prints offline in Chromium', async () => {
    const r = await buildReport(target(), 'html');
    expect(r.mimeType).toBe('text/html; charset=utf-8');
    const html = r.content;
    expect(html).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('payload &lt;too&gt; &quot;large&quot; &amp; rejected');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(html).toMatch(/<polyline points="[\d.,\s]+" fill="none" stroke="#0969da"/);

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      await page.setContent(html, { waitUntil: 'load' });
      expect(requests).toEqual([]);
      const text = await page.locator('body').innerText();
      expect(text).toMatch(/Points migrated\s+198 of 200/);
      expect(text).toMatch(/FAIL: count: 198\/200 points \(2 missing\)/);
      expect(text).toContain('payload <too> "large" & rejected');
      expect(await page.locator('section#timeline tbody tr').count()).toBe(4);
      expect(await page.locator('section#failed tbody tr').count()).toBe(2);
      const box = await page.locator('svg.chart').first().boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });

  it('no format and no Redis value holds a secret, even when an old state stored them', async () => {
    for (const format of ['html', 'json', 'md'] as const) {
      const r = await buildReport(target(), format);
      expect(r.content).not.toContain(API_KEY);
      expect(r.content).not.toContain(REDIS_PASSWORD);
    }
    const all = await dumpRedis(client);
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(REDIS_PASSWORD);

    // A state written by a careless tool: secrets in the config and in a failure reason.
    const leakyBase = 'xnai:migration:leaky';
    const { state } = knownRun();
    state.config = { ...state.config, qdrantApiKey: API_KEY, redisPassword: REDIS_PASSWORD, qdrantUrl: `http://admin:${REDIS_PASSWORD}@127.0.0.1:1` };
    await client.set(stateKeys(leakyBase).state, stringifyJson(state));
    await client.hset(stateKeys(leakyBase).legacy.failed, '1', stringifyJson({ faissId: '1', pointId: '1', batch: 0, reason: `auth ${API_KEY} rejected` }));
    try {
      for (const format of ['html', 'json', 'md'] as const) {
        const r = await buildReport({ ...target(), stateKey: leakyBase }, format);
        expect(r.content).not.toContain(API_KEY);
        expect(r.content).not.toContain(REDIS_PASSWORD);
        expect(r.content).toContain('(set)');
      }
    } finally {
      await client.del(stateKeys(leakyBase).state, stateKeys(leakyBase).legacy.failed);
    }
  });

  it('a target with no run says so instead of failing', async () => {
    const r = await buildReport({ ...target(), stateKey: 'xnai:migration:nothing-here', collection: 'nothing_here' }, 'md');
    expect(r.content).toContain('no migration state under xnai:migration:nothing-here');
    expect(r.content).toContain('collection "nothing\\_here" does not exist in Qdrant');
  });
});
