/**
 * `connectBridge()`: the desktop app's preload API when the page runs in the Electron window, otherwise the
 * WebSocket back to the browser host that served it. Everything else in the renderer uses the Bridge only.
 */
import type { Bridge } from './bridge';
import { electronBridge } from './electron';
import { websocketBridge } from './websocket';

export type { Bridge, HostCapabilities } from './bridge';

export async function connectBridge(): Promise<Bridge> {
  if (typeof window !== 'undefined' && window.xnai) return electronBridge(window.xnai);
  return websocketBridge(window.location.href);
}
