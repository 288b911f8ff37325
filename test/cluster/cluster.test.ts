/**
 * Migrations into a real 3-node Qdrant cluster on loopback (the real binary, distributed mode): 6 shards,
 * replication 2. A node SIGKILLed mid-run and started again: the run ends exact, every replica Active and
 * holding the same count, verify passing. Shards left without a live replica hold the run (status paused,
 * the shards named) until they are back. A collection whose cluster settings differ is refused naming both.
 * Skipped with one line where there is no Qdrant binary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MigrationConfigSchema, type EngineEvent, type MigrationConfig, type MigrationState } from '../../shared/contract';
import { createRunController } from '../../electron/engine/migration/index';
import { readClusterView } from '../../electron/engine/qdrant/cluster';
import { verifyMigration } from '../../electron/engine/verify/index';
import { startRedis, type TestRedis } from '../support/redis';
import { clusterSkipReason, startQdrantCluster, type QdrantCluster } from '../support/qdrant-cluster';
import { vectorFor, writeFlatIndex } from '../engine/support/flat-index';
import { scrollAll } from '../engine/support/qdrant-read';

const skip = clusterSkipReason();
if (skip) console.log(skip);

const POINTS = 20_000;
const DIM = 8;

describe.skipIf(skip !== null)('a real 3-node Qdrant cluster', () => {
  let redis: TestRedis;
  let cluster: QdrantCluster;
  let work: string;
  let index: string;
  let n = 0;

  // a loaded 2-core machine starts 3 nodes and runs each test well within these, a quiet one in a fraction
  beforeAll(async () => {
    [redis, cluster] = await Promise.all([startRedis(), startQdrantCluster(3)]);
    work = mkdtempSync(join(tmpdir(), 'xnai-cluster-'));
    index = join(work, 'flat.faiss');
    writeFlatIndex(index, POINTS, DIM);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), cluster?.stop()]);
  });

  function config(over: Partial<MigrationConfig> = {}): MigrationConfig {
    n++;
    return MigrationConfigSchema.parse({
      qdrantUrl: cluster.url,
      qdrantPeerUrls: cluster.peerUrls,
      redisHost: redis.host,
      redisPort: redis.port,
      collection: `cl${n}`,
      stateKey: `xnai:migration:cluster${n}`,
      logDir: join(work, 'logs'),
      faissIndexPath: index,
      distance: 'Euclid',
      batchSize: 250,
      shardNumber: 6,
      replicationFactor: 2,
      ...over,
    });
  }

  async function readState(key: string): Promise<MigrationState> {
    const r = new Redis({ host: redis.host, port: redis.port });
    try {
      return JSON.parse((await r.get(key))!) as MigrationState;
    } finally {
      r.disconnect();
    }
  }

  /** Every source point once, bit-exact, and nothing else. */
  async function expectExact(cfg: MigrationConfig): Promise<void> {
    const stored = await scrollAll(cluster.url, cfg.collection);
    expect(stored.size).toBe(POINTS);
    const want = new Float32Array(DIM);
    for (let row = 0; row < POINTS; row++) {
      const p = stored.get(String(row));
      expect(p, `point ${row}`).toBeDefined();
      vectorFor(row, DIM, want);
      expect(Float32Array.from(p!.vector)).toEqual(want);
    }
  }

  /** Until every replica is Active and no transfer runs (a restarted node catches up by itself). */
  async function settledReplicas(cfg: MigrationConfig, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await readClusterView(cfg, cfg.collection);
      const c = view.collection!;
      const active = c.shards.every((s) => s.replicas.length === 2 && s.replicas.every((r) => r.state === 'Active'));
      if (active && c.transfers.length === 0) return view;
      if (Date.now() > deadline) throw new Error(`replicas not all Active: ${JSON.stringify(c.shards)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('gRPC: spreads batches over the shards; a node SIGKILLed mid-run and restarted: exact copy, every replica Active, verify passing', async () => {
    const cfg = config({ transport: 'grpc', qdrantGrpcUrl: cluster.grpcUrl });
    const c = createRunController({ progressIntervalMs: 50 });
    const events: EngineEvent[] = [];
    c.on((e) => events.push(e));
    let killedAt = -1;
    let restarted: Promise<void> | null = null;
    c.on((e) => {
      if (e.type !== 'progress' || killedAt >= 0 || e.progress.processed < POINTS / 4) return;
      killedAt = e.progress.processed;
      const victim = cluster.nodes[1]!;
      restarted = victim.kill().then(async () => {
        await new Promise((r) => setTimeout(r, 1500));
        await victim.start();
      });
    });
    await c.start(cfg);
    expect(await c.settled()).toBe('completed');
    await restarted;
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(POINTS);
    // one batch in flight per shard (the configured concurrency is 2)
    const logs = events.filter((e): e is Extract<EngineEvent, { type: 'log' }> => e.type === 'log').map((e) => e.msg);
    expect(logs.find((m) => m.startsWith('Bulk transport:'))).toMatch(/gRPC/);
    expect(logs.find((m) => m.startsWith('Qdrant cluster:'))).toMatch(/3 peers; "cl\d+" has 6 shards, replication factor 2, write consistency 1; 6 requests in flight/);
    expect(events.some((e) => e.type === 'progress' && e.progress.concurrency === 6)).toBe(true);

    const state = await readState(cfg.stateKey);
    expect(state).toMatchObject({ status: 'completed', processed_vectors: POINTS, failed_vectors: 0, batches_processed: POINTS / 250, watermark: POINTS / 250, completed_above: [] });
    const view = await settledReplicas(cfg);
    for (const s of view.collection!.shards) expect(new Set(s.replicas.map((r) => r.pointsCount)).size).toBe(1);
    await expectExact(cfg);

    const result = await verifyMigration(cfg, { sampleSize: 50, queries: 5 });
    const check = result.checks.find((x) => x.name === 'cluster');
    expect(check?.passed, check?.summary).toBe(true);
    expect(check?.summary).toBe(`6 shards × 2 replicas on 3 peers, all Active, replica counts agree (${POINTS} points)`);
    expect(result.passed, result.verdict).toBe(true);
  }, 180_000);

  it('REST: a node down with the only replica of some shards: the run holds (paused, the shards named) until it is back, then ends exact', async () => {
    // replication 1: the shards on a node that is down have no replica anywhere else (REST here, gRPC above)
    const cfg = config({ replicationFactor: 1, transport: 'rest' });
    const victim = cluster.nodes[2]!;
    const c = createRunController({ progressIntervalMs: 50 });
    const states: Extract<EngineEvent, { type: 'state' }>[] = [];
    let killed: Promise<void> | null = null;
    c.on((e) => {
      if (e.type === 'state') states.push(e);
      if (e.type === 'progress' && !killed && e.progress.processed >= POINTS / 4) killed = victim.kill();
    });
    try {
      await c.start(cfg);
      const deadline = Date.now() + 45_000;
      while (!states.some((s) => s.status === 'paused') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await killed;
      const held = states.find((s) => s.status === 'paused');
      expect(held?.reason).toMatch(new RegExp(`^2 of 6 shards of "${cfg.collection}" have no live replica: shard \\d on ${victim.peerId} \\(http://127\\.0\\.0\\.1:${victim.p2pPort}, unreachable\\) \\w+; shard \\d on ${victim.peerId}`));
      expect(held?.reason).toMatch(/waiting for them \(the run goes on by itself when they are back\)$/);
      // settled() waits through the hold: it is not a pause the user asked for
      const settled = c.settled();
      const raced = await Promise.race([settled, new Promise((r) => setTimeout(() => r('waiting'), 1000))]);
      expect(raced).toBe('waiting');
      await victim.start();
      expect(await settled).toBe('completed');
    } finally {
      if (!victim.server.running) await victim.start();
    }
    expect(states.at(-1)?.status).toBe('completed');
    expect(states.slice(states.findIndex((s) => s.status === 'paused')).map((s) => s.status)).toContain('running');
    expect((await readState(cfg.stateKey)).processed_vectors).toBe(POINTS);
    await expectExact(cfg);
  }, 180_000);

  it('refuses a collection whose cluster settings differ from the requested ones, naming both', async () => {
    const cfg = config({ faissIndexPath: join(process.cwd(), 'test/fixtures/faiss/v1_15/flat_l2.faiss'), batchSize: 100 });
    const first = createRunController();
    await first.start(cfg);
    expect(await first.settled()).toBe('completed');
    const again = config({ collection: cfg.collection, faissIndexPath: cfg.faissIndexPath, shardNumber: 3, replicationFactor: 1 });
    await expect(createRunController().start(again)).rejects.toThrow(
      `collection "${cfg.collection}" exists with shard_number 6, replication_factor 2 but this run asks for shard_number 3, replication_factor 1: unset SHARD_NUMBER / REPLICATION_FACTOR / WRITE_CONSISTENCY_FACTOR to use it as it is, or migrate into another collection (QDRANT_COLLECTION=...)`,
    );
  });
});
