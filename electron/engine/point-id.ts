/**
 * Qdrant point ids.
 *
 * FAISS label → point id (the `raw` layout, and vectors without a document): a non-negative int64 label is
 * the point id itself (Qdrant ids are unsigned 64-bit, kept exact as bigint); a negative label becomes a
 * UUID derived deterministically from it (RFC 4122 version 5 under a fixed namespace), and the exact label
 * is kept in the payload's `faiss_id`. Non-negative ids stay below 2^63 and UUIDs are never integers, so two
 * labels never map to one point.
 *
 * Document id → point id (the `langchain` and `llamaindex` layouts, so `get_by_ids`, `delete(ids=...)`,
 * `get_nodes(node_ids=...)` work with the framework's own ids): a UUID in any spelling Python's `uuid.UUID`
 * and Qdrant both accept (upper or lower case, with or without hyphens, braces or `urn:uuid:`) is that UUID,
 * in Qdrant's canonical lower-case hyphenated form; any other id becomes
 * `uuid.uuid5(DOCUMENT_ID_NAMESPACE, id)`, and the original id stays in the payload (`_xnai.doc_id`).
 */
import { createHash } from 'node:crypto';
import { isFrameworkLayout } from '../../shared/contract/payload';

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

/**
 * Namespace of document-id UUIDs: uuid5(NAMESPACE_URL, "xnai-migrator:document-id"). Documented in
 * docs/sources.md so an application can compute a point id itself; never change it.
 */
export const DOCUMENT_ID_NAMESPACE = '35817b70-502b-55ff-a4cf-ae0cb7a44677';
const DOCUMENT_NAMESPACE_BYTES = Buffer.from(DOCUMENT_ID_NAMESPACE.replace(/-/g, ''), 'hex');

const UUID_SPELLING = /^(?:urn:uuid:)?(\{)?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})(\})?$/i;
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The canonical (lower-case, hyphenated) form of a UUID in any accepted spelling, or null. */
export function canonicalUuid(id: string): string | null {
  if (CANONICAL_UUID.test(id)) return id;
  const m = UUID_SPELLING.exec(id);
  if (!m || Boolean(m[1]) !== Boolean(m[7])) return null;
  // Hyphens all or none (what Qdrant's parser takes), never in odd places.
  const hyphens = (id.match(/-/g) ?? []).length;
  if (hyphens !== 0 && hyphens !== 4) return null;
  return `${m[2]}-${m[3]}-${m[4]}-${m[5]}-${m[6]}`.toLowerCase();
}

/** True when `id` is already the point id it maps to (no UUID to compute). */
export function isCanonicalUuid(id: string): boolean {
  return CANONICAL_UUID.test(id);
}

/** The point id of a framework document id (see the comment at the top). */
export function pointIdForDocument(docId: string): string {
  return canonicalUuid(docId) ?? uuidV5(DOCUMENT_NAMESPACE_BYTES, docId);
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

/** A FAISS label → its point id, for one run's layout and documents. */
export type LabelPointIds = (label: bigint) => PointId;

/**
 * The point-id rule of a run: in the framework layouts a vector with a document gets the document's point
 * id; every other vector (raw layout, no document) keeps its label's. Migration, resume, --retry-failed,
 * verification and the points browser all go through this one function.
 */
export function labelPointIds(layout: string, documents: { pointIdFor(label: bigint): string | undefined } | null): LabelPointIds {
  if (!documents || !isFrameworkLayout(layout)) return pointIdForLabel;
  return (label) => documents.pointIdFor(label) ?? pointIdForLabel(label);
}
