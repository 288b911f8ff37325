/**
 * The run's side of the run history (the store keeps it, see state/types.ts): the record of a run refused in
 * its preflight, kept so the user sees it was tried and why, without touching the seed's key or any other run.
 */
import type { MigrationState } from '../../../shared/contract';
import type { StateStore } from '../state/types';

/**
 * A new run (`state.run_id` is this attempt's own id) refused before its first checkpoint, e.g. a collection of
 * another size: its record is kept in the history as failed and never started. A run being resumed keeps its
 * record as it was. Best effort: losing this record must not hide the refusal itself.
 */
export async function keepRefusedStart(store: StateStore | null, state: MigrationState | null, sessionId: string, reason: string, debug: (msg: string) => void): Promise<void> {
  if (!store || !state || state.run_id !== sessionId) return;
  const at = Date.now();
  const record: MigrationState = {
    ...state,
    status: 'failed',
    error: reason,
    never_started: true,
    last_checkpoint: new Date(at).toISOString(),
    timeline: [...state.timeline, { at, event: 'failed', detail: reason }],
  };
  try {
    await store.recordRun(record);
  } catch (e) {
    debug(`the refused run's record was not kept: ${(e as Error).message}`);
  }
}
