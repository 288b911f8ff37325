/**
 * PointSink over Qdrant's gRPC API (port 6334): `qdrant.Points/Upsert` with wait=true, messages written
 * by ./upsert-message straight from the batch's arrays, sent over one HTTP/2 connection (@grpc/grpc-js),
 * the API key as `api-key` metadata, TLS when the address is https. Each call is one attempt with a
 * deadline: failures become SinkErrors (./status) and `writeWithRecovery` (../recovery.ts) decides about
 * retries and splits, exactly as for the REST sink.
 */
import type { Client, Metadata } from '@grpc/grpc-js';
import { DEFAULT_MAX_REQUEST_BYTES } from '../rest-sink';
import { SinkError, allPositions, type PointSink, type PreparedPoints } from '../types';
import type { GrpcAddress } from './address';
import { apiKeyMetadata, isServiceError, openChannel, unaryCall } from './channel';
import { PayloadEncodingError } from './json-to-value';
import { sinkErrorFromStatus } from './status';
import { UpsertMessageWriter, type WriteOrderingName } from './upsert-message';

export interface GrpcSinkOptions {
  address: GrpcAddress;
  apiKey?: string | undefined;
  collection: string;
  ordering?: WriteOrderingName;
  /**
   * Largest message, bytes. Qdrant 1.18 puts no limit on gRPC messages (max_request_size_mb is REST's),
   * but proxies do; the same 32 MB as REST keeps both transports' requests alike.
   */
  maxRequestBytes?: number;
  /** Per call, ms: a wait=true upsert slower than this counts as a transient failure (DEADLINE_EXCEEDED). */
  timeoutMs?: number;
}

const UPSERT = '/qdrant.Points/Upsert';

export class GrpcPointSink implements PointSink {
  readonly transport: string;
  private readonly client: Client;
  private readonly metadata: Metadata;
  private readonly writers: UpsertMessageWriter[] = [];
  private readonly maxBytes: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: GrpcSinkOptions) {
    this.client = openChannel(options.address);
    this.metadata = apiKeyMetadata(options.apiKey);
    this.maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.transport = `gRPC (protobuf over HTTP/2${options.address.secure ? ' + TLS' : ''}, @grpc/grpc-js) at ${options.address.url}`;
  }

  async upsert(points: PreparedPoints, order?: ArrayLike<number>, signal?: AbortSignal): Promise<void> {
    const positions = order ?? allPositions(points.ids.length);
    const writer = this.writers.pop() ?? new UpsertMessageWriter(this.options.collection, this.options.ordering);
    let from = 0;
    while (from < positions.length) {
      let encoded;
      try {
        encoded = writer.encode(points, positions, from, this.maxBytes);
      } catch (e) {
        this.writers.push(writer);
        // a payload Qdrant would refuse: "rejected", so the recovery isolates the point and records why
        if (e instanceof PayloadEncodingError) throw new SinkError('rejected', e.message);
        throw e;
      }
      try {
        // grpc-js may copy the message later than this call: the writer is reused only after the reply
        await unaryCall(this.client, UPSERT, encoded.message, this.metadata, this.timeoutMs, signal);
      } catch (e) {
        if (signal?.aborted) throw signal.reason ?? e;
        if (isServiceError(e)) throw sinkErrorFromStatus(e, { collection: this.options.collection, address: this.options.address.url });
        throw e;
      }
      from = encoded.next;
    }
    this.writers.push(writer);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
