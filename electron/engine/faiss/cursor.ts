/**
 * Pass 1's byte cursor: reads the small fields of a FAISS file (fourccs, headers, counts, codebooks) through
 * a small window of positional reads, and skips over bulk arrays after checking they fit in the file. Every
 * count is checked against the bytes left before anything is sized by it, so a corrupted count is refused
 * with the structure's name and byte offset instead of allocating or seeking into nowhere.
 */
import { readSync } from 'node:fs';
import { FaissFormatError } from './types';

const WINDOW = 64 * 1024;

/** A bulk array pass 1 skipped: where its elements start and how many there are. */
export interface ArrayRef {
  readonly offset: number;
  readonly count: number;
}

export class StructCursor {
  pos: number;
  private win: Buffer = Buffer.alloc(0);
  private winStart = 0;

  constructor(
    readonly fd: number,
    readonly file: string,
    readonly size: number,
    pos = 0,
  ) {
    this.pos = pos;
  }

  fail(structure: string, reason: string, offset: number | null = this.pos): never {
    throw new FaissFormatError(this.file, structure, offset, reason);
  }

  /** Bytes left between the cursor and the end of the file. */
  get remaining(): number {
    return this.size - this.pos;
  }

  private need(n: number, structure: string): number {
    if (n > this.remaining) {
      this.fail(structure, `needs ${n} more bytes but the file ends at byte ${this.size} (truncated or corrupted)`);
    }
    if (this.pos < this.winStart || this.pos + n > this.winStart + this.win.length) {
      const len = Math.min(Math.max(n, WINDOW), this.size - this.pos);
      const buf = Buffer.allocUnsafe(len);
      readFully(this.fd, buf, this.pos, this.file, structure);
      this.win = buf;
      this.winStart = this.pos;
    }
    const at = this.pos - this.winStart;
    this.pos += n;
    return at;
  }

  u8(structure: string): number {
    const at = this.need(1, structure); // before touching this.win: need() may replace it
    return this.win.readUInt8(at);
  }

  /** A C++ bool: FAISS 1.15 rejects any byte other than 0 or 1, and so do we (it catches misaligned parsing). */
  bool(structure: string): boolean {
    const at = this.pos;
    const v = this.u8(structure);
    if (v > 1) this.fail(structure, `boolean byte is ${v}, expected 0 or 1`, at);
    return v === 1;
  }

  i32(structure: string): number {
    const at = this.need(4, structure); // before touching this.win: need() may replace it
    return this.win.readInt32LE(at);
  }

  f32(structure: string): number {
    const at = this.need(4, structure); // before touching this.win: need() may replace it
    return this.win.readFloatLE(at);
  }

  i64(structure: string): bigint {
    const at = this.need(8, structure); // before touching this.win: need() may replace it
    return this.win.readBigInt64LE(at);
  }

  u64Raw(structure: string): bigint {
    const at = this.need(8, structure); // before touching this.win: need() may replace it
    return this.win.readBigUInt64LE(at);
  }

  /** A u64 size or count, refused when it cannot be a JS safe integer. */
  u64(structure: string): number {
    const at = this.pos;
    const v = this.u64Raw(structure);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(structure, `count ${v} is absurdly large`, at);
    return Number(v);
  }

  fourcc(structure: string): string {
    const at = this.need(4, structure);
    return this.win.toString('latin1', at, at + 4);
  }

  /** The next 4 bytes, without moving. */
  peekBytes(n: number): Buffer {
    const save = this.pos;
    const at = this.need(Math.min(n, this.remaining), 'file');
    this.pos = save;
    return this.win.subarray(at, at + Math.min(n, this.size - save));
  }

  skip(n: number, structure: string): void {
    if (n > this.remaining) this.fail(structure, `needs ${n} more bytes but the file ends at byte ${this.size} (truncated or corrupted)`);
    this.pos += n;
  }

  /**
   * A serialized std::vector: u64 element count then the elements. Checks that count·elemSize fits in the rest
   * of the file (and equals `expect` when given), then skips the payload and returns where it is.
   */
  vector(elemSize: number, structure: string, expect?: number): ArrayRef {
    const at = this.pos;
    const count = this.u64(structure);
    if (expect !== undefined && count !== expect) {
      this.fail(structure, `holds ${count} elements, expected ${expect}`, at);
    }
    if (count > Math.floor(this.remaining / elemSize)) {
      this.fail(
        structure,
        `claims ${count} elements (${count * elemSize} bytes) but only ${this.remaining} bytes remain in the file (truncated or corrupted)`,
        at,
      );
    }
    const offset = this.pos;
    this.pos += count * elemSize;
    return { offset, count };
  }

  /** Reads a small float array already bounds-checked by vector(). */
  floats(ref: ArrayRef, structure: string): Float32Array {
    const out = new Float32Array(ref.count);
    readFully(this.fd, new Uint8Array(out.buffer), ref.offset, this.file, structure);
    return out;
  }

  bytes(ref: ArrayRef, structure: string): Buffer {
    const out = Buffer.alloc(ref.count);
    readFully(this.fd, out, ref.offset, this.file, structure);
    return out;
  }
}

/** One positional read that must fill `buf`; a short read means the file changed under us. */
export function readFully(fd: number, buf: Uint8Array, position: number, file: string, structure: string): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new FaissFormatError(file, structure, position + done, 'file ended early (was it changed while reading?)');
    done += n;
  }
}
