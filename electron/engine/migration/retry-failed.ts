/**
 * `--retry-failed`: re-sends only the points a previous run recorded as failed, batch by batch in batch
 * order. Each batch is read again from the index (the failed set holds ids, not vectors), only its failed
 * points are sent, and the checkpoint moves the recovered ones from failed to processed, so a point is never
 * counted twice and a retry interrupted half-way can simply be run again.
 */
import type { FailedPoint, MigrationState } from '../../../shared/contract';
import type { VectorBatch } from '../faiss/types';
import { writeWithRecovery, type RecoveryOptions } from '../qdrant/recovery';
import type { PointSink, PreparedPoints } from '../qdrant/types';
import type { MigrationSource } from '../source/index';
import type { StateStore } from '../state/types';
import { pickPoints } from './point-slices';

export interface RetryFailedContext {
  store: StateStore;
  source: MigrationSource;
  sink: PointSink;
  /** The run's state document (its counts are updated in place before each checkpoint). */
  state: () => MigrationState;
  /** Batch → points, exactly as the first run prepared them. */
  prepare: (number: number, batch: VectorBatch) => PreparedPoints;
  signal: AbortSignal;
  outageBudgetMs?: number;
  /** Told of each retry of an unanswered write (the run's outage tracking), and of each write that went through. */
  onRetry?: RecoveryOptions['onRetry'];
  onWritten?: () => void;
  /** True once the run is cancelled or has failed: no further batch is started. */
  stopped: () => boolean;
  say: (level: 'info', msg: string) => void;
  /** Resolves once a checkpoint with these still-failed and recovered points is stored. */
  checkpoint: (failed: FailedPoint[], recovered: string[]) => Promise<void>;
}

export async function retryFailedPoints(ctx: RetryFailedContext): Promise<void> {
  const failed = await ctx.store.readFailed(ctx.state().run_id);
  const bs = ctx.state().batch_size;
  const byBatch = new Map<number, Set<string>>();
  for (const f of failed) {
    const set = byBatch.get(f.batch) ?? new Set<string>();
    set.add(f.faissId);
    byBatch.set(f.batch, set);
  }
  ctx.say('info', `Retrying ${failed.length} failed points from ${byBatch.size} batches`);
  for (const [number, labels] of [...byBatch].sort((a, b) => a[0] - b[0])) {
    if (ctx.stopped()) break;
    const batch = await ctx.source.index.readRange(number * bs, bs);
    const keep: number[] = [];
    for (let i = 0; i < batch.count; i++) if (labels.has(batch.ids[i]!.toString())) keep.push(i);
    if (keep.length === 0) continue;
    const prepared = ctx.prepare(number, batch);
    const subset = pickPoints(prepared, keep);
    const result = await writeWithRecovery(ctx.sink, subset, { signal: ctx.signal, outageBudgetMs: ctx.outageBudgetMs, ...(ctx.onRetry ? { onRetry: ctx.onRetry } : {}) });
    ctx.onWritten?.();
    const stillFailed = new Set(result.failed.map((f) => f.faissId));
    const recovered = [...labels].filter((l) => !stillFailed.has(l));
    const state = ctx.state();
    state.processed_vectors += recovered.length;
    state.failed_vectors = Math.max(0, state.failed_vectors - recovered.length);
    await ctx.checkpoint(result.failed, recovered);
  }
}
