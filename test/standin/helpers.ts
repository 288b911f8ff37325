/** Shared by the stand-in suites: a Qdrant per file, a client, unique collection names, raw HTTP. */
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
      const res = await fetch(`${qdrant.url}${path}`, { method, headers, body });
      const text = await res.text();
      return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) as unknown };
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
