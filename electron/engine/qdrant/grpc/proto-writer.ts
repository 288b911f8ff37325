/**
 * The protobuf wire format, written by hand into one growable buffer: varints, tags, fixed 64-bit doubles,
 * UTF-8 strings and length-delimited sub-messages. Only what the bulk upsert needs (UpsertPoints and
 * Qdrant's JSON-like `Value`); a generated encoder (protobuf-es) builds an object per point and writes
 * every float through a generic path, about 20,000–35,000 points/s of 384-d on one core here, while this
 * copies a vector's bytes in one `set` (bench/real.ts measures both).
 *
 * Sub-messages are written in place: `fork()` reserves room for the length, `join()` writes it and moves
 * the content when the length needs more (or fewer) varint bytes than reserved, so nothing is encoded twice.
 */

/** Protobuf wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;

/** Bytes a varint of `n` (0 ≤ n < 2^53) takes. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

const TWO_63 = 1n << 63n;

/** Writes the varint of `n` (0 ≤ n < 2^53) at `pos` (room already there) and returns the end. */
function putVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 128) {
    // `% 128` rather than `& 127`: n may exceed 2^32
    buf[pos++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Room for `bytes` more bytes after `pos`. */
  ensure(bytes: number): void {
    const need = this.pos + bytes;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Starts a new message at offset 0, keeping the buffer. */
  reset(): void {
    this.pos = 0;
  }

  /** An unsigned varint, 0 ≤ n < 2^53. */
  varint(n: number): void {
    this.ensure(10);
    this.pos = putVarint(this.buf, this.pos, n);
  }

  /** An unsigned 64-bit varint (uint64 fields: point ids). */
  varint64(v: bigint): void {
    if (v < 0x20000000000000n) return this.varint(Number(v));
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (v >= 128n) {
      buf[pos++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    buf[pos++] = Number(v);
    this.pos = pos;
  }

  /** An int64 field value: negative numbers as their 64-bit two's complement (always 10 bytes). */
  int64(v: number | bigint): void {
    if (typeof v === 'number') {
      if (v >= 0) return this.varint(v);
      v = BigInt(v);
    }
    if (v < 0n) v += TWO_63 * 2n;
    this.varint64(v);
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** A string field: tag, UTF-8 length, bytes. The caller guarantees `s` is well-formed UTF-16. */
  string(field: number, s: string): void {
    this.tag(field, WIRE_LEN);
    // one length byte for short strings; join() moves the bytes when the UTF-8 form needs more
    const mark = this.fork(s.length * 3);
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
    this.join(mark);
  }

  /**
   * Reserves the length prefix of a sub-message expected to be about `expectedBytes` long (after its tag)
   * and returns a mark for join().
   */
  fork(expectedBytes = 0): number {
    const reserved = varintSize(expectedBytes);
    this.ensure(reserved);
    const mark = this.pos * 16 + reserved;
    this.pos += reserved;
    return mark;
  }

  /** Writes the length of the sub-message started at `mark`, moving its bytes if the reservation was off. */
  join(mark: number): void {
    const reserved = mark % 16;
    const at = (mark - reserved) / 16;
    const start = at + reserved;
    const len = this.pos - start;
    const size = varintSize(len);
    if (size !== reserved) {
      this.ensure(size - reserved);
      this.buf.copyWithin(at + size, start, this.pos);
      this.pos += size - reserved;
    }
    putVarint(this.buf, at, len);
  }

  /** The message so far: a view into the buffer, valid until the next write after reset(). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
