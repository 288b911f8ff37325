/**
 * Several `xnai-migrate run` processes on one shared run, through a real redis-server into a real Qdrant:
 * the seed (`--shared`) and two workers (`--join`); one worker SIGKILLed mid-run. Its leased batches go to
 * the others when the lease expires; the run completes with exactly the source's points, exact counts, no
 * batch counted twice, and every worker's host, pid, rate and RSS in the state. Bad input: a worker whose
 * store differs (refused naming both fingerprints), one that cannot reach Redis or Qdrant (one line, exit 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { MigrationState, WorkerRecord } from '../../shared/contract';
import { startRedis, type TestRedis } from '../support/redis';
import { resolveQdrantBin, startRealQdrant, type RealQdrant } from '../support/qdrant/real-server';
import { bundleCli, runCli, spawnCli, type CliResult } from '../engine/support/cli';
import { vectorFor, writeFlatIndex } from '../engine/support/flat-index';
import { scrollAll } from '../engine/support/qdrant-read';

const skip = resolveQdrantBin() ? null : 'no Qdrant binary (set QDRANT_BIN or put one at ../shared/qdrant/bin/qdrant): worker tests skipped';
if (skip) console.log(skip);

const COUNT = 40_000;
const DIM = 8;
const BATCH = 200;

describe.skipIf(skip !== null)('several workers on one run', () => {
  let cli: string;
  let redis: TestRedis;
  let qdrant: RealQdrant;
  let work: string;
  let index: string;
  let db: Redis;

  beforeAll(async () => {
    [cli, redis, qdrant] = await Promise.all([bundleCli(), startRedis(), startRealQdrant()]);
    work = mkdtempSync(join(tmpdir(), 'xnai-workers-'));
    index = join(work, 'index.faiss');
    writeFlatIndex(index, COUNT, DIM);
    db = new Redis({ host: redis.host, port: redis.port });
  }, 120_000);
  afterAll(async () => {
    db?.disconnect();
    await Promise.all([redis?.dispose(), qdrant?.stop()]);
  });

  const env = (over: Record<string, string | undefined> = {}) => ({
    QDRANT_URL: qdrant.url,
    QDRANT_GRPC_URL: qdrant.grpcUrl,
    REDIS_HOST: redis.host,
    REDIS_PORT: String(redis.port),
    FAISS_INDEX_PATH: index,
    DISTANCE: 'Euclid',
    BATCH_SIZE: String(BATCH),
    WORKER_LEASE_MS: '2000',
    ...over,
  });

  async function doc(key: string): Promise<MigrationState | null> {
    const text = await db.get(key);
    return text ? (JSON.parse(text) as MigrationState) : null;
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('3 workers, one SIGKILLed mid-run: the run completes exact, every batch counted once, every worker reported', async () => {
    const key = 'xnai:migration:shared1';
    const e = env({ MIGRATION_STATE_KEY: key, QDRANT_COLLECTION: 'shared1', LOG_DIR: join(work, 'logs1') });
    const seed = spawnCli(cli, ['run', '--shared', '--quiet'], e, work);
    const first = await until('the shared run', async () => {
      const d = await doc(key);
      return d?.shared ? d : null;
    });
    // a slowed server keeps the run going while the workers start (on a quiet machine the seed alone could
    // otherwise be half-way before they join), so the kill lands on a worker that holds batches
    qdrant.throttle({ runMs: 5, stopMs: 20 });
    const joined = [spawnCli(cli, ['run', '--join', '--quiet'], e, work), spawnCli(cli, ['run', '--join', '--quiet'], e, work)];
    const victim = joined[1]!;
    let killedAt: number;
    try {
      // kill it while it holds batches: once it has reported some work of its own and the run is under way
      await until('the victim working', async () => {
        const d = await doc(key);
        const w = (await db.hvals(`${key}:workers:${first.run_id}`)).map((t) => JSON.parse(t) as WorkerRecord).find((r) => r.pid === victim.child.pid);
        return d && d.processed_vectors < COUNT / 2 && w && w.batches > 0 ? true : null;
      }, 60_000);
      killedAt = (await doc(key))!.processed_vectors;
      victim.child.kill('SIGKILL');
    } finally {
      qdrant.throttle(null);
    }
    const [s, w1, w2] = await Promise.all([seed.done, joined[0]!.done, victim.done]);
    expect(w2.signal).toBe('SIGKILL');
    const show = (r: CliResult) => `${r.code} ${r.stderr}`;
    expect(s.code, show(s)).toBe(0);
    expect(w1.code, show(w1)).toBe(0);
    expect(killedAt).toBeLessThan(COUNT);

    const end = (await doc(key))!;
    expect(end).toMatchObject({ status: 'completed', processed_vectors: COUNT, failed_vectors: 0, batches_processed: COUNT / BATCH, watermark: COUNT / BATCH, completed_above: [], shared: true });

    // exactly the source's points
    const stored = await scrollAll(qdrant.url, 'shared1');
    expect(stored.size).toBe(COUNT);
    const want = new Float32Array(DIM);
    for (let row = 0; row < COUNT; row++) {
      vectorFor(row, DIM, want);
      expect(Float32Array.from(stored.get(String(row))!.vector)).toEqual(want);
    }

    // every worker reported itself: host, pid, rate, RSS; the two that finished say so
    const records = (await db.hvals(`${key}:workers:${first.run_id}`)).map((t) => JSON.parse(t) as WorkerRecord);
    expect(records).toHaveLength(3);
    expect(records.filter((r) => r.role === 'seed')).toHaveLength(1);
    for (const r of records) {
      expect(r.host).toBeTruthy();
      expect(r.rssMb).toBeGreaterThan(0);
      expect(r.peakRssMb).toBeGreaterThanOrEqual(r.rssMb);
      expect(r.batches).toBeGreaterThan(0);
    }
    expect(records.filter((r) => r.status === 'completed').map((r) => r.pid).sort()).toEqual([seed.child.pid, joined[0]!.child.pid].sort());
    // counted once: the document above counts every batch exactly once. The records are each worker's own
    // once-a-second report, so the killed worker's lags by what it merged in its last second (at most its rate
    // for one heartbeat, plus the batches it had in flight); with that allowance they add up to every batch
    const recorded = records.reduce((n, r) => n + r.batches, 0);
    const victimRecord = records.find((r) => r.pid === victim.child.pid)!;
    const lagAllowance = Math.ceil(victimRecord.pointsPerSec / BATCH) + 4;
    expect(recorded).toBeGreaterThanOrEqual(COUNT / BATCH - lagAllowance);
    // the report lists every worker with its host, rate and peak RSS
    const out = join(work, 'report.md');
    const report = await runCli(cli, ['report', '--format', 'md', '--out', out], e, work);
    expect(report.code, report.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('## Workers (3)');
    expect(md).toContain('| Host | PID | Role | Status | Points | Batches | Points/s (last) | Peak RSS | CPU |');
    for (const r of records) expect(md).toMatch(new RegExp(`\\| ${r.host} \\| ${r.pid} \\| ${r.role} \\| ${r.status} \\| `));
    // the victim's leased batches came back when their leases expired, and a survivor took them over
    const log = readFileSync(join(work, 'logs1', 'migration.log'), 'utf8');
    expect(log).toMatch(/Batch \d+: its lease expired \(its worker stopped answering\); this worker takes it over/);
  }, 180_000);

  it('a worker whose store differs is refused naming both fingerprints; one that cannot reach Redis or Qdrant exits 4 in one line', async () => {
    const key = 'xnai:migration:shared2';
    const e = env({ MIGRATION_STATE_KEY: key, QDRANT_COLLECTION: 'shared2', LOG_DIR: join(work, 'logs2') });
    const seed = spawnCli(cli, ['run', '--shared', '--quiet'], { ...e, WORKER_LEASE_MS: '5000' }, work);
    await until('the shared run', async () => (await doc(key))?.shared);
    const other = join(work, 'other.faiss');
    writeFlatIndex(other, 1000, DIM);
    const [differs, noRedis, noQdrant, embedded] = await Promise.all([
      runCli(cli, ['run', '--join'], { ...e, FAISS_INDEX_PATH: other }, work),
      runCli(cli, ['run', '--join'], { ...e, REDIS_PORT: '1' }, work),
      runCli(cli, ['run', '--join'], { ...e, QDRANT_URL: 'http://127.0.0.1:1' }, work),
      runCli(cli, ['run', '--join'], { ...e, STATE_STORE: 'embedded', DATA_DIR: join(work, 'embedded') }, work),
    ]);
    // workers share a run through Redis: the embedded store refuses --join in one line
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toMatch(/^xnai-migrate: --join needs Redis for the state \(STATE_STORE=redis\): .* cannot be shared by workers on other processes or hosts\n$/);
    expect(differs.code).toBe(2);
    expect(differs.stderr).toMatch(new RegExp(`^xnai-migrate: this worker's FAISS store differs from the shared run's: the run's is ${index.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, ${COUNT * DIM * 4 + 45} bytes, modified [^,]+, header sha256 [0-9a-f]{16}; this one is .*other\\.faiss, ${1000 * DIM * 4 + 45} bytes, modified [^,]+, header sha256 [0-9a-f]{16}; every worker must see the same store`));
    for (const r of [noRedis, noQdrant]) {
      expect(r.code).toBe(4);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(noRedis.stderr).toMatch(/Redis at 127\.0\.0\.1:1/);
    expect(noQdrant.stderr).toMatch(/127\.0\.0\.1:1/);
    // the seed went on
    expect((await seed.done).code).toBe(0);
    expect((await doc(key))!.processed_vectors).toBe(COUNT);
  }, 120_000);
});
