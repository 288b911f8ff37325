/**
 * Pass 2: fills columnar batches from the layout pass 1 mapped. Flat float storage is read straight into the
 * batch's Float32Array and IDMap labels straight into its BigInt64Array (one positional read each, no copy);
 * quantized codes go through a reused scratch buffer and the decoder. IVF ordinals are found from the
 * cumulative list sizes, so any batch can start anywhere without reading what comes before it.
 */
import { read, readv } from 'node:fs';
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

function preadv(fd: number, bufs: Uint8Array[], position: number): Promise<number> {
  return new Promise((res, rej) => readv(fd, bufs, position, (err, n) => (err ? rej(err) : res(n))));
}

/** Fills `bufs` in order from the contiguous file range at `position` (a short read continues where it stopped). */
export async function readvExact(file: DataFile, bufs: Uint8Array[], position: number, structure: string): Promise<void> {
  let rest = bufs.filter((b) => b.length > 0);
  let pos = position;
  while (rest.length) {
    const n = await preadv(file.fd, rest, pos);
    if (n === 0) throw new FaissFormatError(file.path, structure, pos, 'file ended early (was it changed while reading?)');
    pos += n;
    let skip = n;
    while (rest.length && skip >= rest[0]!.length) skip -= rest.shift()!.length;
    if (skip > 0) rest = [rest[0]!.subarray(skip), ...rest.slice(1)];
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
      await Promise.all([this.fillRows(store, start, n, vectors, 0), this.rowLabels(start, n, ids)]);
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
   * neighbouring pieces are fetched with one scatter read (readv): codes land straight in the batch's
   * Float32Array (or in scratch for quantized codes), ids straight in its BigInt64Array, and the few bytes in
   * between (ids of rows before the batch) in a small sink. One system call per group and no extra copy. A
   * piece far from its neighbours (on-disk lists with spare capacity, huge lists) gets its own reads. All
   * reads of a batch are issued at once so their trips through the I/O thread pool overlap.
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
    // Plan groups of consecutive pieces whose regions are close together and in file order.
    const groups: Group[] = [];
    let scratchBytes = 0;
    for (let i = 0; i < pieces.length; ) {
      const first = pieces[i]!;
      let hi = first.idsAt + 8 * first.take;
      let useful = first.take * (cs + 8);
      const ordered = first.codesAt + first.take * cs <= first.idsAt;
      let j = i;
      while (ordered && j + 1 < pieces.length && j - i < MAX_GROUP) {
        const p = pieces[j + 1]!;
        if (p.codesAt < hi || p.codesAt + p.take * cs > p.idsAt) break;
        const nhi = p.idsAt + 8 * p.take;
        const nuseful = useful + p.take * (cs + 8);
        if (nhi - first.codesAt > nuseful + ivfReadTuning.spanSlack || nhi - first.codesAt > ivfReadTuning.maxSpan) break;
        [hi, useful, j] = [nhi, nuseful, j + 1];
      }
      const span = hi - first.codesAt;
      const direct = !ordered || (j === i && (useful >= ivfReadTuning.directRead || span > useful + ivfReadTuning.spanSlack));
      // Scratch holds quantized codes (to decode) and the gaps a scatter read must land somewhere.
      const bytes = (decoder.raw ? 0 : useful - 8 * (useful / (cs + 8))) + (direct ? 0 : span - useful);
      groups.push({ from: i, to: j, direct, scratchAt: scratchBytes });
      scratchBytes += bytes;
      i = j + 1;
    }
    const scratch = this.ensureScratch(scratchBytes);
    const what = this.index.indexType;
    const reads: Promise<void>[] = [];
    const codesScratchAt = new Map<Piece, number>();
    for (const g of groups) {
      let at = g.scratchAt;
      const codeTarget = (p: Piece): Uint8Array => {
        if (decoder.raw) return new Uint8Array(vectors.buffer, vectors.byteOffset + p.done * cs, p.take * cs);
        codesScratchAt.set(p, at);
        at += p.take * cs;
        return scratch.subarray(at - p.take * cs, at);
      };
      const idTarget = (p: Piece) => new Uint8Array(ids.buffer, ids.byteOffset + 8 * p.done, 8 * p.take);
      if (g.direct) {
        const p = pieces[g.from]!;
        const structure = `${what} inverted list ${store.listNo[p.k]}`;
        reads.push(readExact(store.file, codeTarget(p), p.codesAt, structure));
        reads.push(readExact(store.file, idTarget(p), p.idsAt, `${structure} ids`));
        continue;
      }
      const iov: Uint8Array[] = [];
      let pos = pieces[g.from]!.codesAt;
      const sink = (to: number) => {
        if (to > pos) {
          iov.push(scratch.subarray(at, at + to - pos));
          at += to - pos;
        }
      };
      for (let m = g.from; m <= g.to; m++) {
        const p = pieces[m]!;
        sink(p.codesAt);
        iov.push(codeTarget(p));
        pos = p.codesAt + p.take * cs;
        sink(p.idsAt);
        iov.push(idTarget(p));
        pos = p.idsAt + 8 * p.take;
      }
      reads.push(readvExact(store.file, iov, pieces[g.from]!.codesAt, `${what} inverted lists`));
    }
    await Promise.all(reads);
    for (const g of groups) {
      for (let m = g.from; m <= g.to; m++) {
        const p = pieces[m]!;
        if (!decoder.raw) {
          const at = codesScratchAt.get(p)!;
          decoder.decode(scratch.subarray(at, at + p.take * cs), p.take, vectors, p.done);
        }
        if (store.residualOf) await this.addCentroid(store, p, vectors);
      }
    }
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

/** Consecutive pieces fetched together with one scatter read, or one piece read directly. */
interface Group {
  from: number;
  to: number;
  direct: boolean;
  scratchAt: number;
}

/** Pieces per scatter read: each needs up to 4 buffers and Linux takes at most 1024 per readv. */
const MAX_GROUP = 200;

/** The part of one inverted list a batch takes: list index k, batch row `done`, `take` rows, byte offsets. */
interface Piece {
  k: number;
  done: number;
  take: number;
  codesAt: number;
  idsAt: number;
}

/**
 * How IVF pieces are fetched. `directRead`: a lone piece at least this large gets two plain reads instead of
 * a scatter read (off by default: a scatter read is one system call for the same zero copies); `spanSlack`: a
 * scatter read may carry this many unused bytes beyond the useful ones; `maxSpan`: its largest size.
 * Exported so tests can drive every path with small fixtures.
 */
export const ivfReadTuning = { directRead: Number.POSITIVE_INFINITY, spanSlack: 64 * 1024, maxSpan: 32 << 20 };

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
