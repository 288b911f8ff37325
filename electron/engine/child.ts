/**
 * The engine process: Electron's utilityProcess in the desktop app, a Node fork under the browser host and
 * the CLI. It serves the contract's commands on its channel to the host (and on any MessagePort the host
 * hands it: the window's), pushes events throttled to a few a second, and on SIGTERM or when the host goes
 * away pauses the run cleanly (checkpoint and lock released) before exiting.
 */
import { createEngineService } from './handlers';
import { ENGINE_CHILD_ENV } from './rpc/engine-host';
import { parentChannel, portTransport } from './rpc/process-channel';
import { serveRpc, type RpcServer } from './rpc/server';
import { createEventThrottle, type EventThrottle } from './rpc/throttle';
import type { RpcTransport } from './rpc/transport';
import { describeError } from '../../shared/errors';

/** Progress/memory events at most this often per client. */
const EVENT_INTERVAL_MS = 250;

export function runEngineChild(): void {
  const parent = parentChannel();
  if (!parent) {
    process.stderr.write('xnai engine: not started by a host (no parentPort or IPC channel)\n');
    process.exit(2);
  }
  const service = createEngineService({ env: process.env });
  const clients = new Set<{ server: RpcServer; throttle: EventThrottle }>();

  const addClient = (transport: RpcTransport) => {
    const server = serveRpc(transport, service.handlers);
    const throttle = createEventThrottle((e) => server.pushEvent(e), EVENT_INTERVAL_MS);
    const client = { server, throttle };
    clients.add(client);
    transport.onClose(() => {
      throttle.dispose();
      server.close();
      clients.delete(client);
    });
    return server;
  };

  service.onEvent((event) => {
    for (const c of clients) c.throttle.push(event);
  });

  let exiting = false;
  const shutdown = async (code: number) => {
    if (exiting) return;
    exiting = true;
    for (const c of clients) c.throttle.flush();
    try {
      await service.dispose();
    } catch (e) {
      process.stderr.write(`xnai engine: shutdown: ${describeError(e)}\n`);
    }
    process.exit(code);
  };

  addClient(parent.transport).pushHost(true);
  parent.onPort((port) => addClient(portTransport(port)).pushHost(true));
  parent.transport.onClose(() => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(130));
  process.on('uncaughtException', (e) => {
    process.stderr.write(`xnai engine: ${describeError(e)}\n${process.env.XNAI_DEBUG === '1' ? `${e.stack}\n` : ''}`);
    void shutdown(1);
  });
  process.on('unhandledRejection', (e) => {
    process.stderr.write(`xnai engine: ${describeError(e)}\n`);
  });
}

if (process.env[ENGINE_CHILD_ENV] === '1') runEngineChild();
