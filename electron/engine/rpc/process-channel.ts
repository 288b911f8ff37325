/**
 * The engine process's side of its channel to the host: Electron's utilityProcess `process.parentPort` when
 * present, else a Node fork's `process.send` (forked with `serialization: 'advanced'`, so bigint and typed
 * arrays survive as in structured clone). The host may also hand over MessagePorts (Electron: one straight to
 * the window), announced by an `attach-port` notice carrying the port.
 */
import { Listeners, type RpcTransport } from './transport';

/** The host's notice that the transferred port is another client (the window). */
export const ATTACH_PORT = 'attach-port';

/** Electron's MessagePortMain, as much as the engine uses of it (no electron import in the engine). */
export interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports?: PortLike[] }) => void): unknown;
  postMessage(message: unknown): void;
}

export function portTransport(port: PortLike): RpcTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  let closed = false;
  const onClose = () => {
    if (closed) return;
    closed = true;
    closes.emit();
  };
  port.on('message', (e) => messages.emit(e.data));
  port.on('close', onClose);
  port.start();
  return {
    post: (m) => {
      if (!closed) port.postMessage(m);
    },
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    close() {
      port.close();
      onClose();
    },
  };
}

export interface ParentChannel {
  transport: RpcTransport;
  /** Ports the host transfers (Electron): each one is another client of the engine. */
  onPort(listener: (port: PortLike) => void): () => void;
  kind: 'utility-process' | 'node-fork';
}

export function parentChannel(): ParentChannel | null {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  const ports = new Listeners<[PortLike]>();
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  const route = (data: unknown, transferred: PortLike[] | undefined) => {
    if (data !== null && typeof data === 'object' && (data as { kind?: unknown }).kind === ATTACH_PORT) {
      for (const p of transferred ?? []) ports.emit(p);
      return;
    }
    messages.emit(data);
  };
  if (parentPort) {
    parentPort.on('message', (e) => route(e.data, e.ports));
    return {
      kind: 'utility-process',
      transport: { post: (m) => parentPort.postMessage(m), onMessage: (l) => messages.add(l), onClose: (l) => closes.add(l), close: () => process.exit(0) },
      onPort: (l) => ports.add(l),
    };
  }
  if (typeof process.send !== 'function') return null;
  process.on('message', (m) => route(m, undefined));
  process.on('disconnect', () => closes.emit());
  return {
    kind: 'node-fork',
    transport: {
      post: (m) => {
        if (process.connected) process.send!(m);
      },
      onMessage: (l) => messages.add(l),
      onClose: (l) => closes.add(l),
      close: () => process.disconnect?.(),
    },
    onPort: (l) => ports.add(l),
  };
}
