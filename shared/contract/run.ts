/**
 * The migration job as the user sees it: an explicit state machine (RedisInsight's bulk actions) and the
 * progress, memory, log and error events the engine streams at most a few times a second.
 */
import { z } from 'zod';
import { ActiveOutageSchema } from './history';

export const JOB_STATUSES = ['idle', 'preparing', 'running', 'pausing', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** The bulk write path a run chose (TRANSPORT=auto picks one of them; electron/engine/qdrant/transport.ts). */
export const TRANSPORT_KINDS = ['grpc', 'rest'] as const;
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

/**
 * One process working on a shared run (the seed, or a `xnai-migrate run --join` worker), as it last reported
 * itself (about once a second). A record not refreshed for a few seconds is a worker that stopped or was killed.
 */
export const WorkerRecordSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  role: z.enum(['seed', 'worker']),
  /** running, paused, completed, failed, cancelled or left (exited before the end). */
  status: z.string(),
  /** Points this worker wrote (acknowledged by Qdrant) in this session, and its batches. */
  processed: z.number().int(),
  batches: z.number().int(),
  pointsPerSec: z.number(),
  rssMb: z.number(),
  /** Peak RSS of this worker's process so far, MB. */
  peakRssMb: z.number(),
  /** CPU time of this worker's process so far (user + system), seconds. */
  cpuSeconds: z.number().optional(),
  startedAt: z.number(),
  /** When it last reported, ms since the epoch. */
  at: z.number(),
});
export type WorkerRecord = z.infer<typeof WorkerRecordSchema>;

export const ProgressSchema = z.object({
  runId: z.string(),
  processed: z.number().int(),
  failed: z.number().int(),
  total: z.number().int(),
  batchesDone: z.number().int(),
  batchesTotal: z.number().int(),
  /** Smoothed (EMA) points per second; 0 while paused. */
  pointsPerSec: z.number(),
  /** Seconds left at the smoothed rate; null until a few batches finished or while paused. */
  etaSeconds: z.number().nullable(),
  /** Latency of the last acknowledged upsert, ms. */
  batchLatencyMs: z.number(),
  concurrency: z.number().int(),
  batchSize: z.number().int(),
  rssMb: z.number(),
  elapsedMs: z.number(),
  at: z.number(),
  /** How points travel to Qdrant in this run (absent from hosts and records older than the gRPC sink). */
  transport: z.enum(TRANSPORT_KINDS).optional(),

  /** A shared run's workers (this process included), as they last reported; absent for a run of one process. */
  workers: z.array(WorkerRecordSchema).optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const MEMORY_LEVELS = ['ok', 'warn', 'limit'] as const;
export const MemorySampleSchema = z.object({
  at: z.number(),
  /** Resident set of the engine process. */
  rssMb: z.number(),
  heapUsedMb: z.number(),
  systemTotalMb: z.number(),
  systemAvailableMb: z.number(),
  /** MAX_MEMORY_PERCENT of total RAM. */
  limitMb: z.number(),
  level: z.enum(MEMORY_LEVELS),
  /** Who measured: the engine itself, or Electron's app metrics for the utility process. */
  source: z.enum(['engine', 'app-metrics']).default('engine'),
});
export type MemorySample = z.infer<typeof MemorySampleSchema>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export const EngineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: ProgressSchema }),
  z.object({ type: z.literal('memory'), sample: MemorySampleSchema }),
  z.object({
    type: z.literal('state'),
    runId: z.string().nullable(),
    status: z.enum(JOB_STATUSES),
    at: z.number(),
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('log'), level: z.enum(LOG_LEVELS), msg: z.string(), at: z.number() }),
  z.object({ type: z.literal('error'), message: z.string(), code: z.number().int(), at: z.number() }),
  /**
   * Redis or Qdrant stopped answering during a run ("begin"), is still down at the next attempt ("retry":
   * a new countdown), or answers again ("end", with how long it lasted). The run keeps its status meanwhile.
   */
  z.object({
    type: z.literal('outage'),
    runId: z.string().nullable(),
    phase: z.enum(['begin', 'retry', 'end']),
    outage: ActiveOutageSchema,
    durationMs: z.number().optional(),
    at: z.number(),
  }),
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;
export type EngineEventType = EngineEvent['type'];

/** A timeline entry kept for the report: start, pause, resume, memory throttling, end. */
export const TimelineEntrySchema = z.object({ at: z.number(), event: z.string(), detail: z.string().optional() });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
