/**
 * The preload (bundled to dist/preload.cjs: a sandboxed preload cannot require project files). It exposes
 * `window.xnai`: one function per contract command, each bound to its own channel (the page never gets
 * ipcRenderer), the engine's events from the MessagePort main hands over (re-sent after an engine restart),
 * and the desktop capabilities. Events are validated here before the page sees them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_NAMES, EngineEventSchema, type EngineEvent } from '../../shared/contract';
import { commandChannel, HOST_CHANNELS, PUSH_CHANNELS } from '../main/channels';
import type { ReplyEnvelope, XnaiPreloadApi } from '../../renderer/src/api/preload-types';

const eventListeners = new Set<(event: EngineEvent) => void>();
const connectionListeners = new Set<(connected: boolean) => void>();
let port: MessagePort | null = null;

function deliver(raw: unknown) {
  const parsed = EngineEventSchema.safeParse(raw);
  if (!parsed.success) return;
  for (const l of [...eventListeners]) l(parsed.data);
}

function setConnected(connected: boolean) {
  for (const l of [...connectionListeners]) l(connected);
}

ipcRenderer.on(PUSH_CHANNELS.enginePort, (e: IpcRendererEvent) => {
  port?.close();
  port = e.ports[0] ?? null;
  if (!port) return;
  port.onmessage = (m: MessageEvent) => {
    const data = m.data as { kind?: string; event?: unknown; engineConnected?: unknown };
    if (data?.kind === 'event') deliver(data.event);
    else if (data?.kind === 'host' && typeof data.engineConnected === 'boolean') setConnected(data.engineConnected);
  };
  port.start();
});
ipcRenderer.on(PUSH_CHANNELS.event, (_e: IpcRendererEvent, event: unknown) => deliver(event));
ipcRenderer.on(PUSH_CHANNELS.connection, (_e: IpcRendererEvent, connected: unknown) => {
  if (typeof connected === 'boolean') setConnected(connected);
});

/** Host capabilities answer with the envelope too; here it becomes a value or an Error with the message. */
async function unwrap<T>(p: Promise<ReplyEnvelope>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.payload as T;
}

const commands = Object.fromEntries(
  COMMAND_NAMES.map((name) => {
    const channel = commandChannel(name);
    return [name, (request: unknown) => ipcRenderer.invoke(channel, request) as Promise<ReplyEnvelope>];
  }),
) as unknown as XnaiPreloadApi['commands'];

const api: XnaiPreloadApi = {
  commands,
  onEvent(listener) {
    eventListeners.add(listener);
    return () => eventListeners.delete(listener);
  },
  onConnection(listener) {
    connectionListeners.add(listener);
    return () => connectionListeners.delete(listener);
  },
  pickSourcePath: () => unwrap(ipcRenderer.invoke(HOST_CHANNELS.pickSourcePath)),
  saveFile: (filename, mimeType, content) => unwrap(ipcRenderer.invoke(HOST_CHANNELS.saveFile, filename, mimeType, content)),
  printToPdf: (filename, html) => unwrap(ipcRenderer.invoke(HOST_CHANNELS.printToPdf, filename, html)),
  loadSecrets: () => unwrap(ipcRenderer.invoke(HOST_CHANNELS.loadSecrets)),
  saveSecrets: (secrets) => unwrap(ipcRenderer.invoke(HOST_CHANNELS.saveSecrets, secrets)),
};

contextBridge.exposeInMainWorld('xnai', api);
