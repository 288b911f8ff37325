/**
 * `xnai-migrate runs`, `runs show | delete | resume` and `report --run` as a user runs them (the bundled CLI
 * as a child process, a real redis-server, the Qdrant stand-in or the real Qdrant under test:live): two
 * migrations listed, one shown, exported and deleted; an interrupted run resumed by id after another run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunList } from '../../shared/contract';
import { parseJson } from '../../shared/json';
import { Redis } from 'ioredis';
import type { ReportData } from '../../electron/engine/report/data';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant/index';
import { bundleCli, runCli, spawnCli } from '../engine/support/cli';
import { writeFlatIndex } from '../engine/support/flat-index';
import { countPoints } from '../engine/support/qdrant-read';

const FIXTURES = join(process.cwd(), 'test/fixtures');
const FLAT = join(FIXTURES, 'faiss/v1_15/flat_l2.faiss');
const LANGCHAIN = join(FIXTURES, 'stores/langchain-py');
const KEY = 'xnai:migration:faiss_to_qdrant';

let cli: string;
let redis: TestRedis;
let qdrant: TestQdrant;
let work: string;
const tag = `${process.pid}_${Date.now()}`;

beforeAll(async () => {
  [cli, redis, qdrant] = await Promise.all([bundleCli(), startRedis(), startQdrant()]);
  work = mkdtempSync(join(tmpdir(), 'xnai-runs-cli-'));
}, 120_000);
afterAll(async () => {
  await Promise.all([redis?.dispose(), qdrant?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

function env(over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { QDRANT_URL: qdrant.url, QDRANT_API_KEY: qdrant.apiKey, REDIS_HOST: redis.host, REDIS_PORT: String(redis.port), DISTANCE: 'Euclid', LOG_DIR: join(work, 'logs'), ...over };
}

const xnai = (args: string[], over: Record<string, string | undefined> = {}) => runCli(cli, args, env(over), work);

async function runList(): Promise<RunList> {
  const r = await xnai(['runs', '--json']);
  expect(r.code).toBe(0);
  return parseJson<RunList>(r.stdout);
}

describe('xnai-migrate runs', () => {
  let first: string;
  let second: string;

  it('lists two migrations, newest first, for a human and as JSON', async () => {
    expect((await xnai(['run', '--quiet', FLAT], { QDRANT_COLLECTION: `flat_${tag}` })).code).toBe(0);
    expect((await xnai(['run', '--quiet', LANGCHAIN], { QDRANT_COLLECTION: `docs_${tag}` })).code).toBe(0);
    const list = await runList();
    expect(list.runs).toHaveLength(2);
    [second, first] = list.runs.map((r) => r.runId) as [string, string];
    expect(list.runs[1]).toMatchObject({ collection: `flat_${tag}`, processed: 200, status: 'completed', current: false });
    expect(list.runs[0]).toMatchObject({ collection: `docs_${tag}`, processed: 7, status: 'completed', current: true });

    const human = await xnai(['runs']);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toBe(`Runs under ${KEY} (Redis at ${redis.host}:${redis.port} db 0), newest first:`);
    expect(lines[1]).toMatch(/^ {2}RUN +STATE +STARTED +DURATION +POINTS +FAILED +COLLECTION +VERIFIED +SOURCE$/);
    expect(lines[2]).toMatch(new RegExp(`^  ${second} \\* +completed +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +\\d+s +7/7 +0 +docs_${tag} +- +${LANGCHAIN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
    expect(lines[3]).toMatch(new RegExp(`^  ${first} +completed .* 200/200 +0 +flat_${tag} +- +.*flat_l2\\.faiss$`));
  });

  it('shows one run as recorded, and report --run exports it with its own collection', async () => {
    const show = await xnai(['runs', 'show', first]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Run ${first}: completed`);
    expect(show.stdout).toMatch(/ {2}points: {6}200 \/ 200 migrated, 0 failed; batches 1 \/ 1 of 500/);
    expect(show.stdout).toMatch(/ {2}peak RSS: {4}\d+ MB \(\d+ samples\)/);
    expect(show.stdout).toMatch(/timeline:\n.*start: 200 vectors in 1 batches of 500\n(.*\n)*.*end: 200 migrated, 0 failed/);

    const out = join(work, 'first.json');
    const rep = await xnai(['report', '--run', first, '--format', 'json', '--out', out]);
    expect(rep.code).toBe(0);
    const data = parseJson<ReportData>(readFileSync(out, 'utf8'));
    expect(data.runId).toBe(first);
    expect(data.target.collection).toBe(`flat_${tag}`);
    expect(data.totals).toMatchObject({ processed: 200, status: 'completed' });
    expect(data.totals?.peakRssMb).toBeGreaterThan(0);

    const unknown = await xnai(['report', '--run', 'no-such-run', '--format', 'md', '--out', join(work, 'x.md')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`xnai-migrate: no run no-such-run under ${KEY}: "xnai-migrate runs" lists the runs kept there\n`);
  });

  it('delete asks first (or --yes), removes that run only, and leaves Qdrant alone', async () => {
    const asked = await xnai(['runs', 'delete', first]);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toBe('xnai-migrate: deleting a run needs confirmation: run it in a terminal, or pass --yes\n');
    const del = await xnai(['runs', 'delete', first, '--yes']);
    expect(del).toMatchObject({ code: 0, stdout: `Deleted run ${first}.\n` });
    expect((await runList()).runs.map((r) => r.runId)).toEqual([second]);
    expect(await countPoints(qdrant.url, `flat_${tag}`)).toBe(200);
    const again = await xnai(['runs', 'delete', first, '--yes']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`no run ${first} under ${KEY}`);
  });

  it('resume <id> continues an interrupted run after another run, under its own id', async () => {
    const big = join(work, 'big.faiss');
    writeFlatIndex(big, 20_000, 16);
    const collection = `big_${tag}`;
    // one 100-point batch per request: Ctrl-C comes with most of the 200 requests still to send
    const { child, done } = spawnCli(cli, ['run', big, '--batch-size', '100', '--request-points', '100'], env({ QDRANT_COLLECTION: collection }), work);
    // Ctrl-C once some batches are in: the run pauses cleanly and exits 130
    for (let i = 0; i < 400 && (await runList()).runs.find((r) => r.collection === collection && r.processed > 0) === undefined; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const paused = (await runList()).runs.find((r) => r.collection === collection)!;
    expect(paused).toMatchObject({ status: 'paused', resumable: true, active: false });
    expect(paused.processed).toBeLessThan(20_000);

    expect((await xnai(['run', '--quiet', FLAT], { QDRANT_COLLECTION: `other_${tag}` })).code).toBe(0);
    const human = await xnai(['runs']);
    expect(human.stdout).toMatch(new RegExp(`  ${paused.runId} +paused +`));

    const resumed = await xnai(['runs', 'resume', paused.runId, '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Migrated 20000 of 20000 points into collection "${collection}"`);
    const after = (await runList()).runs.find((r) => r.runId === paused.runId)!;
    expect(after).toMatchObject({ status: 'completed', processed: 20_000, failed: 0, current: true });
    expect(await countPoints(qdrant.url, collection)).toBe(20_000);
  });

  it('reset clears a state this version cannot read, as its message says, and keeps the other runs', async () => {
    const key = `xnai:migration:foreign_${tag}`;
    const raw = new Redis({ host: redis.host, port: redis.port });
    try {
      await raw.set(key, JSON.stringify({ status: 'running', total: 5 }));
      const status = await xnai(['status'], { MIGRATION_STATE_KEY: key });
      expect(status.code).toBe(3);
      expect(status.stderr).toContain(`the Redis key ${key} holds a state this version cannot resume`);
      expect(status.stderr).toContain('"xnai-migrate reset" clears it');
      const reset = await xnai(['reset', '--yes'], { MIGRATION_STATE_KEY: key });
      expect(reset).toMatchObject({ code: 0, stdout: `Deleted the migration state under ${key}.\n` });
      expect(await raw.exists(key)).toBe(0);
      // the default key's runs are another migration's: untouched
      expect((await runList()).runs.length).toBeGreaterThan(0);
    } finally {
      raw.disconnect();
    }
  });

  it('an unreachable Redis is one line naming it, exit 4', async () => {
    const r = await xnai(['runs'], { REDIS_PORT: '9' });
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^xnai-migrate: .*Redis at ${redis.host}:9`));
  });
});
