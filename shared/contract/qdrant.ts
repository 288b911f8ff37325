/** Views of Qdrant data the UI and reports show: collection info and points with exact ids. */
import { z } from 'zod';

export const CollectionInfoViewSchema = z.object({
  name: z.string(),
  exists: z.boolean(),
  status: z.enum(['green', 'yellow', 'grey', 'red']).nullable(),
  optimizerStatus: z.string().nullable(),
  pointsCount: z.number().int().nullable(),
  indexedVectorsCount: z.number().int().nullable(),
  segmentsCount: z.number().int().nullable(),
  vectorSize: z.number().int().nullable(),
  distance: z.string().nullable(),
  onDisk: z.boolean().nullable(),
  payloadSchema: z.array(z.object({ field: z.string(), dataType: z.string(), points: z.number().int().nullable() })),
  /** The raw collection info as Qdrant returned it, for the JSON view. */
  raw: z.unknown(),
});
export type CollectionInfoView = z.infer<typeof CollectionInfoViewSchema>;

/** A point id as a string: decimal for unsigned integers (exact above 2^53) or a UUID. */
export const PointIdStringSchema = z.string().regex(/^(\d{1,20}|[0-9a-fA-F-]{32,36})$/, 'must be an unsigned integer or a UUID');

export const DOCUMENT_LAYOUTS = ['langchain', 'llamaindex', 'raw'] as const;

/**
 * The document a point's payload carries, read back the way its framework reads it: the text (LangChain's
 * `page_content`, the text inside LlamaIndex's `_node_content`) and where its metadata sits in the payload
 * (`metadata.category` for LangChain, `category` for LlamaIndex's flattened metadata), so a browser can show
 * the document rather than the migration's own fields.
 */
export const PointDocumentSchema = z.object({
  layout: z.enum(DOCUMENT_LAYOUTS),
  text: z.string().nullable(),
  metadataPaths: z.array(z.string()),
});
export type PointDocument = z.infer<typeof PointDocumentSchema>;

export const PointViewSchema = z.object({
  id: z.string(),
  /** Payload with integers beyond 2^53 carried as decimal strings tagged by `bigintPaths`. */
  payload: z.record(z.string(), z.unknown()).nullable(),
  /** Where the payload held integers beyond 2^53, now decimal strings: "faiss_id", "metadata.ids[2]". */
  bigintPaths: z.array(z.string()).optional(),
  vector: z.array(z.number()).nullable(),
  score: z.number().optional(),
  /** The document in the payload, when it holds one in a known layout; null for seed-only payloads. */
  document: PointDocumentSchema.nullable().optional(),
});
export type PointView = z.infer<typeof PointViewSchema>;

/** A `key = value` chip of the points browser; values are matched as Qdrant `match.value`. */
export const PayloadFilterChipSchema = z.object({
  key: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean()]),
});
export type PayloadFilterChip = z.infer<typeof PayloadFilterChipSchema>;

/**
 * A Qdrant cluster as the Qdrant panel, the run and verify see it: the peers, and for one collection its shards,
 * every replica's state (and point count where that peer's REST URL is known) and the transfers in progress.
 * Peer ids are u64: carried as decimal strings.
 */
export const ClusterReplicaSchema = z.object({
  peerId: z.string(),
  /** Qdrant's replica state: Active, Dead, Partial, Initializing, Listener, Recovery, Resharding... */
  state: z.string(),
  /** Points in this replica, read from its own node; null when that node's REST URL is unknown or it did not answer. */
  pointsCount: z.number().int().nullable(),
});
export const ClusterShardSchema = z.object({ shardId: z.number().int(), replicas: z.array(ClusterReplicaSchema) });
export const ClusterTransferSchema = z.object({
  shardId: z.number().int(),
  from: z.string(),
  to: z.string(),
  method: z.string().nullable(),
  /** Qdrant's own description of the transfer's progress, when it gives one. */
  comment: z.string().nullable(),
});
export const ClusterPeerSchema = z.object({
  id: z.string(),
  /** The peer-to-peer URI the cluster knows it by. */
  uri: z.string(),
  /** False when the node QDRANT_URL points at fails to reach it (Qdrant's message_send_failures). */
  reachable: z.boolean(),
  lastError: z.string().nullable(),
  /** Its REST URL when known (QDRANT_URL for the entry node, QDRANT_PEER_URLS or the p2p host on QDRANT_URL's port). */
  restUrl: z.string().nullable(),
});
export const ClusterViewSchema = z.object({
  /** False for a single node without distributed mode: everything below is then empty. */
  enabled: z.boolean(),
  /** The node QDRANT_URL points at. */
  peerId: z.string().nullable(),
  leader: z.string().nullable(),
  peers: z.array(ClusterPeerSchema),
  collection: z
    .object({
      name: z.string(),
      shardCount: z.number().int(),
      replicationFactor: z.number().int().nullable(),
      writeConsistencyFactor: z.number().int().nullable(),
      shards: z.array(ClusterShardSchema),
      transfers: z.array(ClusterTransferSchema),
      /** Shards with no Active replica on a reachable peer: writes to them cannot succeed now. */
      withoutLiveReplica: z.array(z.number().int()),
    })
    .nullable(),
});
export type ClusterView = z.infer<typeof ClusterViewSchema>;
export type ClusterShard = z.infer<typeof ClusterShardSchema>;

/** One line of the collection picker: what Qdrant's own Web UI lists. */
export const CollectionSummarySchema = z.object({
  name: z.string(),
  status: z.enum(['green', 'yellow', 'grey', 'red']).nullable(),
  pointsCount: z.number().int().nullable(),
  indexedVectorsCount: z.number().int().nullable(),
  segmentsCount: z.number().int().nullable(),
  /** Each vector the collection holds: "" for the unnamed one the migration writes, else its name. */
  vectors: z.array(z.object({ name: z.string(), size: z.number().int().nullable(), distance: z.string().nullable() })),
  /** Why the details are missing, when the collection's info could not be read. */
  problem: z.string().nullable(),
});
export type CollectionSummary = z.infer<typeof CollectionSummarySchema>;

/** A payload key the points browser can filter on, from the payload schema and a sample of points. */
export const PayloadKeySchema = z.object({
  /** Dotted path as Qdrant's filters take it: "metadata.category", "tags[]" for arrays of values. */
  key: z.string(),
  /** JSON types seen in the sample: string, integer, float, bool, null, object, array. */
  types: z.array(z.string()),
  /** The payload index on this key ("keyword", "integer", ...), null when none. */
  indexed: z.string().nullable(),
  /** Sampled points that have the key. */
  seenIn: z.number().int(),
  /** A few distinct scalar values from the sample, most frequent first. */
  examples: z.array(z.union([z.string(), z.number(), z.boolean()])),
  /** When the request named a key (`query`): this key ends with it ("category" → "metadata.category"). */
  matchesQuery: z.boolean(),
});
export type PayloadKey = z.infer<typeof PayloadKeySchema>;

/** A conflict between the run's settings and an existing collection, found before Start. */
export const TargetConflictSchema = z.object({
  field: z.enum(['size', 'distance', 'vectors']),
  existing: z.string(),
  requested: z.string(),
  /** One line naming both values and what to do. */
  message: z.string(),
});
export type TargetConflict = z.infer<typeof TargetConflictSchema>;
