/**
 * What every `StateStore` backend must do, as tests any backend can run:
 *
 *   describeStateStore('Redis', async (key) => ({ store: await openStateStore({...target, stateKey: key}), ... }));
 *
 * The factory opens a store for a fresh key (each test uses its own). `corrupt` writes a current document
 * this version cannot read, as another tool would; `processGone` gives a holder string naming a process on
 * this host that no longer exists.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailedPoint, MigrationState, ProgressSample, VerificationResult } from '../../shared/contract';
import { makeHolder } from '../../electron/engine/state/lock-holder';
import { SAMPLES_CAP, type StateStore } from '../../electron/engine/state/types';

export interface StoreUnderTest {
  store: StateStore;
  /** Writes text this version cannot read as the current document (another tool's state). */
  corrupt(text: string): Promise<void>;
}

export type OpenStore = (key: string) => Promise<StoreUnderTest>;

let seq = 0;

export function stateFor(runId: string, over: Partial<MigrationState> = {}): MigrationState {
  const now = new Date().toISOString();
  return {
    status: 'in_progress',
    started_at: now,
    total_vectors: 1000,
    processed_vectors: 0,
    failed_vectors: 0,
    batches_processed: 0,
    last_batch_id: -1,
    last_checkpoint: now,
    completed_at: null,
    version: 1,
    run_id: runId,
    collection: 'c',
    batch_size: 100,
    total_batches: 10,
    watermark: 0,
    completed_above: [],
    source: { path: '/data/x.faiss', size: 1234, mtimeMs: 1, headerSha256: 'ab'.repeat(32) },
    distance: 'Cosine',
    payload_layout: 'raw',
    config: { collection: 'c', batchSize: 100, qdrantApiKey: '(set)' },
    timeline: [{ at: Date.now(), event: 'start' }],
    ...over,
  };
}

const failed = (label: string, batch = 0): FailedPoint => ({ faissId: label, pointId: label, batch, reason: `HTTP 400: point ${label} refused` });

const sample = (at: number): ProgressSample => ({ at, processed: at, failed: 0, pointsPerSec: 10, batchLatencyMs: 5, rssMb: 100, systemAvailableMb: 1000, limitMb: 2000 });

/** A holder naming a process of this host that has exited (the lock a SIGKILLed run leaves). */
function goneHolder(): string {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return `${hostname()}:${r.stdout}:dead-run`;
}

export function describeStateStore(name: string, open: OpenStore): void {
  describe(`StateStore contract: ${name}`, () => {
    const opened: StateStore[] = [];
    const fresh = async (): Promise<StoreUnderTest> => {
      const s = await open(`xnai:migration:contract:${process.pid}:${++seq}`);
      opened.push(s.store);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    it('starts empty, and a checkpoint by the lock holder becomes the current document', async () => {
      const { store } = await fresh();
      expect(await store.readCurrent()).toBeNull();
      expect(await store.lockInfo()).toBeNull();
      const holder = makeHolder('r1');
      expect(await store.acquireLock(holder, 10_000)).toEqual({ ok: true, tookOverFrom: null });
      const state = stateFor('r1', { processed_vectors: 300, batches_processed: 3, watermark: 3 });
      expect(await store.checkpoint(holder, state)).toBe(true);
      expect(await store.readCurrent()).toEqual(state);
      // repeated whole-document writes are harmless
      expect(await store.checkpoint(holder, state)).toBe(true);
      expect(await store.readCurrent()).toEqual(state);
    });

    it('refuses a checkpoint from anyone but the lock holder, and a second holder while the lock is held', async () => {
      const { store } = await fresh();
      const a = makeHolder('a');
      const b = makeHolder('b');
      expect((await store.acquireLock(a, 10_000)).ok).toBe(true);
      const second = await store.acquireLock(b, 10_000);
      expect(second.ok).toBe(false);
      if (!second.ok) {
        expect(second.holder).toBe(a);
        expect(second.ttlMs).toBeGreaterThan(0);
      }
      expect(await store.checkpoint(b, stateFor('b'))).toBe(false);
      expect(await store.readCurrent()).toBeNull();
      expect(await store.renewLock(b, 10_000)).toBe(false);
      expect(await store.renewLock(a, 10_000)).toBe(true);
      await store.releaseLock(b); // not b's: nothing happens
      expect((await store.lockInfo())?.holder).toBe(a);
      await store.releaseLock(a);
      expect(await store.lockInfo()).toBeNull();
      expect((await store.acquireLock(b, 10_000)).ok).toBe(true);
    });

    it('lets a lock expire unless renewed, and takes over a lock whose process is gone', async () => {
      const { store } = await fresh();
      expect((await store.acquireLock('elsewhere:1:x', 150)).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(await store.lockInfo()).toBeNull();
      const dead = goneHolder();
      expect((await store.acquireLock(dead, 60_000)).ok).toBe(true);
      const mine = makeHolder('mine');
      expect(await store.acquireLock(mine, 60_000)).toEqual({ ok: true, tookOverFrom: dead });
    });

    it('keeps failed points with their run: recorded and recovered in the same atomic checkpoint', async () => {
      const { store } = await fresh();
      const holder = makeHolder('r');
      await store.acquireLock(holder, 10_000);
      const state = stateFor('r', { failed_vectors: 3 });
      expect(await store.checkpoint(holder, state, [failed('7'), failed('8'), failed('9223372036854775807', 2)])).toBe(true);
      expect(await store.failedCount('r')).toBe(3);
      expect((await store.readFailed('r', 2)).length).toBe(2);
      const all = await store.readFailed('r');
      expect(all.map((f) => f.faissId).sort()).toEqual(['7', '8', '9223372036854775807']);
      expect(all.find((f) => f.faissId === '8')).toEqual(failed('8'));
      // retry: 8 recovered, 7 still failing (its reason updated)
      const still = { ...failed('7'), reason: 'HTTP 400: still refused' };
      expect(await store.checkpoint(holder, { ...state, failed_vectors: 2, processed_vectors: 1 }, [still], ['8'])).toBe(true);
      const after = await store.readFailed('r');
      expect(after.map((f) => f.faissId).sort()).toEqual(['7', '9223372036854775807']);
      expect(after.find((f) => f.faissId === '7')?.reason).toBe('HTTP 400: still refused');
      // nothing is recorded by a refused checkpoint
      expect(await store.checkpoint(makeHolder('other'), state, [failed('99')])).toBe(false);
      expect(await store.failedCount('r')).toBe(2);
    });

    it('keeps samples in order and halves their resolution when full', async () => {
      const { store } = await fresh();
      await store.pushSamples('r', []);
      expect(await store.readSamples('r')).toEqual([]);
      await store.pushSamples('r', [sample(1), sample(2)]);
      await store.pushSamples('r', [sample(3)]);
      expect((await store.readSamples('r')).map((s) => s.at)).toEqual([1, 2, 3]);
      const many = Array.from({ length: SAMPLES_CAP }, (_, i) => sample(10 + i));
      await store.pushSamples('r', many);
      const kept = await store.readSamples('r');
      expect(kept.length).toBeLessThanOrEqual(SAMPLES_CAP);
      expect(kept.length).toBeGreaterThan(SAMPLES_CAP / 2 - 2);
      expect(kept[0]!.at).toBe(1);
      expect(kept.at(-1)!.at).toBe(10 + SAMPLES_CAP - 1); // the newest is always kept
      expect(kept.map((s) => s.at)).toEqual([...kept.map((s) => s.at)].sort((x, y) => x - y));
    });

    it('stores a run\'s verification with exact big integers', async () => {
      const { store } = await fresh();
      expect(await store.readVerification({ runId: 'r' })).toBeNull();
      const v: VerificationResult = {
        at: new Date().toISOString(),
        collection: 'c',
        runId: 'r',
        passed: false,
        verdict: 'FAIL: payloads',
        checks: [{ name: 'payloads', passed: false, summary: 'faiss_id differs', details: { want: 9223372036854775807n } }],
        durationMs: 12,
      };
      await store.saveVerification(v);
      expect(await store.readVerification({ runId: 'r' })).toEqual(v);
    });

    it('refuses a current document it cannot read, naming the key and how to clear it', async () => {
      const t = await fresh();
      await t.corrupt('{"status": "running", "total": 5}');
      await expect(t.store.readCurrent()).rejects.toThrow(new RegExp(`${t.store.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds a state this version cannot resume .*xnai-migrate reset`));
      await t.corrupt('not json');
      await expect(t.store.readCurrent()).rejects.toThrow(/does not hold JSON; "xnai-migrate reset" clears it/);
      // and reset does clear it, as the message says
      expect(await t.store.reset()).toBe(true);
      expect(await t.store.readCurrent()).toBeNull();
    });

    it('reset deletes the current document and its run, never another run or the lock', async () => {
      const { store } = await fresh();
      expect(await store.reset()).toBe(false);
      const holder = makeHolder('r');
      await store.acquireLock(holder, 10_000);
      await store.checkpoint(holder, stateFor('old', { status: 'completed', started_at: '2024-01-01T00:00:00.000Z' }), [failed('5')]);
      await store.checkpoint(holder, stateFor('r'), [failed('1')]);
      await store.pushSamples('r', [sample(1)]);
      expect(await store.reset()).toBe(true);
      expect(await store.readCurrent()).toBeNull();
      expect(await store.readRun('r')).toBeNull();
      expect(await store.failedCount('r')).toBe(0);
      expect(await store.readSamples('r')).toEqual([]);
      expect((await store.listRuns()).runs.map((x) => x.run_id)).toEqual(['old']);
      expect(await store.failedCount('old')).toBe(1);
      expect((await store.lockInfo())?.holder).toBe(holder);
    });

    it('keeps every run: a second run replaces the current document and never touches the first', async () => {
      const { store } = await fresh();
      expect(await store.listRuns()).toEqual({ runs: [], unreadable: [] });
      const holder = makeHolder('h');
      await store.acquireLock(holder, 10_000);
      const first = stateFor('first', { started_at: '2024-05-01T10:00:00.000Z', status: 'completed', completed_at: '2024-05-01T10:05:00.000Z', processed_vectors: 1000 });
      await store.checkpoint(holder, first, [failed('3')]);
      await store.pushSamples('first', [sample(1), sample(2)]);
      await store.saveVerification({ at: '2024-05-01T10:06:00.000Z', collection: 'c', runId: 'first', passed: true, verdict: 'PASS', checks: [], durationMs: 1 });
      const second = stateFor('second', { started_at: '2024-05-02T10:00:00.000Z', collection: 'other' });
      await store.checkpoint(holder, second);
      expect((await store.readCurrent())?.run_id).toBe('second');
      const { runs } = await store.listRuns();
      expect(runs.map((r) => r.run_id)).toEqual(['second', 'first']);
      expect(await store.readRun('first')).toEqual(first);
      expect(await store.failedCount('first')).toBe(1);
      expect(await store.failedCount('second')).toBe(0);
      expect((await store.readSamples('first')).length).toBe(2);
      expect((await store.readVerification({ runId: 'first' }))?.verdict).toBe('PASS');
      expect(await store.readVerification({ runId: 'second' })).toBeNull();
      // the first run resumed later keeps its id and place
      await store.checkpoint(holder, { ...first, status: 'in_progress' });
      expect((await store.listRuns()).runs.map((r) => r.run_id)).toEqual(['second', 'first']);
      expect((await store.readCurrent())?.run_id).toBe('first');
      expect(await store.listRuns(1)).toMatchObject({ runs: [{ run_id: 'second' }] });
    });

    it('a refused start is kept in the history without touching the current document', async () => {
      const { store } = await fresh();
      const holder = makeHolder('h');
      await store.acquireLock(holder, 10_000);
      const done = stateFor('done', { status: 'completed', started_at: '2024-05-01T10:00:00.000Z' });
      await store.checkpoint(holder, done);
      const refused = stateFor('refused', { status: 'failed', never_started: true, error: 'collection "c" holds 8-dimensional vectors but the index has 16' });
      await store.recordRun(refused);
      expect(await store.readCurrent()).toEqual(done);
      expect(await store.readRun('refused')).toEqual(refused);
      expect((await store.listRuns()).runs.map((r) => r.run_id)).toEqual(['refused', 'done']);
    });

    it('deletes one run with its data; the current document only when it is that run\'s', async () => {
      const { store } = await fresh();
      const holder = makeHolder('h');
      await store.acquireLock(holder, 10_000);
      await store.checkpoint(holder, stateFor('a', { started_at: '2024-05-01T10:00:00.000Z' }), [failed('1')]);
      await store.pushSamples('a', [sample(1)]);
      await store.saveVerification({ at: '2024-05-01T10:06:00.000Z', collection: 'c', runId: 'a', passed: false, verdict: 'FAIL', checks: [], durationMs: 1 });
      await store.checkpoint(holder, stateFor('b', { started_at: '2024-05-02T10:00:00.000Z' }));
      expect(await store.deleteRun('a')).toBe(true);
      expect(await store.readRun('a')).toBeNull();
      expect(await store.failedCount('a')).toBe(0);
      expect(await store.readSamples('a')).toEqual([]);
      expect(await store.readVerification({ runId: 'a' })).toBeNull();
      expect((await store.readCurrent())?.run_id).toBe('b');
      expect(await store.deleteRun('a')).toBe(false);
      expect(await store.deleteRun('b')).toBe(true);
      expect(await store.readCurrent()).toBeNull();
      expect(await store.listRuns()).toEqual({ runs: [], unreadable: [] });
    });

    it('keeps a verification of a collection no run wrote apart from every run', async () => {
      const { store } = await fresh();
      const v: VerificationResult = { at: new Date().toISOString(), collection: 'theirs', runId: null, passed: true, verdict: 'PASS', checks: [], durationMs: 3 };
      await store.saveVerification(v);
      expect(await store.readVerification({ collection: 'theirs' })).toEqual(v);
      expect(await store.readVerification({ collection: 'c' })).toBeNull();
      expect(await store.readVerification({ runId: 'theirs' })).toBeNull();
    });

    it('names where it lives without secrets', async () => {
      const { store } = await fresh();
      expect(store.location.length).toBeGreaterThan(0);
      expect(store.location).not.toMatch(/password|secret/i);
    });
  });
}
