/**
 * The gRPC PointSink against the real Qdrant binary (the REST stand-in speaks no gRPC): what it stores is
 * what the source holds (ids, bit-exact vectors, payload ints and floats), and each failure has the REST
 * sink's meaning: a wrong API key or a deleted collection is fatal, a killed or frozen server is transient
 * and the batch completes once it is back, a point Qdrant refuses is isolated, a message over the size
 * limit is split. Skipped, with one line, where the binary is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../shared/json';
import { GrpcPointSink } from '../../electron/engine/qdrant/grpc/sink';
import { parseGrpcUrl } from '../../electron/engine/qdrant/grpc/address';
import { RestPointSink } from '../../electron/engine/qdrant/rest-sink';
import { writeWithRecovery } from '../../electron/engine/qdrant/recovery';
import { SinkError, type PointSink, type PreparedPoints } from '../../electron/engine/qdrant/types';
import type { PointId } from '../../electron/engine/point-id';
import { scrollAll } from '../engine/support/qdrant-read';
import { resolveQdrantBin, startRealQdrant, type RealQdrant } from '../support/qdrant/real-server';
import { startSizeLimitProxy } from './support/size-limit-proxy';

const BIN = resolveQdrantBin();
if (!BIN) console.log('test/grpc/sink.test.ts skipped: no Qdrant binary (set QDRANT_BIN, or put it at ../shared/qdrant/bin/qdrant)');

let qdrant: RealQdrant;
let n = 0;

async function createCollection(q: RealQdrant, dim: number, apiKey?: string): Promise<string> {
  const name = `g${++n}`;
  const r = await fetch(`${q.url}/collections/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'api-key': apiKey } : {}) },
    body: JSON.stringify({ vectors: { size: dim, distance: 'Euclid', on_disk: true } }),
  });
  expect(r.status).toBe(200);
  return name;
}

function grpcSink(q: RealQdrant, collection: string, over: Partial<ConstructorParameters<typeof GrpcPointSink>[0]> = {}): GrpcPointSink {
  return new GrpcPointSink({ address: parseGrpcUrl(q.grpcUrl), apiKey: q.apiKey, collection, ...over });
}

/** n points of `dim` floats from a seed, ids mixing small, beyond-2^53 and UUID, payloads given per point. */
function points(count: number, dim: number, payload: (i: number) => string | undefined = (i) => `{"faiss_id":${i}}`): PreparedPoints {
  const vectors = new Float32Array(count * dim);
  let s = 7;
  for (let i = 0; i < vectors.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    vectors[i] = (s / 2 ** 32) * 2 - 1;
  }
  const ids: PointId[] = [];
  const payloads: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(i % 4 === 3 ? `5c56c793-69f3-4fbf-87e6-${i.toString(16).padStart(12, '0')}` : i % 4 === 2 ? 9007199254740993n + BigInt(i) : BigInt(i));
    payloads.push(payload(i) ?? 'null');
  }
  return { batch: 0, dimension: dim, ids, labels: BigInt64Array.from({ length: count }, (_, i) => BigInt(i)), vectors, payloads };
}

async function thrown(p: Promise<unknown>): Promise<SinkError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SinkError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe.skipIf(!BIN)('gRPC sink against the real Qdrant', () => {
  beforeAll(async () => {
    qdrant = await startRealQdrant();
  });
  afterAll(async () => {
    await qdrant?.stop();
  });

  it('stores exactly what the source holds: u64 and UUID ids, bit-exact vectors, payload ints and floats as such', async () => {
    const dim = 33;
    const collection = await createCollection(qdrant, dim);
    const batch = points(300, dim, (i) => `{"faiss_id":${i},"f":1.0,"big":9223372036854775807,"neg":-9223372036854775808,"s":"é\\ud83d\\ude00","l":[1,2.5,null,true],"o":{"__proto__":{"x":1}}}`);
    const sink = grpcSink(qdrant, collection);
    await sink.upsert(batch);
    await sink.close();
    const stored = await scrollAll(qdrant.url, collection);
    expect(stored.size).toBe(300);
    for (let i = 0; i < 300; i++) {
      const id = batch.ids[i]!;
      const p = stored.get(typeof id === 'bigint' ? id.toString() : id)!;
      expect(p, `point ${String(id)}`).toBeDefined();
      const want = batch.vectors.subarray(i * dim, (i + 1) * dim);
      expect(Buffer.from(Float32Array.from(p.vector).buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
      expect(p.payload.faiss_id).toBe(i);
    }
    // the REST reply's own text says int vs float: 1.0 stays a float, int64's edges stay exact integers
    const res = await fetch(`${qdrant.url}/collections/${collection}/points/0`);
    const text = await res.text();
    expect(text).toMatch(/"f":1\.0[,}]/);
    expect(text).toMatch(/"big":9223372036854775807[,}]/);
    expect(text).toMatch(/"neg":-9223372036854775808[,}]/);
    expect(text).toMatch(/"l":\[1,2\.5,null,true\]/);
    const payload = parseJson<{ result: { payload: Record<string, unknown> } }>(text).result.payload;
    expect(payload.s).toBe('é😀');
    expect(Object.keys(payload.o as object)).toEqual(['__proto__']);
  });

  it('payload floats: gRPC stores the same doubles as REST; Qdrant 1.18 moves about 1 in 10 by one ulp either way (docs/engine.md)', async () => {
    const collection = await createCollection(qdrant, 4);
    let s = 11;
    const rnd = () => ((s = (Math.imul(s, 48271) >>> 0) % 2147483647) / 2147483647);
    const values = Array.from({ length: 2000 }, (_, i) => (i % 2 ? rnd() : rnd() * 1000));
    const literal = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));
    const half = (offset: number): PreparedPoints => {
      const p = points(100, 4, (i) => `{${Array.from({ length: 10 }, (_, k) => `"v${k}":${literal(values[i * 10 + k]!)}`).join(',')}}`);
      return { ...p, ids: p.ids.map((_, i) => BigInt(offset + i)) };
    };
    const viaRest = new RestPointSink({ url: qdrant.url, collection });
    await viaRest.upsert(half(0));
    const viaGrpc = grpcSink(qdrant, collection);
    await viaGrpc.upsert(half(1000));
    await Promise.all([viaRest.close(), viaGrpc.close()]);
    const stored = await scrollAll(qdrant.url, collection);
    let moved = 0;
    let beyondOneUlp = 0;
    for (let i = 0; i < 100; i++) {
      for (let k = 0; k < 10; k++) {
        const want = values[i * 10 + k]!;
        const rest = stored.get(String(i))!.payload[`v${k}`] as number;
        const grpc = stored.get(String(1000 + i))!.payload[`v${k}`] as number;
        // whatever the server does to a double, it does the same whichever API carried it
        expect(grpc, `value ${want}`).toBe(rest);
        if (grpc !== want) {
          moved++;
          const ulp = Math.abs(want) * Number.EPSILON;
          if (Math.abs(grpc - want) > ulp) beyondOneUlp++;
        }
      }
    }
    console.log(`payload doubles moved by Qdrant ${qdrant.version}: ${moved} of 1000 (REST and gRPC alike)`);
    expect(beyondOneUlp).toBe(0);
  });

  it("a message over the sink's own limit is split before sending: every point arrives", async () => {
    const dim = 384;
    const collection = await createCollection(qdrant, dim);
    const batch = points(1500, dim);
    const sink = grpcSink(qdrant, collection, { maxRequestBytes: 100_000 });
    await sink.upsert(batch);
    await sink.close();
    const stored = await scrollAll(qdrant.url, collection);
    expect(stored.size).toBe(1500);
    expect(Float32Array.from(stored.get('1496')!.vector)).toEqual(batch.vectors.subarray(1496 * dim, 1497 * dim));
  });

  it(`a message over a gRPC hop's size limit (RESOURCE_EXHAUSTED "larger than max") is split until it fits: every point arrives`, async () => {
    const dim = 384;
    const collection = await createCollection(qdrant, dim);
    const proxy = await startSizeLimitProxy(parseGrpcUrl(qdrant.grpcUrl).target, 100_000);
    const batch = points(500, dim);
    const sink = new GrpcPointSink({ address: parseGrpcUrl(proxy.url), collection });
    const over = await thrown(sink.upsert(batch));
    expect(over.kind).toBe('rejected');
    expect(over.message).toMatch(/RESOURCE_EXHAUSTED: .*larger than max/);
    const result = await writeWithRecovery(sink, batch, { baseDelayMs: 1 });
    await sink.close();
    await proxy.close();
    expect(result.failed).toEqual([]);
    expect(result.retries).toBeGreaterThan(8);
    const stored = await scrollAll(qdrant.url, collection);
    expect(stored.size).toBe(500);
    expect(Float32Array.from(stored.get('496')!.vector)).toEqual(batch.vectors.subarray(496 * dim, 497 * dim));
  });

  it('a point Qdrant cannot take (a lone surrogate in its payload) is isolated and reported; the rest is stored, over both transports', async () => {
    for (const make of [(c: string): PointSink => grpcSink(qdrant, c), (c: string): PointSink => new RestPointSink({ url: qdrant.url, collection: c })]) {
      const collection = await createCollection(qdrant, 8);
      const batch = points(64, 8, (i) => (i === 37 ? '{"text":"bad \\udc00 text"}' : `{"faiss_id":${i}}`));
      const sink = make(collection);
      const result = await writeWithRecovery(sink, batch, { baseDelayMs: 1 });
      await sink.close();
      expect(result.failed.map((f) => f.pointId)).toEqual([String(batch.ids[37])]);
      expect(result.failed[0]!.reason).toMatch(sink instanceof GrpcPointSink ? /lone surrogate/ : /HTTP 400/);
      expect((await scrollAll(qdrant.url, collection)).size).toBe(63);
    }
  });

  it('a deleted collection is fatal, naming it', async () => {
    const sink = grpcSink(qdrant, 'no_such_collection');
    const e = await thrown(sink.upsert(points(3, 4)));
    await sink.close();
    expect(e.kind).toBe('fatal');
    expect(e.message).toMatch(/collection "no_such_collection" no longer exists/);
  });

  it('a killed server is a transient failure; the batch completes once Qdrant is back', async () => {
    const collection = await createCollection(qdrant, 16);
    const sink = grpcSink(qdrant, collection);
    await sink.upsert(points(10, 16));
    await qdrant.kill();
    const down = await thrown(sink.upsert(points(10, 16)));
    expect(down.kind).toBe('transient');
    expect(down.message).toMatch(/UNAVAILABLE/);
    const retries: string[] = [];
    const done = writeWithRecovery(sink, points(200, 16), { baseDelayMs: 100, maxDelayMs: 500, onRetry: ({ error }) => retries.push(error.message) });
    await new Promise((r) => setTimeout(r, 1500));
    await qdrant.start();
    const result = await done;
    await sink.close();
    expect(result.failed).toEqual([]);
    expect(retries.length).toBeGreaterThan(0);
    expect((await scrollAll(qdrant.url, collection)).size).toBe(200);
  });

  it('a frozen server: no reply within the deadline is transient; the batch completes after it thaws', async () => {
    const collection = await createCollection(qdrant, 16);
    const sink = grpcSink(qdrant, collection, { timeoutMs: 800 });
    await sink.upsert(points(10, 16));
    const retries: string[] = [];
    const freeze = qdrant.freeze(3000);
    await new Promise((r) => setTimeout(r, 100));
    const result = await writeWithRecovery(sink, points(100, 16), { baseDelayMs: 100, maxDelayMs: 500, onRetry: ({ error }) => retries.push(error.message) });
    await freeze;
    await sink.close();
    expect(result.failed).toEqual([]);
    expect(retries.some((m) => /DEADLINE_EXCEEDED/.test(m))).toBe(true);
    expect((await scrollAll(qdrant.url, collection)).size).toBe(100);
  });
});

describe.skipIf(!BIN)('gRPC sink and the API key', () => {
  let keyed: RealQdrant;
  beforeAll(async () => {
    keyed = await startRealQdrant({ apiKey: 'the-right-key' });
  });
  afterAll(async () => {
    await keyed?.stop();
  });

  it('the right key writes; a wrong or missing key is fatal, says QDRANT_API_KEY and never echoes the key', async () => {
    const collection = await createCollection(keyed, 4, 'the-right-key');
    const good = grpcSink(keyed, collection);
    await good.upsert(points(5, 4));
    await good.close();
    expect((await scrollAll(keyed.url, collection, 'the-right-key')).size).toBe(5);
    for (const apiKey of ['a-wrong-key', undefined]) {
      const bad = grpcSink(keyed, collection, { apiKey });
      const e = await thrown(bad.upsert(points(5, 4)));
      await bad.close();
      expect(e.kind).toBe('fatal');
      expect(e.message).toMatch(/refused the API key \(QDRANT_API_KEY\): UNAUTHENTICATED/);
      expect(e.message).not.toMatch(/a-wrong-key|the-right-key/);
    }
  });
});
