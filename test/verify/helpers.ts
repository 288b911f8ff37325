/**
 * Test helpers for verification and reports: the real services each suite runs against (a password-protected
 * redis-server and the Qdrant stand-in with an API key), raw Qdrant edits that damage one point in a known way
 * (through REST with bigint-safe JSON, as a user or a bug might), and a scan of every Redis value for
 * secrets.
 */
import { Redis } from 'ioredis';
import { parseJson, stringifyJson } from '../../shared/json';
import type { PointId } from '../../electron/engine/point-id';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant } from '../support/qdrant/index';

export type TestQdrant = Awaited<ReturnType<typeof startQdrant>>;

export interface Services {
  redis: TestRedis;
  qdrant: TestQdrant;
  /** A client on that Redis, for reading what was stored. */
  client: Redis;
}

/**
 * A redis-server with `redisPassword`, the Qdrant stand-in (or QDRANT_URL) with `apiKey`, and a client on the
 * Redis. Whatever started is stopped again if a later start fails.
 */
export async function startServices(secrets: { apiKey: string; redisPassword: string }): Promise<Services> {
  const redis = await startRedis({ password: secrets.redisPassword });
  let qdrant: TestQdrant;
  try {
    qdrant = await startQdrant({ apiKey: secrets.apiKey });
  } catch (e) {
    await redis.dispose();
    throw e;
  }
  const client = new Redis({ host: redis.host, port: redis.port, password: secrets.redisPassword });
  return { redis, qdrant, client };
}

/** Stops what `startServices` started (client, then Qdrant, then Redis); safe when it never ran. */
export async function stopServices(s: Services | undefined): Promise<void> {
  s?.client.disconnect();
  await s?.qdrant.stop();
  await s?.redis.dispose();
}

export interface QdrantAccess {
  url: string;
  apiKey?: string | undefined;
}

/** A request body already written as JSON text (e.g. by payloadToJson, which keeps 5.0 a float). */
export class JsonText {
  constructor(readonly text: string) {}
}

export async function qdrantCall(q: QdrantAccess, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${q.url.replace(/\/$/, '')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(q.apiKey ? { 'api-key': q.apiKey } : {}) },
    body: body === undefined ? undefined : body instanceof JsonText ? body.text : stringifyJson(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (parseJson<{ result: unknown }>(text)).result;
}

/** Delete a collection if it exists (a real Qdrant keeps collections between test runs). */
export async function dropCollection(q: QdrantAccess, collection: string): Promise<void> {
  try {
    await qdrantCall(q, 'DELETE', `/collections/${collection}`);
  } catch (e) {
    if (!/HTTP 404/.test(String(e))) throw e;
  }
}

export async function getPoint(q: QdrantAccess, collection: string, id: PointId): Promise<{ id: unknown; vector: number[]; payload: Record<string, unknown> }> {
  const r = (await qdrantCall(q, 'POST', `/collections/${collection}/points`, { ids: [id], with_vector: true, with_payload: true })) as {
    id: unknown;
    vector: number[];
    payload: Record<string, unknown>;
  }[];
  if (!r[0]) throw new Error(`point ${String(id)} not found`);
  return r[0];
}

/** Rewrite one point with its vector's first component changed and its payload kept. */
export async function corruptVector(q: QdrantAccess, collection: string, id: PointId): Promise<void> {
  const p = await getPoint(q, collection, id);
  const vector = [...p.vector];
  vector[0] = vector[0]! + 0.25;
  await qdrantCall(q, 'PUT', `/collections/${collection}/points?wait=true`, { points: [{ id, vector, payload: p.payload }] });
}

export async function deletePoint(q: QdrantAccess, collection: string, id: PointId): Promise<void> {
  await qdrantCall(q, 'POST', `/collections/${collection}/points/delete?wait=true`, { points: [id] });
}

/** Set (merge) payload fields on one point. */
export async function editPayload(q: QdrantAccess, collection: string, id: PointId, payload: Record<string, unknown>): Promise<void> {
  await qdrantCall(q, 'POST', `/collections/${collection}/points/payload?wait=true`, { payload, points: [id] });
}

/** Every key and value in the Redis database, as text, for secret scans. */
export async function dumpRedis(redis: Redis): Promise<string> {
  const out: string[] = [];
  for (const key of await redis.keys('*')) {
    const type = await redis.type(key);
    out.push(key);
    if (type === 'string') out.push((await redis.get(key)) ?? '');
    else if (type === 'list') out.push(...(await redis.lrange(key, 0, -1)));
    else if (type === 'hash') out.push(...Object.entries(await redis.hgetall(key)).flat());
    else if (type === 'set') out.push(...(await redis.smembers(key)));
    else if (type === 'zset') out.push(...(await redis.zrange(key, 0, -1)));
  }
  return out.join('\n');
}
