/**
 * The engine host with a real forked engine (Node fork, as the browser host and CLI run it; the desktop's
 * utilityProcess takes the same path through EngineHost): the engine is killed with SIGKILL in the middle
 * of a run, the host restarts it, the run resumes from its checkpoint in Redis, and Qdrant ends with
 * exactly the source's points (no point missing, none extra, each with its exact FAISS label).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../electron/engine/rpc/engine-host';
import { nodeChildHandle, nodeEngineLauncher } from '../../electron/engine/rpc/node-launcher';
import { pointIdForLabel, pointIdToString } from '../../electron/engine/point-id';
import { parseJson, stringifyJson } from '../../shared/json';
import type { EngineEvent } from '../../shared/contract';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant';

const FIXTURE = resolve('test/fixtures/faiss/v1_15/idmap2_flat.faiss');
const TRUTH = JSON.parse(readFileSync(resolve('test/fixtures/faiss/v1_15/idmap2_flat.truth.json'), 'utf8')) as { labels: string[]; ntotal: number };
const COLLECTION = 'crash_resume';
const STATE_KEY = 'xnai:test:crash_resume';

async function until(what: string, check: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every point id in the collection, read with lossless JSON (ids above 2^53 stay exact). */
async function allIds(qdrant: TestQdrant): Promise<{ ids: string[]; labels: string[] }> {
  const ids: string[] = [];
  const labels: string[] = [];
  let offset: unknown = null;
  for (;;) {
    const res = await fetch(`${qdrant.url}/collections/${COLLECTION}/points/scroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stringifyJson({ limit: 100, offset, with_payload: ['faiss_id'], with_vector: false }),
    });
    const body = parseJson<{ result: { points: Array<{ id: number | bigint | string; payload: { faiss_id: number | bigint } }>; next_page_offset: unknown } }>(await res.text());
    for (const p of body.result.points) {
      ids.push(String(p.id));
      labels.push(String(p.payload.faiss_id));
    }
    offset = body.result.next_page_offset;
    if (offset === null || offset === undefined) return { ids, labels };
  }
}

describe('engine host: crash and restart mid-run', () => {
  let redis: TestRedis;
  let qdrant: TestQdrant;
  let host: EngineHost;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    [redis, qdrant] = await Promise.all([startRedis(), startQdrant()]);
    host = new EngineHost({ launch: nodeEngineLauncher({ env: { ...process.env, QDRANT_API_KEY: '', REDIS_PASSWORD: '' } }), restartDelayMs: 200 });
    host.onEvent((e) => events.push(e));
    await host.start();
  });
  afterAll(async () => {
    await host?.stop();
    await Promise.all([redis?.dispose(), qdrant?.stop()]);
  });

  it('resumes the run from Redis and ends with exactly the source points', async () => {
    // Slow upserts so the kill lands mid-run: 40 batches of 5 at >= 100 ms each.
    if (qdrant.isStandIn) qdrant.faults.latency(100, { match: { operation: 'upsert_points' } });
    const config = {
      faissIndexPath: FIXTURE,
      qdrantUrl: qdrant.url,
      redisHost: redis.host,
      redisPort: redis.port,
      collection: COLLECTION,
      stateKey: STATE_KEY,
      // small batches, one per request: the engine is killed with most of the run to do
      batchSize: 5,
      requestPoints: 5,
      concurrency: 1,
      distance: 'Euclid' as const,
    };
    const { runId } = await host.api.startRun({ config });
    expect(runId).toEqual(expect.any(String));

    const processed = () => Math.max(0, ...events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.progress.processed : 0)));
    await until('a quarter of the run', () => processed() >= 50);
    expect(events.some((e) => e.type === 'state' && e.status === 'completed')).toBe(false);
    const killedPid = host.pid;
    host.process!.kill('SIGKILL');

    await until('the engine restart', () => host.restarts === 1 && host.connected);
    expect(host.pid).not.toBe(killedPid);
    await host.recovered();
    await until('the resumed run to complete', () => events.some((e) => e.type === 'state' && e.status === 'completed'), 90_000);

    expect(events.some((e) => e.type === 'log' && e.msg.includes('stopped unexpectedly') && e.msg.includes('resuming the run from Redis'))).toBe(true);
    const target = { qdrantUrl: qdrant.url, redisHost: redis.host, redisPort: redis.port, collection: COLLECTION, stateKey: STATE_KEY };
    const state = await host.api.getState(target);
    expect(state.state).toMatchObject({ status: 'completed', total_vectors: TRUTH.ntotal, processed_vectors: TRUTH.ntotal, failed_vectors: 0 });

    const { ids, labels } = await allIds(qdrant);
    const expectedIds = TRUTH.labels.map((l) => pointIdToString(pointIdForLabel(BigInt(l))));
    expect(ids).toHaveLength(TRUTH.ntotal);
    expect(new Set(ids)).toEqual(new Set(expectedIds));
    expect(new Set(labels)).toEqual(new Set(TRUTH.labels));
  }, 180_000);

  it('a run resumed from the history is started again the same way when the engine dies, under its own id', async () => {
    if (qdrant.isStandIn) qdrant.faults.latency(100, { match: { operation: 'upsert_points' } });
    const base = { faissIndexPath: FIXTURE, qdrantUrl: qdrant.url, redisHost: redis.host, redisPort: redis.port, stateKey: STATE_KEY, batchSize: 5, requestPoints: 5, concurrency: 1, distance: 'Euclid' as const };
    const target = { qdrantUrl: qdrant.url, redisHost: redis.host, redisPort: redis.port, stateKey: STATE_KEY };
    // a run paused and left, then another run: the first stays in the history, resumable
    events.length = 0;
    const { runId } = await host.api.startRun({ config: { ...base, collection: `${COLLECTION}_stored` } });
    expect(await host.api.pauseRun({})).toEqual({ status: 'paused' });
    await host.api.cancelRun({});
    await host.api.startRun({ config: { ...base, collection: `${COLLECTION}_other`, batchSize: 200, requestPoints: 200 } });
    await until('the other run', () => events.some((e) => e.type === 'state' && e.status === 'completed' && e.runId !== runId), 60_000);
    events.length = 0;

    expect(await host.api.resumeStoredRun({ ...target, runId })).toEqual({ runId });
    const processed = () => Math.max(0, ...events.filter((e) => e.type === 'progress' && e.progress.runId === runId).map((e) => (e.type === 'progress' ? e.progress.processed : 0)));
    await until('part of the resumed run', () => processed() >= 50);
    const restarts = host.restarts;
    host.process!.kill('SIGKILL');
    await until('the engine restart', () => host.restarts === restarts + 1 && host.connected);
    await host.recovered();
    await until('the resumed run to complete', () => events.some((e) => e.type === 'state' && e.status === 'completed' && e.runId === runId), 90_000);
    const detail = await host.api.getRun({ ...target, runId });
    expect(detail.state).toMatchObject({ run_id: runId, status: 'completed', processed_vectors: TRUTH.ntotal, failed_vectors: 0 });
    expect(detail.summary.current).toBe(true);
  }, 180_000);
});

describe('engine host: processes that will not stay up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xnai-host-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, body);
    return () => nodeChildHandle(fork(file, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' }));
  };

  it('gives up after too many crashes in a minute, and says so', async () => {
    // Says it is ready, then dies: a crash loop.
    const launch = script('crashy.mjs', "process.send({ kind: 'host', engineConnected: true }); setTimeout(() => process.exit(3), 100);");
    const host = new EngineHost({ launch, restartDelayMs: 20, maxCrashesPerMinute: 3 });
    const errors: string[] = [];
    host.onEvent((e) => e.type === 'error' && errors.push(e.message));
    await host.start();
    await until('the host to give up', () => errors.length > 0, 30_000);
    expect(errors[0]).toMatch(/^the engine process keeps stopping \(exit code 3, 4 times in a minute\); not restarting it/);
    expect(host.restarts).toBe(3);
    await new Promise((r) => setTimeout(r, 300));
    expect(host.restarts).toBe(3);
    await host.stop();
  });

  it('fails start() with the reason when the engine never comes up, without a restart loop', async () => {
    const host = new EngineHost({ launch: script('dead.mjs', 'process.exit(4);'), restartDelayMs: 20 });
    await expect(host.start()).rejects.toThrow('the engine process exited before it was ready (exit code 4');
    await new Promise((r) => setTimeout(r, 200));
    expect(host.restarts).toBe(0);
    expect(host.pid).toBeUndefined();
  });
});
