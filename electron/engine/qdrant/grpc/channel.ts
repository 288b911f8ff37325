/**
 * The HTTP/2 connection to Qdrant's gRPC port through @grpc/grpc-js, and one unary call over it. Messages
 * are bytes both ways (pass-through serializers): the upsert is encoded by ./upsert-message, the two small
 * replies the engine reads are walked by ./proto-reader, so no .proto loading or generated code is needed.
 */
import { Client, Metadata, credentials, status as Status, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import type { GrpcAddress } from './address';

/**
 * Keepalive pings while a call is open find a dead connection (a server killed without a FIN, a frozen
 * one) in about 30 s instead of waiting for the call's deadline; reconnects back off up to 5 s, not
 * grpc-js's 2 minutes, so a restarted Qdrant is used again within seconds (the sink's caller keeps its own
 * backoff); no retries inside grpc-js (../recovery.ts is the one retry policy); no message size cap on
 * our side beyond the sink's own; no channelz bookkeeping.
 */
export const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.keepalive_time_ms': 20_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 0,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 5_000,
  'grpc.enable_retries': 0,
  'grpc.max_send_message_length': -1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  'grpc.enable_channelz': 0,
};

const passThrough = (b: Buffer): Buffer => b;

export function openChannel(address: GrpcAddress, extra: ChannelOptions = {}): Client {
  const creds = address.secure ? credentials.createSsl() : credentials.createInsecure();
  return new Client(address.target, creds, { ...CHANNEL_OPTIONS, ...extra });
}

export function apiKeyMetadata(apiKey: string | undefined): Metadata {
  const md = new Metadata();
  if (apiKey) md.set('api-key', apiKey);
  return md;
}

/** One unary call with bytes in and out; rejects with grpc-js's ServiceError, or the signal's reason. */
export function unaryCall(client: Client, method: string, body: Buffer, metadata: Metadata, timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const onAbort = () => call.cancel();
    const call = client.makeUnaryRequest(method, passThrough, passThrough, body, metadata, { deadline: Date.now() + timeoutMs }, (err, reply) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(signal.reason ?? err ?? new Error('aborted'));
      else if (err) reject(err);
      else resolve(reply ?? Buffer.alloc(0));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number' && 'details' in e;
}

/**
 * Why a call got no answer, in a few words: "connection refused", "no reply within 3 s", … (grpc-js's
 * details carry the socket error after a long prefix).
 */
export function shortReason(e: ServiceError): string {
  if (e.code === Status.DEADLINE_EXCEEDED) return 'no reply in time';
  let d = e.details || e.message;
  const m = /(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)/.exec(d);
  if (m) {
    const words: Record<string, string> = { ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset', ENOTFOUND: 'host not found', EAI_AGAIN: 'host not found' };
    return words[m[1]!] ?? m[1]!;
  }
  // "No connection established. Last error: Protocol error (2026-…). Resolution note: "
  const last = /Last error: (.+?) \(\d{4}-/.exec(d);
  if (last) d = last[1]!;
  if (/^Protocol error$/i.test(d)) return 'it does not speak HTTP/2 (an HTTP/1 port, such as REST\'s?)';
  return d.split('\n')[0]!.slice(0, 200);
}
