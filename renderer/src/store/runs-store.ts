/**
 * The Runs page: every run kept under the state key (the engine's run history), the one opened with its
 * recorded dashboard, and the actions on one run (resume an interrupted one, delete one). The list itself is
 * polled by the page; this store holds what outlives a render.
 */
import { create } from 'zustand';
import type { RunDetail } from '../../../shared/contract/history';
import type { Target } from '../lib/config-form';
import { api } from '../bridge-instance';
import { errorMessage } from '../lib/errors';
import type { Loadable } from './setup-store';
import { setTab } from './ui-store';
import { refreshSnapshot } from './run-actions';

interface RunsState {
  /** The run whose record is open below the list. */
  openId: string | null;
  detail: Loadable<RunDetail> & { runId?: string };
  /** The run whose deletion waits for the user's confirmation. */
  confirmDelete: string | null;
  busy: { runId: string; action: 'resume' | 'delete' } | null;
  message: { ok: boolean; text: string } | null;
  /** Bumped after a change, so the page's list refreshes at once. */
  version: number;
}

export const useRuns = create<RunsState>()(() => ({ openId: null, detail: { state: 'idle' }, confirmDelete: null, busy: null, message: null, version: 0 }));

export async function openRun(target: Target, runId: string): Promise<void> {
  useRuns.setState({ openId: runId, detail: { state: 'loading', runId } });
  try {
    const detail = await api().getRun({ ...target, runId });
    if (useRuns.getState().openId !== runId) return;
    useRuns.setState({ detail: { state: 'ok', value: detail, runId } });
  } catch (e) {
    if (useRuns.getState().openId !== runId) return;
    useRuns.setState({ detail: { state: 'error', message: errorMessage(e), runId } });
  }
}

export function closeRun(): void {
  useRuns.setState({ openId: null, detail: { state: 'idle' } });
}

export function askDelete(runId: string | null): void {
  useRuns.setState({ confirmDelete: runId, message: null });
}

export async function deleteRun(target: Target, runId: string): Promise<void> {
  useRuns.setState({ busy: { runId, action: 'delete' }, confirmDelete: null, message: null });
  try {
    const r = await api().deleteRun({ ...target, runId });
    useRuns.setState((s) => ({
      busy: null,
      message: { ok: true, text: r.deleted ? `Deleted the record of run ${runId}. Its points stay in Qdrant.` : `Run ${runId} had no record left to delete.` },
      version: s.version + 1,
      ...(s.openId === runId ? { openId: null, detail: { state: 'idle' } as const } : {}),
    }));
  } catch (e) {
    useRuns.setState({ busy: null, message: { ok: false, text: errorMessage(e) } });
  }
}

/** Continue an interrupted or paused run with its own recorded settings, then watch it on the Run page. */
export async function resumeStoredRun(target: Target, runId: string): Promise<void> {
  useRuns.setState({ busy: { runId, action: 'resume' }, message: null });
  try {
    await api().resumeStoredRun({ ...target, runId });
    await refreshSnapshot();
    useRuns.setState((s) => ({ busy: null, version: s.version + 1 }));
    setTab('run');
  } catch (e) {
    useRuns.setState({ busy: null, message: { ok: false, text: errorMessage(e) } });
  }
}
