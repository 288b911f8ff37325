/**
 * Test helpers for verification and reports: raw Qdrant edits that damage one point in a known way
 * (through REST with bigint-safe JSON, as a user or a bug might), and a scan of every Redis value for
 * secrets.
 */
import type { Redis } from 'ioredis';
import { parseJson, stringifyJson } from '../../shared/json';
import type { PointId } from '../../electron/engine/point-id';

export interface QdrantAccess {
  url: string;
  apiKey?: string | undefined;
}

export async function qdrantCall(q: QdrantAccess, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${q.url.replace(/\/$/, '')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(q.apiKey ? { 'api-key': q.apiKey } : {}) },
    body: body === undefined ? undefined : stringifyJson(body),
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
