/**
 * TRANSPORT: which PointSink a run writes through, decided once in the preflight (after the collection is
 * there) and said in one line.
 *
 * - auto (default): gRPC when the gRPC address (QDRANT_GRPC_URL, or QDRANT_URL's host on 6334) answers as
 *   the same Qdrant, REST otherwise. gRPC carries vectors as raw floats, so neither side formats or parses
 *   number text: on a 2-core machine the server takes points about twice as fast (bench/real.ts).
 * - grpc: gRPC or nothing: an address that does not answer ends the run with exit 4, naming it.
 * - rest: REST, without trying gRPC.
 */
import type { MigrationConfig, TransportKind } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { grpcAddressFor } from './grpc/address';
import { probeGrpc } from './grpc/probe';
import { GrpcPointSink } from './grpc/sink';
import { RestPointSink } from './rest-sink';
import type { PointSink } from './types';

export interface BulkTransport {
  kind: TransportKind;
  sink: PointSink;
  /** The one line the run logs: which transport, where, and why. */
  line: string;
}

export interface BulkTransportOptions {
  /** Qdrant's version as REST reported it (the gRPC side must match). */
  restVersion: string;
  maxRequestBytes?: number | undefined;
  /** How long the gRPC check may take: auto falls back after it, grpc fails. */
  probeTimeoutMs?: number;
}

type Config = Pick<MigrationConfig, 'qdrantUrl' | 'qdrantApiKey' | 'qdrantGrpcUrl' | 'transport' | 'collection' | 'writeOrdering'>;

function restSink(config: Config, options: BulkTransportOptions): RestPointSink {
  return new RestPointSink({ url: config.qdrantUrl, apiKey: config.qdrantApiKey, collection: config.collection, ordering: config.writeOrdering, maxRequestBytes: options.maxRequestBytes });
}

export async function openBulkTransport(config: Config, options: BulkTransportOptions): Promise<BulkTransport> {
  const rest = (why: string): BulkTransport => {
    const sink = restSink(config, options);
    return { kind: 'rest', sink, line: `Bulk transport: REST at ${config.qdrantUrl} (${why})` };
  };
  if (config.transport === 'rest') return rest('TRANSPORT=rest');

  const forced = config.transport === 'grpc';
  const choice = grpcAddressFor(config);
  if (!choice.address) {
    if (forced) throw new UserError('usage', `TRANSPORT=grpc: ${choice.why}`);
    return rest(`auto: ${choice.why}`);
  }
  const address = choice.address;
  const probe = await probeGrpc(address, {
    apiKey: config.qdrantApiKey,
    collection: config.collection,
    restVersion: options.restVersion,
    timeoutMs: options.probeTimeoutMs ?? (forced ? 10_000 : 3_000),
  });
  if (!probe.ok) {
    if (forced) {
      throw new UserError('connection', `TRANSPORT=grpc: Qdrant's gRPC port at ${address.url} (${choice.from}) cannot be used: ${probe.reason}; open it (Qdrant's service.grpc_port), set QDRANT_GRPC_URL, or use TRANSPORT=auto or rest`);
    }
    return rest(`auto: gRPC at ${address.url} cannot be used: ${probe.reason}`);
  }
  const sink = new GrpcPointSink({ address, apiKey: config.qdrantApiKey, collection: config.collection, ordering: config.writeOrdering, maxRequestBytes: options.maxRequestBytes });
  const why = forced ? 'TRANSPORT=grpc' : `auto: Qdrant ${probe.version} answered there`;
  return { kind: 'grpc', sink, line: `Bulk transport: gRPC at ${address.url} (${why})` };
}
