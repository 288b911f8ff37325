/**
 * Point ids as Qdrant holds them: an unsigned 64-bit integer (kept as bigint, exact beyond 2^53) or a UUID
 * (kept lower-case and hyphenated, whichever of the forms Rust's `uuid` crate parses was sent).
 * Ordering follows Qdrant's `ExtendedPointId`: every integer before every UUID, UUIDs by their 128-bit value.
 */
import { formatError } from './errors';
import { pointIdValueText } from './serde-text';

export type StoredId = bigint | string;

const U64_MAX = (1n << 64n) - 1n;
const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIMPLE = /^[0-9a-f]{32}$/i;

/** The canonical hyphenated lower-case form of a UUID string, or undefined when it is not one. */
export function canonicalUuid(s: string): string | undefined {
  let t = s;
  if (t.length === 45 && t.slice(0, 9).toLowerCase() === 'urn:uuid:') t = t.slice(9);
  else if (t.length === 38 && t[0] === '{' && t[37] === '}') t = t.slice(1, 37);
  if (HYPHENATED.test(t)) return t.toLowerCase();
  if (SIMPLE.test(t)) {
    const h = t.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return undefined;
}

/** Qdrant's 400 for a value that is not a point id, naming it as serde_json read it (see serde-text.ts). */
export function invalidPointId(v: unknown): never {
  throw formatError(`value ${pointIdValueText(v)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
}

/** A parsed JSON value (number, bigint or string) as a point id, or Qdrant's 400 for anything else. */
export function parsePointId(v: unknown): StoredId {
  if (typeof v === 'bigint') {
    if (v < 0n || v > U64_MAX) invalidPointId(v);
    return v;
  }
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) invalidPointId(v);
    return BigInt(v);
  }
  if (typeof v === 'string') return canonicalUuid(v) ?? invalidPointId(v);
  // Also a JsonFloat (`1.0`, `1e2`): serde_json reads an f64, which is never a point id.
  return invalidPointId(v);
}

/** Map key for an id: decimal digits for integers, the hyphenated UUID otherwise (never ambiguous). */
export function idKey(id: StoredId): string {
  return typeof id === 'bigint' ? id.toString() : id;
}

/** The id as the JSON value a response carries (bigint stays bigint: the writer prints it exactly). */
export function idValue(id: StoredId): bigint | string {
  return id;
}

export function compareIds(a: StoredId, b: StoredId): number {
  if (typeof a === 'bigint') {
    if (typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return -1;
  }
  if (typeof b === 'bigint') return 1;
  // Canonical lower-case hex compares as the 128-bit value does.
  return a < b ? -1 : a > b ? 1 : 0;
}
