/**
 * `xnai-migrate run | status | reset` as a user runs them (the bundled CLI as a child process): every bad
 * configuration gets one stderr line and its exit code; two runs at once; Ctrl-C pauses (exit 130) and the
 * next run resumes; SIGKILL at random points twenty times still ends with exactly the source's points. The
 * run/status/reset suite runs once on Redis and once on the embedded store with no Redis at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateView } from '../../shared/contract';
import { parseJson } from '../../shared/json';
import { startRedis, type TestRedis } from '../support/redis';
import { slowDown, startQdrant, type TestQdrant } from '../support/qdrant/index';
import { bundleCli, runCli, spawnCli } from './support/cli';
import { vectorFor, writeFlatIndex } from './support/flat-index';
import { countPoints, scrollAll } from './support/qdrant-read';
import { stateStores } from '../support/state-stores';

let cli: string;
let redis: TestRedis;
let qdrant: TestQdrant;
let work: string;
let index: string;
const COUNT = 20_000;
const DIM = 16;

beforeAll(async () => {
  [cli, redis, qdrant] = await Promise.all([bundleCli(), startRedis(), startQdrant()]);
  work = mkdtempSync(join(tmpdir(), 'xnai-cli-test-'));
  index = join(work, 'index.faiss');
  writeFlatIndex(index, COUNT, DIM);
}, 120_000);
afterAll(async () => {
  await Promise.all([redis?.dispose(), qdrant?.stop()]);
});

/** The CLI's environment; `store` selects the state store (default: the file's Redis). */
function baseEnv(over: Record<string, string | undefined> = {}, store: Record<string, string> = { REDIS_HOST: redis.host, REDIS_PORT: String(redis.port) }): Record<string, string | undefined> {
  return {
    QDRANT_URL: qdrant.url,
    // the launched binary's gRPC port: TRANSPORT=auto then runs these tests over gRPC under test:live
    QDRANT_GRPC_URL: qdrant.real?.grpcUrl,
    QDRANT_API_KEY: qdrant.apiKey,
    ...store,
    FAISS_INDEX_PATH: index,
    DISTANCE: 'Euclid',
    ...over,
  };
}


describe('bad configuration: one line naming the value, and the exit code', () => {
  it('every bad value is refused before anything connects', async () => {
    const env = (over: Record<string, string | undefined> = {}) => baseEnv(over);
    const pw = await startRedis({ password: 'right-password' });
    // A second Qdrant that wants a key (not possible against the shared server at QDRANT_URL).
    const keyed = qdrant.kind !== 'external' ? await startQdrant({ apiKey: 'right-key' }) : null;
    const badJson = join(work, 'bad.json');
    writeFileSync(badJson, '{"batchSize": 500,');
    const cases: { name: string; env: Record<string, string | undefined>; args?: string[]; code: number; line: RegExp }[] = [
      { name: 'BATCH_SIZE=abc', env: env({ BATCH_SIZE: 'abc' }), code: 2, line: /^xnai-migrate: BATCH_SIZE=abc: is not a number; use a whole number/ },
      { name: 'MAX_MEMORY_PERCENT=150', env: env({ MAX_MEMORY_PERCENT: '150' }), code: 2, line: /^xnai-migrate: MAX_MEMORY_PERCENT=150: is out of range; use a percentage of total RAM such as 60/ },
      { name: '--batch-size 0', env: env(), args: ['--batch-size', '0'], code: 2, line: /^xnai-migrate: --batch-size 0: is out of range/ },
      { name: 'malformed URL', env: env({ QDRANT_URL: 'localhost:6333' }), code: 2, line: /QDRANT_URL=localhost:6333: is not (a|an http\(s\)) URL/ },
      { name: 'missing path', env: env({ FAISS_INDEX_PATH: join(work, 'nope.faiss') }), code: 3, line: /FAISS_INDEX_PATH=.*nope\.faiss: no such file or folder/ },
      { name: 'bad config file', env: env(), args: ['--config', badJson], code: 2, line: /--config .*bad\.json: not valid JSON/ },
      { name: 'DISTANCE=hamming', env: env({ DISTANCE: 'hamming' }), code: 2, line: /DISTANCE=hamming: is not one of Cosine, Euclid, Dot, Manhattan/ },
      { name: 'Qdrant down', env: env({ QDRANT_URL: 'http://127.0.0.1:9' }), code: 4, line: /^xnai-migrate: Qdrant at http:\/\/127\.0\.0\.1:9 cannot be reached: / },
      { name: 'wrong Redis password', env: env({ REDIS_PORT: String(pw.port), REDIS_PASSWORD: 'wrong-password' }), code: 4, line: /refused the password \(REDIS_PASSWORD\)/ },
      { name: 'missing Redis password', env: env({ REDIS_PORT: String(pw.port) }), code: 4, line: /requires a password: set REDIS_PASSWORD/ },
    ];
    if (keyed) cases.push({ name: 'wrong Qdrant API key', env: env({ QDRANT_URL: keyed.url, QDRANT_API_KEY: 'wrong-key' }), code: 4, line: /refused the API key \(QDRANT_API_KEY\)/ });
    try {
      const results = await Promise.all(cases.map((c) => runCli(cli, ['run', ...(c.args ?? [])], c.env, work)));
      results.forEach((r, i) => {
        const c = cases[i]!;
        expect(r.stderr, c.name).toMatch(c.line);
        expect(r.code, `${c.name}: ${r.stderr}`).toBe(c.code);
        expect(r.stderr, c.name).not.toMatch(/\n\s+at /); // no stack trace
        expect(r.stderr + r.stdout, c.name).not.toMatch(/wrong-password|wrong-key/); // secrets never echoed
      });
      // the log has the runs that got that far, with the secrets redacted
      const log = readFileSync(join(work, 'logs', 'migration.log'), 'utf8');
      expect(log).toMatch(/"redisPassword":"\[redacted\]"/);
      expect(log).not.toMatch(/wrong-password|wrong-key/);
    } finally {
      await Promise.all([pw.dispose(), keyed?.stop()]);
    }
  });
});

describe.each(stateStores())('run, status, reset, on $name', (store) => {
  beforeAll(() => store.start());
  afterAll(() => store.stop());
  const state = (key: string) => store.readState(key);
  const env = (over: Record<string, string | undefined> = {}) => baseEnv({ ...over, QDRANT_COLLECTION: over.QDRANT_COLLECTION && `${over.QDRANT_COLLECTION}_${store.name}` }, store.env());
  const col = (name: string) => `${name}_${store.name}`;

  it('two runs at once: the second is refused with the holder and expiry (exit 7); Ctrl-C pauses (exit 130) and the next run resumes', async (ctx) => {
    const key = 'xnai:migration:two';
    // one batch per request, slowed: the first run is still going when the second starts and when Ctrl-C comes
    const e = env({ MIGRATION_STATE_KEY: key, QDRANT_COLLECTION: 'two', BATCH_SIZE: '200', REQUEST_POINTS: '200' });
    slowDown(ctx, qdrant, 40);
    try {
      const first = spawnCli(cli, ['run'], e, work);
      // wait until the first run has checkpointed at least one batch
      for (let i = 0; i < 200 && !((await state(key))?.processed_vectors ?? 0); i++) await new Promise((r) => setTimeout(r, 50));
      const second = await runCli(cli, ['run'], e, work);
      expect(second.code).toBe(7);
      expect(second.stderr).toMatch(/^xnai-migrate: Migration xnai:migration:two is locked by [^ ]+:\d+:[0-9a-f-]+, expires in \d+s/);
      first.child.kill('SIGINT');
      const r1 = await first.done;
      expect(r1.code).toBe(130);
      expect(r1.stderr).toMatch(/paused; run the same command again to resume/);
      const paused = await state(key);
      expect(paused?.status).toBe('paused');
      expect(paused!.processed_vectors).toBeLessThan(COUNT);

      const status = await runCli(cli, ['status', '--json'], e, work);
      expect(status.code).toBe(0);
      const view = parseJson<StateView>(status.stdout);
      expect(view.state?.status).toBe('paused');
      expect(view.lock).toBeNull();
      const human = await runCli(cli, ['status'], e, work);
      expect(human.stdout).toMatch(new RegExp(`processed: +${paused!.processed_vectors} / ${COUNT} vectors`));
      // which store keeps it, and why
      expect(human.stdout).toMatch(new RegExp(`^  store: +${store.location.source}`, 'm'));
      expect(view.store?.kind).toBe(store.name === 'Redis' ? 'redis' : 'embedded');
    } finally {
      qdrant.faults.reset();
    }
    const resumed = await runCli(cli, ['run'], e, work);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/Resuming at batch \d+ of 100/);
    expect(resumed.stdout).toMatch(`Migrated ${COUNT} of ${COUNT} points into collection "${col('two')}"`);
    expect(await countPoints(qdrant.url, col('two'))).toBe(COUNT);

    // the report reads the same store and says which it is
    const reportFile = join(work, `report-${store.name}.md`);
    const report = await runCli(cli, ['report', '--format', 'md', '--out', reportFile], e, work);
    expect(report.code, report.stderr).toBe(0);
    const md = readFileSync(reportFile, 'utf8').replace(/\\_/g, '_'); // Markdown escapes underscores
    expect(md).toMatch(new RegExp(`state in ${store.location.source}`));
    expect(md).toMatch(/completed/);
    expect(md).toContain('20,000');

    const noYes = await runCli(cli, ['reset'], e, work);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/reset needs confirmation: run it in a terminal, or pass --yes/);
    const reset = await runCli(cli, ['reset', '--yes'], e, work);
    expect(reset.stdout).toMatch(/Deleted the migration state under xnai:migration:two/);
    expect(await state(key)).toBeNull();
  });

  it('SIGKILL at random points twenty times, then a last run: exactly the source points, exact counts', async (ctx) => {
    const key = 'xnai:migration:kill';
    // Small batches (one per request) and slow upserts keep each run's progress to a few batches, so all twenty
    // kills land mid-run whatever the machine's speed (a run that finished before its kill would prove nothing).
    const BATCH = 50;
    const BATCHES = COUNT / BATCH;
    const e = env({ MIGRATION_STATE_KEY: key, QDRANT_COLLECTION: 'kill', BATCH_SIZE: String(BATCH), REQUEST_POINTS: String(BATCH), CONCURRENCY_FACTOR: '3' });
    slowDown(ctx, qdrant, 40);
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let lastProcessed = 0;
    let kills = 0;
    try {
      for (let i = 0; i < 20; i++) {
        const run = spawnCli(cli, ['run', '--quiet'], e, work);
        let exited = false;
        void run.done.then(() => (exited = true));
        // The kill point: a random moment after this run has checkpointed at least once.
        const deadline = Date.now() + 60_000;
        while (!exited && ((await state(key))?.processed_vectors ?? 0) <= lastProcessed) {
          if (Date.now() > deadline) throw new Error(`run ${i} made no progress in 60 s`);
          await new Promise((r) => setTimeout(r, 20));
        }
        await new Promise((r) => setTimeout(r, random() * 150));
        run.child.kill('SIGKILL');
        const r = await run.done;
        if (r.signal === 'SIGKILL') kills++;
        const s = await state(key);
        const processed = s?.processed_vectors ?? 0;
        // progress is never lost and never counted twice
        expect(processed).toBeGreaterThanOrEqual(lastProcessed);
        expect(processed).toBeLessThan(COUNT);
        lastProcessed = processed;
      }
    } finally {
      qdrant.faults.reset();
    }
    expect(kills).toBe(20);
    const last = await runCli(cli, ['run', '--quiet'], e, work);
    expect(last.code, last.stderr).toBe(0);
    const s = (await state(key))!;
    expect(s).toMatchObject({ status: 'completed', processed_vectors: COUNT, failed_vectors: 0, batches_processed: BATCHES, watermark: BATCHES, completed_above: [] });
    const stored = await scrollAll(qdrant.url, col('kill'));
    expect(stored.size).toBe(COUNT);
    const want = new Float32Array(DIM);
    for (let row = 0; row < COUNT; row += 997) {
      vectorFor(row, DIM, want);
      expect(Float32Array.from(stored.get(String(row))!.vector)).toEqual(want);
    }
  }, 180_000);

  it('a point Qdrant cannot take is recorded as failed with its reason; the run completes with exit code 6', async () => {
    const nan = join(work, 'nan.faiss');
    writeFlatIndex(nan, 1000, 8);
    // row 5, component 2 := NaN (header 45 bytes, 8 floats per row)
    const fd = openSync(nan, 'r+');
    const b = Buffer.alloc(4);
    b.writeFloatLE(NaN, 0);
    writeSync(fd, b, 0, 4, 45 + (5 * 8 + 2) * 4);
    closeSync(fd);
    const e = env({ FAISS_INDEX_PATH: nan, MIGRATION_STATE_KEY: 'xnai:migration:nan', QDRANT_COLLECTION: 'nan', BATCH_SIZE: '100' });
    const r = await runCli(cli, ['run'], e, work);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stdout).toMatch(`Migrated 999 of 1000 points into collection "${col('nan')}"; 1 failed`);
    expect(r.stderr).toMatch(/WARNING: Point 5 \(FAISS id 5\) failed: vector component 2 is NaN/);
    const status = await runCli(cli, ['status'], e, work);
    expect(status.stdout).toMatch(/failed points: +1/);
    expect(status.stdout).toMatch(/FAISS id 5 \(point 5, batch 0\): vector component 2 is NaN/);
    expect(await countPoints(qdrant.url, col('nan'))).toBe(999);
    const retry = await runCli(cli, ['run', '--retry-failed'], e, work);
    expect(retry.code, retry.stderr).toBe(6);
    expect((await state('xnai:migration:nan'))).toMatchObject({ processed_vectors: 999, failed_vectors: 1 });
  });
});
