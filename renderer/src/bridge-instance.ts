/**
 * The one Bridge of this window, set once at start-up by main.tsx. Components and stores call the engine
 * through it and never know whether it is Electron's preload or the browser host's WebSocket.
 */
import type { Bridge } from './api/bridge';

let current: Bridge | null = null;

export function setBridge(bridge: Bridge): void {
  current = bridge;
}

export function bridge(): Bridge {
  if (!current) throw new Error('the engine bridge is not connected yet');
  return current;
}

export function api(): Bridge['api'] {
  return bridge().api;
}
