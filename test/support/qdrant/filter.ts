/**
 * Qdrant's filter semantics over stored points: must / should / must_not / min_should, match (value, any,
 * except, text, text_any, phrase, prefix), range (numbers and RFC 3339 datetimes), values_count, is_empty,
 * is_null, has_id, has_vector, nested, and nested filters. Conditions arrive already validated against the
 * OpenAPI schema, so this module only decides truth.
 */
import type { Schemas } from '@qdrant/js-client-rest';
import { badRequest, formatError } from './errors';
import { JsonFloat } from './json-in';
import { idKey, parsePointId } from './ids';
import { valuesAt, rawValuesAt } from './payload-path';
import type { Payload, StoredPoint } from './point';

type Filter = Schemas['Filter'];
type Condition = Schemas['Condition'];

/** What a condition sees: the point's payload and id, and which vector names it has. */
export interface FilterTarget {
  payload: Payload;
  point: StoredPoint | undefined;
}

/** Full-text tokens for fields with a text index (Qdrant's default word tokenizer, lower-cased). */
export type TextTokenizer = (field: string) => ((s: string) => string[]) | undefined;

export type Predicate = (t: FilterTarget) => boolean;

const asList = (c: unknown): Condition[] => (c === null || c === undefined ? [] : Array.isArray(c) ? (c as Condition[]) : [c as Condition]);

export function wordTokens(s: string): string[] {
  return s.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((t) => t.length > 0);
}

function isInt(v: unknown): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

function equalsValue(stored: unknown, wanted: unknown): boolean {
  if (typeof wanted === 'string') return stored === wanted;
  if (typeof wanted === 'boolean') return stored === wanted;
  if (isInt(wanted)) return isInt(stored) && BigInt(stored) === BigInt(wanted);
  return false;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof JsonFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** Qdrant parses RFC 3339 (and a few looser forms) for datetime ranges; Date.parse covers those we send. */
function toTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function rangePredicate(range: Record<string, unknown>): (v: unknown) => boolean {
  const bounds = ['lt', 'gt', 'gte', 'lte'].map((k) => [k, range[k]] as const).filter(([, b]) => b !== null && b !== undefined);
  const datetime = bounds.some(([, b]) => typeof b === 'string');
  const conv = datetime ? toTime : toNumber;
  const parsed = bounds.map(([k, b]) => [k, conv(b)] as const);
  for (const [k, b] of parsed) if (b === undefined) throw badRequest(`invalid range bound ${k}`);
  return (v) => {
    const x = conv(v);
    if (x === undefined) return false;
    for (const [k, b] of parsed) {
      const bound = b!;
      if (k === 'lt' && !(x < bound)) return false;
      if (k === 'gt' && !(x > bound)) return false;
      if (k === 'lte' && !(x <= bound)) return false;
      if (k === 'gte' && !(x >= bound)) return false;
    }
    return true;
  };
}

function countPredicate(c: Record<string, unknown>): (n: number) => boolean {
  return (n) => {
    if (typeof c.lt === 'number' && !(n < c.lt)) return false;
    if (typeof c.gt === 'number' && !(n > c.gt)) return false;
    if (typeof c.lte === 'number' && !(n <= c.lte)) return false;
    if (typeof c.gte === 'number' && !(n >= c.gte)) return false;
    return true;
  };
}

function isEmptyAt(payload: Payload, key: string): boolean {
  const raw = rawValuesAt(payload, key);
  // Missing, null, or an empty array all count as empty (Qdrant's `is_empty`).
  return raw.every((v) => v === null || v === undefined || (Array.isArray(v) && v.length === 0));
}

function isNullAt(payload: Payload, key: string): boolean {
  const raw = rawValuesAt(payload, key);
  return raw.length > 0 && raw.some((v) => v === null || (Array.isArray(v) && v.some((e) => e === null)));
}

function matchPredicate(key: string, match: Record<string, unknown>, tokenizer: TextTokenizer): Predicate {
  if ('value' in match) {
    const wanted = match.value;
    return ({ payload }) => valuesAt(payload, key).some((v) => equalsValue(v, wanted));
  }
  if ('any' in match) {
    const list = match.any as unknown[];
    return ({ payload }) => valuesAt(payload, key).some((v) => list.some((w) => equalsValue(v, w)));
  }
  if ('except' in match) {
    const list = match.except as unknown[];
    // Qdrant 1.18.3 (with or without an index): true when the field holds at least one non-null value outside
    // the list (of any type: a number is outside a list of strings); a missing, null or empty field matches nothing.
    return ({ payload }) => valuesAt(payload, key).some((v) => v !== null && !list.some((w) => equalsValue(v, w)));
  }
  const tok = tokenizer(key);
  if ('text' in match || 'text_any' in match || 'phrase' in match) {
    const query = String(match.text ?? match.text_any ?? match.phrase);
    const mode = 'text' in match ? 'all' : 'text_any' in match ? 'any' : 'phrase';
    if (!tok) {
      // Without a full-text index Qdrant falls back to substring matching.
      return ({ payload }) => valuesAt(payload, key).some((v) => typeof v === 'string' && v.includes(query));
    }
    const qTokens = tok(query);
    return ({ payload }) =>
      valuesAt(payload, key).some((v) => {
        if (typeof v !== 'string') return false;
        const have = tok(v);
        if (mode === 'all') return qTokens.every((t) => have.includes(t));
        if (mode === 'any') return qTokens.some((t) => have.includes(t));
        for (let i = 0; i + qTokens.length <= have.length; i++) if (qTokens.every((t, j) => have[i + j] === t)) return true;
        return false;
      });
  }
  if ('prefix' in match) {
    const prefix = String(match.prefix);
    return ({ payload }) => valuesAt(payload, key).some((v) => typeof v === 'string' && v.startsWith(prefix));
  }
  throw badRequest('unsupported match condition');
}

function conditionPredicate(c: Condition, tokenizer: TextTokenizer, prefix: string): Predicate {
  const o = c as Record<string, unknown>;
  if ('key' in o && typeof o.key === 'string') {
    const key = prefix + o.key;
    const parts: Predicate[] = [];
    if (o.match) parts.push(matchPredicate(key, o.match as Record<string, unknown>, tokenizer));
    if (o.range) {
      const inRange = rangePredicate(o.range as Record<string, unknown>);
      parts.push(({ payload }) => valuesAt(payload, key).some(inRange));
    }
    if (o.values_count) {
      const ok = countPredicate(o.values_count as Record<string, unknown>);
      parts.push(({ payload }) => ok(valuesAt(payload, key).length));
    }
    if (o.is_empty === true) parts.push(({ payload }) => isEmptyAt(payload, key));
    if (o.is_empty === false) parts.push(({ payload }) => !isEmptyAt(payload, key));
    if (o.is_null === true) parts.push(({ payload }) => isNullAt(payload, key));
    if (o.is_null === false) parts.push(({ payload }) => !isNullAt(payload, key));
    if (o.geo_bounding_box || o.geo_radius || o.geo_polygon) throw badRequest('geo conditions are not supported by the stand-in');
    if (parts.length === 0) throw badRequest(`Field condition for key "${o.key}" must have at least one condition`);
    return (t) => parts.every((p) => p(t));
  }
  if ('is_empty' in o) {
    const key = prefix + (o.is_empty as { key: string }).key;
    return ({ payload }) => isEmptyAt(payload, key);
  }
  if ('is_null' in o) {
    const key = prefix + (o.is_null as { key: string }).key;
    return ({ payload }) => isNullAt(payload, key);
  }
  if ('has_id' in o) {
    const keys = new Set((o.has_id as unknown[]).map((v) => idKey(parsePointId(v))));
    return ({ point }) => point !== undefined && keys.has(idKey(point.id));
  }
  if ('has_vector' in o) {
    const name = o.has_vector as string;
    return ({ point }) => point !== undefined && point.vectors.has(name);
  }
  if ('nested' in o) {
    const { key, filter } = o.nested as { key: string; filter: Filter };
    const inner = compileFilter(filter, tokenizer, '');
    const path = `${prefix}${key}[]`;
    // Every condition of the nested filter must hold for one and the same array element.
    return ({ payload, point }) =>
      valuesAt(payload, path).some((el) => el !== null && typeof el === 'object' && inner({ payload: el as Payload, point }));
  }
  return compileFilter(o as Filter, tokenizer, prefix);
}

/** A predicate for a Qdrant filter (undefined/null: every point). */
const FILTER_KEYS = ['should', 'min_should', 'must', 'must_not'];

export function compileFilter(filter: Filter | null | undefined, tokenizer: TextTokenizer, prefix = ''): Predicate {
  if (!filter) return () => true;
  // Qdrant's Filter denies unknown fields (checked here too, so it holds without the OpenAPI document).
  for (const k of Object.keys(filter)) {
    if (!FILTER_KEYS.includes(k)) throw formatError(`unknown field \`${k}\`, expected one of ${FILTER_KEYS.map((x) => `\`${x}\``).join(', ')}`);
  }
  const must = asList(filter.must).map((c) => conditionPredicate(c, tokenizer, prefix));
  const should = asList(filter.should).map((c) => conditionPredicate(c, tokenizer, prefix));
  const mustNot = asList(filter.must_not).map((c) => conditionPredicate(c, tokenizer, prefix));
  const minShould = filter.min_should as Schemas['MinShould'] | null | undefined;
  const minConds = minShould ? minShould.conditions.map((c) => conditionPredicate(c, tokenizer, prefix)) : [];
  return (t) => {
    for (const p of must) if (!p(t)) return false;
    for (const p of mustNot) if (p(t)) return false;
    if (should.length > 0 && !should.some((p) => p(t))) return false;
    if (minShould) {
      let n = 0;
      for (const p of minConds) if (p(t)) n++;
      if (n < minShould.min_count) return false;
    }
    return true;
  };
}
