/** A Node client of the browser host, as the renderer connects: same origin, cookie or token, RPC over ws. */
import WebSocket from 'ws';
import { createRpcClient, type RpcClient } from '../../electron/engine/rpc/client';
import { wsTransport } from '../../electron/web/server';

export async function connectWs(port: number, opts: { token?: string; cookie?: string; origin?: string | null } = {}): Promise<{ client: RpcClient; ws: WebSocket }> {
  const url = `ws://127.0.0.1:${port}/ws${opts.token ? `?token=${encodeURIComponent(opts.token)}` : ''}`;
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  const ws = new WebSocket(url, { headers, ...(opts.origin === null ? {} : { origin: opts.origin ?? `http://127.0.0.1:${port}` }) });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const client = createRpcClient({ peerName: 'the browser host' });
  client.attach(wsTransport(ws));
  await client.whenConnected(5_000);
  return { client, ws };
}
