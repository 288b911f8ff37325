/**
 * Fault injection per test: what a client sees (stand-in only), and what a restart keeps (the stand-in's model
 * of Qdrant's write-ahead log, and the same restart of the real binary under test:live).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QdrantClient, QdrantClientResourceExhaustedError, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { needsOwnQdrant, needsStandIn } from '../support/qdrant';
import { failure, harness, type Harness } from './helpers';

let h: Harness;
let name: string;
beforeAll(async () => {
  h = await harness();
  name = h.name('faults');
  await h.client.createCollection(name, { vectors: { size: 2, distance: 'Dot' } });
});
afterEach(() => h.qdrant.faults.reset());
afterAll(() => h.cleanup());

const upsert = (id: number, wait = true) => h.client.upsert(name, { wait, points: [{ id, vector: [id, 1] }] });
const count = async () => (await h.client.count(name, { exact: true })).count;

function causeCode(e: unknown): string {
  let cur = e as { code?: string; cause?: unknown; message?: string } | undefined;
  const seen: string[] = [];
  while (cur) {
    if (cur.code) seen.push(cur.code);
    if (cur.message) seen.push(cur.message);
    cur = cur.cause as typeof cur;
  }
  return seen.join(' | ');
}

describe('faults', () => {
  beforeEach((ctx) => needsStandIn(ctx, 'injected faults'));

  it('adds latency to matching requests only', async () => {
    await count(); // warm (schema compiled)
    h.qdrant.faults.latency(300, { match: { operation: 'count_points' } });
    let t = performance.now();
    await count();
    const delayed = performance.now() - t;
    expect(delayed).toBeGreaterThanOrEqual(290);
    t = performance.now();
    await h.client.getCollection(name);
    expect(h.qdrant.faults.log.at(-1)).toMatchObject({ operationId: 'get_collection', status: 200 });
    // The log shows the rule matched only count_points: a second count is delayed again.
    t = performance.now();
    await count();
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('answers 429 with Retry-After, which the client exposes as retry_after', async () => {
    h.qdrant.faults.failNext(1, 429, { retryAfter: 3, match: { operation: 'upsert_points' } });
    let caught: unknown;
    try {
      await upsert(1);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(QdrantClientResourceExhaustedError);
    expect((caught as QdrantClientResourceExhaustedError).retry_after).toBe(3);
    // Only the next one: the retry goes through.
    await upsert(1);
    expect(h.qdrant.faults.log.filter((r) => r.operationId === 'upsert_points').map((r) => r.status).slice(-2)).toEqual([429, 200]);
  });

  it('answers 500 and 503 for the next N matching requests, with Qdrant-shaped bodies', async () => {
    h.qdrant.faults.failNext(2, 503, { match: { operation: 'upsert_points' } });
    expect((await failure(upsert(2))).status).toBe(503);
    const e = await failure(upsert(2));
    expect(e.status).toBe(503);
    expect(e.error).toContain('Service unavailable');
    await upsert(2);
    h.qdrant.faults.failNext(1, 500);
    expect((await failure(h.client.getCollection(name))).status).toBe(500);
    await h.client.getCollection(name);
  });

  it('fails a steady fraction of requests with failRate (seeded)', async () => {
    h.qdrant.faults.failRate(0.5, 503, { match: { operation: 'get_collection' } });
    let failed = 0;
    for (let i = 0; i < 40; i++) {
      try {
        await h.client.getCollection(name);
      } catch {
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
  });

  it('drops the connection before the request is processed: the write does not land', async () => {
    const before = await count();
    h.qdrant.faults.dropNext(1, { match: { operation: 'upsert_points' } });
    let caught: unknown;
    try {
      await upsert(100);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeDefined();
    expect(causeCode(caught)).toMatch(/fetch failed|ECONNRESET|other side closed|socket/i);
    expect(await count()).toBe(before);
  });

  it('drops the connection after applying the write: the client sees a failure, the point is there', async () => {
    h.qdrant.faults.dropNext(1, { when: 'after-apply', match: { operation: 'upsert_points' } });
    await expect(upsert(200)).rejects.toBeDefined();
    const got = await h.client.retrieve(name, { ids: [200] });
    expect(got.map((p) => p.id)).toEqual([200]);
  });

  it('stalls a request until the client times out', async () => {
    h.qdrant.faults.stallNext(1, { match: { operation: 'count_points' } });
    const impatient = new QdrantClient({ url: h.qdrant.url, timeout: 400, checkCompatibility: false });
    const t = performance.now();
    await expect(impatient.count(name, {})).rejects.toBeInstanceOf(QdrantClientTimeoutError);
    expect(performance.now() - t).toBeGreaterThanOrEqual(380);
    expect(await count()).toBeGreaterThanOrEqual(0);
  });

  it('refuses whole upserts that carry a rejected point id (plain and batch), with Qdrant\'s 400, until reset', async () => {
    h.qdrant.faults.rejectPoints([301, 9007199254740993n], { reason: 'payload too large for the test' });
    const before = await count();
    const refused = await failure(h.client.upsert(name, { wait: true, points: [{ id: 300, vector: [1, 1] }, { id: 301, vector: [2, 1] }] }));
    expect(refused).toMatchObject({ status: 400, error: 'Wrong input: point 301: payload too large for the test' });
    const big = await fetch(`${h.qdrant.url}/collections/${name}/points?wait=true`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"points":[{"id":9007199254740993,"vector":[1,2]}]}' });
    expect(big.status).toBe(400);
    const batch = await failure(h.client.batchUpdate(name, { wait: true, operations: [{ upsert: { points: [{ id: 301, vector: [1, 2] }] } }] }));
    expect(batch).toMatchObject({ status: 400 });
    expect(await count(), 'nothing of a refused request lands').toBe(before);
    await upsert(302);
    expect(await count()).toBe(before + 1);
    h.qdrant.faults.reset();
    await upsert(301);
    expect(await count()).toBe(before + 2);
  });

  it('goes down (connections refused) and comes back up on the same port', async () => {
    const url = h.qdrant.url;
    await h.qdrant.faults.down();
    let caught: unknown;
    try {
      await h.client.getCollection(name);
    } catch (e) {
      caught = e;
    }
    expect(causeCode(caught)).toMatch(/ECONNREFUSED/);
    await h.qdrant.faults.up();
    expect(h.qdrant.url).toBe(url);
    expect((await h.client.getCollection(name)).status).toBe('green');
  });
});

describe('restart, like Qdrant with its WAL', () => {
  beforeEach((ctx) => needsOwnQdrant(ctx, 'restart()'));

  it('keeps acknowledged (wait=true) writes across a crash; the port is kept', async () => {
    const url = h.qdrant.url;
    await upsert(900, true);
    await upsert(901, true);
    await h.qdrant.restart();
    expect(h.qdrant.url).toBe(url);
    expect((await h.client.retrieve(name, { ids: [900, 901] })).map((p) => p.id)).toEqual([900, 901]);
  });

  it('keeps acknowledged wait=false writes across a crash, as the WAL replays them', async () => {
    await upsert(1100, true);
    // The stand-in holds them unapplied so the crash meets them queued; the real server's worker may or may not
    // have applied them yet, and either way its WAL has them.
    if (h.qdrant.isStandIn) h.qdrant.faults.asyncApplyDelay(60_000);
    await Promise.all([1101, 1102, 1103].map((id) => upsert(id, false)));
    await h.qdrant.restart();
    expect((await h.client.retrieve(name, { ids: [1100, 1101, 1102, 1103] })).map((p) => p.id)).toEqual([1100, 1101, 1102, 1103]);
  });

  it('loses queued wait=false writes only as an injected fault (a WAL tail that never reached the disk)', async (ctx) => {
    needsStandIn(ctx, 'asyncApplyDelay and restart({ loseQueued }) (a lost WAL tail)');
    await upsert(1000, true);
    h.qdrant.faults.asyncApplyDelay(60_000);
    const ack = await upsert(1001, false);
    expect(ack.status).toBe('acknowledged');
    const { lostOperations } = await h.qdrant.restart({ loseQueued: true });
    expect(lostOperations).toBe(1);
    const got = await h.client.retrieve(name, { ids: [1000, 1001] });
    expect(got.map((p) => p.id)).toEqual([1000]);
  });

  it('applies earlier wait=false writes before a later wait=true write (ordering)', async (ctx) => {
    needsStandIn(ctx, 'asyncApplyDelay (wait=false writes held in a queue)');
    h.qdrant.faults.asyncApplyDelay(60_000);
    await upsert(2001, false);
    await upsert(2002, false);
    await upsert(2003, true);
    const { lostOperations } = await h.qdrant.restart({ loseQueued: true });
    expect(lostOperations).toBe(0);
    expect((await h.client.retrieve(name, { ids: [2001, 2002, 2003] })).map((p) => p.id)).toEqual([2001, 2002, 2003]);
  });

  it('refuses connections while restarting with downMs', async () => {
    const restarting = h.qdrant.restart({ downMs: 300 });
    await new Promise((r) => setTimeout(r, 100));
    let caught: unknown;
    try {
      await h.client.getCollection(name);
    } catch (e) {
      caught = e;
    }
    expect(causeCode(caught)).toMatch(/ECONNREFUSED/);
    await restarting;
    expect((await h.client.getCollection(name)).status).toBe('green');
  });
});
