/**
 * Every command a host can send to the engine: name → request and reply schemas. Preload, WebSocket
 * client, engine host and renderer all derive their types from this one map (nothing is typed twice), and
 * every boundary validates with these schemas.
 */
import { z } from 'zod';
import { ConnectionConfigSchema, MigrationConfigSchema } from './config';
import { SourceSummarySchema } from './source';
import { JOB_STATUSES, ProgressSchema, TimelineEntrySchema, MemorySampleSchema } from './run';
import { StateViewSchema, StoreInUseSchema } from './state';
import { ClusterViewSchema, CollectionInfoViewSchema, CollectionSummarySchema, PayloadFilterChipSchema, PayloadKeySchema, PointIdStringSchema, PointViewSchema } from './qdrant';
import { REPORT_FORMATS, VerificationResultSchema, VerifyOptionsSchema } from './verify';
import { ActiveOutageSchema, RunDetailSchema, RunListSchema } from './history';
import { TargetCheckSchema } from './setup';
import { LOCAL_SERVICE_NAMES, LocalServiceSchema, LocalServicesViewSchema } from './services';

const Empty = z.object({}).strict();

/** Connection settings plus the collection, for commands that read Qdrant/Redis outside a run. */
export const TargetSchema = ConnectionConfigSchema.extend({
  collection: MigrationConfigSchema.shape.collection,
  stateKey: MigrationConfigSchema.shape.stateKey,
});

/** Connection settings plus the state key, for the run history (which spans collections). */
export const StateTargetSchema = ConnectionConfigSchema.extend({
  stateKey: MigrationConfigSchema.shape.stateKey,
});

/** Qdrant's address and key only, for commands that never touch Redis. */
export const QdrantTargetSchema = ConnectionConfigSchema.pick({ qdrantUrl: true, qdrantApiKey: true });

const RunIdSchema = z.string().min(1).max(200);

export const EngineSnapshotSchema = z.object({
  status: z.enum(JOB_STATUSES),
  runId: z.string().nullable(),
  progress: ProgressSchema.nullable(),
  lastMemory: MemorySampleSchema.nullable(),
  /** Redacted config of the current or last run. */
  config: z.record(z.string(), z.unknown()).nullable(),
  source: SourceSummarySchema.nullable(),
  timeline: z.array(TimelineEntrySchema),
  lastError: z.string().nullable(),
  warnings: z.array(z.string()),
  /** Services the run is waiting for right now ("Waiting for Redis"), with the retry countdown. */
  outages: z.array(ActiveOutageSchema).default([]),
});
export type EngineSnapshot = z.infer<typeof EngineSnapshotSchema>;

export const ConnectionTestResultSchema = z.object({
  qdrant: z.object({ ok: z.boolean(), version: z.string().nullable(), message: z.string() }),
  redis: z.object({ ok: z.boolean(), version: z.string().nullable(), message: z.string() }),
  /** Where a run with these settings would keep its state, and why. */
  store: StoreInUseSchema.optional(),
});

export const Commands = {
  /** Read a FAISS file or RAG folder and summarise it (no Qdrant, no Redis). */
  inspectSource: { request: z.object({ path: z.string().min(1) }), reply: SourceSummarySchema },
  testConnections: { request: ConnectionConfigSchema, reply: ConnectionTestResultSchema },
  startRun: { request: z.object({ config: MigrationConfigSchema }), reply: z.object({ runId: z.string() }) },
  pauseRun: { request: Empty, reply: z.object({ status: z.enum(JOB_STATUSES) }) },
  resumeRun: { request: Empty, reply: z.object({ status: z.enum(JOB_STATUSES) }) },
  cancelRun: { request: Empty, reply: z.object({ status: z.enum(JOB_STATUSES) }) },
  /** Re-send the points recorded as failed in the Redis state. */
  retryFailed: { request: z.object({ config: MigrationConfigSchema }), reply: z.object({ runId: z.string() }) },
  /** Work on the shared run under the config's state key as one more worker (`xnai-migrate run --join`). */
  joinRun: { request: z.object({ config: MigrationConfigSchema }), reply: z.object({ runId: z.string() }) },
  getSnapshot: { request: Empty, reply: EngineSnapshotSchema },
  /**
   * The host's starting configuration (its environment: QDRANT_URL, FAISS_INDEX_PATH, ...) to prefill the
   * form. Secrets are never sent: `secretsSet` says which ones the host already has; a request that leaves
   * a secret empty uses the host's.
   */
  getDefaults: {
    request: Empty,
    reply: z.object({
      config: MigrationConfigSchema.partial(),
      secretsSet: z.object({ qdrantApiKey: z.boolean(), redisPassword: z.boolean() }),
    }),
  },
  getState: { request: TargetSchema, reply: StateViewSchema },
  resetState: { request: TargetSchema, reply: z.object({ deleted: z.boolean() }) },
  getCollectionInfo: { request: TargetSchema, reply: CollectionInfoViewSchema },
  /** A Qdrant cluster's peers and the collection's shards, replicas (state, points) and transfers; `enabled: false` for one node. */
  getClusterInfo: { request: TargetSchema, reply: ClusterViewSchema },
  scrollPoints: {
    request: TargetSchema.extend({
      limit: z.number().int().min(1).max(1000).default(25),
      offset: PointIdStringSchema.nullable().default(null),
      filter: z.array(PayloadFilterChipSchema).default([]),
      withVector: z.boolean().default(false),
    }),
    reply: z.object({ points: z.array(PointViewSchema), nextOffset: z.string().nullable() }),
  },
  getPoint: {
    request: TargetSchema.extend({ id: PointIdStringSchema }),
    reply: z.object({
      point: PointViewSchema.nullable(),
      /** The same vector read from the FAISS source, when the run's source is known and readable. */
      sourceVector: z.array(z.number()).nullable(),
      sourceNote: z.string().nullable(),
    }),
  },
  /**
   * One point by what the user knows of it: its FAISS label (`_xnai.faiss_id`, or `faiss_id` in the raw
   * layout) or its framework document id (LangChain docstore id, LlamaIndex node id: the point id is derived
   * from it). Same reply as getPoint; `point` null when none matches.
   */
  findPoint: {
    request: TargetSchema.extend({ by: z.enum(['faissId', 'documentId']), value: z.string().min(1) }),
    reply: z.object({ point: PointViewSchema.nullable(), sourceVector: z.array(z.number()).nullable(), sourceNote: z.string().nullable() }),
  },
  findSimilar: {
    request: TargetSchema.extend({ id: PointIdStringSchema, limit: z.number().int().min(1).max(100).default(10) }),
    reply: z.object({ points: z.array(PointViewSchema) }),
  },
  verify: {
    /** `runId`: the run this verifies (a run opened from history); by default the latest run of the collection. */
    request: z.object({ config: MigrationConfigSchema, options: VerifyOptionsSchema, runId: RunIdSchema.optional() }),
    reply: VerificationResultSchema,
  },
  buildReport: {
    /** `runId`: any run of the history; by default the current (or last) run. */
    request: TargetSchema.extend({ format: z.enum(REPORT_FORMATS), runId: RunIdSchema.optional() }),
    reply: z.object({ filename: z.string(), mimeType: z.string(), content: z.string() }),
  },

  // ------------------------------------------------------------------ run history
  /** Every run kept under the state key, newest first. */
  listRuns: { request: StateTargetSchema.extend({ limit: z.number().int().min(1).max(1000).default(200) }), reply: RunListSchema },
  /** One run as recorded: progress, samples, timeline, outages, failed points, verification, outcome. */
  getRun: { request: StateTargetSchema.extend({ runId: RunIdSchema }), reply: RunDetailSchema },
  /** Deletes one run's record for good (the UI confirms first); refused while that run is active. */
  deleteRun: { request: StateTargetSchema.extend({ runId: RunIdSchema }), reply: z.object({ deleted: z.boolean() }) },
  /**
   * Continues an interrupted or paused run from history with its own recorded settings (source, collection,
   * batch size, distance, ...) and the request's connection settings. Replies like startRun.
   */
  resumeStoredRun: { request: StateTargetSchema.extend({ runId: RunIdSchema }), reply: z.object({ runId: z.string() }) },

  // ------------------------------------------------------------------ any collection
  /** The server's collections for the picker (points, vectors, status). */
  listCollections: { request: QdrantTargetSchema, reply: z.object({ collections: z.array(CollectionSummarySchema) }) },
  /**
   * Payload keys to filter on, from the payload schema and a sample of points (`metadata.category`).
   * `query` (a key the user typed, e.g. "category") marks and ranks first the keys that end with it.
   */
  payloadKeys: {
    request: TargetSchema.extend({ sample: z.number().int().min(0).max(2000).default(200), query: z.string().optional() }),
    reply: z.object({ keys: z.array(PayloadKeySchema), sampled: z.number().int() }),
  },
  /** Exact number of points matching the filter chips (all points without chips). */
  countPoints: {
    request: TargetSchema.extend({ filter: z.array(PayloadFilterChipSchema).default([]) }),
    reply: z.object({ count: z.number().int(), exact: z.boolean() }),
  },
  /** Before Start: the source's shape against an existing collection (size, distance) and what Start would do. */
  checkTarget: { request: z.object({ config: MigrationConfigSchema }), reply: TargetCheckSchema },
  /** What can be started here (Docker, a Qdrant binary) and what this app started that still runs. */
  getLocalServices: { request: z.object({ dataDir: z.string().min(1).optional() }), reply: LocalServicesViewSchema },
  /** Start Qdrant (or Redis, with Docker) for the user, or reuse the one already running from the data folder. */
  startLocalService: {
    request: z.object({
      service: z.enum(LOCAL_SERVICE_NAMES),
      keep: z.boolean().default(false),
      /** The port to prefer; another is chosen (and shown) when it is taken. */
      port: z.number().int().min(1).max(65535).optional(),
      dataDir: z.string().min(1).optional(),
    }),
    reply: z.object({ service: LocalServiceSchema, reused: z.boolean(), lines: z.array(z.string()) }),
  },
  stopLocalService: {
    request: z.object({ service: z.enum(LOCAL_SERVICE_NAMES), dataDir: z.string().min(1).optional() }),
    reply: z.object({ stopped: z.boolean(), message: z.string() }),
  },
} as const;

export type CommandName = keyof typeof Commands;
export type CommandRequest<K extends CommandName> = z.input<(typeof Commands)[K]['request']>;
export type CommandRequestParsed<K extends CommandName> = z.output<(typeof Commands)[K]['request']>;
export type CommandReply<K extends CommandName> = z.output<(typeof Commands)[K]['reply']>;

/** What the renderer calls: one async function per command, whatever the transport. */
export type EngineApi = { [K in CommandName]: (request: CommandRequest<K>) => Promise<CommandReply<K>> };
/** What the engine implements: handlers receive the parsed (defaults applied) request. */
export type EngineHandlers = { [K in CommandName]: (request: CommandRequestParsed<K>) => Promise<CommandReply<K>> };

export const COMMAND_NAMES = Object.keys(Commands) as CommandName[];

/** Wire messages shared by every transport (MessagePort, WebSocket, process IPC). */
export const RequestMessageSchema = z.object({ kind: z.literal('request'), id: z.number().int(), name: z.string(), payload: z.unknown() });
export const ReplyMessageSchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('reply'), id: z.number().int(), ok: z.literal(true), payload: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: z.number().int(), ok: z.literal(false), error: z.object({ message: z.string(), exitCode: z.number().int() }) }),
]);
export const EventMessageSchema = z.object({ kind: z.literal('event'), event: z.unknown() });
export type RequestMessage = z.infer<typeof RequestMessageSchema>;
export type ReplyMessage = z.infer<typeof ReplyMessageSchema>;
