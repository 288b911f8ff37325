/**
 * The engine's state, as the engine sees it: one typed interface, whatever stores it. Everything a run,
 * `status`, `reset`, `verify`, the report and the points browser keep or read between processes goes
 * through a `StateStore`; no caller builds a key or speaks a storage protocol. `RedisStateStore`
 * (./redis-store) is the implementation behind it today (the seed's key layout); an embedded store (issue 16)
 * or worker leases (issue 14) implement or extend the same interface, and `openStateStore` (./open) is the
 * one place that chooses.
 *
 * One store is one migration key: everything under one state key (the seed's `xnai:migration:faiss_to_qdrant`
 * by default). It holds the run history (every run, kept until the user deletes it) and the current
 * document (the current or last run's, in the seed's shape). Data that belongs to one run (its record,
 * samples, failed points, verification) is addressed by the run's id (`MigrationState.run_id`). A run keeps
 * its id when it is resumed, whichever process resumes it.
 *
 * The guarantees an implementation must give (test/state/store-contract.ts checks them against any backend):
 * - `checkpoint` is atomic and conditional: the document and the failed/recovered points land together,
 *   and only while `holder` holds the lock. Repeating it is harmless (whole-document writes).
 * - The lock is exclusive, expires unless renewed, and a lock whose holder is a process on this host that
 *   no longer exists (see ./lock-holder) is taken over at once.
 * - Reads validate with the contract's schemas: a document this version cannot read is a UserError that
 *   names the key and how to clear it, never a crash and never silently replaced.
 */
import type { FailedPoint, LockInfo, MigrationState, ProgressSample, VerificationResult, WorkerRecord } from '../../../shared/contract';

export type LockResult = { ok: true; tookOverFrom: string | null } | { ok: false; holder: string; ttlMs: number | null };

/** The store's connection came and went (Redis restarting); an embedded store never reports one. */
export type StoreAvailability =
  | { available: false; at: number; /** Why, in words (address and hint included). */ reason: string; /** When the next attempt is made, ms since the epoch (null: unknown). */ retryAt: number | null }
  | { available: true; at: number };

/** Whose verification: a run's, or a collection's that no run of ours wrote. */
export type VerificationOwner = { runId: string } | { collection: string };

/** Samples kept per run; when full, every other one is dropped (the history keeps its shape). */
export const SAMPLES_CAP = 2000;

export interface StateStore {
  /** The migration's state key. */
  readonly key: string;
  /** Where the state lives, for messages and the UI: "Redis at 127.0.0.1:6379 db 0". Never holds a secret. */
  readonly location: string;
  /** Which backend: the CLI, the UI and the report say which store is in use. */
  readonly kind: 'redis' | 'embedded';
  /** Why this store was chosen (STATE_STORE, REDIS_HOST, what answered): shown beside `location`. */
  readonly reason: string;

  // ------------------------------------------------------------ the current document (the seed's key)

  /** The current (or last) run's document, in the seed's shape; null when there is none. */
  readCurrent(): Promise<MigrationState | null>;

  // ------------------------------------------------------------ the lock: one run at a time per migration

  lockInfo(): Promise<LockInfo | null>;
  acquireLock(holder: string, ttlMs: number): Promise<LockResult>;
  /** False when the lock is no longer `holder`'s. */
  renewLock(holder: string, ttlMs: number): Promise<boolean>;
  releaseLock(holder: string): Promise<void>;

  // ------------------------------------------------------------ checkpoints

  /**
   * Atomically, and only while `holder` holds the lock: stores `state` as the current document and as the
   * record of run `state.run_id` (adding it to the history), records `failed` and forgets `recovered` (FAISS
   * labels) among that run's failed points. False (nothing written) when the lock is not `holder`'s.
   */
  checkpoint(holder: string, state: MigrationState, failed?: readonly FailedPoint[], recovered?: readonly string[]): Promise<boolean>;

  // ------------------------------------------------------------ what belongs to one run

  /** Appends to the run's history (capped at SAMPLES_CAP by halving the resolution). */
  pushSamples(runId: string, samples: readonly ProgressSample[]): Promise<void>;
  /** Oldest first. */
  readSamples(runId: string): Promise<ProgressSample[]>;
  failedCount(runId: string): Promise<number>;
  /** Up to `limit` failed points (all when omitted), in no particular order. */
  readFailed(runId: string, limit?: number): Promise<FailedPoint[]>;
  /**
   * Keeps the last verification of `result.runId`, or, when that is null (a collection no run of ours
   * wrote), the last one of `result.collection`. Never filed under another run.
   */
  saveVerification(result: VerificationResult): Promise<void>;
  readVerification(of: VerificationOwner): Promise<VerificationResult | null>;

  // ------------------------------------------------------------ run history

  /**
   * Every run kept under the key, newest first (by start), at most `limit`. A record this version cannot
   * read is listed in `unreadable` (kept, never deleted).
   */
  listRuns(limit?: number): Promise<{ runs: MigrationState[]; unreadable: { runId: string; problem: string }[] }>;
  /** One run's record; null when there is none; a UserError when it cannot be read. */
  readRun(runId: string): Promise<MigrationState | null>;
  /**
   * Keeps the record of a run that never wrote a checkpoint (refused in its preflight). The current
   * document and every other run are left as they are.
   */
  recordRun(state: MigrationState): Promise<void>;
  /**
   * Deletes one run's record with its failed points, samples and verification; when it is the current run,
   * the current document too. The caller refuses while the run is active. True when anything was deleted.
   */
  deleteRun(runId: string): Promise<boolean>;

  // ------------------------------------------------------------ housekeeping

  /**
   * `xnai-migrate reset`: deletes the current document and the current run (as `deleteRun`), and what an
   * earlier version kept beside the key; other runs stay in history. Never the lock. True when anything was
   * deleted. Works on a current document this version cannot read, too.
   */
  reset(): Promise<boolean>;
  /** Told when the store's connection goes away and comes back. Returns the unsubscribe function. */
  onAvailability(listener: (change: StoreAvailability) => void): () => void;
  /** Releases the connection (or file). The store is not used afterwards. */
  close(): Promise<void>;

  /**
   * Several workers on one run (issue 14): present only where processes on many hosts can share the state
   * (Redis); an embedded store has none, and `run --join` / `--shared` are refused there.
   */
  readonly shared?: SharedRunStore;
}

/** What every worker of a shared run is told to do: go on, pause (finish what is in flight), or cancel. */
export type RunControl = 'run' | 'pause' | 'cancel';

/**
 * The parts of the state several workers of one run share. The current document stays the one truth: each
 * worker merges its finished batches into it (`updateCurrent`, atomic against concurrent merges), so a
 * batch done twice (a lease that expired while its worker was only slow) is counted once.
 */
export interface SharedRunStore {
  /**
   * Atomically reads the current document and, when it is `runId`'s, replaces it with `mutate(doc)` together
   * with these failed / recovered points; retried when another worker changed it meanwhile. Returns what
   * was written, or null (nothing written) when the document belongs to another run or is gone.
   */
  updateCurrent(runId: string, mutate: (doc: MigrationState) => MigrationState, failed?: readonly FailedPoint[], recovered?: readonly string[]): Promise<MigrationState | null>;
  /** Each worker reports itself about once a second. */
  putWorker(runId: string, record: WorkerRecord): Promise<void>;
  readWorkers(runId: string): Promise<WorkerRecord[]>;
  setControl(runId: string, control: RunControl): Promise<void>;
  /** 'run' when nobody said otherwise. */
  readControl(runId: string): Promise<RunControl>;
  /** The run's batch queue (leases that expire unless extended). */
  openQueue(runId: string, options: { leaseMs: number }): BatchQueue;
}

/** A batch handed to one worker until it completes it or the lease expires (then another worker gets it). */
export interface BatchLease {
  readonly batch: number;
  /** The batch was leased before and came back because that lease expired (its worker stopped answering). */
  readonly handedBack: boolean;
}

export interface BatchQueue {
  /** Replaces whatever the queue holds with these batch numbers, lowest first (the seed, at start or resume). */
  fill(batches: readonly number[]): Promise<void>;
  /** Adds these batch numbers unless they are already queued or leased. */
  add(batches: readonly number[]): Promise<void>;
  /** The next batch, leased to this worker; null when none is waiting now (others may still be leased). */
  take(): Promise<BatchLease | null>;
  /** Renews the lease; false when it was lost (it expired and went back to the queue). */
  extend(lease: BatchLease): Promise<boolean>;
  /** The batch is recorded in the document: it leaves the queue. */
  complete(lease: BatchLease): Promise<void>;
  counts(): Promise<{ waiting: number; leased: number }>;
  close(): Promise<void>;
}
