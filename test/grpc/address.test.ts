/**
 * Where the gRPC address comes from: QDRANT_GRPC_URL, else QDRANT_URL's host on 6334 only when QDRANT_URL
 * is on Qdrant's default 6333 (or names no port). (TRANSPORT and QDRANT_GRPC_URL values: test/engine/config.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { grpcAddressFor } from '../../electron/engine/qdrant/grpc/address';

describe('the gRPC address', () => {
  it("QDRANT_URL on 6333 or without a port: the same host and scheme on 6334", () => {
    expect(grpcAddressFor({ qdrantUrl: 'http://localhost:6333' })).toEqual({ address: { target: 'localhost:6334', secure: false, url: 'http://localhost:6334' }, from: 'QDRANT_URL' });
    expect(grpcAddressFor({ qdrantUrl: 'https://xyz.cloud.example' })).toEqual({ address: { target: 'xyz.cloud.example:6334', secure: true, url: 'https://xyz.cloud.example:6334' }, from: 'QDRANT_URL' });
    expect(grpcAddressFor({ qdrantUrl: 'http://[::1]:6333/prefix' }).address?.target).toBe('[::1]:6334');
  });

  it('any other REST port: no guess, and the reason says to set QDRANT_GRPC_URL', () => {
    expect(grpcAddressFor({ qdrantUrl: 'http://127.0.0.1:8080' })).toEqual({ address: null, why: "QDRANT_URL's port is 8080, not Qdrant's default 6333, so its gRPC port is unknown: set QDRANT_GRPC_URL to use gRPC" });
  });

  it('QDRANT_GRPC_URL wins; its scheme decides TLS; no port means 6334', () => {
    expect(grpcAddressFor({ qdrantUrl: 'http://127.0.0.1:8080', qdrantGrpcUrl: 'https://grpc.example' })).toEqual({ address: { target: 'grpc.example:6334', secure: true, url: 'https://grpc.example:6334' }, from: 'QDRANT_GRPC_URL' });
    expect(grpcAddressFor({ qdrantUrl: 'http://localhost:6333', qdrantGrpcUrl: 'http://10.0.0.2:7000' }).address).toEqual({ target: '10.0.0.2:7000', secure: false, url: 'http://10.0.0.2:7000' });
  });
});
