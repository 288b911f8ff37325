/**
 * Wires the engine bridge into the stores once, at module level (Heroic's pattern): events feed the run
 * store, the connection flag feeds the banner, and every (re)connect refetches the engine's snapshot
 * because events sent while the link was down are gone.
 */
import type { Bridge } from '../api/bridge';
import { setBridge } from '../bridge-instance';
import { receiveEvent } from './run-store';
import { setConnected } from './connection-store';
import { refreshSnapshot } from './run-actions';
import { loadDefaults, setField, inspectSource, useSetup } from './setup-store';
import { formFromDefaults } from '../lib/config-form';
import type { MigrationConfig } from '../../../shared/contract/config';
import { useRun } from './run-store';
import { watchTargetCheck } from './target-check';

function adoptCurrentRun(): void {
  const { runId, config } = useRun.getState();
  if (!runId || !config) return;
  const setup = useSetup.getState();
  // Only a form nobody has typed in yet follows the run (its settings, never its secrets).
  if (Object.values(setup.touched).some(Boolean)) return;
  const values = formFromDefaults(setup.values, config as Partial<MigrationConfig>);
  for (const k of Object.keys(values) as (keyof typeof values)[]) {
    if (values[k] !== setup.values[k]) setField(k, values[k]);
  }
  if (values.faissIndexPath) void inspectSource(values.faissIndexPath);
}

export function attachBridge(b: Bridge): () => void {
  setBridge(b);
  const offEvent = b.onEvent(receiveEvent);
  const offCheck = watchTargetCheck();
  // The engine's timeline (outages, throttling, transport: more than the state events say) is read again
  // whenever the job changes state or an outage begins or ends.
  const offTimeline = useRun.subscribe((s, prev) => {
    if (s.status !== prev.status || s.runId !== prev.runId || s.outages.length !== prev.outages.length) void refreshSnapshot();
  });
  const offConn = b.onConnection((connected) => {
    setConnected(connected);
    if (connected) void refreshSnapshot();
  });
  // A window that opens while a run exists (another tab started it, or the page was reloaded) looks at
  // that run's collection and state, not at the environment's defaults.
  void Promise.all([refreshSnapshot(), loadDefaults()]).then(adoptCurrentRun);
  return () => {
    offTimeline();
    offCheck();
    offEvent();
    offConn();
  };
}
