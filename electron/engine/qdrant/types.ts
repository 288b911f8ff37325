/** The bulk write path's interfaces: one batch of points ready to send, and the transport that sends it. */
import type { PointId } from '../point-id';

/**
 * One batch (or one request of several batches), columnar: point i has id `ids[i]`, FAISS label `labels[i]`,
 * vector row i and payload text i.
 */
export interface PreparedPoints {
  /** The batch of every point, or of the first when `pointBatches` is set. */
  readonly batch: number;
  /** Each point's batch, when one request carries several batches (a failed point is recorded under its own). */
  readonly pointBatches?: Uint32Array;
  readonly dimension: number;
  readonly ids: readonly PointId[];
  readonly labels: BigInt64Array;
  readonly vectors: Float32Array;
  /** Payload JSON text per point (bigint-exact), or null for no payload. */
  readonly payloads: readonly string[] | null;
}

/** The batch point i belongs to. */
export function batchOfPoint(points: PreparedPoints, i: number): number {
  return points.pointBatches ? points.pointBatches[i]! : points.batch;
}

/** Positions 0…n−1: every point of a batch, in order (a sink's `order` when none is given). */
export function allPositions(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Why a write failed, as the recovery logic needs to know it. */
export type SinkErrorKind =
  /** Worth retrying as is: 429, 5xx, connection refused/reset, timeout. */
  | 'transient'
  /** The server refused these points (4xx): splitting finds the bad ones. */
  | 'rejected'
  /** The credentials or the collection are wrong: nothing will succeed, stop the run. */
  | 'fatal';

export class SinkError extends Error {
  constructor(
    readonly kind: SinkErrorKind,
    message: string,
    readonly status: number | null = null,
    /** From Retry-After on 429/503, ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

/**
 * Where points go. The REST implementation writes JSON bodies over keep-alive HTTP; a gRPC one (Qdrant's
 * port 6334, raw little-endian floats) can replace it without touching the engine.
 */
export interface PointSink {
  /** Named in the bench and the log, e.g. "REST JSON over node:http keep-alive". */
  readonly transport: string;
  /**
   * Writes `points` at positions `order` (all of them when omitted) with wait=true, in as many requests as
   * the server's size limit needs. One attempt: throws SinkError; retries are the caller's policy.
   */
  upsert(points: PreparedPoints, order?: ArrayLike<number>, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
