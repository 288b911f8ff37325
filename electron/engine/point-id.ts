/**
 * FAISS label → Qdrant point id, as DESIGN.md fixes it: a non-negative int64 label is the point id itself
 * (Qdrant ids are unsigned 64-bit, kept exact as bigint); a negative label becomes a UUID derived
 * deterministically from it (RFC 4122 version 5 under a fixed namespace), and the exact label is kept in
 * the payload's `faiss_id`. Non-negative ids stay below 2^63 and UUIDs are never integers, so two labels
 * never map to one point.
 */
import { createHash } from 'node:crypto';

export type PointId = bigint | string;

/** Namespace for label UUIDs: uuidv5(URL namespace, "https://xnai-migrator/faiss-label"). Never change it. */
const LABEL_NAMESPACE = Buffer.from('6f9a0f0e4b7a5d1c9b1d2a6f3e4c5b7a', 'hex');

export function uuidV5(namespace: Buffer, name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function pointIdForLabel(label: bigint): PointId {
  return label >= 0n ? label : uuidV5(LABEL_NAMESPACE, `faiss:${label.toString()}`);
}

/** The id as the contract carries it: decimal string or UUID. */
export function pointIdToString(id: PointId): string {
  return typeof id === 'bigint' ? id.toString() : id;
}

/** Parse a contract id string back: digits → bigint, otherwise the UUID (lower-cased, hyphenated as given). */
export function pointIdFromString(s: string): PointId {
  return /^\d+$/.test(s) ? BigInt(s) : s.toLowerCase();
}
