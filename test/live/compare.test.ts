/**
 * Stand-in vs real Qdrant: the same probe requests go to the real server (the launched binary, or the one at
 * QDRANT_URL) and to a local stand-in held to the same version's OpenAPI document; status codes, error texts
 * (up to the position suffix, which differs by design: Qdrant says "at line L column C", the stand-in names
 * the JSON path) and results must agree. Runs only under `npm run test:live`.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qdrantKind, startQdrant, StandInServer, type TestQdrant } from '../support/qdrant';
import { OPENAPI_VERSIONS, type OpenApiVersion } from '../support/qdrant/openapi';

const LIVE = qdrantKind() !== 'stand-in';
const KEY = process.env.QDRANT_API_KEY || undefined;

interface Probe {
  what: string;
  method: string;
  path: string;
  body?: string;
  /** Result fields to compare (dotted paths); default: the whole result. */
  pick?: string[];
  /** Compare the response text itself (minus `time`): where JSON that parses the same still differs (`1.0` vs `1`). */
  text?: boolean;
}

const C = `standin_compare_${process.pid}_${Date.now().toString(36)}`;

const PROBES: Probe[] = [
  { what: 'collection missing', method: 'GET', path: `/collections/${C}` },
  { what: 'exists (no)', method: 'GET', path: `/collections/${C}/exists` },
  { what: 'create size 0', method: 'PUT', path: `/collections/${C}`, body: '{"vectors":{"size":0,"distance":"Cosine"}}' },
  { what: 'create bad metric', method: 'PUT', path: `/collections/${C}`, body: '{"vectors":{"size":4,"distance":"Cosinus"}}' },
  { what: 'create', method: 'PUT', path: `/collections/${C}`, body: '{"vectors":{"size":4,"distance":"Cosine","on_disk":true}}' },
  { what: 'create again', method: 'PUT', path: `/collections/${C}`, body: '{"vectors":{"size":4,"distance":"Cosine"}}' },
  { what: 'index keyword', method: 'PUT', path: `/collections/${C}/index?wait=true`, body: '{"field_name":"source","field_schema":"keyword"}', pick: ['status'] },
  { what: 'index integer', method: 'PUT', path: `/collections/${C}/index?wait=true`, body: '{"field_name":"faiss_id","field_schema":"integer"}', pick: ['status'] },
  {
    what: 'upsert',
    method: 'PUT',
    path: `/collections/${C}/points?wait=true`,
    body: '{"points":[{"id":1,"vector":[0.5,-1.25,3,0.125],"payload":{"source":"a","faiss_id":1}},{"id":18446744073709551615,"vector":[1,2,3,4],"payload":{"source":"b","faiss_id":18446744073709551615}},{"id":"550e8400e29b41d4a716446655440000","vector":[0,0,1,0]}]}',
    pick: ['status'],
  },
  { what: 'upsert id -1', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":-1,"vector":[1,2,3,4]}]}' },
  { what: 'upsert id 1.5', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":1.5,"vector":[1,2,3,4]}]}' },
  { what: 'upsert id "abc"', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":"abc","vector":[1,2,3,4]}]}' },
  { what: 'upsert wrong dim', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":2,"vector":[1,2,3]}]}' },
  { what: 'upsert empty vector', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":2,"vector":[]}]}' },
  { what: 'upsert null in vector', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":2,"vector":[null,2,3,4]}]}' },
  { what: 'upsert 1e999', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":2,"vector":[1e999,2,3,4]}]}' },
  { what: 'upsert 1e39 (f32 overflow)', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":2,"vector":[1e39,2,3,4]}]}' },
  { what: 'upsert id 1.0 (a float)', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":1.0,"vector":[1,2,3,4]}]}' },
  { what: 'upsert id 1e2', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":1e2,"vector":[1,2,3,4]}]}' },
  { what: 'upsert id null', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":null,"vector":[1,2,3,4]}]}' },
  { what: 'upsert id 2^64', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"points":[{"id":18446744073709551616,"vector":[1,2,3,4]}]}' },
  { what: 'upsert no points key', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"pointz":[]}' },
  { what: 'upsert batch lengths differ', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"batch":{"ids":[5,6],"vectors":[[1,2,3,4]]}}' },
  { what: 'upsert batch null in vector', method: 'PUT', path: `/collections/${C}/points?wait=true`, body: '{"batch":{"ids":[5],"vectors":[[null,2,3,4]]}}' },
  {
    what: 'upsert floats and integers in a payload',
    method: 'PUT',
    path: `/collections/${C}/points?wait=true`,
    body: '{"points":[{"id":3,"vector":[0.0001,0,0,0],"payload":{"source":"c","f":1.0,"i":1,"e":1e2,"x":0.5}}]}',
    pick: ['status'],
  },
  { what: 'retrieve the payload as written (1.0 stays a float)', method: 'POST', path: `/collections/${C}/points`, body: '{"ids":[3],"with_payload":true}', text: true },
  { what: 'retrieve a tiny Cosine vector (kept as sent)', method: 'POST', path: `/collections/${C}/points`, body: '{"ids":[3],"with_vector":true}' },
  { what: 'count f == 1 (a float is not the integer 1)', method: 'POST', path: `/collections/${C}/points/count`, body: '{"filter":{"must":[{"key":"f","match":{"value":1}}]},"exact":true}' },
  { what: 'count except source a', method: 'POST', path: `/collections/${C}/points/count`, body: '{"filter":{"must":[{"key":"source","match":{"except":["a"]}}]},"exact":true}' },
  { what: 'count must_not except source a', method: 'POST', path: `/collections/${C}/points/count`, body: '{"filter":{"must_not":[{"key":"source","match":{"except":["a"]}}]},"exact":true}' },
  { what: 'scroll limit "ten"', method: 'POST', path: `/collections/${C}/points/scroll`, body: '{"limit":"ten"}' },
  { what: 'scroll limit -1', method: 'POST', path: `/collections/${C}/points/scroll`, body: '{"limit":-1}' },
  { what: 'query limit 0', method: 'POST', path: `/collections/${C}/points/query`, body: '{"query":[1,1,1,1],"limit":0}' },
  { what: 'upsert wait=maybe', method: 'PUT', path: `/collections/${C}/points?wait=maybe`, body: '{"points":[]}' },
  { what: 'create shard_number 0', method: 'PUT', path: `/collections/${C}_x`, body: '{"vectors":{"size":4,"distance":"Dot"},"shard_number":0}' },
  { what: 'retrieve with vectors', method: 'POST', path: `/collections/${C}/points`, body: '{"ids":[1,18446744073709551615,"550e8400-e29b-41d4-a716-446655440000"],"with_vector":true,"with_payload":true}' },
  { what: 'scroll', method: 'POST', path: `/collections/${C}/points/scroll`, body: '{"limit":2}' },
  { what: 'scroll unknown filter field', method: 'POST', path: `/collections/${C}/points/scroll`, body: '{"filter":{"mustt":[]}}' },
  { what: 'scroll limit 0', method: 'POST', path: `/collections/${C}/points/scroll`, body: '{"limit":0}' },
  { what: 'count filtered', method: 'POST', path: `/collections/${C}/points/count`, body: '{"filter":{"must":[{"key":"source","match":{"value":"a"}}]},"exact":true}' },
  { what: 'query', method: 'POST', path: `/collections/${C}/points/query`, body: '{"query":[1,1,1,1],"limit":3,"with_payload":true}' },
  { what: 'query by id', method: 'POST', path: `/collections/${C}/points/query`, body: '{"query":1,"limit":3}' },
  { what: 'query wrong dim', method: 'POST', path: `/collections/${C}/points/query`, body: '{"query":[1,1]}' },
  {
    what: 'collection info',
    method: 'GET',
    path: `/collections/${C}`,
    pick: ['status', 'optimizer_status', 'points_count', 'config.params.vectors', 'config.params.shard_number', 'config.hnsw_config.m', 'config.optimizer_config.deleted_threshold', 'config.wal_config.wal_capacity_mb', 'payload_schema'],
  },
  { what: 'delete index', method: 'DELETE', path: `/collections/${C}/index/faiss_id?wait=true`, pick: ['status'] },
  { what: 'delete collection', method: 'DELETE', path: `/collections/${C}` },
  { what: 'delete collection again', method: 'DELETE', path: `/collections/${C}` },
];

interface Answer {
  status: number;
  error?: string;
  result?: unknown;
}

/**
 * One request on its own connection: a pooled keep-alive socket that the server closes while a loaded machine
 * dawdles between probes fails with "other side closed", which would be a flake, not a difference.
 */
function send(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function ask(base: string, apiKey: string | undefined, p: Probe): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers['api-key'] = apiKey;
  const res = await send(`${base}${p.path}`, p.method, headers, p.body);
  const body = res.body;
  if (p.text) return { status: res.status, result: body.replace(/,"time":[0-9.e-]+/, '') };
  // Big ids: compare as text-exact numbers by quoting long integer literals before JSON.parse.
  const text = body.replace(/([:,[]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"');
  const json = JSON.parse(text) as { result?: unknown; status?: { error?: string } | string };
  if (typeof json.status === 'object' && json.status?.error) return { status: res.status, error: json.status.error };
  return { status: res.status, result: json.result };
}

function get(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}

/** Errors agree up to Qdrant's "at line L column C" and the stand-in's "at <json path>" / "(detail)" suffixes. */
function errorCore(e: string): string {
  return e
    .replace(/ at line \d+ column \d+$/, '')
    .replace(/ \(.*\)$/, '')
    .replace(/ at [\w[\].]+$/, '');
}

/** Numbers compare as f32 (vectors, scores). */
function close(a: unknown, b: unknown, path: string, diffs: string[]): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.fround(a) !== Math.fround(b) && Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(a))) diffs.push(`${path}: ${a} vs ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) diffs.push(`${path}: length ${a.length} vs ${b.length}`);
    a.forEach((x, i) => close(x, b[i], `${path}[${i}]`, diffs));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (k === 'version') continue; // point versions are operation counters, not comparable
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if ((x === undefined || x === null) && (y === undefined || y === null)) continue;
      close(x, y, `${path}.${k}`, diffs);
    }
    return;
  }
  if (a !== b) diffs.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

describe.skipIf(!LIVE)('stand-in answers as the real Qdrant does', () => {
  let standIn: StandInServer;
  let qdrant: TestQdrant;
  beforeAll(async () => {
    qdrant = await startQdrant({ apiKey: KEY });
    // The stand-in speaks the real server's version when it has that document (1.18.3), else the newest.
    const version = (OPENAPI_VERSIONS as readonly string[]).includes(qdrant.version) ? (qdrant.version as OpenApiVersion) : undefined;
    standIn = new StandInServer({ apiKey: KEY, openapiVersion: version });
    await standIn.listen();
  });
  afterAll(async () => {
    if (qdrant) await fetch(`${qdrant.url}/collections/${C}`, { method: 'DELETE', headers: KEY ? { 'api-key': KEY } : {} }).catch(() => undefined);
    await qdrant?.stop();
    await standIn?.close();
  });

  it('agrees on every probe (status, error text, result)', async () => {
    const report: string[] = [];
    for (const p of PROBES) {
      const real = await ask(qdrant.url, KEY, p);
      const mine = await ask(standIn.url, KEY, p);
      const diffs: string[] = [];
      if (real.status !== mine.status) diffs.push(`status ${real.status} vs ${mine.status}`);
      if (real.error !== undefined || mine.error !== undefined) {
        if (errorCore(real.error ?? '') !== errorCore(mine.error ?? '')) diffs.push(`error:\n      real:     ${real.error}\n      stand-in: ${mine.error}`);
      } else if (p.pick) {
        for (const f of p.pick) close(get(real.result, f), get(mine.result, f), f, diffs);
      } else close(real.result, mine.result, 'result', diffs);
      if (diffs.length) report.push(`${p.what} (${p.method} ${p.path.replace(C, '<c>')}):\n    ${diffs.join('\n    ')}`);
    }
    if (report.length) console.log(`stand-in vs Qdrant differences:\n  ${report.join('\n  ')}`);
    expect(report).toEqual([]);
  });
});
