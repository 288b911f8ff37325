/** Configuration precedence (defaults < --config file < environment < flags) and the one-line reasons. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, loadTarget } from '../../electron/engine/config/index';
import { isUserError } from '../../shared/errors';

const dir = mkdtempSync(join(tmpdir(), 'xnai-config-'));
const index = join(dir, 'index.faiss');
writeFileSync(index, 'IxF2');

function reasons(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return e.message.split('\n');
    throw e;
  }
  throw new Error('no error');
}

describe('loadConfig', () => {
  it("uses the seed's defaults and names", () => {
    const c = loadConfig({ env: { FAISS_INDEX_PATH: index } });
    expect(c).toMatchObject({ qdrantUrl: 'http://localhost:6333', redisHost: 'localhost', redisPort: 6379, redisDb: 0, batchSize: 500, maxMemoryPercent: 0.6, resumeMode: true, collection: 'xnai_knowledge', distance: 'auto', stateKey: 'xnai:migration:faiss_to_qdrant' });
  });

  it('MAX_MEMORY_PERCENT takes what its name says: 60, 60% and the fraction 0.6 are the same limit', () => {
    const limit = (v: string) => loadConfig({ env: { FAISS_INDEX_PATH: index, MAX_MEMORY_PERCENT: v } }).maxMemoryPercent;
    expect(limit('60')).toBe(0.6);
    expect(limit('60%')).toBe(0.6);
    expect(limit('0.6')).toBe(0.6);
    expect(limit('0.5%')).toBe(0.005);
    expect(limit('100')).toBe(1);
    expect(loadConfig({ env: { FAISS_INDEX_PATH: index }, flags: { maxMemoryPercent: 75 } }).maxMemoryPercent).toBe(0.75);
    expect(reasons(() => loadConfig({ env: { FAISS_INDEX_PATH: index, MAX_MEMORY_PERCENT: '0' } }))[0]).toMatch(/^MAX_MEMORY_PERCENT=0: is out of range; use a percentage/);
    expect(reasons(() => loadConfig({ env: { FAISS_INDEX_PATH: index, MAX_MEMORY_PERCENT: 'lots%' } }))[0]).toMatch(/^MAX_MEMORY_PERCENT=lots%: is not a number/);
  });

  it('file < environment < flags; environment names or field names in the file; case-insensitive enums', () => {
    const file = join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ BATCH_SIZE: 100, concurrency: 3, distance: 'dot', FAISS_INDEX_PATH: index, RESUME_MODE: 'false' }));
    const c = loadConfig({ file, env: { BATCH_SIZE: '200', REDIS_PASSWORD: 'pw' }, flags: { batchSize: '300' } });
    expect(c).toMatchObject({ batchSize: 300, concurrency: 3, distance: 'Dot', resumeMode: false, redisPassword: 'pw' });
  });

  it('every bad value on its own line, secrets named but not echoed', () => {
    const lines = reasons(() => loadConfig({ env: { FAISS_INDEX_PATH: index, BATCH_SIZE: 'abc', MAX_MEMORY_PERCENT: '150', REDIS_PORT: '70000', RESUME_MODE: 'maybe' }, flags: { concurrency: '2.5' } }));
    expect(lines).toEqual([
      'REDIS_PORT=70000: is out of range; use a port number from 1 to 65535',
      'BATCH_SIZE=abc: is not a number; use a whole number from 1 to 10000 (the seed uses 500)',
      'MAX_MEMORY_PERCENT=150: is out of range; use a percentage of total RAM such as 60 (or 60%, or the fraction 0.6), above 0 and at most 100',
      'RESUME_MODE=maybe: is not true or false',
      '--concurrency 2.5: is not a whole number; use a whole number of requests in flight from 1 to 32',
    ].sort((a, b) => lines.indexOf(a) - lines.indexOf(b)));
    expect(lines).toHaveLength(5);
    expect(reasons(() => loadConfig({ env: {} }))[0]).toMatch(/^FAISS_INDEX_PATH is not set/);
    const file = join(dir, 'unknown.json');
    writeFileSync(file, JSON.stringify({ FAISS_INDEX_PATH: index, qdrantApiKey: 5 }));
    const secret = reasons(() => loadConfig({ file }));
    expect(secret[0]).toMatch(/unknown\.json: qdrantApiKey: has the wrong type \(string expected\)$/);
  });

  it('status and reset need no FAISS path', () => {
    expect(loadTarget({ env: { REDIS_PORT: '6380' } })).toMatchObject({ redisPort: 6380, stateKey: 'xnai:migration:faiss_to_qdrant' });
  });
});

describe('TRANSPORT and QDRANT_GRPC_URL', () => {
  it('default auto with no gRPC URL; env, flags and the config file set them (case-insensitive)', () => {
    const defaults = loadConfig({ env: { FAISS_INDEX_PATH: index } });
    expect(defaults.transport).toBe('auto');
    expect(defaults.qdrantGrpcUrl).toBeUndefined();
    expect(loadConfig({ env: { FAISS_INDEX_PATH: index, TRANSPORT: 'GRPC', QDRANT_GRPC_URL: 'https://q.example:443' } })).toMatchObject({ transport: 'grpc', qdrantGrpcUrl: 'https://q.example:443' });
    expect(loadConfig({ env: { FAISS_INDEX_PATH: index, TRANSPORT: 'grpc' }, flags: { transport: 'rest' } }).transport).toBe('rest');
    const file = join(dir, 'transport.json');
    writeFileSync(file, JSON.stringify({ FAISS_INDEX_PATH: index, TRANSPORT: 'rest', qdrantGrpcUrl: 'http://h:7334' }));
    expect(loadConfig({ file })).toMatchObject({ transport: 'rest', qdrantGrpcUrl: 'http://h:7334' });
  });

  it('bad values get one line each, naming the value and what to use', () => {
    const lines = reasons(() => loadConfig({ env: { FAISS_INDEX_PATH: index, TRANSPORT: 'http2', QDRANT_GRPC_URL: 'localhost:6334' } }));
    expect(lines).toEqual(['TRANSPORT=http2: is not one of auto, grpc, rest', "QDRANT_GRPC_URL=localhost:6334: is not an http(s) URL; use Qdrant's gRPC URL, e.g. http://localhost:6334 (https for TLS)"]);
    expect(reasons(() => loadConfig({ env: { FAISS_INDEX_PATH: index }, flags: { qdrantGrpcUrl: 'not a url' } }))).toEqual([
      "--qdrant-grpc-url not a url: is not a URL; use Qdrant's gRPC URL, e.g. http://localhost:6334 (https for TLS)",
    ]);
  });
});
