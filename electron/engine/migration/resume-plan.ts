/**
 * What a new run does with the state a previous run left under the state key: resume it exactly, start a new
 * run, or refuse. Kept apart from the run so the rules read in one place: a state is only resumed for the same
 * index file (size, mtime, header hash) and the same collection, with the batch size it started with
 * (batch numbers are the checkpoint's unit, so changing it would skip or repeat points). Another file or
 * another collection is a new run (the unfinished one stays in the run history); the same file changed
 * since is ambiguous and refused with the setting that resolves it rather than guessed.
 */
import { resolve } from 'node:path';
import { redactConfig, type Distance, type MigrationConfig, type MigrationState, type SourceFingerprint } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import type { ConcretePayloadLayout } from '../payload/index';

export type ResumePlan =
  /** Continue `previous` (also a completed state of this source and collection: nothing is left to do). */
  | { kind: 'resume'; previous: MigrationState; batchSize: number; warning?: string }
  /** A new migration; `clear` when it supersedes a previous current document (kept in the history), `notice` said then. */
  | { kind: 'fresh'; batchSize: number; clear: boolean; notice?: string };

/** Throws a UserError when the state belongs to something else and the user must choose. */
export function planResume(previous: MigrationState | null, config: MigrationConfig, fingerprint: SourceFingerprint, retryFailed: boolean): ResumePlan {
  if (retryFailed && !previous) {
    throw new UserError('usage', `no migration state under ${config.stateKey}: there are no failed points to retry (run without --retry-failed)`);
  }
  if (previous && retryFailed) {
    if (!sameSource(previous.source, fingerprint)) throw differentIndex(config, previous, fingerprint);
    if (previous.collection !== config.collection) {
      throw new UserError('usage', `the failed points under ${config.stateKey} belong to collection "${previous.collection}", not "${config.collection}": set QDRANT_COLLECTION=${previous.collection}`);
    }
    return { kind: 'resume', previous, batchSize: previous.batch_size };
  }
  if (previous && config.resumeMode && previous.status !== 'completed') {
    // another file, or another collection, is another migration: the unfinished one stays in the history
    if (!samePath(previous.source, fingerprint) || previous.collection !== config.collection) {
      return { kind: 'fresh', batchSize: config.batchSize, clear: true, notice: `starting a new run; run ${previous.run_id} (${previous.status} at ${previous.processed_vectors} of ${previous.total_vectors} points of ${previous.source.path} into "${previous.collection}") stays in the run history and can be resumed from there` };
    }
    // the same file, changed since: resuming would skip or repeat points, starting over may not be meant
    if (!sameSource(previous.source, fingerprint)) throw differentIndex(config, previous, fingerprint);
    const warning = previous.batch_size !== config.batchSize ? `resuming with the batch size the run started with (${previous.batch_size}); BATCH_SIZE=${config.batchSize} applies to new runs` : undefined;
    return { kind: 'resume', previous, batchSize: previous.batch_size, ...(warning ? { warning } : {}) };
  }
  if (previous && config.resumeMode && previous.status === 'completed' && sameSource(previous.source, fingerprint) && previous.collection === config.collection) {
    // nothing left to do: keep the state as it is
    return { kind: 'resume', previous, batchSize: previous.batch_size };
  }
  if (previous && !config.resumeMode) {
    return { kind: 'fresh', batchSize: config.batchSize, clear: true, notice: `RESUME_MODE=false: starting a new run (the previous one, ${previous.run_id}, ${previous.status} at ${previous.processed_vectors} points, stays in the run history)` };
  }
  // no state, or a completed state of another source or collection: a new migration
  return { kind: 'fresh', batchSize: config.batchSize, clear: previous !== null };
}

/** The state document of a new migration: nothing done yet. */
export function freshState(args: { runId: string; config: MigrationConfig; total: number; batchSize: number; now: string; fingerprint: SourceFingerprint; layout: ConcretePayloadLayout; distance: Distance }): MigrationState {
  const { config, now } = args;
  return {
    status: 'in_progress',
    started_at: now,
    total_vectors: args.total,
    processed_vectors: 0,
    failed_vectors: 0,
    batches_processed: 0,
    last_batch_id: -1,
    last_checkpoint: now,
    completed_at: null,
    version: 1,
    run_id: args.runId,
    collection: config.collection,
    batch_size: args.batchSize,
    total_batches: Math.ceil(args.total / args.batchSize),
    watermark: 0,
    completed_above: [],
    source: args.fingerprint,
    distance: args.distance,
    payload_layout: args.layout,
    config: redactConfig(config) as Record<string, unknown>,
    timeline: [],
  };
}

/** The previous state continued by this run: its id and progress kept, this attempt's (redacted) config. */
export function resumedState(previous: MigrationState, args: { config: MigrationConfig; total: number; totalBatches: number; now: string }): MigrationState {
  return { ...previous, status: 'in_progress', error: null, config: redactConfig(args.config) as Record<string, unknown>, last_checkpoint: args.now, total_vectors: args.total, total_batches: args.totalBatches };
}

function samePath(a: SourceFingerprint, b: SourceFingerprint): boolean {
  return resolve(a.path) === resolve(b.path);
}

export function sameSource(a: SourceFingerprint, b: SourceFingerprint): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.headerSha256 === b.headerSha256;
}

export function describeFingerprint(f: SourceFingerprint): string {
  return `${f.path}, ${f.size} bytes, modified ${new Date(f.mtimeMs).toISOString()}`;
}

function differentIndex(config: MigrationConfig, previous: MigrationState, now: SourceFingerprint): UserError {
  return new UserError(
    'usage',
    `run ${previous.run_id} under ${config.stateKey} migrated a different version of this index (${describeFingerprint(previous.source)}; now ${describeFingerprint(now)}): set RESUME_MODE=false to start a new run (run ${previous.run_id} stays in the run history), or restore the file it migrated`,
  );
}
