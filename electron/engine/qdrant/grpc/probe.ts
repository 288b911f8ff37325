/**
 * Does a gRPC address belong to the Qdrant that QDRANT_URL names? `qdrant.Qdrant/HealthCheck` must answer
 * with the same version as REST's `GET /`, and `qdrant.Collections/CollectionExists` (which needs the API
 * key) must see the run's collection, which the preflight has just created or checked over REST. Another
 * service, another Qdrant, a closed port or a refused key each give a short reason instead.
 */
import { status as Status } from '@grpc/grpc-js';
import type { GrpcAddress } from './address';
import { apiKeyMetadata, isServiceError, openChannel, shortReason, unaryCall } from './channel';
import { readField, readString } from './proto-reader';
import { ProtoWriter } from './proto-writer';

export type ProbeResult = { ok: true; version: string } | { ok: false; reason: string };

export interface ProbeOptions {
  apiKey?: string | undefined;
  collection: string;
  /** The version QDRANT_URL reported. */
  restVersion: string;
  timeoutMs: number;
}

export async function probeGrpc(address: GrpcAddress, options: ProbeOptions): Promise<ProbeResult> {
  const client = openChannel(address);
  const deadline = Date.now() + options.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  try {
    let version: string;
    try {
      // no API key here: the health check needs none, and the address is not yet known to be Qdrant's
      const reply = await unaryCall(client, '/qdrant.Qdrant/HealthCheck', Buffer.alloc(0), apiKeyMetadata(undefined), left());
      version = readString(reply, [2]) ?? '';
    } catch (e) {
      if (!isServiceError(e)) throw e;
      if (e.code === Status.UNIMPLEMENTED) return { ok: false, reason: 'it is not a Qdrant gRPC port (no qdrant.Qdrant/HealthCheck)' };
      if (e.code === Status.DEADLINE_EXCEEDED) return { ok: false, reason: `no answer within ${Number((options.timeoutMs / 1000).toFixed(1))} s` };
      return { ok: false, reason: shortReason(e) };
    }
    if (version !== options.restVersion) {
      return { ok: false, reason: `it answers as Qdrant ${version || '(no version)'} but QDRANT_URL as ${options.restVersion}: not the same server` };
    }
    const req = new ProtoWriter(64);
    req.string(1, options.collection);
    try {
      const reply = await unaryCall(client, '/qdrant.Collections/CollectionExists', Buffer.from(req.view()), apiKeyMetadata(options.apiKey), left());
      if (readField(reply, [1, 1]) !== 1) return { ok: false, reason: `it has no collection "${options.collection}": not the server QDRANT_URL names` };
    } catch (e) {
      if (!isServiceError(e)) throw e;
      if (e.code === Status.UNAUTHENTICATED || e.code === Status.PERMISSION_DENIED) return { ok: false, reason: `it refused the API key (${e.details})` };
      return { ok: false, reason: shortReason(e) };
    }
    return { ok: true, version };
  } finally {
    client.close();
  }
}
