/**
 * Fuzz: thousands of random byte mutations and truncations of valid files of every layout. Each mutated file
 * must either be read through to the end (every batch the size the summary promises) or be refused with the
 * reader's own FaissFormatError: never another exception, a hang, or memory sized by a corrupted count.
 * Seeded, so a failure names the seed and iteration that reproduce it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaissFormatError, openFaissIndex } from '../../electron/engine/faiss';
import { FIXTURES } from './fixtures';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 3000);

const SOURCES = [
  'flat_l2', 'flat_l1', 'idmap_flat', 'hnsw_flat_ip', 'idmap2_hnsw', 'ivfflat_full', 'ivfflat_sparse', 'idmap_ivfflat',
  'ivfflat_ondisk', 'sq_6bit', 'sq_4bit_uniform', 'sq_bf16', 'pq_6bit', 'pq_legacy_IxPQ', 'ivfsq_8bit_residual',
  'ivfsq_legacy_IwSQ', 'ivfpq_8bit', 'refine_flat_pq', 'hnsw_pq',
];

/** mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXTREMES = [0n, 1n, 0xffn, 0xffffffffn, 2n ** 31n, 2n ** 53n, 2n ** 62n, 2n ** 64n - 1n];

function mutate(src: Buffer, r: () => number): Buffer {
  const b = Buffer.from(src);
  const kind = Math.floor(r() * 5);
  // Structure lives mostly in the first few hundred bytes and around the IVF/IDMap tables: bias there.
  const pos = () => (r() < 0.6 ? Math.floor(r() * Math.min(b.length, 400)) : Math.floor(r() * b.length));
  switch (kind) {
    case 0: // truncate
      return b.subarray(0, Math.floor(r() * b.length));
    case 1: // flip a few bytes
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) b[pos()] = Math.floor(r() * 256);
      return b;
    case 2: {
      // plant an extreme 64-bit count
      const at = Math.min(pos(), b.length - 8);
      if (at >= 0) b.writeBigUInt64LE(EXTREMES[Math.floor(r() * EXTREMES.length)]!, at);
      return b;
    }
    case 3: {
      // plant an extreme 32-bit value (dimension, metric, qtype, list number)
      const at = Math.min(pos(), b.length - 4);
      if (at >= 0) b.writeInt32LE([0, -1, 1, 2, 7, 9, 25, 2 ** 30, -(2 ** 31)][Math.floor(r() * 9)]!, at);
      return b;
    }
    default: {
      // cut a chunk out of the middle
      const a = pos();
      const len = 1 + Math.floor(r() * 16);
      return Buffer.concat([b.subarray(0, a), b.subarray(a + len)]);
    }
  }
}

describe('fuzz: mutated FAISS files are read or refused, never crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xnai-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`${ITERATIONS} mutations (seed ${SEED})`, async () => {
    const sources = SOURCES.map((n) => ({ name: n, bytes: readFileSync(join(FIXTURES, 'v1_15', `${n}.faiss`)) }));
    // On-disk lists look for their data file beside the index: give the mutated copies one.
    writeFileSync(join(dir, 'ivfflat_ondisk.ivfdata'), readFileSync(join(FIXTURES, 'v1_15', 'ivfflat_ondisk.ivfdata')));
    const r = rng(SEED);
    const rssStart = process.memoryUsage().rss;
    let refused = 0;
    let read = 0;
    let slowest = 0;
    for (let it = 0; it < ITERATIONS; it++) {
      const src = sources[Math.floor(r() * sources.length)]!;
      const bytes = mutate(src.bytes, r);
      const path = join(dir, src.name === 'ivfflat_ondisk' ? 'ivfflat_ondisk.faiss' : 'case.faiss');
      writeFileSync(path, bytes);
      const started = performance.now();
      try {
        const reader = await openFaissIndex(path);
        try {
          const { count, dimension } = reader.summary;
          expect(Number.isSafeInteger(count) && count >= 0).toBe(true);
          let n = 0;
          for await (const b of reader.batches({ batchSize: 64, reuseBuffers: true })) {
            expect(b.start).toBe(n);
            expect(b.vectors.length).toBe(b.count * dimension);
            expect(b.ids.length).toBe(b.count);
            n += b.count;
          }
          expect(n).toBe(count);
          read++;
        } finally {
          await reader.close();
        }
      } catch (e) {
        if (!(e instanceof FaissFormatError)) {
          throw new Error(`seed ${SEED} iteration ${it} (${src.name}, ${bytes.length} bytes): ${(e as Error).stack ?? String(e)}`);
        }
        expect(e.message).not.toContain('\n');
        refused++;
      }
      slowest = Math.max(slowest, performance.now() - started);
    }
    // Bounded: no single file takes long, memory does not balloon.
    expect(slowest).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rssStart).toBeLessThan(200 * 1024 * 1024);
    expect(read).toBeGreaterThan(ITERATIONS / 20);
    expect(refused).toBeGreaterThan(ITERATIONS / 5);
    console.log(`fuzz: ${read} read, ${refused} refused, slowest ${slowest.toFixed(1)} ms`);
  });
});
