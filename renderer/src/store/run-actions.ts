/**
 * Start / Pause / Resume / Cancel / Retry failed. The job's state comes back through engine events; the
 * snapshot fetched after each command makes the page right even if an event was missed.
 */
import { create } from 'zustand';
import type { MigrationConfig } from '../../../shared/contract';
import { api } from '../bridge-instance';
import { errorMessage } from '../lib/errors';
import { applySnapshot } from './run-store';
import { inspectIfChanged, revealAllErrors, sourceReadiness, useSetup } from './setup-store';
import { setTab } from './ui-store';
import { useWorkersControl } from './workers-store';

export type RunAction = 'start' | 'pause' | 'resume' | 'cancel' | 'retry';

interface ActionState {
  busy: RunAction | null;
  error: string | null;
  /** Which action the error belongs to. */
  failed: RunAction | null;
}

export const useRunActions = create<ActionState>()(() => ({ busy: null, error: null, failed: null }));

// A refused Start is about the settings as they were: once the user edits them, the old reason goes.
useSetup.subscribe((s, prev) => {
  if (s.values !== prev.values && useRunActions.getState().error && useRunActions.getState().failed === 'start') useRunActions.setState({ error: null, failed: null });
});

export async function refreshSnapshot(): Promise<void> {
  try {
    applySnapshot(await api().getSnapshot({}));
  } catch {
    // The connection banner tells the user; the next reconnect fetches it again.
  }
}

async function perform(action: RunAction, call: () => Promise<unknown>): Promise<boolean> {
  useRunActions.setState({ busy: action, error: null, failed: null });
  try {
    await call();
    await refreshSnapshot();
    useRunActions.setState({ busy: null });
    return true;
  } catch (e) {
    useRunActions.setState({ busy: null, error: errorMessage(e), failed: action });
    return false;
  }
}

export async function startRun(): Promise<boolean> {
  const { config } = useSetup.getState();
  if (!config) {
    revealAllErrors();
    useRunActions.setState({ error: 'Some settings are not valid: fix the fields marked in Set up, then start again.', failed: 'start' });
    setTab('setup');
    return false;
  }
  // A source the engine cannot read would fail at once: read it first (if this path was not read yet) and
  // stop here, with the reader's reason on the Set up page, when it cannot be read.
  useRunActions.setState({ busy: 'start', error: null, failed: null });
  await inspectIfChanged();
  const readiness = sourceReadiness(useSetup.getState());
  if (readiness !== 'ok') {
    useRunActions.setState({ busy: null, error: readiness === 'error' ? 'The source cannot be read: fix the path in Set up (the reason is under Source), then start again.' : null, failed: 'start' });
    setTab('setup');
    return false;
  }
  const ok = await perform('start', () => api().startRun({ config: { ...config, sharedRun: useWorkersControl.getState().share || config.sharedRun } }));
  if (ok) setTab('run');
  return ok;
}

/** Take part in the shared run under the state key as one more worker (`xnai-migrate run --join`). */
export const joinRun = () => withSettings('start', 'Joining needs the source path and the Redis settings: fix the fields marked in Set up.', (config) => api().joinRun({ config }));

export const pauseRun = () => perform('pause', () => api().pauseRun({}));
export const resumeRun = () => perform('resume', () => api().resumeRun({}));
export const cancelRun = () => perform('cancel', () => api().cancelRun({}));

export const retryFailed = () => withSettings('retry', 'Retrying needs the full run settings: fix the fields marked in Set up.', (config) => api().retryFailed({ config }));

/** An action that needs the whole form valid: refused with `invalid` (the fields marked) when it is not; the Run page after. */
async function withSettings(action: RunAction, invalid: string, call: (config: MigrationConfig) => Promise<unknown>): Promise<boolean> {
  const { config } = useSetup.getState();
  if (!config) {
    revealAllErrors();
    useRunActions.setState({ error: invalid, failed: action });
    return false;
  }
  const ok = await perform(action, () => call(config));
  if (ok) setTab('run');
  return ok;
}
