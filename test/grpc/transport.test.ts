/**
 * TRANSPORT against the real Qdrant binary: auto takes gRPC when the gRPC port answers as the same server,
 * and falls back to REST with one line saying why when it is closed, not gRPC, another Qdrant, or not
 * derivable; TRANSPORT=grpc fails instead (exit 4 naming the address, or exit 2 when there is no address);
 * TRANSPORT=rest never tries gRPC.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBulkTransport, type BulkTransport } from '../../electron/engine/qdrant/transport';
import { UserError } from '../../shared/errors';
import type { MigrationConfig } from '../../shared/contract';
import { resolveQdrantBin, startRealQdrant, type RealQdrant } from '../support/qdrant/real-server';

const BIN = resolveQdrantBin();
if (!BIN) console.log('test/grpc/transport.test.ts skipped: no Qdrant binary (set QDRANT_BIN, or put it at ../shared/qdrant/bin/qdrant)');

let qdrant: RealQdrant;
let other: RealQdrant;
let closedPort: number;
let silent: Server;
let silentPort: number;
const sockets = new Set<import('node:net').Socket>();

type Config = Parameters<typeof openBulkTransport>[0];
const config = (over: Partial<MigrationConfig>): Config => ({ qdrantUrl: qdrant.url, collection: 'c', transport: 'auto', writeOrdering: 'weak', ...over });

async function choose(over: Partial<MigrationConfig>): Promise<BulkTransport> {
  const t = await openBulkTransport(config(over), { restVersion: qdrant.version, probeTimeoutMs: 1500 });
  await t.sink.close();
  return t;
}

async function refused(over: Partial<MigrationConfig>): Promise<UserError> {
  try {
    await choose(over);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe.skipIf(!BIN)('TRANSPORT', () => {
  beforeAll(async () => {
    [qdrant, other] = await Promise.all([startRealQdrant(), startRealQdrant()]);
    const r = await fetch(`${qdrant.url}/collections/c`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"vectors":{"size":4,"distance":"Dot"}}' });
    expect(r.status).toBe(200);
    // a port nobody listens on, and one that accepts connections but never answers
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all([qdrant?.stop(), other?.stop(), new Promise((r) => silent?.close(r))]);
  });

  it('auto: gRPC when the gRPC port answers as the same Qdrant', async () => {
    const t = await choose({ qdrantGrpcUrl: qdrant.grpcUrl });
    expect(t.kind).toBe('grpc');
    expect(t.line).toBe(`Bulk transport: gRPC at ${qdrant.grpcUrl} (auto: Qdrant ${qdrant.version} answered there)`);
    expect(t.sink.transport).toMatch(/^gRPC/);
  });

  it('auto: REST, with the reason, when the gRPC port is closed, silent, not gRPC or another Qdrant', async () => {
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${closedPort}`, /cannot be used: connection refused\)$/],
      [`http://127.0.0.1:${silentPort}`, /cannot be used: no answer within 1\.5 s\)$/],
      [qdrant.url, /cannot be used: it does not speak HTTP\/2 \(an HTTP\/1 port, such as REST's\?\)\)$/],
      [other.grpcUrl, /cannot be used: it has no collection "c": not the server QDRANT_URL names\)$/],
    ];
    for (const [url, why] of cases) {
      const started = Date.now();
      const t = await choose({ qdrantGrpcUrl: url });
      expect(t.kind, url).toBe('rest');
      expect(t.line, url).toMatch(new RegExp(`^Bulk transport: REST at ${qdrant.url} \\(auto: gRPC at ${url.replace(/\./g, '\\.')} `));
      expect(t.line, url).toMatch(why);
      // the check is bounded: a port that never answers costs the probe timeout, not a hang
      expect(Date.now() - started, url).toBeLessThan(5000);
    }
  });

  it('auto: REST when QDRANT_URL is not on 6333 and QDRANT_GRPC_URL is unset, saying to set it', async () => {
    const t = await choose({});
    expect(t.kind).toBe('rest');
    expect(t.line).toMatch(/\(auto: QDRANT_URL's port is \d+, not Qdrant's default 6333, so its gRPC port is unknown: set QDRANT_GRPC_URL to use gRPC\)$/);
  });

  it('grpc: a closed or wrong port ends the run with exit 4 naming the address; no address at all is exit 2', async () => {
    const closed = await refused({ transport: 'grpc', qdrantGrpcUrl: `http://127.0.0.1:${closedPort}` });
    expect(closed.exitCode).toBe(4);
    expect(closed.message).toBe(`TRANSPORT=grpc: Qdrant's gRPC port at http://127.0.0.1:${closedPort} (QDRANT_GRPC_URL) cannot be used: connection refused; open it (Qdrant's service.grpc_port), set QDRANT_GRPC_URL, or use TRANSPORT=auto or rest`);
    const wrong = await refused({ transport: 'grpc', qdrantGrpcUrl: qdrant.url });
    expect(wrong.exitCode).toBe(4);
    expect(wrong.message).toBe(`TRANSPORT=grpc: Qdrant's gRPC port at ${qdrant.url} (QDRANT_GRPC_URL) cannot be used: it does not speak HTTP/2 (an HTTP/1 port, such as REST's?); open it (Qdrant's service.grpc_port), set QDRANT_GRPC_URL, or use TRANSPORT=auto or rest`);
    const none = await refused({ transport: 'grpc' });
    expect(none.exitCode).toBe(2);
    expect(none.message).toMatch(/^TRANSPORT=grpc: QDRANT_URL's port is \d+, not Qdrant's default 6333, so its gRPC port is unknown: set QDRANT_GRPC_URL to use gRPC$/);
    expect((await choose({ transport: 'grpc', qdrantGrpcUrl: qdrant.grpcUrl })).line).toBe(`Bulk transport: gRPC at ${qdrant.grpcUrl} (TRANSPORT=grpc)`);
  });

  it('auto with an API key: gRPC with the right key; a key the gRPC port refuses falls back to REST, saying so without the key', async () => {
    const keyed = await startRealQdrant({ apiKey: 'grpc-right-key' });
    try {
      const r = await fetch(`${keyed.url}/collections/k`, { method: 'PUT', headers: { 'content-type': 'application/json', 'api-key': 'grpc-right-key' }, body: '{"vectors":{"size":4,"distance":"Dot"}}' });
      expect(r.status).toBe(200);
      const pick = async (apiKey: string) => {
        const t = await openBulkTransport({ qdrantUrl: keyed.url, qdrantGrpcUrl: keyed.grpcUrl, qdrantApiKey: apiKey, collection: 'k', transport: 'auto', writeOrdering: 'weak' }, { restVersion: keyed.version, probeTimeoutMs: 1500 });
        await t.sink.close();
        return t;
      };
      expect((await pick('grpc-right-key')).kind).toBe('grpc');
      const wrong = await pick('grpc-wrong-key');
      expect(wrong.kind).toBe('rest');
      expect(wrong.line).toMatch(/cannot be used: it refused the API key \(.+\)\)$/);
      expect(wrong.line).not.toMatch(/grpc-wrong-key|grpc-right-key/);
    } finally {
      await keyed.stop();
    }
  });

  it('rest: REST without trying gRPC', async () => {
    const t = await choose({ transport: 'rest', qdrantGrpcUrl: qdrant.grpcUrl });
    expect(t.kind).toBe('rest');
    expect(t.line).toBe(`Bulk transport: REST at ${qdrant.url} (TRANSPORT=rest)`);
  });
});
