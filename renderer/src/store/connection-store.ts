/** Whether the engine is reachable (false while the WebSocket reconnects or the engine process restarts). */
import { create } from 'zustand';

interface ConnectionState {
  connected: boolean;
  /** When the link dropped, for "lost 12 s ago". */
  lostAt: number | null;
}

export const useConnection = create<ConnectionState>()(() => ({ connected: true, lostAt: null }));

export function setConnected(connected: boolean): void {
  const prev = useConnection.getState();
  if (prev.connected === connected) return;
  useConnection.setState({ connected, lostAt: connected ? null : Date.now() });
}
