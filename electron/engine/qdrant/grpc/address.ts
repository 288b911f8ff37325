/**
 * Where Qdrant's gRPC API is: QDRANT_GRPC_URL when set, else derived from QDRANT_URL. Qdrant serves REST
 * on 6333 and gRPC on 6334 by default, so a QDRANT_URL on port 6333 (or with no port) gives the same
 * scheme and host on 6334. Any other REST port says the ports were changed or mapped (a proxy, a container
 * published elsewhere), and the gRPC port cannot be guessed: none is derived, and TRANSPORT=auto uses REST
 * and says to set QDRANT_GRPC_URL. Guessing (say, REST port + 1) could reach another server's gRPC port.
 * https means TLS on the gRPC port too.
 */
export interface GrpcAddress {
  /** For @grpc/grpc-js: "host:port" ("[::1]:6334" for IPv6). */
  target: string;
  secure: boolean;
  /** As the user sees it: "http://127.0.0.1:6334". */
  url: string;
}

export type GrpcAddressChoice = { address: GrpcAddress; from: 'QDRANT_GRPC_URL' | 'QDRANT_URL' } | { address: null; why: string };

export const QDRANT_REST_PORT = '6333';
export const QDRANT_GRPC_PORT = '6334';

/** An http(s) URL → the gRPC address (port 6334 when it names none). */
export function parseGrpcUrl(url: string): GrpcAddress {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const port = u.port || QDRANT_GRPC_PORT;
  return { target: `${u.hostname}:${port}`, secure, url: `${u.protocol}//${u.hostname}:${port}` };
}

export function grpcAddressFor(config: { qdrantUrl: string; qdrantGrpcUrl?: string | undefined }): GrpcAddressChoice {
  if (config.qdrantGrpcUrl) return { address: parseGrpcUrl(config.qdrantGrpcUrl), from: 'QDRANT_GRPC_URL' };
  const rest = new URL(config.qdrantUrl);
  if (rest.port !== '' && rest.port !== QDRANT_REST_PORT) {
    return { address: null, why: `QDRANT_URL's port is ${rest.port}, not Qdrant's default ${QDRANT_REST_PORT}, so its gRPC port is unknown: set QDRANT_GRPC_URL to use gRPC` };
  }
  return { address: parseGrpcUrl(`${rest.protocol}//${rest.hostname}:${QDRANT_GRPC_PORT}`), from: 'QDRANT_URL' };
}
