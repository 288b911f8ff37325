/**
 * `openFaissIndex(path)`: a streaming reader over any FAISS index file the project supports. Opening runs
 * pass 1 (./parse) and refuses bad files before any vector is produced; batches are then read with positional
 * reads (./stream), so memory stays O(batch) whatever the index size. No native addon: FAISS's byte layout
 * is read directly (see docs/faiss.md for the supported types).
 */
import { closeSync, openSync, fstatSync } from 'node:fs';
import { endianness } from 'node:os';
import type { IndexSummary } from '../../../shared/contract';
import type { DataFile, ParsedIndex } from './layout';
import { parseFile } from './parse';
import { LabelMapCache, VectorFiller } from './stream';
import { summarize } from './summary';
import { FaissFormatError, type FaissIndexReader, type LabelBatch, type OpenOptions, type ReadOptions, type VectorBatch } from './types';

export { FaissFormatError } from './types';
export type { FaissIndexReader, LabelBatch, VectorBatch, ReadOptions, OpenOptions } from './types';

export async function openFaissIndex(path: string, _options: OpenOptions = {}): Promise<FaissIndexReader> {
  if (endianness() !== 'LE') throw new Error('the FAISS reader needs a little-endian machine (FAISS files are written in native order)');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder, not a FAISS file' : `cannot open (${code ?? String(e)})`;
    throw new FaissFormatError(path, 'file', null, reason);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new FaissFormatError(path, 'file', null, 'is a folder, not a FAISS index file');
    if (!st.isFile()) throw new FaissFormatError(path, 'file', null, 'is not a regular file');
    const main: DataFile = { fd, path, size: st.size };
    const parsed = parseFile(main);
    return new Reader(path, main, parsed);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

class Reader implements FaissIndexReader {
  readonly summary: IndexSummary;
  readonly details: string[];
  private readonly maps: LabelMapCache;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly main: DataFile,
    private readonly parsed: ParsedIndex,
  ) {
    this.summary = summarize(parsed, main.size);
    this.details = parsed.details;
    this.maps = new LabelMapCache(main);
  }

  private range(start: number, end: number): [number, number] {
    const n = this.parsed.ntotal;
    if (!Number.isInteger(start) || start < 0) throw new RangeError(`start must be a non-negative integer, got ${start}`);
    if (!Number.isInteger(end) || end < 0) throw new RangeError(`end must be a non-negative integer, got ${end}`);
    const s = Math.min(start, n);
    return [s, Math.max(s, Math.min(end, n))];
  }

  private filler(): VectorFiller {
    if (this.closed) throw new Error(`${this.path}: reader is closed`);
    return new VectorFiller(this.parsed, this.main, this.maps);
  }

  async *batches(options: { batchSize: number; start?: number; end?: number } & ReadOptions): AsyncIterable<VectorBatch> {
    const { batchSize, reuseBuffers = false } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const [start, end] = this.range(options.start ?? 0, options.end ?? this.parsed.ntotal);
    const d = this.parsed.d;
    const filler = this.filler();
    const firstSize = Math.min(batchSize, end - start);
    const shared = reuseBuffers ? { vectors: new Float32Array(firstSize * d), ids: new BigInt64Array(firstSize) } : null;
    for (let s = start; s < end; s += batchSize) {
      const count = Math.min(batchSize, end - s);
      const vectors = shared ? shared.vectors.subarray(0, count * d) : new Float32Array(count * d);
      const ids = shared ? shared.ids.subarray(0, count) : new BigInt64Array(count);
      await filler.fill(s, count, vectors, ids);
      yield { start: s, count, dimension: d, ids, vectors };
    }
  }

  async *labels(options: { batchSize: number; start?: number; end?: number }): AsyncIterable<LabelBatch> {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const [start, end] = this.range(options.start ?? 0, options.end ?? this.parsed.ntotal);
    const filler = this.filler();
    for (let s = start; s < end; s += batchSize) {
      const count = Math.min(batchSize, end - s);
      const ids = new BigInt64Array(count);
      await filler.fillLabels(s, count, ids);
      yield { start: s, count, ids };
    }
  }

  async readRange(start: number, count: number): Promise<VectorBatch> {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    const [s, e] = this.range(start, start + count);
    const n = e - s;
    const d = this.parsed.d;
    const vectors = new Float32Array(n * d);
    const ids = new BigInt64Array(n);
    await this.filler().fill(s, n, vectors, ids);
    return { start: s, count: n, dimension: d, ids, vectors };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.parsed.dataFiles) closeSync(f.fd);
    closeSync(this.main.fd);
  }
}
