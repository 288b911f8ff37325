/** Reads a whole collection back with vectors (scroll), ids exact (bigint-safe JSON). */
import { parseJson } from '../../../shared/json';

export interface StoredPoint {
  id: bigint | number | string;
  vector: number[];
  payload: Record<string, unknown>;
}

export async function scrollAll(url: string, collection: string, apiKey?: string): Promise<Map<string, StoredPoint>> {
  const out = new Map<string, StoredPoint>();
  let offset: unknown = null;
  do {
    const body = `{"limit":1000,"with_vector":true,"with_payload":true${offset === null ? '' : `,"offset":${typeof offset === 'string' ? JSON.stringify(offset) : String(offset)}`}}`;
    const res = await fetch(`${url}/collections/${collection}/points/scroll`, { method: 'POST', headers: { 'content-type': 'application/json', ...(apiKey ? { 'api-key': apiKey } : {}) }, body });
    const json = parseJson<{ result: { points: StoredPoint[]; next_page_offset: unknown } }>(await res.text());
    for (const p of json.result.points) out.set(String(p.id), p);
    offset = json.result.next_page_offset ?? null;
  } while (offset !== null);
  return out;
}

export async function countPoints(url: string, collection: string): Promise<number> {
  const res = await fetch(`${url}/collections/${collection}/points/count`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"exact":true}' });
  const json = (await res.json()) as { result: { count: number } };
  return json.result.count;
}
