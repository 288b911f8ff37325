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

  /**
   * IVF: a batch usually spans several lists. Lists of an `ilar` file lie back to back (codes then ids), so
   * neighbouring pieces are fetched with one read into a scratch span and copied out: one system call
   * instead of two per list, which matters far more than the extra copy when lists are small. A large piece
   * (or a far-away one, as on-disk lists with spare capacity can be) is read straight into the batch.
   */
  private async fillIvf(store: IvfStore, start: number, n: number, vectors: Float32Array, ids: BigInt64Array): Promise<void> {
    const { decoder, starts } = store;
    const cs = decoder.codeSize;
    const pieces: Piece[] = [];
    for (let k = findList(starts, start), done = 0; done < n; k++) {
      const within = start + done - starts[k]!;
      const take = Math.min(n - done, store.size[k]! - within);
      pieces.push({ k, done, take, codesAt: store.codesOffset[k]! + within * cs, idsAt: store.idsOffset[k]! + 8 * within });
      done += take;
    }
    for (let i = 0; i < pieces.length; ) {
      const first = pieces[i]!;
      let lo = Math.min(first.codesAt, first.idsAt);
      let hi = Math.max(first.codesAt + first.take * cs, first.idsAt + 8 * first.take);
      let useful = first.take * (cs + 8);
      let j = i;
      while (j + 1 < pieces.length) {
        const p = pieces[j + 1]!;
        const nlo = Math.min(lo, p.codesAt, p.idsAt);
        const nhi = Math.max(hi, p.codesAt + p.take * cs, p.idsAt + 8 * p.take);
        const nuseful = useful + p.take * (cs + 8);
        if (nhi - nlo > 2 * nuseful + ivfReadTuning.spanSlack || nhi - nlo > ivfReadTuning.maxSpan) break;
        [lo, hi, useful, j] = [nlo, nhi, nuseful, j + 1];
      }
      if (j === i && (useful >= ivfReadTuning.directRead || hi - lo > 2 * useful + ivfReadTuning.spanSlack)) {
        await this.ivfPieceDirect(store, first, vectors, ids);
      } else {
        const span = this.ensureScratch(hi - lo).subarray(0, hi - lo);
        await readExact(store.file, span, lo, `${this.index.indexType} inverted lists`);
        for (let m = i; m <= j; m++) {
          const p = pieces[m]!;
          const codes = span.subarray(p.codesAt - lo, p.codesAt - lo + p.take * cs);
          if (decoder.raw) new Uint8Array(vectors.buffer, vectors.byteOffset + p.done * cs, p.take * cs).set(codes);
          else decoder.decode(codes, p.take, vectors, p.done);
          new Uint8Array(ids.buffer, ids.byteOffset + 8 * p.done, 8 * p.take).set(span.subarray(p.idsAt - lo, p.idsAt - lo + 8 * p.take));
        }
      }
      if (store.residualOf) for (let m = i; m <= j; m++) await this.addCentroid(store, pieces[m]!, vectors);
      i = j + 1;
    }
  }

  private async ivfPieceDirect(store: IvfStore, p: Piece, vectors: Float32Array, ids: BigInt64Array): Promise<void> {
    const { decoder } = store;
    const cs = decoder.codeSize;
    const structure = `${this.index.indexType} inverted list ${store.listNo[p.k]}`;
    if (decoder.raw) {
      await readExact(store.file, new Uint8Array(vectors.buffer, vectors.byteOffset + p.done * cs, p.take * cs), p.codesAt, structure);
    } else {
      const buf = this.ensureScratch(p.take * cs).subarray(0, p.take * cs);
      await readExact(store.file, buf, p.codesAt, structure);
      decoder.decode(buf, p.take, vectors, p.done);
    }
    await readExact(store.file, new Uint8Array(ids.buffer, ids.byteOffset + 8 * p.done, 8 * p.take), p.idsAt, `${structure} ids`);
  }

  private async addCentroid(store: IvfStore, p: Piece, vectors: Float32Array): Promise<void> {
    const d = this.index.d;
    const c = await this.listCentroid(store, store.listNo[p.k]!);
    for (let r = 0; r < p.take; r++) {
      const o = (p.done + r) * d;
      for (let i = 0; i < d; i++) vectors[o + i] = vectors[o + i]! + c[i]!;
    }
  }
}

/** The part of one inverted list a batch takes: list index k, batch row `done`, `take` rows, byte offsets. */
interface Piece {
  k: number;
  done: number;
  take: number;
  codesAt: number;
  idsAt: number;
}

/**
 * How IVF pieces are fetched. `directRead`: pieces at least this large are read straight into the batch (no
 * copy); `spanSlack`: a shared read may carry this much unused data besides twice the useful bytes;
 * `maxSpan`: the largest shared read. Exported so tests can drive both paths with small fixtures.
 */
export const ivfReadTuning = { directRead: 1 << 20, spanSlack: 64 * 1024, maxSpan: 32 << 20 };

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
