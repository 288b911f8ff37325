/**
 * The Bridge in a plain browser: a WebSocket back to the browser host that served the page (same origin; the
 * host's cookie authenticates it), bigint-safe JSON frames, reconnecting with backoff. Calls made while
 * reconnecting wait a few seconds for the socket instead of failing at once.
 */
import { createRpcClient } from '../../../electron/engine/rpc/client';
import { Listeners, type RpcTransport } from '../../../electron/engine/rpc/transport';
import { decodeText, encodeText, type WireMessage } from '../../../electron/engine/rpc/wire';
import type { Bridge } from './bridge';

export const WS_PATH = '/ws';

function socketTransport(ws: WebSocket): RpcTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  ws.addEventListener('message', (e) => {
    if (typeof e.data !== 'string') return;
    const m = decodeText(e.data);
    if (m !== null) messages.emit(m);
  });
  ws.addEventListener('close', () => closes.emit());
  return {
    post: (m) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(encodeText(m as WireMessage));
    },
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    close: () => ws.close(),
  };
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.addEventListener('open', () => resolve(ws), { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot open ${url}`)), { once: true });
  });
}

/** Connect to the host at `base` (the page's own origin); resolves once the first socket is open. */
export async function websocketBridge(base: string = window.location.href): Promise<Bridge> {
  const url = new URL(WS_PATH, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createRpcClient({ queueWhileDisconnected: true, queueTimeoutMs: 15_000, peerName: 'the browser host' });
  let delay = 250;
  const connect = async (): Promise<void> => {
    for (;;) {
      try {
        const ws = await open(url.toString());
        delay = 250;
        const t = socketTransport(ws);
        client.attach(t);
        t.onClose(() => setTimeout(() => void connect(), delay));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
  };
  const first = open(url.toString());
  const ws = await first.catch(() => {
    throw new Error('cannot reach the browser host: is "xnai-migrate ui" still running? Reopen the URL it printed.');
  });
  const t = socketTransport(ws);
  client.attach(t);
  t.onClose(() => setTimeout(() => void connect(), delay));

  return {
    api: client.api,
    onEvent: (l) => client.onEvent(l),
    onConnection: (l) => client.onConnection(l),
    host: {
      kind: 'browser',
      async saveFile(filename, mimeType, content) {
        const blob = new Blob([content], { type: mimeType });
        const href = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = href;
        a.download = filename;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(href), 10_000);
        return filename;
      },
    },
  };
}
