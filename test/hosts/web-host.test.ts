/**
 * The browser host end to end: `startBrowserUi` forks the real engine, serves a renderer folder and the
 * WebSocket bridge on 127.0.0.1; a real redis-server and the OpenAPI-checked Qdrant stand-in stand behind
 * it. Access control (token, cookie, Host, Origin) is checked as a browser would meet it, and commands run
 * over the WebSocket exactly as the renderer sends them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserUi, type BrowserUi } from '../../electron/web';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant';
import { stringifyJson } from '../../shared/json';
import { ExitCode } from '../../shared/errors';
import { connectWs } from './ws-client';
import type { EngineEvent } from '../../shared/contract';

const FIXTURE = resolve('test/fixtures/faiss/v1_15/idmap2_flat.faiss');
const FLAT = resolve('test/fixtures/faiss/v1_15/flat_l2.faiss');
const BIG_ID = 18446744073709551615n; // u64 max: not representable as a JS number
const COLLECTION = 'browse_test';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function seedCollection(qdrant: TestQdrant) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${qdrant.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : stringifyJson(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  await call('PUT', `/collections/${COLLECTION}`, { vectors: { size: 4, distance: 'Dot' } });
  await call('PUT', `/collections/${COLLECTION}/index?wait=true`, { field_name: 'faiss_id', field_schema: 'integer' });
  await call('PUT', `/collections/${COLLECTION}/index?wait=true`, { field_name: 'source', field_schema: 'keyword' });
  const points = [
    { id: 1, vector: [1, 0, 0, 0], payload: { source: 'faiss', faiss_id: 1, page_content: 'one' } },
    { id: 2, vector: [0.9, 0.1, 0, 0], payload: { source: 'faiss', faiss_id: 2, page_content: 'two' } },
    { id: 3, vector: [0, 1, 0, 0], payload: { source: 'other', faiss_id: 3, page_content: 'three' } },
    { id: BIG_ID, vector: [0.8, 0.2, 0, 0], payload: { source: 'faiss', faiss_id: 9223372036854775807n, page_content: 'big' } },
  ];
  await call('PUT', `/collections/${COLLECTION}/points?wait=true`, { points });
}

describe('browser host', () => {
  let redis: TestRedis;
  let qdrant: TestQdrant;
  let ui: BrowserUi;
  let rendererDir: string;
  let port: number;
  let token: string;
  let target: { qdrantUrl: string; redisHost: string; redisPort: number; collection: string };

  beforeAll(async () => {
    [redis, qdrant] = await Promise.all([startRedis(), startQdrant()]);
    rendererDir = mkdtempSync(join(tmpdir(), 'xnai-renderer-'));
    const env = { ...process.env, QDRANT_URL: qdrant.url, REDIS_HOST: redis.host, REDIS_PORT: String(redis.port), FAISS_INDEX_PATH: FIXTURE, QDRANT_API_KEY: '' };
    ui = await startBrowserUi({ port: 0, rendererDir, env });
    port = ui.web.port;
    token = ui.web.token;
    target = { qdrantUrl: qdrant.url, redisHost: redis.host, redisPort: redis.port, collection: COLLECTION };
    await seedCollection(qdrant);
  });
  afterAll(async () => {
    await ui?.stop();
    await Promise.all([redis?.dispose(), qdrant?.stop()]);
    rmSync(rendererDir, { recursive: true, force: true });
  });

  it('prints a 127.0.0.1 URL with a random token', () => {
    expect(ui.web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('answers 401 without the token, and trades the token for a cookie', async () => {
    expect((await get(port, '/')).status).toBe(401);
    expect((await get(port, '/?token=wrong')).status).toBe(401);
    expect((await get(port, '/assets/app.js')).status).toBe(401);
    const first = await get(port, `/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`xnai_token_${port}=${token}`);
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    // Not built yet: the page says how to build it.
    const notBuilt = await get(port, '/', { cookie });
    expect(notBuilt.status).toBe(503);
    expect(notBuilt.body).toContain('renderer is not built: run <code>npm run build</code>');
  });

  it('serves the built renderer with its CSP, and nothing outside it', async () => {
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>XNAi Migrator</title><script type="module" src="./assets/app.js"></script>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
    const cookie = `xnai_token_${port}=${token}`;
    const index = await get(port, '/', { cookie });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>XNAi Migrator</title>');
    expect(index.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(index.headers['x-frame-options']).toBe('DENY');
    const js = await get(port, '/assets/app.js', { cookie });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect((await get(port, '/some/client/route', { cookie })).body).toContain('XNAi Migrator');
    // Dot segments are resolved by the URL parser (the app page comes back); encoded slashes are refused.
    for (const path of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) expect((await get(port, path, { cookie })).body).not.toContain('root:');
    expect((await get(port, '/..%2f..%2f..%2fetc%2fhostname.js', { cookie })).status).toBe(404);
    expect((await get(port, '/assets%2f..%2f..%2fpackage.json', { cookie })).status).toBe(404);
    expect((await get(port, '/missing.js', { cookie })).status).toBe(404);
  });

  it('refuses another Host header (DNS rebinding)', async () => {
    const r = await get(port, `/?token=${token}`, { host: `evil.example:${port}` });
    expect(r.status).toBe(421);
  });

  it('refuses a WebSocket from another origin, without an origin, or without the token', async () => {
    await expect(connectWs(port, { token, origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connectWs(port, { token, origin: null })).rejects.toThrow('HTTP 403');
    await expect(connectWs(port, {})).rejects.toThrow('HTTP 401');
    await expect(connectWs(port, { cookie: `xnai_token_${port}=nope` })).rejects.toThrow('HTTP 401');
    const ok = await connectWs(port, { cookie: `xnai_token_${port}=${token}` });
    expect(ok.client.connected).toBe(true);
    ok.client.close();
  });

  describe('commands over the WebSocket', () => {
    let api: Awaited<ReturnType<typeof connectWs>>['client']['api'];
    let close: () => void;
    beforeAll(async () => {
      const c = await connectWs(port, { token });
      api = c.client.api;
      close = () => c.client.close();
    });
    afterAll(() => close());

    it('getDefaults: the host environment, no secrets', async () => {
      const d = await api.getDefaults({});
      expect(d.config).toMatchObject({ qdrantUrl: qdrant.url, redisPort: redis.port, faissIndexPath: FIXTURE });
      expect(d.secretsSet).toEqual({ qdrantApiKey: false, redisPassword: false });
    });

    it('inspectSource: a real FAISS file, and a clear refusal for a missing one', async () => {
      const s = await api.inspectSource({ path: FIXTURE });
      expect(s).toMatchObject({ kind: 'faiss-file', index: { fourcc: 'IxM2' } });
      await expect(api.inspectSource({ path: '/no/such/index.faiss' })).rejects.toMatchObject({ exitCode: ExitCode.badInput });
    });

    it('getSnapshot: the engine state machine', async () => {
      const snap = await api.getSnapshot({});
      expect(['idle', 'completed', 'failed', 'cancelled']).toContain(snap.status);
    });

    it('getCollectionInfo: what Qdrant says, and "does not exist" for a missing collection', async () => {
      const info = await api.getCollectionInfo(target);
      expect(info).toMatchObject({ name: COLLECTION, exists: true, pointsCount: 4, vectorSize: 4, distance: 'Dot' });
      expect(info.payloadSchema.map((p) => p.field).sort()).toEqual(['faiss_id', 'source']);
      const missing = await api.getCollectionInfo({ ...target, collection: 'nope' });
      expect(missing.exists).toBe(false);
    });

    it('scrollPoints: pages with a cursor, ids exact above 2^53', async () => {
      const seen: string[] = [];
      let offset: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page = await api.scrollPoints({ ...target, limit: 3, offset });
        seen.push(...page.points.map((p) => p.id));
        offset = page.nextOffset;
        if (offset === null) break;
      }
      expect(seen).toEqual(['1', '2', '3', BIG_ID.toString()]);
      const big = (await api.scrollPoints({ ...target, limit: 1, offset: BIG_ID.toString(), withVector: true })).points[0]!;
      expect(big.id).toBe('18446744073709551615');
      expect(big.payload).toMatchObject({ faiss_id: '9223372036854775807' });
      expect(big.bigintPaths).toEqual(['faiss_id']);
      expect(big.vector).toHaveLength(4);
    });

    it('scrollPoints: key = value chips, typed by the payload index', async () => {
      const faiss = await api.scrollPoints({ ...target, filter: [{ key: 'source', value: 'faiss' }] });
      expect(faiss.points.map((p) => p.id)).toEqual(['1', '2', BIG_ID.toString()]);
      const byLabel = await api.scrollPoints({ ...target, filter: [{ key: 'faiss_id', value: '9223372036854775807' }] });
      expect(byLabel.points.map((p) => p.id)).toEqual([BIG_ID.toString()]);
      await expect(api.scrollPoints({ ...target, collection: 'nope' })).rejects.toMatchObject({ exitCode: ExitCode.usage });
    });

    it('getPoint and findSimilar by exact id', async () => {
      const got = await api.getPoint({ ...target, id: BIG_ID.toString() });
      expect(got.point).toMatchObject({ id: BIG_ID.toString(), payload: { page_content: 'big' } });
      expect(got.sourceVector).toBeNull();
      expect(got.sourceNote).toEqual(expect.any(String));
      expect((await api.getPoint({ ...target, id: '424242' })).point).toBeNull();
      // Searched with the point's own vector: the point itself first, then its neighbours by Dot score.
      const similar = await api.findSimilar({ ...target, id: '1', limit: 3 });
      expect(similar.points.map((p) => p.id)).toEqual(['1', '2', BIG_ID.toString()]);
      expect(similar.points.map((p) => p.score)).toEqual([1, expect.closeTo(0.9, 5), expect.closeTo(0.8, 5)]);
      await expect(api.findSimilar({ ...target, id: '424242' })).rejects.toMatchObject({ exitCode: ExitCode.usage, message: expect.stringContaining('point 424242 does not exist') });
    });

    it('refuses invalid requests with the field named', async () => {
      await expect(api.scrollPoints({ ...target, limit: 0 })).rejects.toMatchObject({ exitCode: ExitCode.usage, message: expect.stringMatching(/^scrollPoints: limit: /) });
      await expect(api.getPoint({ ...target, id: 'not an id' })).rejects.toMatchObject({ message: expect.stringContaining('getPoint: id: must be an unsigned integer or a UUID') });
    });
  });

  describe('a migration driven over the WebSocket', () => {
    let c: Awaited<ReturnType<typeof connectWs>>['client'];
    const events: EngineEvent[] = [];
    const RUN = 'ws_run';
    const KEY = 'xnai:test:ws_run';
    let runTarget: typeof target & { stateKey: string };
    let config: Record<string, unknown>;
    const until = async (what: string, check: () => boolean, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const stateSeen = (status: string) => events.some((e) => e.type === 'state' && e.status === status);

    beforeAll(async () => {
      c = (await connectWs(port, { token })).client;
      c.onEvent((e) => events.push(e));
      runTarget = { ...target, collection: RUN, stateKey: KEY };
      config = { faissIndexPath: FLAT, qdrantUrl: qdrant.url, redisHost: redis.host, redisPort: redis.port, collection: RUN, stateKey: KEY, batchSize: 10, requestPoints: 10, concurrency: 1, distance: 'Euclid' };
    });
    afterAll(() => c.close());

    it('testConnections: both services answer', async () => {
      const r = await c.api.testConnections({ qdrantUrl: qdrant.url, redisHost: redis.host, redisPort: redis.port });
      expect(r.qdrant.ok).toBe(true);
      expect(r.redis.ok).toBe(true);
      const down = await c.api.testConnections({ qdrantUrl: 'http://127.0.0.1:9', redisHost: redis.host, redisPort: 9 });
      expect(down.qdrant.ok).toBe(false);
      expect(down.redis.ok).toBe(false);
    });

    it('startRun, pauseRun, resumeRun: the run streams progress and state events and completes', async () => {
      if (qdrant.isStandIn) qdrant.faults.latency(60, { match: { operation: 'upsert_points' } });
      const { runId } = await c.api.startRun({ config: config as never });
      await until('progress', () => events.some((e) => e.type === 'progress' && e.progress.processed > 0));
      expect((await c.api.pauseRun({})).status).toBe('paused');
      const snap = await c.api.getSnapshot({});
      expect(snap).toMatchObject({ status: 'paused', runId });
      expect((await c.api.getState(runTarget)).state).toMatchObject({ status: 'paused', run_id: runId });
      qdrant.faults.reset();
      expect(['running', 'preparing']).toContain((await c.api.resumeRun({})).status);
      await until('completed', () => stateSeen('completed'));
      const view = await c.api.getState(runTarget);
      expect(view.state).toMatchObject({ status: 'completed', processed_vectors: 200, failed_vectors: 0, total_vectors: 200 });
      expect(view.failedTotal).toBe(0);
      expect((await c.api.getCollectionInfo(runTarget)).pointsCount).toBe(200);
    });

    it('getPoint: the FAISS vector beside the Qdrant one, equal for Euclid', async () => {
      const got = await c.api.getPoint({ ...runTarget, id: '17' });
      expect(got.point?.payload).toMatchObject({ faiss_id: 17, source: expect.any(String) });
      expect(got.sourceVector).toHaveLength(8);
      expect(got.sourceVector).toEqual(got.point!.vector);
      expect(got.sourceNote).toContain('FAISS label 17');
    });

    it('verify: the collection matches its source', async () => {
      const r = await c.api.verify({ config: config as never, options: { sampleSize: 20, queries: 5 } });
      expect(r.passed).toBe(true);
      expect(r.verdict).toMatch(/^PASS/);
    });

    it('buildReport: a downloadable report of the run', async () => {
      const r = await c.api.buildReport({ ...runTarget, format: 'md' });
      expect(r.filename).toMatch(/\.md$/);
      expect(r.mimeType).toContain('markdown');
      expect(r.content).toMatch(/ws\\?_run/); // Markdown escapes the underscore
    });

    it('retryFailed: with nothing recorded as failed, the run has nothing to send', async () => {
      const before = events.length;
      const r = await c.api.retryFailed({ config: config as never }).then(
        (v) => ({ ok: true as const, runId: v.runId }),
        (e: Error & { exitCode?: number }) => ({ ok: false as const, message: e.message, exitCode: e.exitCode }),
      );
      if (r.ok) {
        await until('the retry run to end', () => events.slice(before).some((e) => e.type === 'state' && ['completed', 'failed'].includes(e.status)));
        expect((await c.api.getState(runTarget)).state).toMatchObject({ processed_vectors: 200, failed_vectors: 0 });
      } else {
        expect(r.message).toMatch(/fail/i);
      }
    });

    it('cancelRun: a run stops and its state stays resumable', async () => {
      if (qdrant.isStandIn) qdrant.faults.latency(80, { match: { operation: 'upsert_points' } });
      const cancelConfig = { ...config, collection: 'ws_cancel', stateKey: 'xnai:test:ws_cancel' };
      const before = events.length;
      await c.api.startRun({ config: cancelConfig as never });
      await until('progress', () => events.slice(before).some((e) => e.type === 'progress' && e.progress.processed > 0));
      expect((await c.api.cancelRun({})).status).toBe('cancelled');
      qdrant.faults.reset();
      const view = await c.api.getState({ ...runTarget, collection: 'ws_cancel', stateKey: 'xnai:test:ws_cancel' });
      expect(view.state?.status).toBe('cancelled');
      expect(view.lock).toBeNull();
    });

    it('resetState: the state is gone afterwards', async () => {
      expect(await c.api.resetState(runTarget)).toEqual({ deleted: true });
      expect((await c.api.getState(runTarget)).state).toBeNull();
      expect(await c.api.resetState(runTarget)).toEqual({ deleted: false });
    });
  });
});
