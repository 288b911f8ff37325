/**
 * `xnai-migrate state export | import` moves a migration between the embedded store and Redis: a run paused
 * on the embedded store (no Redis) is exported, imported into a real redis-server, and resumed there to an
 * exact copy; an import never replaces a state without --replace, never writes while a run holds the lock,
 * and a file that is not an export is one line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationConfigSchema, type EngineEvent, type MigrationConfig } from '../../shared/contract';
import { createRunController } from '../../electron/engine/migration/index';
import { openStateStore } from '../../electron/engine/state/open';
import { makeHolder } from '../../electron/engine/state/lock-holder';
import { exportState, importState } from '../../electron/engine/state/transfer';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant/index';
import { bundleCli, runCli } from '../engine/support/cli';
import { writeFlatIndex } from '../engine/support/flat-index';
import { countPoints } from '../engine/support/qdrant-read';

let redis: TestRedis;
let qdrant: TestQdrant;
let cli: string;
let work: string;
let index: string;
const COUNT = 6000;

beforeAll(async () => {
  [redis, qdrant, cli] = await Promise.all([startRedis(), startQdrant(), bundleCli()]);
  work = mkdtempSync(join(tmpdir(), 'xnai-transfer-'));
  index = join(work, 'index.faiss');
  writeFlatIndex(index, COUNT, 16);
}, 120_000);
afterAll(async () => {
  await Promise.all([redis?.dispose(), qdrant?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

const dataDir = () => join(work, 'data');
const embedded = (key: string) => ({ redisHost: 'localhost', redisPort: 6379, redisDb: 0, stateKey: key, stateStore: 'embedded' as const, dataDir: dataDir() });
const inRedis = (key: string) => ({ redisHost: redis.host, redisPort: redis.port, redisDb: 0, stateKey: key, stateStore: 'redis' as const });

function config(key: string, over: Partial<MigrationConfig>): MigrationConfig {
  return MigrationConfigSchema.parse({ qdrantUrl: qdrant.url, qdrantApiKey: qdrant.apiKey, faissIndexPath: index, collection: 'moved', stateKey: key, distance: 'Euclid', batchSize: 100, requestPoints: 100, logDir: join(work, 'logs'), ...over });
}

describe('state export | import', () => {
  it('a run paused on the embedded store, moved to Redis, resumes there to an exact copy', async () => {
    const key = 'xnai:migration:moved';
    // 1. migrate part of it with no Redis at all, then pause
    if (qdrant.isStandIn) qdrant.faults.latency(30, { match: { operation: 'upsert_points' } });
    const c = createRunController({ progressIntervalMs: 50 });
    let processed = 0;
    c.on((e: EngineEvent) => {
      if (e.type === 'progress') processed = e.progress.processed;
    });
    await c.start(config(key, { stateStore: 'embedded', dataDir: dataDir() }));
    while (processed < 1000) await new Promise((r) => setTimeout(r, 20));
    await c.pause();
    expect(await c.settled()).toBe('paused');
    await c.dispose();
    if (qdrant.isStandIn) qdrant.faults.reset();

    // 2. export with the CLI from the embedded store, import into Redis
    const file = join(work, 'moved.json');
    const out = await runCli(cli, ['state', 'export', '--out', file], { STATE_STORE: 'embedded', DATA_DIR: dataDir(), MIGRATION_STATE_KEY: key }, work);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`^Exported ${key} \\(paused, \\d+ of ${COUNT} vectors, 0 failed points\\) from the embedded store in .* to ${file}\\n$`));
    const into = await runCli(cli, ['state', 'import', file], { REDIS_HOST: redis.host, REDIS_PORT: String(redis.port) }, work);
    expect(into.code, into.stderr).toBe(0);
    expect(into.stdout).toMatch(new RegExp(`^Imported ${key} from ${file} into Redis at 127\\.0\\.0\\.1:${redis.port} db 0: \\d+ vectors done, 0 failed points; "xnai-migrate run" resumes it there\\n$`));
    const status = await runCli(cli, ['status', '--state-key', key], { REDIS_HOST: redis.host, REDIS_PORT: String(redis.port) }, work);
    expect(status.stdout).toMatch(/: paused$/m);

    // 3. the run on Redis resumes where the embedded one stopped
    const onRedis = await openStateStore(inRedis(key));
    const before = (await onRedis.readCurrent())!;
    await onRedis.close();
    const events: EngineEvent[] = [];
    const c2 = createRunController({ progressIntervalMs: 50 });
    c2.on((e) => events.push(e));
    await c2.start(config(key, { redisHost: redis.host, redisPort: redis.port, stateStore: 'redis' }));
    expect(await c2.settled()).toBe('completed');
    await c2.dispose();
    expect(events.some((e) => e.type === 'log' && e.msg === `Resuming at batch ${before.watermark} of ${COUNT / 100} (${before.processed_vectors} points already migrated)`)).toBe(true);
    expect(await countPoints(qdrant.url, 'moved')).toBe(COUNT);
  }, 120_000);

  it('never replaces a state without --replace, never writes under a run\'s lock, and keeps failed points, samples and verification', async () => {
    const key = 'xnai:migration:guarded';
    const src = await openStateStore(embedded(key));
    const holder = makeHolder('guarded');
    await src.acquireLock(holder, 10_000);
    const state = { ...(await import('./store-contract')).stateFor('g1', { processed_vectors: 300, failed_vectors: 1 }) };
    await src.checkpoint(holder, state, [{ faissId: '9223372036854775807', pointId: '9223372036854775807', batch: 2, reason: 'HTTP 400' }]);
    await src.pushSamples('g1', [{ at: 1, processed: 100, failed: 0, pointsPerSec: 10, batchLatencyMs: 5, rssMb: 90, systemAvailableMb: 1000, limitMb: 2000 }]);
    await src.saveVerification({ at: new Date().toISOString(), collection: 'c', runId: 'g1', passed: true, verdict: 'PASS', checks: [{ name: 'ids', passed: true, summary: 'all there', details: { max: 9223372036854775807n } }], durationMs: 3 });
    await src.releaseLock(holder);
    const doc = await exportState(src);
    expect(doc.verification?.checks[0]?.details).toEqual({ max: 9223372036854775807n });
    await src.close();

    const dst = await openStateStore(inRedis(key));
    try {
      expect(await importState(dst, doc, { replace: false })).toEqual({ replaced: false, runId: 'g1', processed: 300, failed: 1 });
      expect(await dst.readCurrent()).toEqual(state);
      expect(await dst.readFailed('g1')).toEqual(doc.failed);
      expect(await dst.readSamples('g1')).toEqual(doc.samples);
      expect(await dst.readVerification({ runId: 'g1' })).toEqual(doc.verification);
      await expect(importState(dst, doc, { replace: false })).rejects.toThrow(`Redis at 127.0.0.1:${redis.port} db 0 already holds a state for ${key} (in_progress, 300 of 1000 vectors): pass --replace to overwrite it, or export it first`);
      const runner = makeHolder('running');
      await dst.acquireLock(runner, 10_000);
      await expect(importState(dst, doc, { replace: true })).rejects.toThrow(new RegExp(`^Migration ${key} is locked by .*:running, expires in \\d+s: stop that run before importing$`));
      await dst.releaseLock(runner);
      expect((await importState(dst, doc, { replace: true })).replaced).toBe(true);
    } finally {
      await dst.close();
    }
  });

  it('a file that is not an export: one line naming it', async () => {
    const bad = join(work, 'not-export.json');
    writeFileSync(bad, '{"status": "paused"}');
    const r = await runCli(cli, ['state', 'import', bad], { REDIS_HOST: redis.host, REDIS_PORT: String(redis.port) }, work);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^xnai-migrate: ${bad}: not a state export this version can read \\(format: .*\\); name a file written by "xnai-migrate state export"\\n$`));
    const none = await runCli(cli, ['state', 'export'], { STATE_STORE: 'embedded', DATA_DIR: dataDir(), MIGRATION_STATE_KEY: 'xnai:migration:nothing' }, work);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^xnai-migrate: no migration state under xnai:migration:nothing in the embedded store in .*: nothing to export\n$/);
  });
});
