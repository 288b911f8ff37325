/** Shared by the stand-in suites: a Qdrant per file, a client, unique collection names, raw HTTP. */
import http from 'node:http';
import { QdrantClient } from '@qdrant/js-client-rest';
import { qdrantKind, startQdrant, type TestQdrant } from '../support/qdrant';
import type { StandInOptions } from '../support/qdrant/server';

/** True when the suites run against a real Qdrant (npm run test:live): stand-in-only tests skip. */
export const LIVE = qdrantKind() !== 'stand-in';

export interface Harness {
  qdrant: TestQdrant;
  client: QdrantClient;
  /** A collection name no other test uses (tests may share a real server). */
  name(tag: string): string;
  /** Raw HTTP for what the client cannot express (ids above 2^53, malformed bodies). */
  raw(method: string, path: string, body?: string): Promise<{ status: number; text: string; json: () => unknown; headers: Headers }>;
  cleanup(): Promise<void>;
}

let counter = 0;

/**
 * One HTTP request over node:http rather than fetch: a real Qdrant answers an over-limit body (400) before
 * it has read it and closes the connection, and the write then fails with EPIPE. fetch surfaces that as an
 * unhandled socket error; here the body goes in pieces, none after the answer, and an error after the answer
 * is the expected end of that exchange.
 */
function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string; json: () => unknown; headers: Headers }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, text, headers: h, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    // in 64 KB pieces, each after the last is written, so that an early answer is read before the next write
    const data = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    const next = (at: number): void => {
      if (answered || at >= data.length) return void req.end();
      req.write(data.subarray(at, at + 65_536), (e) => {
        if (!e) setImmediate(() => next(at + 65_536));
      });
    };
    next(0);
  });
}

export async function harness(options: StandInOptions = {}): Promise<Harness> {
  const qdrant = await startQdrant(options);
  const client = new QdrantClient({ url: qdrant.url, apiKey: qdrant.apiKey, checkCompatibility: false });
  const created: string[] = [];
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  return {
    qdrant,
    client,
    name(tag) {
      const n = `standin_${tag}_${run}_${counter++}`;
      created.push(n);
      return n;
    },
    async raw(method, path, body) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (qdrant.apiKey) headers['api-key'] = qdrant.apiKey;
      // A server that refuses a body early closes with the rest unread, and its kernel may then reset the
      // connection before the answer reaches us: that exchange is asked again, a few times at most.
      for (let attempt = 1; ; attempt++) {
        try {
          return await rawRequest(`${qdrant.url}${path}`, method, headers, body);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (attempt >= 5 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw e;
        }
      }
    },
    async cleanup() {
      if (qdrant.kind !== 'external') {
        await qdrant.stop(); // a server of our own: its storage goes with it
        return;
      }
      for (const n of created) await client.deleteCollection(n).catch(() => undefined);
      await qdrant.stop();
    },
  };
}

/** The `status.error` text of a failed client call, with its HTTP status. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; error: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; data?: { status?: { error?: string } } };
    return { status: err.status ?? 0, error: err.data?.status?.error ?? String(e) };
  }
  throw new Error('expected the call to fail');
}

/** Deterministic vectors for tests. */
export function vectors(n: number, dim: number, seed = 1): number[][] {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff - 0.5;
  };
  return Array.from({ length: n }, () => Array.from({ length: dim }, () => Math.fround(rnd())));
}
