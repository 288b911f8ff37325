/**
 * Every connection error names the address and the likely fix instead of a bare code, produced by real
 * failures (nothing listening, another protocol on the port, TLS against a plain port, a name that does not
 * resolve, a wrong password) through the engine's own connection test (what the Set-up view and the CLI
 * show), and the shared wording on its own (shared/connection-errors.ts, importable by the renderer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { explainConnectionError } from '../../shared/connection-errors';
import { testConnections } from '../../electron/engine/state/index';
import { startRedis, type TestRedis } from '../support/redis';
import { freePort } from '../support/free-port';

let redis: TestRedis;
let http: Server;
let httpPort: number;
let closedPort: number;

beforeAll(async () => {
  redis = await startRedis({ password: 'right-password' });
  httpPort = await freePort();
  closedPort = await freePort();
  http = createServer((_q, s) => s.end('not redis'));
  await new Promise<void>((r) => http.listen(httpPort, '127.0.0.1', () => r()));
});
afterAll(async () => {
  http?.close();
  await redis?.dispose();
});

const conn = (over: Record<string, unknown>) => ({ qdrantUrl: `http://127.0.0.1:${closedPort}`, redisHost: '127.0.0.1', redisPort: closedPort, redisDb: 0, ...over });

describe('connection errors in words', () => {
  it('nothing listening: both services name the address and say to start them or fix the setting', async () => {
    const r = await testConnections(conn({}));
    expect(r.qdrant).toMatchObject({ ok: false, message: `Qdrant at http://127.0.0.1:${closedPort} cannot be reached: nothing is listening there: start Qdrant, or fix QDRANT_URL if it runs elsewhere (ECONNREFUSED)` });
    expect(r.redis).toMatchObject({ ok: false, message: `Redis at 127.0.0.1:${closedPort} cannot be reached: nothing is listening there: start Redis, or fix REDIS_HOST / REDIS_PORT if it runs elsewhere (ECONNREFUSED)` });
  });

  it('the wrong service on the port: Qdrant pointed at Redis, Redis pointed at an HTTP server', async () => {
    const r = await testConnections(conn({ qdrantUrl: `http://127.0.0.1:${redis.port}`, redisPort: httpPort }));
    expect(r.qdrant.message).toBe(`Qdrant at http://127.0.0.1:${redis.port} cannot be reached: it closed the connection: Qdrant restarted or stopped, or that port speaks another protocol (its REST port (6333 by default; 6334 is gRPC)) (UND_ERR_SOCKET)`);
    expect(r.redis.message).toBe(`Redis at 127.0.0.1:${httpPort} cannot be reached: something answered, but not Redis: is that its port (6379 by default)? (wrong port or protocol)`);
  });

  it('https against a plain HTTP port is a TLS mismatch; a name that does not resolve says so', async () => {
    const tls = await testConnections(conn({ qdrantUrl: `https://127.0.0.1:${httpPort}` }));
    expect(tls.qdrant.message).toMatch(new RegExp(`^Qdrant at https://127\\.0\\.0\\.1:${httpPort} cannot be reached: TLS does not match: the server does not speak TLS there \\(use http://\\)`));
    const dns = await testConnections(conn({ qdrantUrl: 'http://no-such-host.invalid:6333', redisHost: 'no-such-host.invalid' }));
    expect(dns.qdrant.message).toBe('Qdrant at http://no-such-host.invalid:6333 cannot be reached: the host name does not resolve: check the spelling in QDRANT_URL (ENOTFOUND)');
    expect(dns.redis.message).toBe('Redis at no-such-host.invalid:' + closedPort + ' cannot be reached: the host name does not resolve: check the spelling in REDIS_HOST / REDIS_PORT (ENOTFOUND)');
  });

  it('credentials: a wrong or missing Redis password is named, never echoed', async () => {
    const wrong = await testConnections(conn({ redisPort: redis.port, redisPassword: 'not-the-password' }));
    expect(wrong.redis.message).toBe(`Redis at 127.0.0.1:${redis.port} refused the password (REDIS_PASSWORD): set the password the server expects`);
    expect(wrong.redis.message).not.toContain('not-the-password');
    const none = await testConnections(conn({ redisPort: redis.port }));
    expect(none.redis.message).toBe(`Redis at 127.0.0.1:${redis.port} requires a password: set REDIS_PASSWORD`);
  });

  it('the shared wording covers the codes the UI and CLI meet', () => {
    const q = (code: string, message = '') => explainConnectionError({ service: 'Qdrant', address: 'http://q:6333', code, message });
    expect(q('ETIMEDOUT')).toMatch(/no answer in time: the server is overloaded or stopped, or a firewall drops the traffic \(ETIMEDOUT\)$/);
    expect(q('EHOSTUNREACH')).toMatch(/no route to that host: check the network, VPN or firewall/);
    expect(q('DEPTH_ZERO_SELF_SIGNED_CERT')).toMatch(/its TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\): use a certificate this machine trusts \(NODE_EXTRA_CA_CERTS\)/);
    expect(explainConnectionError({ service: 'Qdrant', address: 'http://q:6333', status: 403 })).toBe('Qdrant at http://q:6333 cannot be reached: it refused the credentials (HTTP 403): set the key the server expects (QDRANT_API_KEY)');
    // never a bare code
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ENOTFOUND', 'EPROTO']) expect(q(code)).not.toMatch(new RegExp(`: ${code}$`));
  });
});
