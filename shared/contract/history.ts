/**
 * Run history and outages: every run a migration key has seen, kept until the user deletes it, and the
 * Redis / Qdrant outages a run waited out. The Runs view lists `RunSummary`s and opens a `RunDetail` (its
 * dashboard as recorded); `outage` events and the snapshot's `outages` drive the "Waiting for Redis" badge.
 */
import { z } from 'zod';
import { FailedPointSchema, MigrationStateSchema, OutageSchema, ProgressSampleSchema, SEED_STATUSES } from './state';
import { VerificationResultSchema } from './verify';

/** An outage going on now, as the badge and banner show it. */
export const ActiveOutageSchema = OutageSchema.omit({ to: true }).extend({
  /** When the next attempt is made (ms since the epoch), for the countdown; null when unknown. */
  retryAt: z.number().nullable(),
  /** Attempts made since it began. */
  attempts: z.number().int(),
});
export type ActiveOutage = z.infer<typeof ActiveOutageSchema>;

/** One line of the Runs view. */
export const RunSummarySchema = z.object({
  runId: z.string(),
  /** The recorded status (the seed's word): in_progress | paused | completed | failed | cancelled. */
  status: z.enum(SEED_STATUSES),
  /** A run is working on it right now (it holds the migration lock). */
  active: z.boolean(),
  /** Not finished and not active (paused, interrupted by a crash or shutdown): Resume continues it. */
  resumable: z.boolean(),
  /** The seed's key holds this run's document (the current or last run). */
  current: z.boolean(),
  /** The run never got past its preflight (refused before its first point: size mismatch, ...). */
  neverStarted: z.boolean(),
  startedAt: z.string(),
  /** completed_at, or the last checkpoint of a run that ended otherwise; null while active. */
  endedAt: z.string().nullable(),
  /** Wall-clock from start to end (or to the last checkpoint). */
  durationMs: z.number(),
  /** The path the user gave (file or folder), and the FAISS file it resolved to. */
  sourcePath: z.string(),
  indexPath: z.string(),
  collection: z.string(),
  distance: z.string(),
  total: z.number().int(),
  processed: z.number().int(),
  failed: z.number().int(),
  batchesDone: z.number().int(),
  batchesTotal: z.number().int(),
  /** The last verification of this run; null when never verified. */
  verification: z.object({ passed: z.boolean(), verdict: z.string(), at: z.string() }).nullable(),
  /** Why the run failed, when it did. */
  error: z.string().nullable(),
  outages: z.number().int(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** One run as recorded: what its dashboard showed, its report's data, its verification. */
export const RunDetailSchema = z.object({
  summary: RunSummarySchema,
  /** The full document: redacted settings, source fingerprint, counts, batch ledger, timeline. */
  state: MigrationStateSchema,
  /** Progress and memory history (oldest first), for the charts. */
  samples: z.array(ProgressSampleSchema),
  peakRssMb: z.number().nullable(),
  failedPoints: z.array(FailedPointSchema),
  failedTotal: z.number().int(),
  verification: VerificationResultSchema.nullable(),
  outages: z.array(OutageSchema),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const RunListSchema = z.object({
  /** Newest first. */
  runs: z.array(RunSummarySchema),
  /** Where the history lives ("Redis at 127.0.0.1:6379 db 0"). */
  store: z.string(),
  /** Records this version could not read (kept, never deleted): their id and why. */
  unreadable: z.array(z.object({ runId: z.string(), problem: z.string() })),
});
export type RunList = z.infer<typeof RunListSchema>;
