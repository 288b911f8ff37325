/**
 * Pass 2: fills columnar batches from the layout pass 1 mapped. Flat float storage is read straight into the
 * batch's Float32Array and IDMap labels straight into its BigInt64Array (one positional read each, no copy);
 * quantized codes go through a reused scratch buffer and the decoder. IVF ordinals are found from the
 * cumulative list sizes, so any batch can start anywhere without reading what comes before it.
 */
import { read } from 'node:fs';
import type { DataFile, IvfStore, LabelMap, ParsedIndex, RowStore } from './layout';
import { FaissFormatError } from './types';

function pread(fd: number, buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  return new Promise((res, rej) => read(fd, buf, offset, length, position, (err, n) => (err ? rej(err) : res(n))));
}

/** Fills `buf` from `position`; a short read means the file shrank after pass 1 checked it. */
export async function readExact(file: DataFile, buf: Uint8Array, position: number, structure: string): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    // fs.read takes at most 2 GiB per call.
    const n = await pread(file.fd, buf, done, Math.min(buf.length - done, 1 << 30), position + done);
    if (n === 0) throw new FaissFormatError(file.path, structure, position + done, 'file ended early (was it changed while reading?)');
    done += n;
  }
}

/** Id maps that must be looked up at random (an IDMap around an IVF index), loaded once per reader. */
export class LabelMapCache {
  private loaded = new Map<LabelMap, Promise<BigInt64Array>>();
  constructor(private readonly main: DataFile) {}
  get(map: LabelMap): Promise<BigInt64Array> {
    let p = this.loaded.get(map);
    if (!p) {
      const arr = new BigInt64Array(map.count);
      p = readExact(this.main, new Uint8Array(arr.buffer), map.offset, map.structure).then(() => arr);
      this.loaded.set(map, p);
    }
    return p;
  }
}

/** Reads ordinals into caller-provided arrays. One per iterator: it owns a scratch buffer and a centroid cache. */
export class VectorFiller {
  private scratch = new Uint8Array(0);
  private centroidList = -1;
  private centroid: Float32Array;

  constructor(
    private readonly index: ParsedIndex,
    /** The index file: id maps always live there (on-disk lists only move codes and list ids). */
    private readonly main: DataFile,
    private readonly maps: LabelMapCache,
  ) {
    this.centroid = new Float32Array(index.d);
  }

  async fill(start: number, n: number, vectors: Float32Array, ids: BigInt64Array): Promise<void> {
    if (n === 0) return;
    const { store } = this.index;
    if (store.kind === 'rows') {
      await this.fillRows(store, start, n, vectors, 0);
      await this.rowLabels(start, n, ids);
    } else {
      await this.fillIvf(store, start, n, vectors, ids);
      await this.applyMaps(0, ids, n);
    }
  }

  /** Only the labels of ordinals [start, start+n): no vector bytes are read. */
  async fillLabels(start: number, n: number, ids: BigInt64Array): Promise<void> {
    if (n === 0) return;
    const { store } = this.index;
    if (store.kind === 'rows') {
      await this.rowLabels(start, n, ids);
      return;
    }
    let k = findList(store.starts, start);
    for (let done = 0; done < n; k++) {
      const within = start + done - store.starts[k]!;
      const take = Math.min(n - done, store.size[k]! - within);
      const target = new Uint8Array(ids.buffer, ids.byteOffset + 8 * done, 8 * take);
      await readExact(store.file, target, store.idsOffset[k]! + 8 * within, `${this.index.indexType} inverted list ${store.listNo[k]} ids`);
      done += take;
    }
    await this.applyMaps(0, ids, n);
  }

  private async rowLabels(start: number, n: number, ids: BigInt64Array): Promise<void> {
    const m0 = this.index.labelMaps[0];
    if (!m0) {
      sequentialIds(ids, start, n);
      return;
    }
    // Labels of row i are id_map[i]: one contiguous read into the batch's own BigInt64Array.
    await readExact(this.main, new Uint8Array(ids.buffer, ids.byteOffset, 8 * n), m0.offset + 8 * start, m0.structure);
    await this.applyMaps(1, ids, n);
  }

  private async applyMaps(from: number, ids: BigInt64Array, n: number): Promise<void> {
    for (let k = from; k < this.index.labelMaps.length; k++) await this.applyMap(this.index.labelMaps[k]!, ids, n);
  }

  private async applyMap(map: LabelMap, ids: BigInt64Array, n: number): Promise<void> {
    const table = await this.maps.get(map);
    const count = BigInt(map.count);
    for (let i = 0; i < n; i++) {
      const inner = ids[i]!;
      if (inner < 0n || inner >= count) {
        throw new FaissFormatError(this.main.path, map.structure, null, `inner id ${inner} is not covered by the ${map.count} entries of the id map`);
      }
      ids[i] = table[Number(inner)]!;
    }
  }

  private ensureScratch(bytes: number): Uint8Array {
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(bytes);
    return this.scratch;
  }

  /** Rows [start, start+n) of a row store into `vectors` from row `outRow`. */
  private async fillRows(store: RowStore, start: number, n: number, vectors: Float32Array, outRow: number): Promise<void> {
    const { decoder } = store;
    const d = this.index.d;
    const pos = store.offset + start * decoder.codeSize;
    if (decoder.raw) {
      const target = new Uint8Array(vectors.buffer, vectors.byteOffset + outRow * 4 * d, n * 4 * d);
      await readExact(store.file, target, pos, `${this.index.indexType} vectors`);
    } else {
      const buf = this.ensureScratch(n * decoder.codeSize).subarray(0, n * decoder.codeSize);
      await readExact(store.file, buf, pos, `${this.index.indexType} codes`);
      decoder.decode(buf, n, vectors, outRow);
    }
  }

  private async listCentroid(store: IvfStore, listNo: number): Promise<Float32Array> {
    if (this.centroidList !== listNo) {
      // The decoder writes row 0 of a one-row view: a separate filler keeps our scratch intact.
      await fillCentroid(store.residualOf!, listNo, this.centroid, this.index.d);
      this.centroidList = listNo;
    }
    return this.centroid;
  }

  private async fillIvf(store: IvfStore, start: number, n: number, vectors: Float32Array, ids: BigInt64Array): Promise<void> {
    const { decoder, starts } = store;
    const d = this.index.d;
    let k = findList(starts, start);
    let done = 0;
    while (done < n) {
      const within = start + done - starts[k]!;
      const take = Math.min(n - done, store.size[k]! - within);
      const listNo = store.listNo[k]!;
      const codesAt = store.codesOffset[k]! + within * decoder.codeSize;
      const structure = `${this.index.indexType} inverted list ${listNo}`;
      if (decoder.raw) {
        await readExact(store.file, new Uint8Array(vectors.buffer, vectors.byteOffset + done * 4 * d, take * 4 * d), codesAt, structure);
      } else {
        const buf = this.ensureScratch(take * decoder.codeSize).subarray(0, take * decoder.codeSize);
        await readExact(store.file, buf, codesAt, structure);
        decoder.decode(buf, take, vectors, done);
      }
      await readExact(store.file, new Uint8Array(ids.buffer, ids.byteOffset + 8 * done, 8 * take), store.idsOffset[k]! + 8 * within, `${structure} ids`);
      if (store.residualOf) {
        const c = await this.listCentroid(store, listNo);
        for (let r = 0; r < take; r++) {
          const o = (done + r) * d;
          for (let i = 0; i < d; i++) vectors[o + i] = vectors[o + i]! + c[i]!;
        }
      }
      done += take;
      k++;
    }
  }
}

/**
 * ids[i] = start + i without allocating a BigInt per row (that would cost more than reading the vectors):
 * labels are below 2^53, so write the two 32-bit halves of each little-endian int64 directly.
 */
function sequentialIds(ids: BigInt64Array, start: number, n: number): void {
  const words = new Uint32Array(ids.buffer, ids.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const v = start + i;
    words[2 * i] = v >>> 0;
    words[2 * i + 1] = Math.floor(v / 4294967296);
  }
}

async function fillCentroid(store: RowStore, row: number, out: Float32Array, d: number): Promise<void> {
  const bytes = new Uint8Array(store.decoder.codeSize);
  await readExact(store.file, bytes, store.offset + row * store.decoder.codeSize, 'coarse quantizer centroids');
  if (store.decoder.raw) out.set(new Float32Array(bytes.buffer, 0, d));
  else store.decoder.decode(bytes, 1, out, 0);
}

/** The non-empty list holding ordinal `o`: the last k with starts[k] ≤ o. */
function findList(starts: Float64Array, o: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= o) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
