/**
 * Wire messages: the contract's request / reply / event messages plus the one host notice transports need
 * (the engine behind a host went away or came back). Text transports encode with the bigint-safe JSON of
 * shared/json.ts so point ids and FAISS labels above 2^53 stay exact.
 */
import { z } from 'zod';
import { EventMessageSchema, ReplyMessageSchema, RequestMessageSchema } from '../../../shared/contract';
import { parseJson, stringifyJson } from '../../../shared/json';

/** A host tells its clients whether the engine behind it is reachable (false while it restarts). */
export const HostMessageSchema = z.object({ kind: z.literal('host'), engineConnected: z.boolean() });
export type HostMessage = z.infer<typeof HostMessageSchema>;

export const WireMessageSchema = z.union([RequestMessageSchema, ReplyMessageSchema, EventMessageSchema, HostMessageSchema]);
export type WireMessage = z.infer<typeof WireMessageSchema>;

/** Largest text frame accepted from a peer: commands are small; a report reply is the biggest message. */
export const MAX_TEXT_MESSAGE_BYTES = 64 * 1024 * 1024;

export function encodeText(message: WireMessage): string {
  return stringifyJson(message);
}

/** Parse a text frame; null when it is not JSON (the caller drops it). */
export function decodeText(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return null;
  }
}
