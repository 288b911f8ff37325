/**
 * docker-compose.yml and config/qdrant_config.yaml as a user runs them: every Qdrant config key exists in
 * Qdrant's own reference config (1.18.3; 1.19 reads the same file format), and the compose file gives
 * Qdrant and Redis what the seed describes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Qdrant's own reference config (config/config.yaml of Qdrant v1.18.3, Apache-2.0), kept beside the test
// so a clean clone can run it; 1.19 reads the same keys.
const referenceText: string | null = readFileSync('test/hosts/fixtures/qdrant-config-v1.18.3.yaml', 'utf8');

/** Every key path of a YAML mapping: "storage.wal.wal_capacity_mb". */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return [path, ...keyPaths(v, path)];
  });
}

/** Keys the reference documents only as comments ("# api_key: ...") count as known too. */
function referenceKeys(text: string): Set<string> {
  const uncommented = text
    .split('\n')
    .map((line) => line.replace(/^(\s*)#\s?(?=[a-z_]+:)/, '$1'))
    .join('\n');
  let doc: unknown;
  try {
    doc = parse(uncommented);
  } catch {
    doc = parse(text);
  }
  return new Set([...keyPaths(parse(text)), ...keyPaths(doc)]);
}

describe('config/qdrant_config.yaml', () => {
  const config = parse(readFileSync('config/qdrant_config.yaml', 'utf8')) as Record<string, unknown>;

  it.skipIf(referenceText === null)('uses only keys that Qdrant knows', () => {
    const known = referenceKeys(referenceText!);
    const unknown = keyPaths(config).filter((k) => !known.has(k));
    expect(unknown).toEqual([]);
  });

  it('keeps the seed intent: on-disk payload, WAL 200 MB, 2 segments, 2 indexing threads', () => {
    const storage = config.storage as Record<string, Record<string, unknown>>;
    expect(storage.on_disk_payload).toBe(true);
    expect(storage.wal!.wal_capacity_mb).toBe(200);
    expect(storage.optimizers!.default_segment_number).toBe(2);
    expect(storage.hnsw_index!.max_indexing_threads).toBe(2);
    expect((config.service as Record<string, unknown>).max_request_size_mb).toBe(32);
  });

  it('rejects the seed sample keys Qdrant does not know (the check can fail)', () => {
    if (referenceText === null) return;
    const known = referenceKeys(referenceText);
    const seedSample = { storage: { wal: { enabled: true } }, payload_index_limit_mb: 512, performance: { max_batch_size: 100 } };
    expect(keyPaths(seedSample).filter((k) => !known.has(k))).toEqual(['storage.wal.enabled', 'payload_index_limit_mb', 'performance', 'performance.max_batch_size']);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Record<string, unknown>>; volumes: Record<string, unknown> };
  const qdrant = compose.services.qdrant!;
  const redis = compose.services.redis!;

  it('runs Qdrant with the config file, persistent storage and a health check', () => {
    expect(qdrant.image).toMatch(/^qdrant\/qdrant:v1\.(18|19)\./);
    expect(qdrant.volumes).toContain('./config/qdrant_config.yaml:/qdrant/config/production.yaml:ro');
    expect((qdrant.volumes as string[]).some((v) => v.startsWith('qdrant_storage:/qdrant/storage'))).toBe(true);
    expect(qdrant.healthcheck).toMatchObject({ test: expect.arrayContaining([expect.stringContaining('/readyz')]) });
    // loopback only, 6333 unless the migrator's "start Qdrant for me" chose another free port
    expect(qdrant.ports).toContain('127.0.0.1:${XNAI_QDRANT_PORT:-6333}:6333');
  });

  it('runs Redis with a password, append-only persistence, a volume and a health check', () => {
    const command = (redis.command as string[]).join(' ');
    expect(command).toContain('--requirepass ${REDIS_PASSWORD:?');
    expect(command).toContain('--appendonly yes');
    expect(redis.volumes).toContain('redis_data:/data');
    expect(JSON.stringify(redis.healthcheck)).toContain('redis-cli ping');
    expect(redis.environment).toMatchObject({ REDISCLI_AUTH: expect.stringContaining('REDIS_PASSWORD') });
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['qdrant_storage', 'redis_data']));
  });
});
