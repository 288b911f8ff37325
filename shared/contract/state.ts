/**
 * The Redis state under the seed's key. The seed's fields come first and keep their names and meaning;
 * the rest is what exact resume, fingerprinting and failure tracking need.
 */
import { z } from 'zod';
import { SourceFingerprintSchema } from './source';

export const SEED_STATUSES = ['in_progress', 'paused', 'completed', 'failed', 'cancelled'] as const;

export const FailedPointSchema = z.object({
  /** Exact FAISS label as a decimal string. */
  faissId: z.string(),
  /** Qdrant point id as a decimal string or UUID. */
  pointId: z.string(),
  batch: z.number().int(),
  reason: z.string(),
});
export type FailedPoint = z.infer<typeof FailedPointSchema>;

export const OUTAGE_SERVICES = ['redis', 'qdrant'] as const;
export type OutageService = (typeof OUTAGE_SERVICES)[number];

/** One stretch of time a run waited for a service that stopped answering. */
export const OutageSchema = z.object({
  service: z.enum(OUTAGE_SERVICES),
  /** Where it was unreachable, without credentials: "127.0.0.1:6379", "http://localhost:6333". */
  address: z.string(),
  /** ms since the epoch. */
  from: z.number(),
  /** ms since the epoch; null while it lasts. */
  to: z.number().nullable(),
  /** The last error, explained (what failed and the likely fix), never a bare code. */
  reason: z.string(),
});
export type Outage = z.infer<typeof OutageSchema>;

export const MigrationStateSchema = z.object({
  // --- the seed's fields ---
  status: z.enum(SEED_STATUSES),
  started_at: z.string(),
  total_vectors: z.number().int(),
  processed_vectors: z.number().int(),
  failed_vectors: z.number().int(),
  batches_processed: z.number().int(),
  last_batch_id: z.number().int(),
  last_checkpoint: z.string(),
  completed_at: z.string().nullable(),
  // --- added for exact resume ---
  version: z.literal(1),
  run_id: z.string(),
  collection: z.string(),
  batch_size: z.number().int(),
  total_batches: z.number().int(),
  /** Every batch below this number is acknowledged by Qdrant. */
  watermark: z.number().int(),
  /** Acknowledged batches at or above the watermark (finished out of order). */
  completed_above: z.array(z.number().int()),
  source: SourceFingerprintSchema,
  distance: z.string(),
  payload_layout: z.string(),
  /** Redacted configuration of the run that wrote the state. */
  config: z.record(z.string(), z.unknown()),
  /** The bulk transport of the run that wrote the state, as its log line says it ("gRPC at http://…:6334 (auto: …)"). */
  transport: z.string().optional(),
  timeline: z.array(z.object({ at: z.number(), event: z.string(), detail: z.string().optional() })).default([]),
  verification: z.unknown().optional(),
  // --- added for run history (absent in documents written before it) ---
  /** Why the run failed, when it did. */
  error: z.string().nullable().optional(),
  /** The run was refused before its first point (its record is kept; the seed's key was not touched). */
  never_started: z.boolean().optional(),
  /** Redis and Qdrant outages the run waited out. */
  outages: z.array(OutageSchema).optional(),
  /** Highest engine RSS seen, MB (also in the samples; kept here so the shortest run has it). */
  peak_rss_mb: z.number().optional(),
  /** A run open to workers (`xnai-migrate run --shared`, joined with `--join`): batches are handed out through Redis. */
  shared: z.boolean().optional(),
});
export type MigrationState = z.infer<typeof MigrationStateSchema>;

export const LockInfoSchema = z.object({
  holder: z.string(),
  /** Milliseconds until the lock expires unless renewed; null when no lock is held. */
  ttlMs: z.number().int().nullable(),
});
export type LockInfo = z.infer<typeof LockInfoSchema>;

/** Which store keeps a migration's state, where, and why it was chosen (shown by the CLI, the UI and the report). */
export const StoreInUseSchema = z.object({
  kind: z.enum(['redis', 'embedded']),
  /** "Redis at 127.0.0.1:6379 db 0" or "the embedded store in /home/me/.local/share/xnai-migrator/state/…". */
  location: z.string(),
  /** "no Redis is configured and nothing answers on localhost:6379", "STATE_STORE=embedded", … */
  reason: z.string(),
});
export type StoreInUse = z.infer<typeof StoreInUseSchema>;

export const StateViewSchema = z.object({
  key: z.string(),
  /** Optional so hosts built before the embedded store still validate. */
  store: StoreInUseSchema.optional(),
  state: MigrationStateSchema.nullable(),
  lock: LockInfoSchema.nullable(),
  failedPoints: z.array(FailedPointSchema),
  failedTotal: z.number().int(),
});
export type StateView = z.infer<typeof StateViewSchema>;

/**
 * Redis keys of one migration, all under the seed's key so `redis-cli --scan --pattern 'xnai:migration:*'`
 * shows everything: the seed's JSON state at the base key itself, the run history beside it.
 */
export function stateKeys(base: string) {
  return {
    /** The current (or last) run's JSON state in the seed's shape, rewritten atomically with its run's record. */
    state: base,
    /** Run lock: value = holder id, PX expiry renewed while the run is alive. */
    lock: `${base}:lock`,
    /** Sorted set of run ids, scored by their start (ms since the epoch): the run history. */
    runs: `${base}:runs`,
    /** One run's JSON state (MigrationStateSchema), kept until the user deletes the run. */
    run: (runId: string) => `${base}:run:${runId}`,
    /** Hash: exact FAISS label (decimal) → FailedPoint JSON, of one run. */
    runFailed: (runId: string) => `${base}:run:${runId}:failed`,
    /** List of ProgressSample JSON (oldest first), capped, of one run. */
    runSamples: (runId: string) => `${base}:run:${runId}:samples`,
    /** The last VerificationResult JSON of one run. */
    runVerification: (runId: string) => `${base}:run:${runId}:verification`,
    /** The last VerificationResult JSON of a collection no run of ours wrote. */
    collectionVerification: (collection: string) => `${base}:verification:${collection}`,
    /** Before run history (read once and moved into it, see RedisStateStore.upgrade): the one run's data. */
    legacy: { failed: `${base}:failed`, samples: `${base}:samples`, verification: `${base}:verification` },
  } as const;
}

/** One point of the run's history, sampled about once a second and downsampled when the list is full. */
export const ProgressSampleSchema = z.object({
  at: z.number(),
  processed: z.number().int(),
  failed: z.number().int(),
  pointsPerSec: z.number(),
  batchLatencyMs: z.number(),
  rssMb: z.number(),
  systemAvailableMb: z.number(),
  limitMb: z.number(),
});
export type ProgressSample = z.infer<typeof ProgressSampleSchema>;
