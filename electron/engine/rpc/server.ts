/**
 * The answering side of the RPC layer: validates each request against the contract, calls the handler,
 * validates the reply, and sends either the reply or the error envelope. Events pushed through it are
 * validated too, so a peer only ever receives messages the contract describes.
 */
import { Commands, EngineEventSchema, RequestMessageSchema, type CommandName, type EngineEvent, type EngineHandlers } from '../../../shared/contract';
import { ExitCode } from '../../../shared/errors';
import type { RpcTransport } from './transport';
import { isCommandName } from './command-names';
import { formatZodError, toErrorEnvelope } from './errors';
import type { WireMessage } from './wire';

export interface RpcServer {
  /** Validate and send one engine event to the peer. Returns false (and drops it) when it is invalid. */
  pushEvent(event: EngineEvent): boolean;
  /** Tell the peer whether the engine behind this host is reachable. */
  pushHost(engineConnected: boolean): void;
  close(): void;
}

export { isCommandName };

/** Validate a request payload for `name`; throws a usage UserError naming the field. */
export function parseRequest<K extends CommandName>(name: K, payload: unknown) {
  const parsed = Commands[name].request.safeParse(payload);
  if (!parsed.success) {
    return { ok: false as const, error: { message: formatZodError(parsed.error, name), exitCode: ExitCode.usage } };
  }
  return { ok: true as const, value: parsed.data };
}

export function serveRpc(transport: RpcTransport, handlers: EngineHandlers): RpcServer {
  const send = (m: WireMessage) => transport.post(m);

  const handle = async (raw: unknown) => {
    const req = RequestMessageSchema.safeParse(raw);
    if (!req.success) return; // replies/events/host notices are not for a server; junk is dropped
    const { id, name, payload } = req.data;
    if (!isCommandName(name)) {
      send({ kind: 'reply', id, ok: false, error: { message: `unknown command "${name}"`, exitCode: ExitCode.usage } });
      return;
    }
    const parsed = parseRequest(name, payload);
    if (!parsed.ok) {
      send({ kind: 'reply', id, ok: false, error: parsed.error });
      return;
    }
    try {
      const handler = handlers[name] as (r: unknown) => Promise<unknown>;
      const result = await handler(parsed.value);
      const reply = Commands[name].reply.safeParse(result);
      if (!reply.success) {
        send({ kind: 'reply', id, ok: false, error: { message: `Internal error: the engine's reply to ${name} broke the contract (${formatZodError(reply.error, 'reply')})`, exitCode: ExitCode.internal } });
        return;
      }
      send({ kind: 'reply', id, ok: true, payload: reply.data });
    } catch (e) {
      send({ kind: 'reply', id, ok: false, error: toErrorEnvelope(e) });
    }
  };

  const off = transport.onMessage((m) => void handle(m));
  return {
    pushEvent(event) {
      const parsed = EngineEventSchema.safeParse(event);
      if (!parsed.success) return false;
      send({ kind: 'event', event: parsed.data });
      return true;
    },
    pushHost(engineConnected) {
      send({ kind: 'host', engineConnected });
    },
    close() {
      off();
    },
  };
}
