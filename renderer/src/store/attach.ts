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
import { loadDefaults } from './setup-store';

export function attachBridge(b: Bridge): () => void {
  setBridge(b);
  const offEvent = b.onEvent(receiveEvent);
  const offConn = b.onConnection((connected) => {
    setConnected(connected);
    if (connected) void refreshSnapshot();
  });
  void refreshSnapshot();
  void loadDefaults();
  return () => {
    offEvent();
    offConn();
  };
}
