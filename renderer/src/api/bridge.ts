/**
 * What the renderer talks to, whatever hosts it: the Electron preload (`window.xnai`) or the browser
 * host's WebSocket. Components and stores use only this interface; `connectBridge()` picks the transport.
 */
import type { EngineApi, EngineEvent } from '../../../shared/contract';

export interface HostCapabilities {
  kind: 'electron' | 'browser';
  /** Native "open" dialog (desktop only); the browser UI asks for a typed path instead. */
  pickSourcePath?: () => Promise<string | null>;
  /** Save a report with a native dialog (desktop) or as a browser download; resolves to where it went. */
  saveFile: (filename: string, mimeType: string, content: string) => Promise<string | null>;
  /** Desktop: print the HTML report to PDF. */
  printToPdf?: (filename: string, html: string) => Promise<string | null>;
  /** Desktop: secrets kept with safeStorage, so the user does not retype them. */
  secrets?: {
    load: () => Promise<{ qdrantApiKey?: string; redisPassword?: string }>;
    save: (s: { qdrantApiKey?: string; redisPassword?: string }) => Promise<void>;
  };
}

export interface Bridge {
  api: EngineApi;
  /** Subscribe to engine events (progress, memory, state, log, error); returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Connection to the engine: false while the engine restarts or the WebSocket reconnects. */
  onConnection(listener: (connected: boolean) => void): () => void;
  host: HostCapabilities;
}
