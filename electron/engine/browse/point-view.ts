/**
 * Qdrant's point records → the contract's PointView: ids as exact decimal strings (or UUIDs), payload
 * integers beyond 2^53 as decimal strings listed in `bigintPaths` (so a JSON tree can show and copy them
 * without rounding), the unnamed (or first named) dense vector, and the document the payload holds.
 */
import type { PointView } from '../../../shared/contract';
import { rawIdToString, type RawPoint, type RawPointId } from '../qdrant/rest-reads';
import { documentOf } from '../payload/read-back';

/** A contract id string as Qdrant wants it in a JSON body: integer (exact, bigint when unsafe) or UUID. */
export function idForQdrant(id: string): RawPointId {
  if (!/^\d+$/.test(id)) return id.toLowerCase();
  const n = BigInt(id);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Copy `value` with every bigint replaced by its decimal string; records where each one was. */
export function stringifyBigints(value: unknown, path: string, paths: string[]): unknown {
  if (typeof value === 'bigint') {
    paths.push(path);
    return value.toString();
  }
  if (Array.isArray(value)) return value.map((v, i) => stringifyBigints(v, `${path}[${i}]`, paths));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = stringifyBigints(v, path ? `${path}.${k}` : k, paths);
    return out;
  }
  return value;
}

function denseVector(vector: unknown): number[] | null {
  if (Array.isArray(vector)) return vector.every((x) => typeof x === 'number') ? (vector as number[]) : null;
  if (vector !== null && typeof vector === 'object') {
    const values = Object.values(vector as Record<string, unknown>);
    const first = values.find((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'));
    return (first as number[] | undefined) ?? null;
  }
  return null;
}

export function toPointView(p: RawPoint): PointView {
  const bigintPaths: string[] = [];
  const payload = p.payload ? (stringifyBigints(p.payload, '', bigintPaths) as Record<string, unknown>) : null;
  const view: PointView = { id: rawIdToString(p.id), payload, vector: p.vector === undefined ? null : denseVector(p.vector) };
  if (bigintPaths.length > 0) view.bigintPaths = bigintPaths;
  if (typeof p.score === 'number') view.score = p.score;
  const document = documentOf(payload);
  if (document) view.document = document;
  return view;
}
