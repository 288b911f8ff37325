/**
 * The calling side of the RPC layer, for any transport: one async function per contract command
 * (`EngineApi`), requests validated before they leave, replies and events validated when they arrive, the
 * error envelope turned back into a UserError with its exit code. The transport can be swapped (engine
 * restart, WebSocket reconnect): calls in flight on a lost transport fail with a connection error, and
 * calls made while disconnected wait for the next transport when `queueWhileDisconnected` is set.
 *
 * No Node imports: the renderer's WebSocket client and the Electron preload use this file as well.
 */
import {
  COMMAND_NAMES,
  Commands,
  EngineEventSchema,
  EventMessageSchema,
  ReplyMessageSchema,
  type CommandName,
  type EngineApi,
  type EngineEvent,
} from '../../../shared/contract';
import { ExitCode, UserError } from '../../../shared/errors';
import { errorFromEnvelope, formatZodError, RemoteError } from './errors';
import { Listeners, type RpcTransport } from './transport';
import { HostMessageSchema } from './wire';

export interface RpcClient {
  readonly api: EngineApi;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Fires on every change: transport attached/lost, or the host saying its engine went away/came back. */
  onConnection(listener: (connected: boolean) => void): () => void;
  readonly connected: boolean;
  /** Use this transport from now on (the previous one, if any, is detached and its calls failed). */
  attach(transport: RpcTransport): void;
  detach(reason?: string): void;
  /** Wait until connected (or the timeout passes). */
  whenConnected(timeoutMs: number): Promise<boolean>;
  close(): void;
}

export interface RpcClientOptions {
  /** Hold calls made while disconnected until a transport is attached (engine host during restarts). */
  queueWhileDisconnected?: boolean;
  /** How long a queued call waits for a connection before failing. Default 30 s. */
  queueTimeoutMs?: number;
  /** Name used in error messages: "the engine", "the browser host". */
  peerName?: string;
}

interface Pending {
  name: CommandName;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export function createRpcClient(options: RpcClientOptions = {}): RpcClient {
  const peer = options.peerName ?? 'the engine';
  const events = new Listeners<[EngineEvent]>();
  const connection = new Listeners<[boolean]>();
  const pending = new Map<number, Pending>();
  const queued: Array<{ send: () => void; fail: (e: unknown) => void; timer: ReturnType<typeof setTimeout> }> = [];
  let transport: RpcTransport | null = null;
  let unsubscribe: Array<() => void> = [];
  let engineConnected = true;
  let lastReported: boolean | null = null;
  let nextId = 1;
  let closed = false;

  const isConnected = () => transport !== null && engineConnected;
  const report = () => {
    const now = isConnected();
    if (now === lastReported) return;
    lastReported = now;
    connection.emit(now);
    if (now) flushQueue();
  };

  const flushQueue = () => {
    while (queued.length > 0 && isConnected()) {
      const q = queued.shift()!;
      clearTimeout(q.timer);
      q.send();
    }
  };

  const failPending = (why: string) => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new UserError('connection', `${peer} stopped while handling ${p.name} (${why}); check the state and try again`));
    }
  };

  const onMessage = (raw: unknown) => {
    const host = HostMessageSchema.safeParse(raw);
    if (host.success) {
      engineConnected = host.data.engineConnected;
      if (!engineConnected) failPending('it is restarting');
      report();
      return;
    }
    const ev = EventMessageSchema.safeParse(raw);
    if (ev.success) {
      const event = EngineEventSchema.safeParse(ev.data.event);
      if (event.success) events.emit(event.data);
      return;
    }
    const reply = ReplyMessageSchema.safeParse(raw);
    if (!reply.success) return;
    const p = pending.get(reply.data.id);
    if (!p) return;
    pending.delete(reply.data.id);
    if (!reply.data.ok) {
      p.reject(errorFromEnvelope(reply.data.error));
      return;
    }
    const parsed = Commands[p.name].reply.safeParse(reply.data.payload);
    if (parsed.success) p.resolve(parsed.data);
    else p.reject(new RemoteError(`Internal error: ${peer}'s reply to ${p.name} broke the contract (${formatZodError(parsed.error, 'reply')})`, ExitCode.internal));
  };

  const call = (name: CommandName, request: unknown): Promise<unknown> => {
    if (closed) return Promise.reject(new UserError('connection', `${peer} connection is closed`));
    const parsed = Commands[name].request.safeParse(request ?? {});
    if (!parsed.success) return Promise.reject(new UserError('usage', formatZodError(parsed.error, name)));
    return new Promise((resolve, reject) => {
      const send = () => {
        const id = nextId++;
        pending.set(id, { name, resolve, reject });
        try {
          transport!.post({ kind: 'request', id, name, payload: parsed.data });
        } catch (e) {
          pending.delete(id);
          reject(new UserError('connection', `cannot reach ${peer}: ${e instanceof Error ? e.message : String(e)}`));
        }
      };
      if (isConnected()) return send();
      if (!options.queueWhileDisconnected) {
        return reject(new UserError('connection', `${peer} is not connected (it may be restarting); try again in a moment`));
      }
      const waitMs = options.queueTimeoutMs ?? 30_000;
      const entry = {
        send,
        fail: reject,
        timer: setTimeout(() => {
          const i = queued.indexOf(entry);
          if (i >= 0) queued.splice(i, 1);
          reject(new UserError('connection', `${peer} did not come back within ${Math.round(waitMs / 1000)} s; ${name} was not sent`));
        }, waitMs),
      };
      queued.push(entry);
    });
  };

  const api = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (request: unknown) => call(name, request)])) as unknown as EngineApi;

  const detach = (reason = 'connection lost') => {
    for (const u of unsubscribe) u();
    unsubscribe = [];
    transport = null;
    failPending(reason);
    report();
  };

  return {
    api,
    onEvent: (l) => events.add(l),
    onConnection: (l) => connection.add(l),
    get connected() {
      return isConnected();
    },
    attach(t) {
      if (transport) detach('replaced');
      transport = t;
      engineConnected = true;
      unsubscribe = [t.onMessage(onMessage), t.onClose(() => transport === t && detach())];
      report();
    },
    detach,
    whenConnected(timeoutMs) {
      if (isConnected()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          off();
          resolve(false);
        }, timeoutMs);
        const off = connection.add((c) => {
          if (!c) return;
          clearTimeout(timer);
          off();
          resolve(true);
        });
      });
    },
    close() {
      closed = true;
      const t = transport;
      detach('closed');
      for (const q of queued.splice(0)) {
        clearTimeout(q.timer);
        q.fail(new UserError('connection', `${peer} connection is closed`));
      }
      t?.close();
    },
  };
}
