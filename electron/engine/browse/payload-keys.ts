/**
 * Payload keys to filter on. A user types `category = gamma` where LangChain keeps `metadata.category`: the
 * points browser needs the keys as Qdrant's filters spell them. They come from two places: the payload
 * schema (indexed keys, even ones absent from the sample) and a sample of points, walked into dotted paths
 * (`metadata.category`; `items[].name` inside arrays of objects, as Qdrant's nested-key syntax has it;
 * an array of scalars keeps its own key, since a match on it matches any element).
 */
import type { PayloadKey } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { collectionPath, qdrantRead, safeUrl, type RawPoint } from '../qdrant/rest-reads';
import { payloadTypes, type BrowseTarget } from './points';

type Scalar = string | number | boolean;

interface KeyStats {
  types: Set<string>;
  /** Points (of the sample) that have the key: counted once per point. */
  points: number;
  lastPoint: number;
  values: Map<string, { value: Scalar; n: number }>;
}

const MAX_DEPTH = 6;
const MAX_EXAMPLES = 5;
const MAX_EXAMPLE_CHARS = 80;
/** Distinct values tracked per key: enough to rank examples, bounded for free-text keys. */
const MAX_TRACKED = 200;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function scalar(v: unknown): Scalar | null {
  if (typeof v === 'string') return v.length > MAX_EXAMPLE_CHARS ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  return null;
}

/** Walks one payload into `stats`, one entry per dotted key. */
export function collectKeys(payload: Record<string, unknown>, pointNo: number, stats: Map<string, KeyStats>): void {
  const see = (key: string, value: unknown) => {
    let s = stats.get(key);
    if (!s) stats.set(key, (s = { types: new Set(), points: 0, lastPoint: -1, values: new Map() }));
    if (s.lastPoint !== pointNo) {
      s.lastPoint = pointNo;
      s.points++;
    }
    s.types.add(typeOf(value));
    const sc = scalar(value);
    if (sc !== null) {
      const id = `${typeof sc}:${String(sc)}`;
      const seen = s.values.get(id);
      if (seen) seen.n++;
      else if (s.values.size < MAX_TRACKED) s.values.set(id, { value: sc, n: 1 });
    }
  };
  const walk = (prefix: string, value: unknown, depth: number) => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (Array.isArray(v)) {
        const objects = v.filter((e) => e !== null && typeof e === 'object' && !Array.isArray(e));
        if (objects.length > 0) {
          for (const o of objects) walk(`${key}[]`, o, depth + 1);
        } else {
          // an array of scalars: filtering on the key matches any element
          see(key, v);
          for (const e of v) see(key, e);
        }
      } else if (v !== null && typeof v === 'object') {
        walk(key, v, depth + 1);
      } else {
        see(key, v);
      }
    }
  };
  walk('', payload, 0);
}

/** Does `key` end with the key the user typed ("category" → "metadata.category", "items[].category")? */
export function keyMatches(key: string, query: string): boolean {
  const q = query.trim().toLowerCase().replace(/\[\]/g, '');
  if (!q) return false;
  const k = key.toLowerCase().replace(/\[\]/g, '');
  return k === q || k.endsWith(`.${q}`);
}

export async function payloadKeys(target: BrowseTarget, options: { sample: number; query?: string }): Promise<{ keys: PayloadKey[]; sampled: number }> {
  const indexed = await payloadTypes(target);
  let points: RawPoint[] = [];
  if (options.sample > 0) {
    const r = await qdrantRead<{ points: RawPoint[] }>(target, 'POST', collectionPath(target.collection, '/points/scroll'), { limit: options.sample, with_payload: true, with_vector: false });
    if (r.status === 404) throw new UserError('usage', `collection "${target.collection}" does not exist in Qdrant at ${safeUrl(target.qdrantUrl)}`);
    if (r.result === null) throw new UserError('connection', `Qdrant refused the sample of "${target.collection}" (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
    points = r.result.points;
  }
  const stats = new Map<string, KeyStats>();
  points.forEach((p, i) => {
    if (p.payload) collectKeys(p.payload, i, stats);
  });
  const keys = new Set([...stats.keys(), ...indexed.keys()]);
  const out: PayloadKey[] = [...keys].map((key) => {
    const s = stats.get(key);
    const examples = s ? [...s.values.values()].sort((a, b) => b.n - a.n).slice(0, MAX_EXAMPLES).map((e) => e.value) : [];
    return {
      key,
      types: s ? [...s.types].sort() : [],
      indexed: indexed.get(key) || null,
      seenIn: s?.points ?? 0,
      examples,
      matchesQuery: options.query !== undefined && keyMatches(key, options.query),
    };
  });
  // what the user typed first, then the keys most points have, then by name
  out.sort((a, b) => Number(b.matchesQuery) - Number(a.matchesQuery) || b.seenIn - a.seenIn || a.key.localeCompare(b.key));
  return { keys: out, sampled: points.length };
}
