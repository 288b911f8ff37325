/**
 * What a run left in Redis, read through the engine's `StateStore` (the contract's schemas): the seed's
 * JSON state (with timeline and redacted config), the failed points (capped, all counted), the progress
 * samples for the charts, and the last verification. A state this version cannot read becomes a note in
 * the report instead of a failure to report.
 */
import type { Redis } from 'ioredis';
import type { FailedPoint, MigrationState, ProgressSample, VerificationResult } from '../../../shared/contract';
import { describeError } from '../../../shared/errors';
import { StateStore } from '../state/store';
import { loadVerification } from '../verify/redis-store';

export interface RunRecord {
  key: string;
  state: MigrationState | null;
  /** Why the state could not be read, when it exists but does not match the schema. */
  stateProblem: string | null;
  failedPoints: FailedPoint[];
  failedTotal: number;
  samples: ProgressSample[];
  verification: VerificationResult | null;
}

export async function readState(redis: Redis, base: string): Promise<{ state: MigrationState | null; problem: string | null }> {
  try {
    return { state: await new StateStore(redis, base).read(), problem: null };
  } catch (e) {
    return { state: null, problem: describeError(e) };
  }
}

export async function readRunRecord(redis: Redis, base: string, failedLimit = 1000): Promise<RunRecord> {
  const store = new StateStore(redis, base);
  const { state, problem } = await readState(redis, base);
  const failedPoints = await store.readFailed(failedLimit);
  failedPoints.sort((a, b) => a.batch - b.batch || a.faissId.localeCompare(b.faissId, 'en', { numeric: true }));
  const samples = await store.readSamples();
  samples.sort((a, b) => a.at - b.at);
  return {
    key: base,
    state,
    stateProblem: problem,
    failedPoints,
    failedTotal: await store.failedCount(),
    samples,
    verification: await loadVerification(redis, base),
  };
}
