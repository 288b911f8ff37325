/**
 * The upsert fast path accepts and refuses exactly what the general path (lossless JSON parse + OpenAPI
 * schema) does, with the same result: checked function by function on a corpus of valid and broken bodies
 * plus seeded random mutations, and end to end over HTTP against a stand-in that has the fast path off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scanUpsertBody } from '../support/qdrant/upsert-scanner';
import { parseBody } from '../support/qdrant/json-in';
import { pointsFromInsert } from '../support/qdrant/api';
import { loadOpenApi, openApiDir } from '../support/qdrant/openapi';
import { toPlain } from '../support/qdrant/json-out';
import { QdrantHttpError } from '../support/qdrant/errors';
import type { IncomingPoint } from '../support/qdrant/collection';
import { startQdrant, type TestQdrant } from '../support/qdrant';
import { LIVE } from './helpers';

const HAVE_DOCS = existsSync(join(openApiDir(), 'openapi-v1.19.0.json'));

const VALID: string[] = [
  '{"points":[{"id":1,"vector":[0.1,0.2,0.3],"payload":{"a":1}}]}',
  ' \n{ "points" : [ { "vector" : [ 1 , -2.5 , 3e2 ] , "id" : 2 } ] , "update_mode" : "upsert" }\r\n\t',
  '{"points":[{"id":3,"vector":[0,-0,-0.0,1e-5,1E+3,2.5e-3,-7E-1]}]}',
  '{"points":[{"id":4,"vector":[0.10000000149011612,0.33333334326744080,-2.7182817459106445,1.2345678901234567e-30,9.999999e37]}]}',
  '{"points":[{"id":5,"vector":[123456789012345678,0.000000000000000000000001,1e22,1e23,-1e-22,4.9406564584124654e-324]}]}',
  '{"points":[{"id":9007199254740993,"vector":[1,2,3]},{"id":18446744073709551615,"vector":[3,2,1]}]}',
  '{"points":[{"id":"550E8400E29B41D4A716446655440000","vector":[1,2,3]},{"id":"urn:uuid:00000000-0000-0000-0000-000000000001","vector":[1,1,1]},{"id":"{6f9a0f0e-4b7a-5d1c-9b1d-2a6f3e4c5b7a}","vector":[1,1,1]}]}',
  '{"points":[{"id":6,"vector":[1,2,3],"payload":{"t":"caf\\u00e9 \\"q\\"\\n\\\\","raw":"naïve ✓","n":[1,[2,{"x":null}],true,false],"big":12345678901234567890,"f":-1.5e-7,"o":{}}}]}',
  '{"points":[{"id":7,"vector":[1,2,3],"payload":null},{"id":8,"vector":[1,2,3]}]}',
  '{"points":[{"id":9,"vector":[1,2,3],"colour":"red"}],"shard_key":null,"extra":{"k":[1,2]}}',
  '{"points":[]}',
  '{"points":[{"id":10,"vector":[]}]}',
  '{"update_filter":{"must":[{"key":"a","match":{"value":1}}]},"points":[{"id":11,"vector":[1,2,3]}],"update_mode":"insert_only"}',
  '{"points":[{"id":12,"vector":[1,2,3],"payload":{"__proto__":{"polluted":true}}}]}',
  '{"points":[{"id":13,"vector":[1.5,0.123456789012345678901,-0.0]},{"id":14,"vector":[12345678.5,0.1234567890123456,-1.0e-3]}]}',
];

const BROKEN: string[] = [
  '{"points":[{"id":-1,"vector":[1,2,3]}]}',
  '{"points":[{"id":1.5,"vector":[1,2,3]}]}',
  '{"points":[{"id":"abc","vector":[1,2,3]}]}',
  '{"points":[{"id":18446744073709551616,"vector":[1,2,3]}]}',
  '{"points":[{"vector":[1,2,3]}]}',
  '{"points":[{"id":1}]}',
  '{"points":[{"id":1,"vector":[1,null,3]}]}',
  '{"points":[{"id":1,"vector":[1,"2",3]}]}',
  '{"points":[{"id":1,"vector":[true,2,3]}]}',
  '{"points":[{"id":1,"vector":[[1,2],[3,4]]}]}',
  '{"points":[{"id":1,"vector":{"text":[1,2,3]}}]}',
  '{"points":[{"id":1,"vector":[NaN,2,3]}]}',
  '{"points":[{"id":1,"vector":[Infinity,2,3]}]}',
  '{"points":[{"id":1,"vector":[1e999,2,3]}]}',
  '{"points":[{"id":1,"vector":[1e39,2,3]}]}',
  '{"points":[{"id":1,"vector":[-3.5e38,2,3]}]}',
  // Duplicate keys: the general parser lets the last one win (as serde does for payload maps); the fast path declines.
  '{"points":[{"id":1,"id":2,"vector":[1,2,3]}]}',
  '{"points":[],"points":[]}',
  '{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":1,"a":2}}]}',
  '{"points":[{"id":1,"vector":[1,2,3],}]}',
  '{"points":[{"id":1,"vector":[1,2,3]}]} x',
  '{"points":[{"id":1,"vector":[01,2,3]}]}',
  '{"points":[{"id":1,"vector":[01.5,2,3]}]}',
  '{"points":[{"id":1,"vector":[1.5,-00.25,3]}]}',
  '{"points":[{"id":1,"vector":[1.5,2.,3]}]}',
  '{"points":[{"id":1,"vector":[1.5,2.5.5,3]}]}',
  '{"points":[{"id":1,"vector":[1.5,-.5,3]}]}',
  '{"points":[{"id":1,"vector":[1.,2,3]}]}',
  '{"points":[{"id":1,"vector":[.5,2,3]}]}',
  '{"points":[{"id":1,"vector":[-,2,3]}]}',
  '{"points":[{"id":1,"vector":[1e,2,3]}]}',
  '{"points":[{"id":1,"vector":[1,2,3],"payload":[1]}]}',
  '{"points":[{"id":1,"vector":[1,2,3],"payload":"x"}]}',
  '{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":"\u0001"}}]}',
  '{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":"\\x"}}]}',
  '{"points":[{"id":1,"vector":[1,2,3]}',
  '{"points":{"id":1}}',
  '{"batch":{"ids":[1,2],"vectors":[[1,2,3],[4,5,6]]}}',
  '{"points":[{"id":1,"vector":[1,2,3]}],"update_mode":"sometimes"}',
  '{"points":[{"id":1,"vector":[1,2,3]}],"update_filter":{"must":[],"nope":1}}',
  '',
  '[]',
  'null',
];

type Outcome = { ok: true; points: IncomingPoint[]; rest: Record<string, unknown> } | { ok: false; status: number; error: string };

function slowPath(text: string): Outcome {
  const api = loadOpenApi('1.19.0');
  try {
    const body = parseBody(text) as Record<string, unknown>;
    if (api) {
      const v = api.schemasFor('upsert_points')!.body!;
      if (!v(toPlain(body))) return { ok: false, status: 400, error: 'schema' };
    }
    const points = pointsFromInsert(body as never);
    const rest = { ...body };
    delete rest.points;
    return { ok: true, points, rest };
  } catch (e) {
    if (e instanceof QdrantHttpError) return { ok: false, status: e.httpStatus, error: e.message };
    return { ok: false, status: -1, error: String(e) };
  }
}

/** What the fast path decides: accepted points, or "declined" (the general path then decides). */
function fastPath(text: string): Outcome | 'declined' {
  const api = loadOpenApi('1.19.0');
  const r = scanUpsertBody(Buffer.from(text, 'utf8'));
  if (!r.ok) return 'declined';
  if (api && !api.schemasFor('upsert_points')!.body!(r.plain)) return 'declined';
  const rest = { ...r.skeleton };
  delete rest.points;
  return { ok: true, points: r.points, rest };
}

function bits(v: Float32Array): number[] {
  return Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));
}

function expectSame(fast: Outcome, slow: Outcome, text: string): void {
  expect(slow.ok, `general path refused what the fast path accepted: ${text}`).toBe(true);
  if (!fast.ok || !slow.ok) return;
  expect(fast.points.length).toBe(slow.points.length);
  fast.points.forEach((p, i) => {
    const q = slow.points[i]!;
    expect(p.id, text).toEqual(q.id);
    expect([...p.vectors.keys()]).toEqual([...q.vectors.keys()]);
    for (const [k, v] of p.vectors) expect(bits(v), `${text} vector ${k}`).toEqual(bits(q.vectors.get(k)!));
    expect(p.payload, text).toEqual(q.payload);
  });
  expect(fast.rest).toEqual(slow.rest);
}

describe.skipIf(!HAVE_DOCS)('fast path against the general path, function level', () => {
  it('accepts every valid list-form body, with bit-identical vectors, exact ids and equal payloads', () => {
    for (const text of VALID) {
      const fast = fastPath(text);
      expect(fast, `fast path declined a valid body: ${text}`).not.toBe('declined');
      expectSame(fast as Outcome, slowPath(text), text);
    }
  });

  it('reads a body split into pieces at every byte (inside numbers, keys and multi-byte characters) as the whole body', () => {
    const text = VALID.find((t) => t.includes('naïve'))!;
    const whole = Buffer.from(text, 'utf8');
    const want = fastPath(text);
    expect(want).not.toBe('declined');
    for (let cut = 1; cut < whole.length; cut++) {
      const r = scanUpsertBody([whole.subarray(0, cut), whole.subarray(cut)]);
      expect(r.ok, `cut at ${cut}`).toBe(true);
      if (!r.ok || want === 'declined' || !want.ok) continue;
      expect(r.points.map((p) => p.payload), `cut at ${cut}`).toEqual(want.points.map((p) => p.payload));
      expect(r.points.map((p) => bits(p.vectors.get('')!)), `cut at ${cut}`).toEqual(want.points.map((p) => bits(p.vectors.get('')!)));
    }
  });

  it('never accepts a body the general path refuses', () => {
    for (const text of BROKEN) {
      const fast = fastPath(text);
      const slow = slowPath(text);
      if (fast !== 'declined') expectSame(fast, slow, text);
      else if (text.startsWith('{"batch"')) expect(slow.ok).toBe(true);
    }
    // The clearly broken ones are refused by the general path (so by the server).
    const servedBySlowPath = (t: string) => t.startsWith('{"batch"') || t.includes('"vector":[[') || t.includes('{"text"') || /"(id|points|a)":[^,]*,"\1"/.test(t);
    for (const text of BROKEN.filter((t) => !servedBySlowPath(t))) expect(slowPath(text).ok, text).toBe(false);
  });

  it('agrees on 1,500 seeded random mutations of valid bodies', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = ['"', ',', ']', '[', '}', '{', '-', '+', '.', 'e', 'E', '0', '9', ' ', '\n', 'x', '\\', 'n', 'u', ':', '1e999', 'null', 'NaN'];
    let accepted = 0;
    let declined = 0;
    for (let k = 0; k < 1500; k++) {
      const base = VALID[rnd(VALID.length)]!;
      let text = base;
      const edits = 1 + rnd(3);
      for (let e = 0; e < edits; e++) {
        const at = rnd(text.length + 1);
        const op = rnd(3);
        const ch = alphabet[rnd(alphabet.length)]!;
        text = op === 0 ? text.slice(0, at) + ch + text.slice(at + 1) : op === 1 ? text.slice(0, at) + ch + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      }
      const fast = fastPath(text);
      if (fast === 'declined') {
        declined++;
        continue;
      }
      accepted++;
      expectSame(fast, slowPath(text), text);
    }
    // Both kinds occur, so the comparison above is not vacuous.
    expect(accepted).toBeGreaterThan(50);
    expect(declined).toBeGreaterThan(50);
  });
});

/** Seeded number texts of every shape a client writes: shortest f32, 17-digit doubles, exponents, extremes. */
function numberTexts(count: number): string[] {
  let seed = 987654321;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 8;
    u32[0] = Math.floor(rnd() * 2 ** 32);
    const anyF32 = Number.isFinite(f32[0]!) ? f32[0]! : 1.5;
    const small = (rnd() - 0.5) * 2 ** (Math.floor(rnd() * 16) - 12);
    if (kind === 0) out.push(String(Math.fround(small))); // what JSON.stringify writes for an f32 read as a double
    else if (kind === 1) out.push(String(small)); // a 17-digit double
    else if (kind === 2) out.push(String(anyF32)); // any f32, subnormals and 1e38 included
    else if (kind === 3) out.push(small.toExponential(Math.floor(rnd() * 20))); // 1 to 21 digits with an exponent
    else if (kind === 4) out.push(small.toFixed(Math.floor(rnd() * 25))); // long fractions and leading zeros
    else if (kind === 5) {
      // Halfway between two f32s (exact in a double): ties to even, and the next doubles on either side.
      const mid = (Math.fround(anyF32) + Math.fround(anyF32 * (1 + 2 ** -23))) / 2;
      out.push(String(mid), mid.toPrecision(17), mid.toPrecision(19));
    } else if (kind === 6) out.push(`${Math.floor(rnd() * 1e6)}e${Math.floor(rnd() * 80) - 40}`);
    else out.push((rnd() < 0.5 ? '-' : '') + Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 20))).toString() + (rnd() < 0.5 ? '.5' : ''));
  }
  return out;
}

describe('vector numbers: the WebAssembly reader against the engine\'s Number()', () => {
  it('reads 40,000 seeded number texts to the same f32 bits as Math.fround(Number(text)), or declines what Qdrant refuses', () => {
    const texts = numberTexts(40_000);
    const finite = texts.filter((t) => Number.isFinite(Math.fround(Number(t))));
    // Every vector is 64 numbers long, in one body: the reader resumes after each token it hands back.
    const chunks: string[][] = [];
    for (let i = 0; i < finite.length; i += 64) chunks.push(finite.slice(i, i + 64));
    const body = `{"points":[${chunks.map((c, i) => `{"id":${i},"vector":[${c.join(',')}]}`).join(',')}]}`;
    const r = scanUpsertBody(Buffer.from(body));
    expect(r.ok, r.ok ? '' : r.reason).toBe(true);
    if (!r.ok) return;
    let compared = 0;
    r.points.forEach((p, i) => {
      const got = p.vectors.get('')!;
      const want = Float32Array.from(chunks[i]!, (t) => Number(t));
      expect(bits(got), `vector ${i}: ${chunks[i]!.join(',')}`).toEqual(bits(want));
      compared += got.length;
    });
    expect(compared).toBe(finite.length);
    // The same body in the pieces a socket delivers (here cut every 777 bytes, inside numbers too) reads the same.
    const whole = Buffer.from(body);
    const pieces: Buffer[] = [];
    for (let at = 0; at < whole.length; at += 777) pieces.push(whole.subarray(at, at + 777));
    const chunked = scanUpsertBody(pieces);
    expect(chunked.ok).toBe(true);
    if (chunked.ok) expect(chunked.points.map((p) => bits(p.vectors.get('')!))).toEqual(r.points.map((p) => bits(p.vectors.get('')!)));
    // Values beyond f32 (1e39, 1e400) make the fast path decline: the general path refuses them.
    for (const t of texts.filter((x) => !Number.isFinite(Math.fround(Number(x)))).slice(0, 50)) expect(scanUpsertBody(Buffer.from(`{"points":[{"id":1,"vector":[1,${t}]}]}`)).ok, t).toBe(false);
  });
});

describe.skipIf(LIVE || !HAVE_DOCS)('fast path against the general path, over HTTP', () => {
  let fast: TestQdrant;
  let slow: TestQdrant;
  beforeAll(async () => {
    fast = await startQdrant();
    slow = await startQdrant({ fastUpsert: false });
  });
  afterAll(async () => {
    await fast.stop();
    await slow.stop();
  });

  async function send(q: TestQdrant, collection: string, text: string) {
    const res = await fetch(`${q.url}/collections/${collection}/points?wait=true`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: text });
    const body = await res.text();
    return { status: res.status, error: res.ok ? null : (JSON.parse(body) as { status: { error: string } }).status.error };
  }

  async function contents(q: TestQdrant, collection: string): Promise<string> {
    const res = await fetch(`${q.url}/collections/${collection}/points/scroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"limit":1000,"with_vector":true,"with_payload":true}' });
    const text = await res.text();
    return text.replace(/"time":[^,}]+/, '');
  }

  it('answers every corpus body with the same status, error text and stored points', async () => {
    for (const q of [fast, slow]) {
      for (const [c, distance] of [['cos', 'Cosine'], ['dot', 'Dot']] as const) {
        const r = await fetch(`${q.url}/collections/${c}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vectors: { size: 3, distance } }) });
        expect(r.status).toBe(200);
      }
    }
    for (const text of [...VALID, ...BROKEN]) {
      for (const c of ['cos', 'dot']) {
        const a = await send(fast, c, text);
        const b = await send(slow, c, text);
        expect(a, `${c}: ${text}`).toEqual(b);
      }
    }
    for (const c of ['cos', 'dot']) expect(await contents(fast, c)).toBe(await contents(slow, c));
  });
});
