/**
 * The REST upsert body, written straight from a batch's columnar arrays into one reusable buffer:
 * `{"points":[{"id":…,"vector":[…],"payload":{…}},…]}`. Floats go through `writeFloat32` (exact, no string
 * per number), ids are exact integers from bigint or UUID strings, payloads are pre-rendered JSON text.
 * A body never exceeds `maxBytes` (the server's max_request_size_mb): points that do not fit start the next
 * body, whatever the dimension.
 */
import { MAX_FLOAT_CHARS, writeFloat32Run } from './float-format';
import type { PreparedPoints } from './types';

const HEAD = Buffer.from('{"points":[');
const TAIL = Buffer.from(']}');
const ID_OPEN = Buffer.from('{"id":');
const VEC_OPEN = Buffer.from(',"vector":[');
const PAYLOAD_OPEN = Buffer.from('],"payload":');
const POINT_CLOSE_NO_PAYLOAD = Buffer.from(']}');

export class PointTooLargeError extends Error {
  constructor(readonly index: number, readonly bytes: number, readonly maxBytes: number) {
    super(`the point alone needs about ${bytes} bytes, more than the server accepts in one request (${maxBytes} bytes: raise max_request_size_mb)`);
    this.name = 'PointTooLargeError';
  }
}

export interface EncodedBody {
  /** A view into the writer's buffer: valid until the writer's next `encode`. */
  body: Buffer;
  /** Positions (into `order`) [from, next) this body carries. */
  next: number;
}

export class UpsertBodyWriter {
  private buf: Buffer = Buffer.allocUnsafe(1 << 20);
  private dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);

  private ensure(bytes: number): void {
    if (bytes <= this.buf.length) return;
    let size = this.buf.length;
    while (size < bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next);
    this.buf = next;
    this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /**
   * Encodes the points `order[from]`, `order[from + 1]`, … (indices into `points`) until `order` ends or the
   * next point would push the body past `maxBytes`. At least one point is always written; a point that
   * alone exceeds `maxBytes` throws PointTooLargeError.
   */
  encode(points: PreparedPoints, order: ArrayLike<number>, from: number, maxBytes: number): EncodedBody {
    const dim = points.dimension;
    const vecs = points.vectors;
    const bits = new Uint32Array(vecs.buffer, vecs.byteOffset, vecs.length);
    const vecBound = dim * (MAX_FLOAT_CHARS + 1) + 16;
    let pos = 0;
    this.ensure(HEAD.length + TAIL.length + 64);
    pos += HEAD.copy(this.buf, pos);
    let k = from;
    for (; k < order.length; k++) {
      const i = order[k]!;
      const id = points.ids[i]!;
      const payload = points.payloads ? points.payloads[i] : undefined;
      const idText = typeof id === 'bigint' ? id.toString() : `"${id}"`;
      // worst case for this point (payload length in UTF-16 units × 3 bounds its UTF-8 size)
      const bound = 64 + idText.length + vecBound + (payload ? payload.length * 3 : 0);
      if (k > from && pos + bound + TAIL.length > maxBytes) break;
      this.ensure(pos + bound + TAIL.length + 16);
      const buf = this.buf;
      const dv = this.dv;
      const pointStart = pos;
      if (k > from) buf[pos++] = 44;
      pos += ID_OPEN.copy(buf, pos);
      pos += buf.write(idText, pos, 'latin1');
      pos += VEC_OPEN.copy(buf, pos);
      pos = writeFloat32Run(buf, dv, pos, vecs, bits, i * dim, i * dim + dim);
      if (payload !== undefined) {
        pos += PAYLOAD_OPEN.copy(buf, pos);
        pos += buf.write(payload, pos, 'utf8');
        buf[pos++] = 125;
      } else pos += POINT_CLOSE_NO_PAYLOAD.copy(buf, pos);
      if (pos + TAIL.length > maxBytes) {
        if (k === from) throw new PointTooLargeError(i, pos, maxBytes);
        // the estimate was too optimistic (cannot happen with the bounds above): leave it for the next body
        pos = pointStart;
        break;
      }
    }
    pos += TAIL.copy(this.buf, pos);
    return { body: this.buf.subarray(0, pos), next: k };
  }
}
