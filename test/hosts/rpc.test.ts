/**
 * The RPC layer every transport shares, over an in-memory transport pair with the engine's real handlers:
 * requests and replies validated on both sides, the error envelope keeping a UserError's exit code, events
 * validated, calls queued across a reconnect, and bigint-exact text frames.
 */
import { describe, expect, it } from 'vitest';
import { createEngineService } from '../../electron/engine/handlers';
import { createRpcClient } from '../../electron/engine/rpc/client';
import { serveRpc } from '../../electron/engine/rpc/server';
import { transportPair } from '../../electron/engine/rpc/transport';
import { decodeText, encodeText } from '../../electron/engine/rpc/wire';
import { createEventThrottle } from '../../electron/engine/rpc/throttle';
import { ExitCode, isUserError } from '../../shared/errors';
import type { EngineEvent, EngineHandlers } from '../../shared/contract';

const FIXTURE = 'test/fixtures/faiss/v1_15/idmap2_flat.faiss';

function connect(handlers: EngineHandlers) {
  const [engineSide, hostSide] = transportPair();
  const server = serveRpc(engineSide, handlers);
  const client = createRpcClient();
  client.attach(hostSide);
  return { server, client, engineSide, hostSide };
}

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as Error & { exitCode?: number };
  }
  throw new Error('expected a rejection');
}

describe('RPC over a transport', () => {
  const service = createEngineService({ env: { QDRANT_URL: 'http://qdrant.example:6333', BATCH_SIZE: '250', QDRANT_API_KEY: 'sekret' } });

  it('answers a command with the reply the contract describes', async () => {
    const { client } = connect(service.handlers);
    const summary = await client.api.inspectSource({ path: FIXTURE });
    expect(summary.kind).toBe('faiss-file');
    expect(summary.index.count).toBeGreaterThan(0);
    expect(summary.index.fourcc).toBe('IxM2');
  });

  it('keeps a UserError message and exit code across the boundary', async () => {
    const { client } = connect(service.handlers);
    const e = await rejection(client.api.inspectSource({ path: '/nonexistent/index.faiss' }));
    expect(isUserError(e)).toBe(true);
    expect(e.exitCode).toBe(ExitCode.badInput);
    expect(e.message).toContain('/nonexistent/index.faiss');
  });

  it('refuses an invalid request before it leaves, naming the field', async () => {
    const { client } = connect(service.handlers);
    const e = await rejection(client.api.startRun({ config: { faissIndexPath: FIXTURE, batchSize: 0 } }));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toMatch(/^startRun: config\.batchSize: /);
  });

  it('the server validates too: a raw invalid request or unknown command gets a usage envelope', async () => {
    const [engineSide, hostSide] = transportPair();
    serveRpc(engineSide, service.handlers);
    const replies: unknown[] = [];
    hostSide.onMessage((m) => replies.push(m));
    hostSide.post({ kind: 'request', id: 7, name: 'scrollPoints', payload: { collection: 'c', limit: 5000 } });
    hostSide.post({ kind: 'request', id: 8, name: 'toString', payload: {} });
    hostSide.post({ kind: 'request', id: 9, name: 'getDefaults', payload: { sneaky: true } });
    await new Promise((r) => setTimeout(r, 50));
    expect(replies).toEqual(
      expect.arrayContaining([
        { kind: 'reply', id: 7, ok: false, error: { message: expect.stringMatching(/^scrollPoints: limit: /), exitCode: 2 } },
        { kind: 'reply', id: 8, ok: false, error: { message: 'unknown command "toString"', exitCode: 2 } },
        { kind: 'reply', id: 9, ok: false, error: { message: expect.stringContaining('getDefaults'), exitCode: 2 } },
      ]),
    );
  });

  it("refuses a handler's reply that breaks the contract instead of passing it on", async () => {
    const broken = { ...service.handlers, getSnapshot: async () => ({ status: 'exploded' }) } as unknown as EngineHandlers;
    const { client } = connect(broken);
    const e = await rejection(client.api.getSnapshot({}));
    expect(e.exitCode).toBe(ExitCode.internal);
    expect(e.message).toContain("reply to getSnapshot broke the contract");
  });

  it('getDefaults comes from the environment and never carries a secret', async () => {
    const { client } = connect(service.handlers);
    const d = await client.api.getDefaults({});
    expect(d.config.qdrantUrl).toBe('http://qdrant.example:6333');
    expect(d.config.batchSize).toBe(250);
    expect(d.secretsSet).toEqual({ qdrantApiKey: true, redisPassword: false });
    expect(JSON.stringify(d)).not.toContain('sekret');
  });

  it('pushes valid events and drops invalid ones', async () => {
    const { server, client } = connect(service.handlers);
    const got: EngineEvent[] = [];
    client.onEvent((e) => got.push(e));
    expect(server.pushEvent({ type: 'log', level: 'info', msg: 'hello', at: 1 })).toBe(true);
    expect(server.pushEvent({ type: 'log', level: 'loud', msg: 'x', at: 1 } as unknown as EngineEvent)).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([{ type: 'log', level: 'info', msg: 'hello', at: 1 }]);
  });

  it('fails calls in flight when the transport goes, and queues calls until the next one', async () => {
    const slow = { ...service.handlers, getDefaults: () => new Promise(() => undefined) } as unknown as EngineHandlers;
    const { client, hostSide } = connect(slow);
    const inFlight = client.api.getDefaults({});
    await new Promise((r) => setTimeout(r, 10));
    hostSide.close();
    const e = await rejection(inFlight);
    expect(e.exitCode).toBe(ExitCode.connection);
    expect(client.connected).toBe(false);

    const queued = createRpcClient({ queueWhileDisconnected: true, queueTimeoutMs: 2_000 });
    const states: boolean[] = [];
    queued.onConnection((c) => states.push(c));
    const pending = queued.api.getDefaults({});
    const [engineSide, hostSide2] = transportPair();
    serveRpc(engineSide, service.handlers);
    queued.attach(hostSide2);
    await expect(pending).resolves.toMatchObject({ config: { batchSize: 250 } });
    expect(states).toEqual([true]);
  });

  it('host notices mark the engine away and back', async () => {
    const { server, client } = connect(service.handlers);
    const states: boolean[] = [];
    client.onConnection((c) => states.push(c));
    server.pushHost(false);
    await new Promise((r) => setTimeout(r, 10));
    expect(client.connected).toBe(false);
    server.pushHost(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(states).toEqual([false, true]);
  });
});

describe('text frames', () => {
  it('keep point ids and labels above 2^53 exact', () => {
    const big = 18446744073709551615n;
    const text = encodeText({ kind: 'event', event: { id: big, label: -9007199254740993n, x: 0.1 } });
    expect(text).toContain('18446744073709551615');
    expect(decodeText(text)).toEqual({ kind: 'event', event: { id: big, label: -9007199254740993n, x: 0.1 } });
    expect(decodeText('{not json')).toBeNull();
  });
});

describe('event throttle', () => {
  it('coalesces progress to the latest per interval and flushes it before a state change', async () => {
    const out: EngineEvent[] = [];
    const t = createEventThrottle((e) => out.push(e), 100);
    const progress = (processed: number): EngineEvent => ({
      type: 'progress',
      progress: { runId: 'r', processed, failed: 0, total: 10, batchesDone: 0, batchesTotal: 1, pointsPerSec: 0, etaSeconds: null, batchLatencyMs: 0, concurrency: 1, batchSize: 10, rssMb: 1, elapsedMs: 0, at: processed },
    });
    for (let i = 1; i <= 50; i++) t.push(progress(i));
    t.push({ type: 'state', runId: 'r', status: 'completed', at: 99 });
    expect(out.map((e) => (e.type === 'progress' ? e.progress.processed : e.type === 'state' ? e.status : e.type))).toEqual([1, 50, 'completed']);
    t.dispose();
  });
});
