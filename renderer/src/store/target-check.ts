/**
 * Before Start, the engine's `checkTarget`: the source against an existing collection (size, distance,
 * named vectors, in the preflight's own words) and what Start would do with the saved state (a new run,
 * resume one, nothing left, or a refusal). Asked again, a moment after the settings stop changing, while the
 * settings are valid and the source reads; answers to older settings are dropped.
 */
import { create } from 'zustand';
import type { TargetCheck } from '../../../shared/contract/setup';
import type { MigrationConfig } from '../../../shared/contract/config';
import { api } from '../bridge-instance';
import { errorMessage } from '../lib/errors';
import { sourceReadiness, useSetup, type Loadable } from './setup-store';
import { useRun } from './run-store';

interface TargetCheckState {
  check: Loadable<TargetCheck> & { key?: string };
}

export const useTargetCheck = create<TargetCheckState>()(() => ({ check: { state: 'idle' } }));

const DEBOUNCE_MS = 400;

const keyOf = (config: MigrationConfig) => JSON.stringify(config);

/** Whether the last answer for these very settings blocks Start: conflicts, or Start would be refused. */
export function blocksStart(check: TargetCheckState['check'], config: MigrationConfig | null): boolean {
  if (!config || check.state !== 'ok' || check.key !== keyOf(config)) return false;
  return check.value.conflicts.length > 0 || check.value.plan.kind === 'refused';
}

let timer: ReturnType<typeof setTimeout> | null = null;

export async function runTargetCheck(config: MigrationConfig): Promise<void> {
  const key = keyOf(config);
  useTargetCheck.setState({ check: { state: 'loading', key } });
  try {
    const value = await api().checkTarget({ config });
    if (useTargetCheck.getState().check.key !== key) return;
    useTargetCheck.setState({ check: { state: 'ok', value, key } });
  } catch (e) {
    if (useTargetCheck.getState().check.key !== key) return;
    useTargetCheck.setState({ check: { state: 'error', message: errorMessage(e), key } });
  }
}

/** Keep the check in step with Set up (called once when the bridge is attached); returns the unsubscribe. */
export function watchTargetCheck(): () => void {
  const consider = () => {
    const s = useSetup.getState();
    const config = s.config;
    if (!config || sourceReadiness(s) !== 'ok') {
      if (timer) clearTimeout(timer);
      if (useTargetCheck.getState().check.state !== 'idle') useTargetCheck.setState({ check: { state: 'idle' } });
      return;
    }
    const key = keyOf(config);
    if (useTargetCheck.getState().check.key === key) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runTargetCheck(config), DEBOUNCE_MS);
  };
  consider();
  const offSetup = useSetup.subscribe((s, prev) => {
    if (s.config !== prev.config || s.inspect !== prev.inspect) consider();
  });
  // A run that starts or ends changes what Start would do (resume, nothing left): ask again.
  const offRun = useRun.subscribe((s, prev) => {
    if (s.status === prev.status && s.runId === prev.runId) return;
    const check = useTargetCheck.getState().check;
    if (check.state !== 'idle') useTargetCheck.setState({ check: { ...check, key: undefined } as TargetCheckState['check'] });
    consider();
  });
  return () => {
    offSetup();
    offRun();
  };
}
