/**
 * A stored payload against the one the migration should have written, difference by difference. The
 * expected payload is built by the same `buildPayload` the migration uses, from the document the source
 * holds now; the two per-run fields (`migrated_at`, `batch_num`, top level or under `_xnai`) are only checked
 * for their type, since a resumed or retried run writes other values.
 *
 * Types are strict, as a Python application reading the point sees them: an int is not a float (`5` is not
 * `5.0`), -0.0 is not 0.0, a bool is not an int. Both sides follow the engine's number convention
 * (../python-number), Qdrant's side because its reply is parsed with the same literal rules. A difference
 * that Qdrant's own JSON number parser introduced (./qdrant-numbers) is told apart from a real one.
 */
import { MIGRATION_FIELDS_KEY, type Mismatch, type MismatchCause, type ValueSide } from '../../../shared/contract';
import { PyFloat, pyFloatRepr, pyTypeOf } from '../python-number';
import { payloadToJson } from '../qdrant/payload-json';
import { isQdrantFloatRounding, serdeJsonNumber } from './qdrant-numbers';

/** Fields whose value depends on when and in which batch the point was written. */
export const RUN_FIELDS = ['migrated_at', 'batch_num'] as const;

/** Differences recorded per point at most (the first ones, in payload order). */
const PER_POINT = 5;
const TEXT_MAX = 200;

export interface PayloadDiff {
  equal: boolean;
  /** The first real difference in one line, e.g. `metadata.author: str "b" in Qdrant, str "a" in the source`. */
  reason: string | null;
  /** Every difference found (up to a few), real ones and those Qdrant's number parsing made. */
  differences: Difference[];
}

/** A Mismatch before it is attached to a point. */
export type Difference = Omit<Mismatch, 'pointId' | 'faissId' | 'kind'>;

function cut(s: string): string {
  return s.length > TEXT_MAX ? `${s.slice(0, TEXT_MAX - 1)}…` : s;
}

/** A value's side: its Python type and exact JSON text. */
export function sideOf(v: unknown): ValueSide {
  if (v === undefined) return { type: 'missing', text: '(missing)' };
  if (v instanceof PyFloat) return { type: 'float', text: pyFloatRepr(v.value) };
  const type = pyTypeOf(v);
  if (type === 'float' && typeof v === 'number') return { type, text: pyFloatRepr(v) };
  return { type, text: cut(payloadToJson(v)) };
}

function numberOf(v: unknown): number | bigint | null {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  return null;
}

function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Why two numbers differ (or null when they are the same value of the same type). */
function numberDifference(want: unknown, got: unknown): { cause: MismatchCause; explanation: string } | null {
  const tw = pyTypeOf(want);
  const tg = pyTypeOf(got);
  const w = numberOf(want)!;
  const g = numberOf(got)!;
  const sw = sideOf(want).text;
  const sg = sideOf(got).text;
  if (tw === tg) {
    if (tw === 'int' ? BigInt(w) === BigInt(g) : sameFloat(Number(w), Number(g))) return null;
    if (tw === 'float' && isQdrantFloatRounding(sw, Number(w), Number(g))) {
      return {
        cause: 'qdrant-json-number',
        explanation: `Qdrant's REST JSON parser reads the float literal ${sw} as ${sg} (one unit in the last place off); it stores the same for any client that writes this number over REST, the framework's own included`,
      };
    }
    return { cause: 'mismatch', explanation: `the ${tw} ${sg} in Qdrant is not the ${tw} ${sw} in the source` };
  }
  if (tw === 'int' && tg === 'float') {
    const parsed = serdeJsonNumber(sw);
    if (parsed?.kind === 'float' && sameFloat(parsed.value, Number(g))) {
      return {
        cause: 'qdrant-json-number',
        explanation: `Qdrant keeps payload integers only within 64 bits: the int ${sw} is stored as the float ${sg}, as for any client; over gRPC it cannot be sent at all`,
      };
    }
  }
  const note = tw === 'float' && tg === 'int' ? `: a Python application reads ${sg} (an int), not ${sw}` : tw === 'int' && tg === 'float' ? `: a Python application reads ${sg} (a float), not ${sw}` : '';
  return { cause: 'mismatch', explanation: `the source has the ${tw} ${sw}, Qdrant the ${tg} ${sg}${note}` };
}

function isDict(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Collects differences between `want` and `got` below `path`, up to PER_POINT. */
function collect(want: unknown, got: unknown, path: string, out: Difference[]): void {
  if (out.length >= PER_POINT) return;
  const tw = want === undefined ? 'missing' : pyTypeOf(want);
  const tg = got === undefined ? 'missing' : pyTypeOf(got);
  const here = path || '(payload)';
  if ((tw === 'int' || tw === 'float') && (tg === 'int' || tg === 'float')) {
    const d = numberDifference(want, got);
    if (d) out.push({ path: here, source: sideOf(want), qdrant: sideOf(got), ...d });
    return;
  }
  if (tw !== tg) {
    const explanation =
      tg === 'missing'
        ? `Qdrant's payload has no ${here}`
        : tw === 'missing'
          ? `Qdrant's payload has a field the source does not: ${here}`
          : `the source has a ${tw}, Qdrant a ${tg}`;
    out.push({ path: here, source: sideOf(want), qdrant: sideOf(got), cause: 'mismatch', explanation });
    return;
  }
  if (Array.isArray(want) && Array.isArray(got)) {
    if (want.length !== got.length) {
      out.push({ path: here, source: sideOf(want), qdrant: sideOf(got), cause: 'mismatch', explanation: `${got.length} items in Qdrant, ${want.length} in the source` });
      return;
    }
    for (let i = 0; i < want.length; i++) collect(want[i], got[i], `${path}[${i}]`, out);
    return;
  }
  if (isDict(want) && isDict(got)) {
    for (const k of Object.keys(want)) collect(want[k], Object.prototype.hasOwnProperty.call(got, k) ? got[k] : undefined, join(path, k), out);
    for (const k of Object.keys(got)) if (!Object.prototype.hasOwnProperty.call(want, k)) collect(undefined, got[k], join(path, k), out);
    return;
  }
  if (want !== got) {
    out.push({ path: here, source: sideOf(want), qdrant: sideOf(got), cause: 'mismatch', explanation: `the ${tw} in Qdrant is not the one in the source` });
  }
}

/** The first difference between `want` and `got` in one line, or null when they are equal (types strict). */
export function firstDifference(want: unknown, got: unknown, path = ''): string | null {
  const out: Difference[] = [];
  collect(want, got, path, out);
  const d = out.find((x) => x.cause === 'mismatch');
  return d ? describe(d) : null;
}

/** `metadata.score: float 5.0 in the source, int 5 in Qdrant (...)`. */
export function describe(d: Difference): string {
  return `${d.path}: ${d.source.type} ${d.source.text} in the source, ${d.qdrant.type} ${d.qdrant.text} in Qdrant`;
}

/** Where the run fields sit in a payload: under `_xnai` (framework layouts) or at the top level (raw). */
function runFieldHolder(payload: Record<string, unknown>): { holder: Record<string, unknown>; prefix: string } {
  const own = payload[MIGRATION_FIELDS_KEY];
  return isDict(own) ? { holder: own, prefix: `${MIGRATION_FIELDS_KEY}.` } : { holder: payload, prefix: '' };
}

export function comparePayload(expected: Record<string, unknown>, stored: unknown): PayloadDiff {
  if (!isDict(stored)) {
    const d: Difference = { path: '(payload)', source: sideOf(expected), qdrant: sideOf(stored ?? undefined), cause: 'mismatch', explanation: 'no payload stored' };
    return { equal: false, reason: 'no payload stored', differences: [d] };
  }
  const got = { ...stored };
  const want = { ...expected };
  const g = runFieldHolder(got);
  const w = runFieldHolder(want);
  const at = g.holder.migrated_at;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
    const d: Difference = { path: `${g.prefix}migrated_at`, source: { type: 'str', text: '(an ISO timestamp)' }, qdrant: sideOf(at), cause: 'mismatch', explanation: 'not an ISO timestamp' };
    return { equal: false, reason: `${g.prefix}migrated_at: ${d.qdrant.type} ${d.qdrant.text} is not an ISO timestamp`, differences: [d] };
  }
  const batch = g.holder.batch_num;
  if (!((typeof batch === 'number' && Number.isInteger(batch) && batch >= 0) || typeof batch === 'bigint')) {
    const d: Difference = { path: `${g.prefix}batch_num`, source: { type: 'int', text: '(a batch number)' }, qdrant: sideOf(batch), cause: 'mismatch', explanation: 'not a batch number' };
    return { equal: false, reason: `${g.prefix}batch_num: ${d.qdrant.type} ${d.qdrant.text} is not a batch number`, differences: [d] };
  }
  // The run fields were checked for their type: the rest must be equal. Copies, so the caller's objects stay whole.
  for (const [side, h] of [[got, g.holder], [want, w.holder]] as const) {
    if (h === side) for (const f of RUN_FIELDS) delete side[f];
    else side[MIGRATION_FIELDS_KEY] = omit(h, RUN_FIELDS);
  }
  const differences: Difference[] = [];
  collect(want, got, '', differences);
  const real = differences.find((d) => d.cause !== 'qdrant-json-number');
  return { equal: real === undefined, reason: real ? describe(real) : null, differences };
}

function omit(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k)) out[k] = o[k];
  return out;
}
