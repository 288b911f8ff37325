/**
 * Files the reader must refuse, each with one line naming the file, the structure and the byte offset, and
 * the on-disk inverted lists' data file lookup (recorded path, then beside the index).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaissFormatError, openFaissIndex } from '../../electron/engine/faiss';
import { BROKEN, FIXTURES, loadTruth } from './fixtures';

async function refusal(path: string): Promise<FaissFormatError> {
  try {
    const r = await openFaissIndex(path);
    await r.close();
  } catch (e) {
    expect(e).toBeInstanceOf(FaissFormatError);
    return e as FaissFormatError;
  }
  throw new Error(`${path} was not refused`);
}

const CASES: [file: string, structure: RegExp, offset: number | null, reason: RegExp][] = [
  ['empty.faiss', /^file$/, 0, /^empty \(0 bytes\), not a FAISS index$/],
  ['not_faiss.faiss', /^file$/, 0, /not a FAISS index file \(it starts with "\{"th"/],
  ['random_bytes.faiss', /^file$/, 0, /not a FAISS index file \(it starts with bytes [0-9a-f ]+,/],
  ['truncated_header.faiss', /IndexFlatL2 \(IxF2\) header/, 16, /file ends at byte 20/],
  ['truncated_data.faiss', /IndexFlatL2 \(IxF2\) vectors/, 37, /claims 320 elements \(1280 bytes\) but only 1180 bytes remain/],
  ['unknown_fourcc.faiss', /^index$/, 0, /unknown index type code "IxQz"/],
  ['absurd_count.faiss', /IndexFlatL2 \(IxF2\) vectors/, 37, /count 4611686018427387904 is absurdly large/],
  ['ntotal_mismatch.faiss', /IndexFlatL2 \(IxF2\) vectors/, 37, /holds 320 floats but the header says 41 vectors × 8 dimensions/],
  ['bad_bool.faiss', /IndexFlatL2 \(IxF2\) header is_trained/, 32, /boolean byte is 7, expected 0 or 1/],
  ['ivf_truncated.faiss', /IndexIVFFlat \(IwFl\) inverted lists \(ilar\) sizes/, null, /claims \d+ vectors, more than the \d+ bytes left/],
  ['ivf_absurd_nlist.faiss', /IndexIVFFlat \(IwFl\) nlist/, 37, /count 1152921504606846976 is absurdly large/],
  ['binary_flat.faiss', /^index$/, 0, /^IndexBinaryFlat \(IBxF\) holds binary codes, which Qdrant cannot store as float vectors$/],
  ['lsh.faiss', /^index$/, 0, /^IndexLSH \(IxHe\) keeps only one bit per dimension/],
  ['pq_fastscan.faiss', /^index$/, 0, /^IndexPQFastScan \(IPfs\)/],
];

describe('broken and unsupported FAISS files are refused in one line', () => {
  for (const [file, structure, offset, reason] of CASES) {
    it(file, async () => {
      const path = join(BROKEN, file);
      const e = await refusal(path);
      expect(e.file).toBe(path);
      expect(e.structure).toMatch(structure);
      if (offset !== null) expect(e.offset).toBe(offset);
      else expect(e.offset).toBeGreaterThan(0);
      expect(e.reason).toMatch(reason);
      expect(e.message).toBe(`${path}: ${e.structure} at byte ${e.offset}: ${e.reason}`);
      expect(e.message).not.toContain('\n');
    });
  }

  it('indexes nested deeper than any real one', async () => {
    // IndexIDMap(IndexIDMap(...)) 20 levels deep: refused at the 17th, before anything else is read.
    const header = Buffer.alloc(33);
    header.writeInt32LE(8, 0);
    header.writeBigInt64LE(1n << 20n, 12);
    header.writeBigInt64LE(1n << 20n, 20);
    header.writeUInt8(1, 28);
    header.writeInt32LE(1, 29);
    const level = Buffer.concat([Buffer.from('IxMp'), header]);
    const dir = mkdtempSync(join(tmpdir(), 'xnai-deep-'));
    try {
      const p = join(dir, 'deep.faiss');
      writeFileSync(p, Buffer.concat(Array.from({ length: 20 }, () => level)));
      const e = await refusal(p);
      expect(e.reason).toBe('indexes nested more than 16 deep');
      expect(e.offset).toBe(17 * level.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file or a folder', async () => {
    const missing = await refusal(join(BROKEN, 'does-not-exist.faiss'));
    expect(missing.reason).toBe('no such file');
    const folder = await refusal(BROKEN);
    expect(folder.reason).toMatch(/folder/);
  });

  it('every truncation of a small HNSW file is refused, never misread', async () => {
    const bytes = readFileSync(join(FIXTURES, 'v1_15', 'hnsw_flat_l2.faiss'));
    const dir = mkdtempSync(join(tmpdir(), 'xnai-trunc-'));
    try {
      const p = join(dir, 'cut.faiss');
      for (const len of [1, 3, 4, 10, 36, 37, 45, 200, bytes.length >> 1, bytes.length - 1]) {
        writeFileSync(p, bytes.subarray(0, len));
        const e = await refusal(p);
        expect(e.offset).not.toBeNull();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('on-disk inverted lists (ilod) find their data file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xnai-ondisk-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(FIXTURES, 'v1_15', 'ivfflat_ondisk.faiss');
  const truth = loadTruth('v1_15', 'ivfflat_ondisk');

  /** Rewrites the data file name recorded in the index (u64 length + bytes). */
  function withRecordedPath(newPath: string): Buffer {
    const b = readFileSync(src);
    const marker = Buffer.from('/xnai-ondisk-');
    const hit = b.indexOf(marker);
    expect(hit).toBeGreaterThan(0);
    // The name starts after its u64 length; find the start by scanning back to a plausible length prefix.
    let start = hit;
    while (start > 8 && Number(b.readBigUInt64LE(start - 8)) !== b.indexOf(Buffer.from('.ivfdata'), hit) + 8 - start) start--;
    const oldLen = Number(b.readBigUInt64LE(start - 8));
    const name = Buffer.from(newPath);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(name.length));
    return Buffer.concat([b.subarray(0, start - 8), len, name, b.subarray(start + oldLen)]);
  }

  it('reads the data file at its recorded path', async () => {
    const dataDir = join(dir, 'elsewhere');
    mkdirSync(dataDir);
    const data = join(dataDir, 'lists.ivfdata');
    copyFileSync(join(FIXTURES, 'v1_15', 'ivfflat_ondisk.ivfdata'), data);
    const idx = join(dir, 'recorded.faiss');
    writeFileSync(idx, withRecordedPath(data));
    const r = await openFaissIndex(idx);
    const all = await r.readRange(0, r.summary.count);
    await r.close();
    expect(r.summary.dataFiles).toEqual([data]);
    expect([...all.ids]).toEqual(truth.labels);
    expect(all.vectors).toEqual(truth.vectors);
  });

  it('refuses with the data file named when it is neither recorded nor beside the index', async () => {
    const lone = join(dir, 'lone');
    mkdirSync(lone);
    copyFileSync(src, join(lone, 'ivfflat_ondisk.faiss'));
    const e = await refusal(join(lone, 'ivfflat_ondisk.faiss'));
    expect(e.structure).toMatch(/inverted lists \(ilod\) data file name/);
    expect(e.reason).toMatch(/ivfflat_ondisk\.ivfdata" was not found \(also looked for ivfflat_ondisk\.ivfdata beside the index\)/);
  });

  it('refuses a data file too short for the lists', async () => {
    const short = join(dir, 'short');
    mkdirSync(short);
    copyFileSync(src, join(short, 'ivfflat_ondisk.faiss'));
    writeFileSync(join(short, 'ivfflat_ondisk.ivfdata'), readFileSync(join(FIXTURES, 'v1_15', 'ivfflat_ondisk.ivfdata')).subarray(0, 100));
    const e = await refusal(join(short, 'ivfflat_ondisk.faiss'));
    expect(e.reason).toMatch(/lies beyond the end of .*ivfflat_ondisk\.ivfdata \(100 bytes\)/);
  });
});
