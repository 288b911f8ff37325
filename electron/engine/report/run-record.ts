/**
 * What a run left in the state store, read through its `StateStore` (the contract's schemas): the seed's
 * JSON state (with timeline and redacted config), the failed points (capped, all counted), the progress
 * samples for the charts, and the last verification. A state this version cannot read becomes a note in
 * the report instead of a failure to report.
 */
import type { FailedPoint, MigrationState, ProgressSample, VerificationResult } from '../../../shared/contract';
import { describeError } from '../../../shared/errors';
import type { StateStore } from '../state/types';
import { requireRun } from '../state/history';

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

export async function readState(store: StateStore): Promise<{ state: MigrationState | null; problem: string | null }> {
  try {
    return { state: await store.readCurrent(), problem: null };
  } catch (e) {
    return { state: null, problem: describeError(e) };
  }
}

/**
 * A run's record: the one named (any run of the history), else the current run's; with no run, the last
 * verification of `collection` (one written without a run).
 */
export async function readRunRecord(store: StateStore, collection: string, runId?: string, failedLimit = 1000): Promise<RunRecord> {
  const { state, problem } = runId ? { state: await requireRun(store, runId), problem: null } : await readState(store);
  const empty: RunRecord = { key: store.key, state, stateProblem: problem, failedPoints: [], failedTotal: 0, samples: [], verification: null };
  if (!state) return { ...empty, verification: await store.readVerification({ collection }) };
  const id = state.run_id;
  const failedPoints = await store.readFailed(id, failedLimit);
  failedPoints.sort((a, b) => a.batch - b.batch || a.faissId.localeCompare(b.faissId, 'en', { numeric: true }));
  const samples = await store.readSamples(id);
  samples.sort((a, b) => a.at - b.at);
  return { ...empty, failedPoints, failedTotal: await store.failedCount(id), samples, verification: await store.readVerification({ runId: id }) };
}
