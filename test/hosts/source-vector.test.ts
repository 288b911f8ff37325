/**
 * The FAISS vector shown beside a Qdrant point: found from the run's Redis state (fingerprinted file,
 * batch size) and the point's payload (exact label, batch number), read with the real FAISS reader from a
 * fixture written by faiss 1.15.1, compared with FAISS's own reconstruct output.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceVectorFor } from '../../electron/engine/browse/source-vector';
import { shortestFloat32 } from '../../electron/engine/float32';
import { openFaissIndex } from '../../electron/engine/faiss';
import { fingerprintFile } from '../../electron/engine/source/fingerprint';
import type { PointView, StateView } from '../../shared/contract';

const FILE = resolve('test/fixtures/faiss/v1_15/idmap2_flat.faiss');
const TRUTH = JSON.parse(readFileSync(resolve('test/fixtures/faiss/v1_15/idmap2_flat.truth.json'), 'utf8')) as { labels: string[]; d: number; vectors_f32le_b64: string };
const truthVectors = new Float32Array(new Uint8Array(Buffer.from(TRUTH.vectors_f32le_b64, 'base64')).buffer);
const truthRow = (row: number) => Array.from(truthVectors.subarray(row * TRUTH.d, (row + 1) * TRUTH.d), shortestFloat32);

async function stateFor(overrides: Partial<{ size: number; headerSha256: string }> = {}): Promise<StateView> {
  const fp = await fingerprintFile(FILE);
  return {
    key: 'k',
    lock: null,
    failedPoints: [],
    failedTotal: 0,
    state: {
      status: 'completed', started_at: '', total_vectors: 200, processed_vectors: 200, failed_vectors: 0, batches_processed: 20, last_batch_id: 19, last_checkpoint: '', completed_at: null,
      version: 1, run_id: 'r', collection: 'c', batch_size: 10, total_batches: 20, watermark: 20, completed_above: [],
      source: { ...fp, ...overrides }, distance: 'Euclid', payload_layout: 'raw', config: { faissIndexPath: FILE }, timeline: [],
    },
  };
}

const deps = (view: StateView) => ({ stateView: async () => view, openIndex: (p: string) => openFaissIndex(p), fingerprint: fingerprintFile });
const point = (row: number, payload: Record<string, unknown>): PointView => ({ id: TRUTH.labels[row]!.startsWith('-') ? '00000000-0000-5000-8000-000000000000' : TRUTH.labels[row]!, payload, vector: null });

describe('FAISS vector beside a point', () => {
  it('finds the label in its batch and returns the exact float32 values', async () => {
    const row = 57;
    const r = await sourceVectorFor(point(row, { faiss_id: TRUTH.labels[row], batch_num: 5 }), deps(await stateFor()));
    expect(r.sourceVector).toEqual(truthRow(row));
    expect(r.sourceNote).toContain(`FAISS label ${TRUTH.labels[row]}`);
  });

  it('reads the label and batch from _xnai in the framework layouts (a user\'s own faiss_id is not the label)', async () => {
    const row = 57;
    const r = await sourceVectorFor(point(row, { faiss_id: 'user value', _xnai: { faiss_id: TRUTH.labels[row], batch_num: 5 } }), deps(await stateFor()));
    expect(r.sourceVector).toEqual(truthRow(row));
  });

  it('falls back to scanning when the batch hint is wrong, with labels beyond 2^53 and negative ones', async () => {
    for (const label of ['9223372036854775807', '9007199254740993', TRUTH.labels.find((l) => l.startsWith('-'))!]) {
      const row = TRUTH.labels.indexOf(label);
      expect(row).toBeGreaterThanOrEqual(0);
      const r = await sourceVectorFor(point(row, { faiss_id: label, batch_num: 0 }), deps(await stateFor()));
      expect(r.sourceVector).toEqual(truthRow(row));
    }
  });

  it('says why when there is no vector to show', async () => {
    const changed = await sourceVectorFor(point(3, { faiss_id: TRUTH.labels[3] }), deps(await stateFor({ size: 1 })));
    expect(changed).toEqual({ sourceVector: null, sourceNote: expect.stringContaining('changed since the run') });
    const missing = await sourceVectorFor(point(3, { faiss_id: '123' }), deps(await stateFor()));
    expect(missing.sourceNote).toBe(`FAISS label 123 is not in ${FILE}`);
    const noState = await sourceVectorFor(point(3, { faiss_id: TRUTH.labels[3] }), { ...deps(await stateFor()), stateView: async () => ({ key: 'xnai:k', state: null, lock: null, failedPoints: [], failedTotal: 0 }) });
    expect(noState.sourceNote).toContain('no migration state under "xnai:k"');
    const noLabel = await sourceVectorFor({ id: 'abc', payload: {}, vector: null }, deps(await stateFor()));
    expect(noLabel.sourceNote).toContain('no faiss_id');
  });

  it('prints float32 in the shortest digits that read back exactly', () => {
    for (const x of [0.1, -5.818188190460205, 1e-30, 3.4028234663852886e38, 123456.789]) {
      const f = Math.fround(x);
      const s = shortestFloat32(f);
      expect(Math.fround(s)).toBe(f);
      expect(String(s).replace(/^-/, '').replace('.', '').replace(/e.*$/, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
  });
});
