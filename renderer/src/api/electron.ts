/**
 * The Bridge inside the desktop app: the preload's per-command functions and event stream, wrapped as an
 * RPC transport so the renderer validates requests, replies and events with exactly the code every other
 * host uses (electron/engine/rpc/client).
 */
import type { EngineEvent } from '../../../shared/contract';
import { isCommandName } from '../../../electron/engine/rpc/command-names';
import { createRpcClient } from '../../../electron/engine/rpc/client';
import { Listeners, type RpcTransport } from '../../../electron/engine/rpc/transport';
import type { Bridge } from './bridge';
import type { XnaiPreloadApi } from './preload-types';

function preloadTransport(x: XnaiPreloadApi): RpcTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  x.onEvent((event: EngineEvent) => messages.emit({ kind: 'event', event }));
  x.onConnection((engineConnected) => messages.emit({ kind: 'host', engineConnected }));
  return {
    post(m) {
      const req = m as { kind: string; id: number; name: string; payload: unknown };
      if (req.kind !== 'request' || !isCommandName(req.name)) return;
      const fn = x.commands[req.name] as (p: unknown) => Promise<{ ok: boolean; payload?: unknown; error?: unknown }>;
      fn(req.payload).then(
        (envelope) => messages.emit({ kind: 'reply', id: req.id, ...envelope }),
        (e: unknown) => messages.emit({ kind: 'reply', id: req.id, ok: false, error: { message: e instanceof Error ? e.message : String(e), exitCode: 1 } }),
      );
    },
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    close: () => closes.emit(),
  };
}

export function electronBridge(x: XnaiPreloadApi): Bridge {
  const client = createRpcClient({ peerName: 'the engine' });
  client.attach(preloadTransport(x));
  return {
    api: client.api,
    onEvent: (l) => client.onEvent(l),
    onConnection: (l) => client.onConnection(l),
    host: {
      kind: 'electron',
      pickSourcePath: () => x.pickSourcePath(),
      saveFile: (filename, mimeType, content) => x.saveFile(filename, mimeType, content),
      printToPdf: (filename, html) => x.printToPdf(filename, html),
      secrets: { load: () => x.loadSecrets(), save: (s) => x.saveSecrets(s) },
    },
  };
}
