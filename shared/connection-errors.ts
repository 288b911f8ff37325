/**
 * Connection errors in words: what failed, at which address, and the likely fix, instead of a bare code
 * (`ECONNREFUSED`, `UND_ERR_SOCKET`). One place, used by the engine (run, status, verify, report, points
 * browser: every host prints the engine's message) and importable by the renderer for its own link to the
 * engine host. Pure: no Node imports.
 */

export type ConnectionService = 'Qdrant' | 'Redis';

export interface ConnectionFailure {
  service: ConnectionService;
  /** Where it was tried, without credentials: "http://localhost:6333", "127.0.0.1:6379". */
  address: string;
  /** The low-level code when there is one: ECONNREFUSED, UND_ERR_SOCKET, EPROTO, ENOTFOUND, ... */
  code?: string | null;
  /** The low-level message (used when there is no code, and to recognise TLS and protocol errors). */
  message?: string | null;
  /** An HTTP status the server answered with. */
  status?: number | null;
}

const SETTINGS: Record<ConnectionService, { address: string; port: string; password: string }> = {
  Qdrant: { address: 'QDRANT_URL', port: 'its REST port (6333 by default; 6334 is gRPC)', password: 'QDRANT_API_KEY' },
  Redis: { address: 'REDIS_HOST / REDIS_PORT', port: 'its port (6379 by default)', password: 'REDIS_PASSWORD' },
};

const TLS_CERT = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|UNABLE_TO_GET_ISSUER/;

/** The reason and the fix, without the service and address (the caller's sentence names them). */
export function connectionHint(f: ConnectionFailure): string {
  const s = SETTINGS[f.service];
  const code = (f.code ?? '').toUpperCase();
  const msg = f.message ?? '';
  if (f.status === 401 || f.status === 403) return `it refused the credentials (HTTP ${f.status}): set the key the server expects (${s.password})`;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED|connection refused/i.test(msg)) {
    return `nothing is listening there: start ${f.service}, or fix ${s.address} if it runs elsewhere (ECONNREFUSED)`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /getaddrinfo/i.test(msg)) {
    return `the host name does not resolve: check the spelling in ${s.address} (${code || 'DNS'})`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `no route to that host: check the network, VPN or firewall (${code})`;
  if (code === 'EPROTO' || /wrong version number|ssl3_get_record|packet length too long/i.test(msg)) {
    return `TLS does not match: the server does not speak TLS there (use http://), or it does and the address says http:// (use https://) (${code || 'TLS'})`;
  }
  if (TLS_CERT.test(code) || TLS_CERT.test(msg)) {
    return `its TLS certificate is not trusted (${code || msg}): use a certificate this machine trusts (NODE_EXTRA_CA_CERTS) or the right host name`;
  }
  if (/Protocol error, got/i.test(msg) || code === 'HPE_INVALID_CONSTANT' || /Parse Error|Expected HTTP/i.test(msg)) {
    return `something answered, but not ${f.service}: is that ${s.port}? (wrong port or protocol)`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'ECONNABORTED' || /socket hang up|other side closed|Connection is closed/i.test(msg)) {
    return `it closed the connection: ${f.service} restarted or stopped, or that port speaks another protocol (${s.port}) (${code || 'connection closed'})`;
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || /timed? ?out|timeout/i.test(msg)) {
    return `no answer in time: the server is overloaded or stopped, or a firewall drops the traffic (${code || 'timeout'})`;
  }
  if (/bad port/i.test(msg)) return `that port is one HTTP clients refuse to use: use ${s.port}`;
  if (typeof f.status === 'number') return `it answered HTTP ${f.status}${msg ? `: ${msg}` : ''}`;
  return code || msg || 'no reason given';
}

/** "Qdrant at http://localhost:6333 cannot be reached: nothing is listening there: start Qdrant, ... (ECONNREFUSED)" */
export function explainConnectionError(f: ConnectionFailure): string {
  return `${f.service} at ${f.address} cannot be reached: ${connectionHint(f)}`;
}
