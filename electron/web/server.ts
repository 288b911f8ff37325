/**
 * The browser host: serves the built renderer and a WebSocket bridge to the engine on 127.0.0.1 only. The
 * same contract as the desktop app, validated both ways; frames are bigint-safe JSON so point ids and
 * labels above 2^53 arrive exact. `ws` does the WebSocket protocol (well kept, no native parts needed).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineApi, EngineEvent, EngineHandlers } from '../../shared/contract';
import { serveRpc } from '../engine/rpc/server';
import { Listeners, type RpcTransport } from '../engine/rpc/transport';
import { decodeText, encodeText, MAX_TEXT_MESSAGE_BYTES, type WireMessage } from '../engine/rpc/wire';
import { cookieName, hostAllowed, newToken, originAllowed, requestToken } from './auth';
import { NOT_BUILT_PAGE, resolveAsset, securityHeaders, sendFile } from './static';

/** What the web host needs from the engine: an EngineHost, or an in-process service in tests. */
export interface EngineLink {
  api: EngineApi;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onConnection(listener: (connected: boolean) => void): () => void;
  readonly connected: boolean;
}

export interface WebHostOptions {
  engine: EngineLink;
  /** dist/renderer; a missing build gets a page saying how to build it. */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  /** Open WebSocket clients. */
  readonly clients: number;
  close(): Promise<void>;
}

export const WS_PATH = '/ws';

export function wsTransport(ws: WebSocket): RpcTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const decoded = decodeText(data.toString());
    if (decoded !== null) messages.emit(decoded);
  });
  ws.on('close', () => closes.emit());
  ws.on('error', () => ws.terminate());
  return {
    post: (m) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeText(m as WireMessage));
    },
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    close: () => ws.close(),
  };
}

function refuse(socket: Duplex, status: number, text: string) {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  socket.destroy();
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_TEXT_MESSAGE_BYTES });
  // The engine's API has the handler shape: a parsed request is a valid request.
  const handlers = options.engine.api as unknown as EngineHandlers;
  let port = options.port ?? 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const headers = securityHeaders(port);
    if (!hostAllowed(req, port)) {
      res.writeHead(421, { ...headers, 'content-type': 'text/plain' }).end('Misdirected request: open the address xnai-migrate ui printed.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const auth = requestToken(req, url, port, token);
    if (!auth) {
      res.writeHead(401, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Unauthorized: open the URL with its ?token=... exactly as xnai-migrate ui printed it.\n');
      return;
    }
    if (auth === 'query') {
      // Trade the token for a cookie and drop it from the address bar (and from history and referrers).
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...headers,
        'set-cookie': `${cookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
        location: `${url.pathname}${url.search}`,
      }).end();
      return;
    }
    const indexExists = existsSync(join(options.rendererDir, 'index.html'));
    if (!indexExists) {
      res.writeHead(503, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(NOT_BUILT_PAGE);
      return;
    }
    const file = resolveAsset(options.rendererDir, url.pathname);
    if (!file && url.pathname === '/favicon.ico') {
      res.writeHead(204, headers).end(); // the app has no icon file; spare the console a 404
      return;
    }
    if (!file) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    sendFile(res, file, headers);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== WS_PATH) return refuse(socket, 404, 'Not Found');
    if (!hostAllowed(req, port)) return refuse(socket, 421, 'Misdirected Request');
    if (!originAllowed(req, port)) return refuse(socket, 403, 'Forbidden');
    if (!requestToken(req, url, port, token)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const transport = wsTransport(ws);
    const rpc = serveRpc(transport, handlers);
    const offEvents = options.engine.onEvent((e) => rpc.pushEvent(e));
    const offConn = options.engine.onConnection((c) => rpc.pushHost(c));
    rpc.pushHost(options.engine.connected);
    transport.onClose(() => {
      offEvents();
      offConn();
      rpc.close();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      if (addr && typeof addr === 'object') port = addr.port;
      resolve();
    });
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    get clients() {
      return wss.clients.size;
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
