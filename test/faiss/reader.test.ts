/**
 * The reader against every fixture real FAISS (1.15.1 and 1.7.3) wrote: summary fields, every label exactly
 * once and in stream order, vectors equal to FAISS's own reconstruct (bit-exact for flat storage, within
 * 1e-5 relative for quantized codes), batches starting anywhere, readRange, reused buffers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openFaissIndex, type VectorBatch } from '../../electron/engine/faiss';
import { ivfReadTuning } from '../../electron/engine/faiss/stream';
import { IndexSummarySchema } from '../../shared/contract';
import { allFixtures, closeEnough, type Truth } from './fixtures';

const EXPECTED_TYPES: Record<string, string> = {
  IxF2: 'IndexFlatL2',
  IxFI: 'IndexFlatIP',
  IxFl: 'IndexFlat',
  IxMp: 'IndexIDMap(',
  IxM2: 'IndexIDMap2(',
  IHNf: 'IndexHNSWFlat',
  IHNs: 'IndexHNSWSQ',
  IHNp: 'IndexHNSWPQ',
  IwFl: 'IndexIVFFlat',
  IwSq: 'IndexIVFScalarQuantizer',
  IwSQ: 'IndexIVFScalarQuantizer',
  IxSQ: 'IndexScalarQuantizer',
  IxPq: 'IndexPQ',
  IxPQ: 'IndexPQ',
  IxPo: 'IndexPQ',
  IwPQ: 'IndexIVFPQ',
  IxRF: 'IndexRefineFlat(IndexPQ)',
};

function compareRows(t: Truth, batch: VectorBatch, firstOrdinal: number): void {
  const d = t.d;
  expect(batch.dimension).toBe(d);
  expect(batch.vectors.length).toBe(batch.count * d);
  expect(batch.ids.length).toBe(batch.count);
  for (let r = 0; r < batch.count; r++) {
    const o = firstOrdinal + r;
    expect(batch.ids[r], `${t.name} label at ordinal ${o}`).toBe(t.labels[o]);
    for (let i = 0; i < d; i++) {
      const got = batch.vectors[r * d + i]!;
      const want = t.vectors[o * d + i]!;
      if (t.exact) {
        if (!Object.is(got, want)) expect(got, `${t.name} ordinal ${o} component ${i}`).toBe(want);
      } else if (!closeEnough(got, want)) {
        expect(got, `${t.name} ordinal ${o} component ${i}`).toBeCloseTo(want, 5);
      }
    }
  }
}

const fixtures = allFixtures();

describe('FAISS reader: every fixture equals FAISS reconstruct', () => {
  it('has fixtures of every supported type from both FAISS versions', () => {
    const codes = new Set(fixtures.map((t) => `${t.version}:${t.fourcc}`));
    for (const v of ['v1_15', 'v1_7']) {
      for (const c of ['IxF2', 'IxFI', 'IxFl', 'IxMp', 'IxM2', 'IHNf', 'IHNs', 'IHNp', 'IwFl', 'IwSq', 'IwSQ', 'IxSQ', 'IxPq', 'IxPQ', 'IxPo', 'IwPQ', 'IxRF']) {
        expect(codes.has(`${v}:${c}`), `${v} ${c}`).toBe(true);
      }
    }
  });

  for (const t of fixtures) {
    it(`${t.version}/${t.name} (${t.fourcc})`, async () => {
      const r = await openFaissIndex(t.path);
      try {
        const s = r.summary;
        expect(IndexSummarySchema.strict().parse(s)).toEqual(s); // every field, nothing extra
        expect(s.fourcc).toBe(t.fourcc);
        expect(s.chain[0]).toBe(t.fourcc);
        expect(s.indexType.startsWith(EXPECTED_TYPES[t.fourcc]!)).toBe(true);
        expect(s.dimension).toBe(t.d);
        expect(s.count).toBe(t.ntotal);
        expect(s.metric).toBe(t.metric);
        expect(s.exact).toBe(t.exact);
        expect(s.qdrantBytesEstimate).toBeGreaterThanOrEqual(t.ntotal * t.d * 4);
        expect(s.fileSize).toBeGreaterThan(0);

        // Whole stream, odd batch size so batches straddle IVF lists.
        const seen = new Set<bigint>();
        let next = 0;
        for await (const b of r.batches({ batchSize: 37 })) {
          expect(b.start).toBe(next);
          compareRows(t, b, b.start);
          for (const id of b.ids) seen.add(id);
          next += b.count;
        }
        expect(next).toBe(t.ntotal);
        expect(seen.size).toBe(t.ntotal); // every label exactly once

        // Start at any ordinal, end before the end.
        if (t.ntotal > 0) {
          const start = Math.floor(t.ntotal / 3) + 1;
          const end = t.ntotal - 5;
          let at = start;
          for await (const b of r.batches({ batchSize: 16, start, end })) {
            expect(b.start).toBe(at);
            compareRows(t, b, at);
            at += b.count;
          }
          expect(at).toBe(end);
        }

        // Labels alone, without vectors, from any ordinal.
        const labelStart = Math.floor(t.ntotal / 4);
        let lat = labelStart;
        for await (const lb of r.labels!({ batchSize: 29, start: labelStart })) {
          expect(lb.start).toBe(lat);
          expect([...lb.ids]).toEqual(t.labels.slice(lat, lat + lb.count));
          lat += lb.count;
        }
        expect(lat).toBe(t.ntotal);

        // readRange, clamped to the index.
        const tail = await r.readRange(Math.max(0, t.ntotal - 7), 50);
        expect(tail.count).toBe(Math.min(7, t.ntotal));
        compareRows(t, tail, tail.start);
        const beyond = await r.readRange(t.ntotal + 10, 5);
        expect(beyond.count).toBe(0);

        // Reused buffers: same content, one buffer.
        const buffers = new Set<ArrayBufferLike>();
        let n = 0;
        for await (const b of r.batches({ batchSize: 64, reuseBuffers: true })) {
          buffers.add(b.vectors.buffer);
          compareRows(t, b, b.start);
          n += b.count;
        }
        expect(n).toBe(t.ntotal);
        expect(buffers.size).toBeLessThanOrEqual(1);
      } finally {
        await r.close();
      }
    });
  }
});

describe('FAISS reader: IVF pieces read one by one as well as in shared spans', () => {
  const saved = { ...ivfReadTuning };
  afterEach(() => Object.assign(ivfReadTuning, saved));
  const ivf = fixtures.filter((t) => t.fourcc.startsWith('Iw') || t.name.includes('ivf'));

  it('gives the same vectors and labels when every piece is read straight into the batch', async () => {
    Object.assign(ivfReadTuning, { directRead: 1, spanSlack: 0, maxSpan: 1 });
    expect(ivf.length).toBeGreaterThan(10);
    for (const t of ivf) {
      const r = await openFaissIndex(t.path);
      for await (const b of r.batches({ batchSize: 45, start: 3 })) compareRows(t, b, b.start);
      await r.close();
    }
  });
});

describe('FAISS reader: details', () => {
  it('keeps labels beyond 2^53 and negative labels exact', async () => {
    const t = fixtures.find((f) => f.name === 'idmap2_flat' && f.version === 'v1_15')!;
    const r = await openFaissIndex(t.path);
    const all = await r.readRange(0, t.ntotal);
    await r.close();
    const ids = new Set(all.ids);
    for (const v of [2n ** 53n + 1n, 2n ** 62n + 12345n, 2n ** 63n - 1n, -1n, -(2n ** 63n), -(2n ** 53n) - 3n]) {
      expect(ids.has(v), String(v)).toBe(true);
    }
  });

  it('reports on-disk list data files and chains', async () => {
    const t = fixtures.find((f) => f.name === 'ivfflat_ondisk' && f.version === 'v1_15')!;
    const r = await openFaissIndex(t.path);
    await r.close();
    expect(r.summary.chain).toEqual(['IwFl', 'ilod']);
    expect(r.summary.dataFiles).toHaveLength(1);
    expect(r.summary.dataFiles[0]!.endsWith('ivfflat_ondisk.ivfdata')).toBe(true);
  });

  it('warns that quantized vectors are approximations', async () => {
    const t = fixtures.find((f) => f.name === 'ivfpq_8bit' && f.version === 'v1_15')!;
    const r = await openFaissIndex(t.path);
    await r.close();
    expect(r.summary.exact).toBe(false);
    expect(r.summary.warnings.join('\n')).toMatch(/approximations/);
  });

  it('rejects bad batch options', async () => {
    const t = fixtures.find((f) => f.name === 'flat_l2')!;
    const r = await openFaissIndex(t.path);
    await expect(async () => {
      for await (const _ of r.batches({ batchSize: 0 })) void _;
    }).rejects.toThrow(RangeError);
    await expect(async () => {
      for await (const _ of r.batches({ batchSize: 10, start: -1 })) void _;
    }).rejects.toThrow(RangeError);
    await r.close();
  });
});
