/**
 * TLS as a user sets it up: Qdrant serving REST and gRPC over TLS with a certificate from a private CA,
 * `QDRANT_URL=https://…`, the CA given to Node with NODE_EXTRA_CA_CERTS. `xnai-migrate run` then sends the
 * points over gRPC with TLS (auto), and without the CA it refuses the connection instead of going on
 * unencrypted. Needs the Qdrant binary and openssl; skipped with one line otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type TestRedis } from '../support/redis';
import { freePorts, resolveQdrantBin } from '../support/qdrant/real-server';
import { bundleCli, runCli } from '../engine/support/cli';
import { writeFlatIndex } from '../engine/support/flat-index';

const BIN = resolveQdrantBin();
const OPENSSL = spawnSync('openssl', ['version']).status === 0;
if (!BIN || !OPENSSL) console.log(`test/grpc/tls.test.ts skipped: ${!BIN ? 'no Qdrant binary (set QDRANT_BIN, or put it at ../shared/qdrant/bin/qdrant)' : 'no openssl to make a certificate'}`);

let dir: string;
let qdrant: ChildProcess;
let redis: TestRedis;
let rest: string;
let grpc: string;

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
}

describe.skipIf(!BIN || !OPENSSL)('TLS', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xnai-tls-'));
    // a private CA and a certificate for localhost signed by it
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=xnai test CA']);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost']);
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'san.cnf']);
    const [httpPort, grpcPort] = await freePorts(2);
    rest = `https://localhost:${httpPort}`;
    grpc = `https://localhost:${grpcPort}`;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, QDRANT__SERVICE__HOST: '127.0.0.1', QDRANT__SERVICE__HTTP_PORT: String(httpPort), QDRANT__SERVICE__GRPC_PORT: String(grpcPort), QDRANT__SERVICE__ENABLE_TLS: 'true', QDRANT__TLS__CERT: join(dir, 'cert.pem'), QDRANT__TLS__KEY: join(dir, 'key.pem'), QDRANT__STORAGE__STORAGE_PATH: join(dir, 'storage'), QDRANT__STORAGE__SNAPSHOTS_PATH: join(dir, 'snapshots'), QDRANT__LOG_LEVEL: 'WARN' };
    qdrant = spawn(BIN!, ['--disable-telemetry'], { cwd: dir, env, stdio: 'ignore' });
    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const ready = () =>
      new Promise<boolean>((resolve) => {
        https.get(`${rest}/readyz`, { ca }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        }).on('error', () => resolve(false));
      });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await ready()) break;
      if (Date.now() > deadline || qdrant.exitCode !== null) throw new Error('Qdrant with TLS did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    redis = await startRedis();
  });
  afterAll(async () => {
    qdrant?.kill('SIGKILL');
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('QDRANT_URL=https: the points go over gRPC with TLS; without the CA the run is refused (exit 4), never sent in clear', async () => {
    const cli = await bundleCli();
    const index = join(dir, 'index.faiss');
    writeFlatIndex(index, 1200, 8);
    const env = { QDRANT_URL: rest, QDRANT_GRPC_URL: grpc, REDIS_HOST: redis.host, REDIS_PORT: String(redis.port), FAISS_INDEX_PATH: index, QDRANT_COLLECTION: 'tls', MIGRATION_STATE_KEY: 'xnai:migration:tls', DISTANCE: 'Euclid', LOG_DIR: join(dir, 'logs') };
    const untrusted = await runCli(cli, ['run'], env, dir);
    expect(untrusted.code).toBe(4);
    expect(untrusted.stderr).toMatch(/Qdrant at https:\/\/localhost:\d+.*(certificate|self-signed|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER_CERT)/i);
    const trusted = await runCli(cli, ['run'], { ...env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }, dir);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stdout).toContain(`Bulk transport: gRPC at ${grpc} (auto: Qdrant`);
    expect(trusted.stdout).toContain('Migrated 1200 of 1200 points into collection "tls"');
  });
});
