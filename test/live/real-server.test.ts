/**
 * The real-server launcher (`test/support/qdrant/real-server.ts`) against the real binary: ports, storage,
 * API key, extra settings, and the real faults it offers (restart, kill + start, freeze), and that nothing
 * is left behind, also when the test process itself is killed. Skips (one line) when no binary is found.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QdrantClient } from '@qdrant/js-client-rest';
import { resolveQdrantBin, startRealQdrant, type RealQdrant } from '../support/qdrant/real-server';
import { FaultsNeedStandInError, qdrantKind, slowDown, startQdrant } from '../support/qdrant';

const BIN = resolveQdrantBin();
if (!BIN) console.log('real-server.test.ts: skipped: no Qdrant binary (set QDRANT_BIN or put one at ../shared/qdrant/bin/qdrant)');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => (s.destroy(), resolve(false)));
  });
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

describe.skipIf(!BIN)('startRealQdrant()', () => {
  let q: RealQdrant;
  let client: QdrantClient;
  beforeAll(async () => {
    q = await startRealQdrant({ apiKey: 'launcher-key', env: { QDRANT__SERVICE__MAX_REQUEST_SIZE_MB: '1' } });
    client = new QdrantClient({ url: q.url, apiKey: q.apiKey, checkCompatibility: false });
  });
  afterAll(() => q?.stop());

  it('serves HTTP and gRPC on its own ports of 127.0.0.1, with its own storage folder, and says its version', async () => {
    expect(q.url).toBe(`http://127.0.0.1:${q.httpPort}`);
    expect(q.grpcUrl).toBe(`http://127.0.0.1:${q.grpcPort}`);
    expect(q.httpPort).not.toBe(q.grpcPort);
    expect(q.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await connects(q.grpcPort)).toBe(true);
    await client.createCollection('launcher', { vectors: { size: 4, distance: 'Dot' } });
    expect(existsSync(`${q.storageDir}/collections/launcher`)).toBe(true);
  });

  it('passes the API key and extra settings to the server', async () => {
    const noKey = await fetch(`${q.url}/collections`);
    expect(noKey.status).toBe(401);
    // QDRANT__SERVICE__MAX_REQUEST_SIZE_MB=1: a 2 MB body is refused by the server, not by us.
    const big = JSON.stringify({ points: [{ id: 1, vector: [1, 2, 3, 4], payload: { pad: 'x'.repeat(2 * 1024 * 1024) } }] });
    const res = await fetch(`${q.url}/collections/launcher/points?wait=true`, { method: 'PUT', headers: { 'content-type': 'application/json', 'api-key': 'launcher-key' }, body: big });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/larger than allowed/);
  });

  it('restart(): SIGKILL, port closed while down, then the same ports and storage with what was written', async () => {
    await client.upsert('launcher', { wait: true, points: [{ id: 7, vector: [1, 0, 0, 0], payload: { kept: true } }] });
    const before = q.pid!;
    const restarting = q.restart({ downMs: 300 });
    await new Promise((r) => setTimeout(r, 150));
    expect(alive(before)).toBe(false);
    expect(await connects(q.httpPort)).toBe(false);
    await restarting;
    expect(q.pid).not.toBe(before);
    const [p] = await client.retrieve('launcher', { ids: [7], with_payload: true });
    expect(p?.payload).toEqual({ kept: true });
  });

  it('kill() leaves it down until start()', async () => {
    await q.kill();
    expect(q.running).toBe(false);
    await expect(fetch(`${q.url}/readyz`)).rejects.toThrow();
    await q.start();
    expect(q.running).toBe(true);
    expect((await fetch(`${q.url}/readyz`)).status).toBe(200);
  });

  it('freeze(ms): nothing answers while frozen, connections are not refused, then it answers again', async () => {
    const t0 = Date.now();
    const frozen = q.freeze(600);
    expect(await connects(q.httpPort)).toBe(true); // the kernel still accepts: a hung server, not a down one
    await expect(fetch(`${q.url}/readyz`, { signal: AbortSignal.timeout(250) })).rejects.toThrow(/abort|timeout/i);
    await frozen;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    expect((await fetch(`${q.url}/readyz`)).status).toBe(200);
  });
});

describe.skipIf(!BIN)('throttle(): a slow server', () => {
  it('answers slowly while throttled and at full speed again after throttle(null)', async () => {
    const q = await startRealQdrant();
    try {
      const tenRequests = async () => {
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) await (await fetch(`${q.url}/readyz`)).text();
        return performance.now() - t0;
      };
      await tenRequests(); // warm
      q.throttle({ runMs: 2, stopMs: 40 });
      // Each request meets a stopped server about 95 % of the time and then waits up to 40 ms.
      expect(await tenRequests()).toBeGreaterThan(100);
      q.throttle(null);
      await new Promise((r) => setTimeout(r, 20));
      expect(q.running).toBe(true);
      expect(await tenRequests()).toBeLessThan(2000);
    } finally {
      await q.stop();
    }
  });
});

describe.skipIf(qdrantKind() !== 'binary')('startQdrant() under test:live', () => {
  it('starts the binary: kind "binary", a real restart, throttling by slowDown(), injected faults refused', async (ctx) => {
    const q = await startQdrant({ apiKey: 'k2' });
    try {
      expect(q).toMatchObject({ kind: 'binary', isStandIn: false, apiKey: 'k2' });
      expect(q.version).toBe(q.real!.version);
      expect(q.url).toBe(q.real!.url);
      const client = new QdrantClient({ url: q.url, apiKey: q.apiKey, checkCompatibility: false });
      await client.createCollection('kept', { vectors: { size: 2, distance: 'Dot' } });
      const pid = q.real!.pid;
      await q.restart({ downMs: 50 });
      expect(q.real!.pid).not.toBe(pid);
      expect((await client.collectionExists('kept')).exists).toBe(true);
      expect(() => q.faults.failNext(1, 503)).toThrow(FaultsNeedStandInError);
      slowDown(ctx, q, 30);
      await new Promise((r) => setTimeout(r, 10));
      const stopped = () => readFileSync(`/proc/${q.real!.pid}/stat`, 'utf8').split(') ')[1]!.startsWith('T');
      expect(await until(stopped, 1000)).toBe(true);
      q.faults.reset();
      expect(await until(() => !stopped(), 1000)).toBe(true);
    } finally {
      await q.stop();
    }
  });
});

describe.skipIf(!BIN)('nothing left behind', () => {
  it('stop() ends the process and removes the folder', async () => {
    const q = await startRealQdrant();
    const { pid, dir } = { pid: q.pid!, dir: q.dir };
    await q.stop();
    await q.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('a process that started a server and is then SIGKILLed leaves no server and no folder', async () => {
    // A child test process: starts a server, prints its pid and folder, then waits to be killed.
    const script = `import { startRealQdrant } from ${JSON.stringify(new URL('../support/qdrant/real-server.ts', import.meta.url).pathname)};
      const q = await startRealQdrant(); console.log(JSON.stringify({ pid: q.pid, dir: q.dir })); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code} before starting a server`)));
    });
    const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await until(() => !alive(pid) && !existsSync(dir), 5000)).toBe(true);
  });

  it('a binary that is not there fails with one line naming it', async () => {
    await expect(startRealQdrant({ bin: '/nonexistent/qdrant' })).rejects.toThrow(/^QDRANT_BIN=\/nonexistent\/qdrant: no such file/);
  });
});
