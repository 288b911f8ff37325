/**
 * A failed gRPC call → the SinkError kind the recovery logic (../recovery.ts) acts on, with the same
 * meaning as the REST sink's HTTP statuses:
 *
 * - transient (retried with backoff): UNAVAILABLE (server down, restarting, connection dropped),
 *   DEADLINE_EXCEEDED (no reply in time: a frozen server), RESOURCE_EXHAUSTED (rate limited, like 429),
 *   ABORTED, CANCELLED by the other side, UNKNOWN, DATA_LOSS, and INTERNAL (like a 500, or a stream reset
 *   by a server going away);
 * - rejected (split to isolate the bad points): INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE,
 *   ALREADY_EXISTS, a message the server could not decode (INTERNAL "failed to decode Protobuf
 *   message"), and RESOURCE_EXHAUSTED for a message over a size limit (a proxy's, or a server's);
 * - fatal (the run stops, exit 4): UNAUTHENTICATED / PERMISSION_DENIED (the API key), NOT_FOUND (the
 *   collection is gone), UNIMPLEMENTED (not a Qdrant gRPC port).
 */
import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { SinkError } from '../types';

const NAMES = Object.fromEntries(Object.entries(Status).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k])) as Record<number, string>;

export function statusName(code: number): string {
  return NAMES[code] ?? `status ${code}`;
}

/** Seconds in a `retry-after` trailer (Qdrant sends one with rate limiting), as ms. */
function retryAfterMs(e: ServiceError): number | null {
  const v = e.metadata?.get('retry-after')[0];
  if (v === undefined) return null;
  const secs = Number(v.toString());
  return Number.isFinite(secs) ? Math.max(0, secs * 1000) : null;
}

export function sinkErrorFromStatus(e: ServiceError, context: { collection: string; address: string }): SinkError {
  const name = statusName(e.code);
  const text = `gRPC ${name}: ${e.details || e.message}`;
  switch (e.code) {
    case Status.UNAUTHENTICATED:
    case Status.PERMISSION_DENIED:
      return new SinkError('fatal', `Qdrant's gRPC port at ${context.address} refused the API key (QDRANT_API_KEY): ${name}: ${e.details}`);
    case Status.NOT_FOUND:
      return new SinkError('fatal', `collection "${context.collection}" no longer exists (deleted during the run?): ${e.details}`);
    case Status.UNIMPLEMENTED:
      return new SinkError('fatal', `${context.address} does not implement Qdrant's gRPC upsert (${e.details}): is it Qdrant's gRPC port? Set QDRANT_GRPC_URL or TRANSPORT=rest`);
    case Status.INVALID_ARGUMENT:
    case Status.FAILED_PRECONDITION:
    case Status.OUT_OF_RANGE:
    case Status.ALREADY_EXISTS:
      return new SinkError('rejected', text);
    case Status.RESOURCE_EXHAUSTED:
      if (/larger than|too large|message length|exceeds/i.test(e.details)) return new SinkError('rejected', text);
      return new SinkError('transient', text, null, retryAfterMs(e));
    case Status.INTERNAL:
      if (/decode/i.test(e.details)) return new SinkError('rejected', text);
      return new SinkError('transient', text);
    default:
      return new SinkError('transient', text, null, retryAfterMs(e));
  }
}
