/**
 * The bulk path's pieces: float32 decimals that parse back bit-exactly, bodies that stay under the server's
 * size limit whatever the dimension, exact bigint ids and payloads, and the recovery policy against a real
 * HTTP server that rejects one point (isolated by splitting, recorded with its reason) or fails transiently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { writeFloat32, writeFloat32Run, MAX_FLOAT_CHARS } from '../../electron/engine/qdrant/float-format';
import { UpsertBodyWriter } from '../../electron/engine/qdrant/body-writer';
import { payloadToJson } from '../../electron/engine/qdrant/payload-json';
import { RestPointSink } from '../../electron/engine/qdrant/rest-sink';
import { writeWithRecovery } from '../../electron/engine/qdrant/recovery';
import type { PreparedPoints } from '../../electron/engine/qdrant/types';
import { pointIdForLabel } from '../../electron/engine/point-id';
import { parseJson } from '../../shared/json';

function decode(f: Float32Array): string[] {
  const u = new Uint32Array(f.buffer);
  const out = new Uint8Array(MAX_FLOAT_CHARS + 16);
  const dv = new DataView(out.buffer);
  const dec = new TextDecoder();
  return Array.from(f, (_, i) => dec.decode(out.subarray(0, writeFloat32(out, dv, 0, f, u, i))));
}

describe('float32 decimals', () => {
  it('every finite float32 pattern parses back to the same bits (random bits, specials, subnormals)', () => {
    const n = 300_000;
    const f = new Float32Array(n);
    const u = new Uint32Array(f.buffer);
    let x = 2463534242;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      u[i] = x;
    }
    const specials = [0, -0, 1, -1, 0.1, 1e-45, 1.17549435e-38, 3.4028234663852886e38, 16777216, 16777217, 123456789, 1e10, 0.5, 1e-5, 99999.99, 1e-4, 9.999999e-5];
    specials.forEach((v, i) => (f[i] = v));
    const texts = decode(f);
    let checked = 0;
    const bad: string[] = [];
    const back = new Float32Array(1);
    const backBits = new Uint32Array(back.buffer);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(f[i]!)) continue;
      back[0] = JSON.parse(texts[i]!) as number;
      if (backBits[0] !== u[i]) bad.push(`${f[i]} written as ${texts[i]}`);
      checked++;
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(290_000);
    expect(texts.slice(0, 6)).toEqual(['0', '-0', '1', '-1', '0.100000001', '1.40129846e-45']);

    // The bulk path writes with writeFloat32Run, an inlined copy of writeFloat32 (about 1.8x faster): it
    // must write exactly the same text for the same patterns.
    const finite = f.filter((v) => Number.isFinite(v));
    const fu = new Uint32Array(finite.buffer);
    const out = new Uint8Array(finite.length * (MAX_FLOAT_CHARS + 1) + 8);
    const end = writeFloat32Run(out, new DataView(out.buffer), 0, finite, fu, 0, finite.length);
    const run = new TextDecoder().decode(out.subarray(0, end)).split(',');
    const single = texts.filter((_, i) => Number.isFinite(f[i]!));
    expect(run.length).toBe(single.length);
    expect(run.findIndex((t, i) => t !== single[i])).toBe(-1);
  });
});

function points(count: number, dim: number, labels?: bigint[]): PreparedPoints {
  const vectors = new Float32Array(count * dim).map((_, i) => Math.sin(i) * 0.1);
  const ls = labels ?? Array.from({ length: count }, (_, i) => BigInt(i));
  return {
    batch: 7,
    dimension: dim,
    ids: ls.map(pointIdForLabel),
    labels: BigInt64Array.from(ls),
    vectors,
    payloads: ls.map((l) => payloadToJson({ source: 'faiss', faiss_id: l, migrated_at: 'now', batch_num: 7, text: 'é "q"' })),
  };
}

describe('upsert bodies', () => {
  it('split by bytes under the limit whatever the dimension, with exact ids and payloads', () => {
    const w = new UpsertBodyWriter();
    for (const dim of [384, 1536]) {
      const p = points(120, dim, [...Array.from({ length: 118 }, (_, i) => BigInt(i)), 9223372036854775807n, -5n]);
      const limit = 300_000;
      const order = Uint32Array.from({ length: 120 }, (_, i) => i);
      let from = 0;
      let seen = 0;
      while (from < 120) {
        const { body, next } = w.encode(p, order, from, limit);
        expect(body.length).toBeLessThanOrEqual(limit);
        const json = parseJson<{ points: { id: bigint | number | string; vector: number[]; payload: Record<string, unknown> }[] }>(body.toString('utf8'));
        expect(json.points.length).toBe(next - from);
        const mismatches: number[] = [];
        for (const [k, pt] of json.points.entries()) {
          const i = from + k;
          const got = Float32Array.from(pt.vector);
          const want = p.vectors.subarray(i * dim, (i + 1) * dim);
          if (got.length !== dim || got.some((v, j) => v !== want[j])) mismatches.push(i);
          if (pt.payload.text !== 'é "q"' || BigInt(pt.payload.faiss_id as number | bigint) !== p.labels[i]) mismatches.push(i);
        }
        expect(mismatches).toEqual([]);
        seen += json.points.length;
        from = next;
      }
      expect(seen).toBe(120);
    }
    const big = w.encode(points(2, 16, [9223372036854775807n, -5n]), [0, 1], 0, 1e6).body.toString();
    expect(big).toContain('"id":9223372036854775807,');
    expect(big).toContain(`"id":"${pointIdForLabel(-5n) as string}"`);
  });
});

describe('recovery against a real HTTP server', () => {
  let server: http.Server | null = null;
  afterEach(() => server?.close());

  async function serve(handler: (body: string, res: http.ServerResponse, n: number) => void): Promise<string> {
    let n = 0;
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => handler(body, res, n++));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }
  const ok = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":{"operation_id":1,"status":"completed"},"status":"ok","time":0}');

  it('a point the server keeps refusing (4xx) is isolated by splitting and recorded with its reason; the rest is written', async () => {
    const written = new Set<string>();
    const url = await serve((body, res) => {
      const json = parseJson<{ points: { id: bigint | number }[] }>(body);
      if (json.points.some((p) => String(p.id) === '37')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"status":{"error":"Wrong input: point 37 is bad"},"time":0}');
        return;
      }
      for (const p of json.points) written.add(String(p.id));
      ok(res);
    });
    const sink = new RestPointSink({ url, collection: 'c' });
    const p = points(100, 8);
    p.vectors[50 * 8 + 3] = NaN;
    const result = await writeWithRecovery(sink, p, { baseDelayMs: 1 });
    await sink.close();
    expect(result.failed.map((f) => [f.faissId, f.batch])).toEqual(expect.arrayContaining([['37', 7], ['50', 7]]));
    expect(result.failed).toHaveLength(2);
    expect(result.failed.find((f) => f.faissId === '37')!.reason).toMatch(/HTTP 400: Wrong input: point 37 is bad/);
    expect(result.failed.find((f) => f.faissId === '50')!.reason).toMatch(/component 3 is NaN/);
    expect(written.size).toBe(98);
  });

  it('retries 503, 429 (waiting Retry-After) and a dropped connection, then succeeds', async () => {
    const times: number[] = [];
    const url = await serve((_body, res, n) => {
      times.push(Date.now());
      if (n === 0) return void res.writeHead(503).end('busy');
      if (n === 1) return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      if (n === 2) return void res.socket?.destroy();
      ok(res);
    });
    const sink = new RestPointSink({ url, collection: 'c' });
    const retries: number[] = [];
    const result = await writeWithRecovery(sink, points(10, 4), { baseDelayMs: 5, onRetry: ({ attempt }) => retries.push(attempt) });
    await sink.close();
    expect(result.failed).toEqual([]);
    expect(retries).toEqual([1, 2, 3]);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(950);
  });

  it('a wrong API key (401/403) stops at once instead of retrying', async () => {
    const url = await serve((_b, res) => void res.writeHead(403).end('{"status":{"error":"Invalid api-key"}}'));
    const sink = new RestPointSink({ url, collection: 'c', apiKey: 'secret-key' });
    await expect(writeWithRecovery(sink, points(3, 4))).rejects.toThrow(/refused the API key \(QDRANT_API_KEY\): HTTP 403/);
    await sink.close();
  });
});
