/**
 * What the Electron preload exposes as `window.xnai`: one function per contract command (each bound to its
 * own IPC channel, never ipcRenderer itself), the engine's event stream from the window's MessagePort, and
 * the desktop's native capabilities. Replies come back as the wire's envelope, because Electron rewrites
 * the message of an error thrown across ipcRenderer.invoke ("Error invoking remote method ...").
 */
import type { CommandName, CommandRequest, EngineEvent } from '../../../shared/contract';

export type ReplyEnvelope = { ok: true; payload: unknown } | { ok: false; error: { message: string; exitCode: number } };

export interface XnaiPreloadApi {
  commands: { [K in CommandName]: (request: CommandRequest<K>) => Promise<ReplyEnvelope> };
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onConnection(listener: (connected: boolean) => void): () => void;
  pickSourcePath(): Promise<string | null>;
  saveFile(filename: string, mimeType: string, content: string): Promise<string | null>;
  printToPdf(filename: string, html: string): Promise<string | null>;
  loadSecrets(): Promise<{ qdrantApiKey?: string; redisPassword?: string }>;
  saveSecrets(secrets: { qdrantApiKey?: string; redisPassword?: string }): Promise<void>;
}

declare global {
  interface Window {
    xnai?: XnaiPreloadApi;
  }
}
