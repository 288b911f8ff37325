/**
 * Migration configuration: the seed's environment variables (see ../shared/DESIGN.md) plus the settings
 * a user of the desktop app or CLI can change. One schema validates env, config file, flags and the
 * renderer's form, so a bad value gets the same one-line reason everywhere.
 */
import { z } from 'zod';

export const DISTANCES = ['Cosine', 'Euclid', 'Dot', 'Manhattan'] as const;
export type Distance = (typeof DISTANCES)[number];
/** The DISTANCE setting: a Qdrant distance, or "auto" (the default) for the one that keeps FAISS's ranking. */
export const DISTANCE_SETTINGS = ['auto', ...DISTANCES] as const;
export type DistanceSetting = (typeof DISTANCE_SETTINGS)[number];

export const PAYLOAD_LAYOUTS = ['auto', 'langchain', 'llamaindex', 'raw'] as const;
export type PayloadLayout = (typeof PAYLOAD_LAYOUTS)[number];

export const WRITE_ORDERINGS = ['weak', 'medium', 'strong'] as const;

/** How points travel: gRPC when Qdrant's gRPC port answers, else REST (auto); or one of them, forced. */
export const TRANSPORTS = ['auto', 'grpc', 'rest'] as const;
export type TransportSetting = (typeof TRANSPORTS)[number];
/**
 * Where the migration state lives. `auto`: Redis when it is configured (REDIS_HOST or REDIS_PORT given) or
 * something answers on localhost:6379, otherwise the embedded store in the user's data folder.
 */
export const STATE_STORES = ['auto', 'redis', 'embedded'] as const;
export type StateStoreSetting = (typeof STATE_STORES)[number];

/** The Redis key the seed defined; kept so existing XNAi tooling (`redis-cli get ...`) keeps working. */
export const SEED_STATE_KEY = 'xnai:migration:faiss_to_qdrant';
export const DEFAULT_COLLECTION = 'xnai_knowledge';

/**
 * A percent setting: a fraction (`0.6`) or a percentage (`60`, as the name says), both kept as the fraction.
 * Values up to 1 are read as fractions, above 1 as percentages (at most 100).
 */
export function percentSetting(defaultFraction: number) {
  return z
    .number()
    .gt(0, { message: 'must be above 0: a percentage such as 60 or a fraction such as 0.6' })
    .max(100, { message: 'must be at most 100 (percent) or 1 (fraction)' })
    .transform((v) => (v > 1 ? v / 100 : v))
    .default(defaultFraction);
}

export const ConnectionConfigSchema = z.object({
  qdrantUrl: z
    .string()
    .url({ message: 'must be a URL such as http://localhost:6333' })
    // zod's url() alone takes "localhost:6333" (scheme "localhost:"); Qdrant's REST API needs http(s).
    .regex(/^https?:\/\//i, { message: 'must start with http:// or https://, e.g. http://localhost:6333' })
    .default('http://localhost:6333'),
  /** Secret: never logged, reported, stored in Redis or sent to the renderer's storage. */
  qdrantApiKey: z.string().optional(),
  /**
   * A cluster's other nodes' REST URLs, comma-separated: verify and the Qdrant panel read each replica's point
   * count from its own node. Optional: without it the p2p host on QDRANT_URL's port is tried.
   */
  qdrantPeerUrls: z.string().optional(),
  redisHost: z.string().min(1, 'must not be empty').default('localhost'),
  redisPort: z.number().int().min(1).max(65535).default(6379),
  /** Secret, as qdrantApiKey. */
  redisPassword: z.string().optional(),
  redisDb: z.number().int().min(0).max(15).default(0),
  /** Unset means `auto` (optional rather than defaulted, so targets built before this field still type-check). */
  stateStore: z.enum(STATE_STORES).optional(),
  /** The user's data folder (embedded state store, services started for the user); the platform's default when unset. */
  dataDir: z.string().min(1).optional(),
});
export type ConnectionConfig = z.infer<typeof ConnectionConfigSchema>;

export const MigrationConfigSchema = ConnectionConfigSchema.extend({
  faissIndexPath: z.string().min(1, 'must name a FAISS index file or a LangChain/LlamaIndex folder'),
  collection: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9_.-]+$/, 'may only contain letters, digits, "_", "-" and "."')
    .default(DEFAULT_COLLECTION),
  /** Checked against the index's dimension when set (the seed's VECTOR_SIZE). */
  vectorSize: z.number().int().min(1).max(65536).optional(),
  batchSize: z.number().int().min(1).max(10_000).default(500),
  /** Share of total RAM: `0.6` and `60` both mean 60 % (values up to 1 are fractions); kept as the fraction. */
  maxMemoryPercent: percentSetting(0.6),
  resumeMode: z.boolean().default(true),
  /** Upsert requests in flight at once (the seed's CONCURRENCY_FACTOR; with REQUEST_POINTS ≤ BATCH_SIZE, batches). */
  concurrency: z.number().int().min(1).max(32).default(2),
  /**
   * Points per upsert request (REQUEST_POINTS). Whole batches are combined up to it (1000 = two of the seed's
   * 500-point batches: the real server takes ~10 % more points/s than at 500, see docs/engine.md); a batch
   * larger than it goes out in slices of it. The batch stays the checkpoint unit either way.
   */
  requestPoints: z.number().int().min(1).max(10_000).default(1000),
  /** "auto": Cosine for unit-length vectors, else Euclid (L2 index) or Dot (inner product): see the engine's source/auto-distance. */
  distance: z.enum(DISTANCE_SETTINGS).default('auto'),
  payloadLayout: z.enum(PAYLOAD_LAYOUTS).default('auto'),
  shardNumber: z.number().int().min(1).max(1024).optional(),
  replicationFactor: z.number().int().min(1).max(16).optional(),
  writeConsistencyFactor: z.number().int().min(1).max(16).optional(),
  writeOrdering: z.enum(WRITE_ORDERINGS).default('weak'),
  transport: z.enum(TRANSPORTS).default('auto'),
  /** Qdrant's gRPC endpoint; unset: QDRANT_URL's host on 6334 when QDRANT_URL is on 6333 (electron/engine/qdrant/grpc/address.ts). */
  qdrantGrpcUrl: z
    .string()
    .url({ message: 'must be a URL such as http://localhost:6334' })
    .regex(/^https?:\/\//i, { message: 'must start with http:// or https:// (https for TLS), e.g. http://localhost:6334' })
    .optional(),
  stateKey: z.string().min(1).default(SEED_STATE_KEY),
  logDir: z.string().min(1).default('logs'),
  /**
   * Open the run to workers: other processes that see the same FAISS store join it with
   * `xnai-migrate run --join` and take batches from a queue in Redis (SHARED_RUN).
   */
  sharedRun: z.boolean().default(false),
});
export type MigrationConfig = z.infer<typeof MigrationConfigSchema>;
export type MigrationConfigInput = z.input<typeof MigrationConfigSchema>;

/** Environment variable → config field. The first eleven are the seed's names. */
export const ENV_NAMES = {
  QDRANT_URL: 'qdrantUrl',
  QDRANT_API_KEY: 'qdrantApiKey',
  REDIS_HOST: 'redisHost',
  REDIS_PORT: 'redisPort',
  REDIS_PASSWORD: 'redisPassword',
  REDIS_DB: 'redisDb',
  FAISS_INDEX_PATH: 'faissIndexPath',
  VECTOR_SIZE: 'vectorSize',
  BATCH_SIZE: 'batchSize',
  MAX_MEMORY_PERCENT: 'maxMemoryPercent',
  RESUME_MODE: 'resumeMode',
  QDRANT_COLLECTION: 'collection',
  CONCURRENCY_FACTOR: 'concurrency',
  REQUEST_POINTS: 'requestPoints',
  DISTANCE: 'distance',
  PAYLOAD_LAYOUT: 'payloadLayout',
  SHARD_NUMBER: 'shardNumber',
  REPLICATION_FACTOR: 'replicationFactor',
  WRITE_CONSISTENCY_FACTOR: 'writeConsistencyFactor',
  MIGRATION_STATE_KEY: 'stateKey',
  LOG_DIR: 'logDir',
  QDRANT_PEER_URLS: 'qdrantPeerUrls',
  TRANSPORT: 'transport',
  QDRANT_GRPC_URL: 'qdrantGrpcUrl',
  STATE_STORE: 'stateStore',
  DATA_DIR: 'dataDir',
  SHARED_RUN: 'sharedRun',
} as const satisfies Record<string, keyof MigrationConfig>;

export const SECRET_FIELDS = ['qdrantApiKey', 'redisPassword'] as const;

/** A copy safe to log, report, store in Redis or show: secrets replaced by a marker saying whether one was set. */
export function redactConfig<T extends Partial<MigrationConfig>>(config: T): T {
  const out: Record<string, unknown> = { ...config };
  for (const f of SECRET_FIELDS) {
    if (out[f] !== undefined && out[f] !== '') out[f] = '(set)';
  }
  // a password in the URL (http://user:pass@host) is a secret too
  if (typeof out.qdrantUrl === 'string' && out.qdrantUrl.includes('@')) {
    try {
      const u = new URL(out.qdrantUrl);
      if (u.username || u.password) {
        u.username = '';
        u.password = '';
        out.qdrantUrl = u.toString().replace(/\/$/, '');
      }
    } catch {
      // not a URL: the schema refuses it elsewhere
    }
  }
  return out as T;
}
