/**
 * The real frameworks, end to end (issue 12): stores written by LangChain (langchain-community's FAISS) and
 * LlamaIndex (FaissVectorStore) with awkward documents, migrated with no settings at all, then read only
 * through the frameworks' own Qdrant stores (langchain-qdrant, llama-index-vector-stores-qdrant), compared
 * with a reference collection each framework writes itself on the same server. The Python half is
 * frameworks.py, run in the virtual environment .ci/run makes (.venv-frameworks/); without it the suite
 * skips with one line. Runs against the stand-in in `npm test` and the real Qdrant in `npm run test:live`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationConfigSchema, type MigrationConfig } from '../../shared/contract';
import { createRunController } from '../../electron/engine/migration/index';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant/index';

const PYTHON = resolve('.venv-frameworks/bin/python');
const SCRIPT = resolve('test/frameworks/frameworks.py');
const HAVE_VENV = existsSync(PYTHON);
if (!HAVE_VENV) console.log('test/frameworks skipped: no .venv-frameworks (bash .ci/run, or test/frameworks/setup.sh, makes it)');

let redis: TestRedis;
let qdrant: TestQdrant;
let stores: string;

/** Runs frameworks.py; asynchronous, since the stand-in answering its requests lives in this process. */
function python(...args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(PYTHON, ['-W', 'ignore', SCRIPT, ...args], { env: { ...process.env, PYTHONHASHSEED: '0' }, timeout: 240_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out.trim().split('\n').pop()!) : fail(new Error(`frameworks.py ${args[0]} failed (${code}):\n${err.slice(-3000)}`))));
  });
}

/** A run with nothing but where things are: no DISTANCE, no PAYLOAD_LAYOUT. */
function config(store: string): MigrationConfig {
  return MigrationConfigSchema.parse({
    qdrantUrl: qdrant.url,
    qdrantApiKey: qdrant.apiKey,
    redisHost: redis.host,
    redisPort: redis.port,
    faissIndexPath: join(stores, store),
    collection: `fw_${store.replace(/-/g, '_')}`,
    stateKey: `xnai:migration:fw:${store}`,
    logDir: join(stores, 'logs'),
  });
}

async function migrate(store: string): Promise<{ status: string; exitCode: number; error: string | null; collection: string }> {
  const cfg = config(store);
  const c = createRunController({ progressIntervalMs: 100 });
  try {
    await c.start(cfg);
  } catch (e) {
    return { status: 'refused', exitCode: c.exitCode, error: (e as Error).message, collection: cfg.collection };
  }
  const status = await c.settled();
  return { status, exitCode: c.exitCode, error: c.snapshot().lastError, collection: cfg.collection };
}

interface Report {
  get_by_ids: { asked: number; found: number };
  documents_equal_reference: { compared: number; differences: string[] };
  own_vector_first: { queries: number; first: number };
  top10_equal_faiss: { queries: number; equal: number; examples: unknown[] };
  filter: { migrated: number; reference: number; same: boolean };
  delete: { before: number; after: number; removed_exactly: boolean };
}

describe.skipIf(!HAVE_VENV)('the frameworks read a migrated store as their own', () => {
  beforeAll(async () => {
    [redis, qdrant] = await Promise.all([startRedis(), startQdrant()]);
    stores = mkdtempSync(join(tmpdir(), 'xnai-frameworks-'));
    expect(JSON.parse(await python('write', stores))).toEqual(['lc-collide', 'lc-ip', 'lc-l2', 'li-l2']);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), qdrant?.stop()]);
  });

  it.each([
    // an L2 store of unnormalised vectors, with custom ids (UUID upper case without hyphens, braced, arbitrary
    // and unicode strings) and two deletions, so FAISS labels and docstore order differ
    ['lc-l2', 58, 'Euclid'],
    // inner product over unit vectors
    ['lc-ip', 40, 'Cosine'],
    // LlamaIndex FaissVectorStore, nodes with source relationships and their own `source` metadata
    ['li-l2', 40, 'Euclid'],
  ])('%s: migrated with no settings, read back through the framework\'s own Qdrant store', async (store, count, distance) => {
    const run = await migrate(store);
    expect(run, run.error ?? '').toMatchObject({ status: 'completed', exitCode: 0 });
    const info = (await (await fetch(`${qdrant.url}/collections/${run.collection}`, { headers: qdrant.apiKey ? { 'api-key': qdrant.apiKey } : {} })).json()) as { result: { points_count: number; config: { params: { vectors: { distance: string } } } } };
    expect(info.result.config.params.vectors.distance).toBe(distance);
    expect(info.result.points_count).toBe(count);

    const report = JSON.parse(await python('check', stores, store, qdrant.url, run.collection)) as Report;
    expect(report.get_by_ids).toEqual({ asked: count, found: count });
    expect(report.documents_equal_reference).toEqual({ compared: count, differences: [] });
    expect(report.own_vector_first.first).toBe(report.own_vector_first.queries);
    expect(report.top10_equal_faiss).toMatchObject({ equal: report.top10_equal_faiss.queries, examples: [] });
    expect(report.filter.same).toBe(true);
    expect(report.filter.migrated).toBeGreaterThan(0);
    expect(report.delete).toEqual({ before: count, after: count - 2, removed_exactly: true });
  }, 300_000);

  it('two documents LangChain keeps under two spellings of one UUID are refused before anything is written, naming both', async () => {
    const run = await migrate('lc-collide');
    expect(run.status).toBe('refused');
    expect(run.exitCode).toBe(3);
    expect(run.error).toMatch(/documents "[0-9A-F]{32}" and "[0-9a-f-]{36}" both become point [0-9a-f-]{36}|documents "[0-9a-f-]{36}" and "[0-9A-F]{32}" both become point/);
    const exists = (await (await fetch(`${qdrant.url}/collections/${run.collection}/exists`, { headers: qdrant.apiKey ? { 'api-key': qdrant.apiKey } : {} })).json()) as { result: { exists: boolean } };
    expect(exists.result.exists).toBe(false);
  }, 120_000);
});
