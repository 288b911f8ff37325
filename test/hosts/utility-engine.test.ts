/**
 * The Electron-only plumbing of the engine, without Electron: the utilityProcess launcher (fork options,
 * messages, exit, handing the engine a MessagePort) against a recording UtilityProcess, and the engine's
 * side of it (`process.parentPort`, ports announced by `attach-port`) serving the real handlers on a port
 * built from Node's own MessageChannel (the same postMessage/structured-clone semantics as MessagePortMain).
 */
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { utilityEngineLauncher, ENGINE_SERVICE_NAME } from '../../electron/main/utility-engine';
import { ATTACH_PORT, parentChannel, portTransport, type PortLike } from '../../electron/engine/rpc/process-channel';
import { serveRpc } from '../../electron/engine/rpc/server';
import { createRpcClient } from '../../electron/engine/rpc/client';
import { createEngineService } from '../../electron/engine/handlers';
import type { EngineEvent } from '../../shared/contract';

class FakeUtility extends EventEmitter {
  pid: number | undefined = 4242;
  readonly posted: Array<{ message: unknown; transfer?: unknown[] }> = [];
  killed = false;
  postMessage(message: unknown, transfer?: unknown[]) {
    this.posted.push({ message, transfer });
  }
  kill() {
    this.killed = true;
    return true;
  }
}

/** Node's MessagePort in the shape of Electron's MessagePortMain ('message' events carry {data}). */
function electronStylePort(port: import('node:worker_threads').MessagePort): PortLike {
  const emitter = new EventEmitter();
  port.on('message', (data: unknown) => emitter.emit('message', { data }));
  port.on('close', () => emitter.emit('close'));
  return {
    on: ((event: string, l: (...a: unknown[]) => void) => emitter.on(event, l)) as PortLike['on'],
    postMessage: (m) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  };
}

describe('utilityProcess launcher', () => {
  it('forks the engine bundle as a named service with the engine flag, and adapts its events', () => {
    const child = new FakeUtility();
    const forks: Array<{ path: string; options: Record<string, unknown> }> = [];
    const launch = utilityEngineLauncher({ fork: (path, _args, options) => (forks.push({ path, options: options as Record<string, unknown> }), child as never) }, '/app/dist/engine.js', { PATH: '/bin' });
    const handle = launch();
    expect(forks[0]!.path).toBe('/app/dist/engine.js');
    expect(forks[0]!.options).toMatchObject({ serviceName: ENGINE_SERVICE_NAME, env: { PATH: '/bin', XNAI_ENGINE_CHILD: '1' } });
    expect(handle.pid).toBe(4242);

    const got: unknown[] = [];
    handle.transport.onMessage((m) => got.push(m));
    child.emit('message', { kind: 'host', engineConnected: true });
    expect(got).toEqual([{ kind: 'host', engineConnected: true }]);

    handle.transport.post({ kind: 'request', id: 1, name: 'getDefaults', payload: {} });
    const port = { fake: 'port' };
    (handle as unknown as { transferPort(p: unknown): void }).transferPort(port);
    expect(child.posted).toEqual([{ message: { kind: 'request', id: 1, name: 'getDefaults', payload: {} }, transfer: undefined }, { message: { kind: ATTACH_PORT }, transfer: [port] }]);

    const exits: Array<[number | null, string | null]> = [];
    let closed = false;
    handle.onExit((c, s) => exits.push([c, s]));
    handle.transport.onClose(() => (closed = true));
    child.emit('exit', 9);
    expect(exits).toEqual([[9, null]]);
    expect(closed).toBe(true);
    handle.transport.post({ after: 'exit' });
    expect(child.posted).toHaveLength(2);
  });
});

describe("the engine's side of a utilityProcess", () => {
  const saved = (process as unknown as { parentPort?: unknown }).parentPort;
  afterEach(() => {
    (process as unknown as { parentPort?: unknown }).parentPort = saved;
  });

  it('serves the real handlers on the port the host hands over, events included', async () => {
    const parent = new EventEmitter() as EventEmitter & { postMessage: (m: unknown) => void };
    const toHost: unknown[] = [];
    parent.postMessage = (m) => toHost.push(m);
    (process as unknown as { parentPort: unknown }).parentPort = parent;

    const channel = parentChannel()!;
    expect(channel.kind).toBe('utility-process');
    const service = createEngineService({ env: { BATCH_SIZE: '123' } });
    const servers: Array<ReturnType<typeof serveRpc>> = [];
    channel.onPort((p) => {
      const s = serveRpc(portTransport(p), service.handlers);
      s.pushHost(true);
      servers.push(s);
    });

    // Main: one end to the engine (announced by attach-port), the other end is the window's.
    const { port1, port2 } = new MessageChannel();
    parent.emit('message', { data: { kind: ATTACH_PORT }, ports: [electronStylePort(port1)] });
    expect(servers).toHaveLength(1);

    const window = createRpcClient();
    const events: EngineEvent[] = [];
    window.onEvent((e) => events.push(e));
    window.attach(portTransport(electronStylePort(port2)));
    expect(await window.whenConnected(2_000)).toBe(true);
    const d = await window.api.getDefaults({});
    expect(d.config.batchSize).toBe(123);
    servers[0]!.pushEvent({ type: 'state', runId: 'r1', status: 'running', at: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([{ type: 'state', runId: 'r1', status: 'running', at: 1 }]);

    // Ordinary messages on parentPort are the host's own RPC channel.
    const fromHost: unknown[] = [];
    channel.transport.onMessage((m) => fromHost.push(m));
    parent.emit('message', { data: { kind: 'request', id: 5, name: 'getSnapshot', payload: {} } });
    channel.transport.post({ kind: 'host', engineConnected: true });
    expect(fromHost).toEqual([{ kind: 'request', id: 5, name: 'getSnapshot', payload: {} }]);
    expect(toHost).toEqual([{ kind: 'host', engineConnected: true }]);
    window.close();
    port1.close();
  });
});
