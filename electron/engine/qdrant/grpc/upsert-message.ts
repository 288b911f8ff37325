/**
 * Qdrant's gRPC `UpsertPoints` message (points.proto), written straight from a batch's columnar arrays:
 *
 *   UpsertPoints { 1: collection_name, 2: wait = true, 4: ordering, 3: repeated PointStruct }
 *   PointStruct  { 1: PointId { 1: num (uint64) | 2: uuid }, 4: Vectors { 1: Vector { 101: DenseVector {
 *                  1: packed float } } }, 3: map<string, Value> payload }
 *
 * A vector's floats are the Float32Array's own bytes (packed little-endian floats are protobuf's layout),
 * copied in one `set`; ids are exact u64 varints from bigint or UUID strings; payload JSON text is
 * transcoded by ./json-to-value. A message never exceeds `maxBytes`: points that do not fit start the next
 * one, as the REST body writer does.
 */
import { endianness } from 'node:os';
import { PointTooLargeError } from '../body-writer';
import type { PreparedPoints } from '../types';
import { writePayloadEntries } from './json-to-value';
import { ProtoWriter, WIRE_LEN, WIRE_VARINT, varintSize } from './proto-writer';

export type WriteOrderingName = 'weak' | 'medium' | 'strong';
const ORDERING: Record<WriteOrderingName, number> = { weak: 0, medium: 1, strong: 2 };

/** Packed floats can be copied as they are only on a little-endian machine (x86-64, ARM64: all of Node's). */
const LITTLE_ENDIAN = endianness() === 'LE';

export interface EncodedMessage {
  /** A view into the writer's buffer: valid until the writer's next `encode`. */
  message: Buffer;
  /** Positions (into `order`) [from, next) this message carries. */
  next: number;
}

export class UpsertMessageWriter {
  private readonly w = new ProtoWriter();
  private readonly head: Buffer;

  constructor(collection: string, ordering: WriteOrderingName = 'weak') {
    const h = new ProtoWriter(256);
    h.string(1, collection);
    h.tag(2, WIRE_VARINT);
    h.varint(1); // wait = true: the reply means the points are applied
    if (ordering !== 'weak') {
      h.tag(4, WIRE_LEN);
      const m = h.fork(2);
      h.tag(1, WIRE_VARINT);
      h.varint(ORDERING[ordering]);
      h.join(m);
    }
    this.head = Buffer.from(h.view());
  }

  /**
   * Encodes the points `order[from]`, `order[from + 1]`, … until `order` ends or the next point would push
   * the message past `maxBytes`. At least one point is always written; a point that alone exceeds
   * `maxBytes` throws PointTooLargeError; a payload Qdrant would refuse throws PayloadEncodingError.
   */
  encode(points: PreparedPoints, order: ArrayLike<number>, from: number, maxBytes: number): EncodedMessage {
    const w = this.w;
    const dim = points.dimension;
    const vecBytes = dim * 4;
    // lengths of the nested Vectors > Vector > DenseVector messages, the same for every point of the batch
    const dense = 1 + varintSize(vecBytes) + vecBytes;
    const vector = 2 + varintSize(dense) + dense;
    const vectors = 1 + varintSize(vector) + vector;
    const vecs = points.vectors;
    // one Buffer view over the batch's floats: each point's bytes are copied out of it without a view per point
    const bytes = Buffer.from(vecs.buffer, vecs.byteOffset, vecs.byteLength);
    w.reset();
    w.bytes(this.head);
    let k = from;
    for (; k < order.length; k++) {
      const i = order[k]!;
      const pointStart = w.pos;
      const payload = points.payloads ? points.payloads[i] : undefined;
      w.tag(3, WIRE_LEN);
      const point = w.fork(24 + vectors + (payload ? payload.length : 0));
      // id
      const id = points.ids[i]!;
      w.tag(1, WIRE_LEN);
      if (typeof id === 'bigint') {
        const m = w.fork(11);
        w.tag(1, WIRE_VARINT);
        w.varint64(id);
        w.join(m);
      } else {
        const m = w.fork(id.length + 2);
        w.string(2, id);
        w.join(m);
      }
      // vectors { vector { dense { data } } }
      w.tag(4, WIRE_LEN);
      w.varint(vectors);
      w.tag(1, WIRE_LEN);
      w.varint(vector);
      w.tag(101, WIRE_LEN);
      w.varint(dense);
      w.tag(1, WIRE_LEN);
      w.varint(vecBytes);
      if (LITTLE_ENDIAN) {
        w.ensure(vecBytes);
        w.pos += bytes.copy(w.buf, w.pos, i * vecBytes, (i + 1) * vecBytes);
      } else {
        w.ensure(vecBytes);
        for (let j = 0; j < dim; j++) w.buf.writeFloatLE(vecs[i * dim + j]!, w.pos + j * 4);
        w.pos += vecBytes;
      }
      // payload
      if (payload !== undefined) {
        try {
          writePayloadEntries(w, 3, payload);
        } catch (e) {
          w.pos = pointStart;
          throw e;
        }
      }
      w.join(point);
      if (w.pos > maxBytes) {
        if (k === from) throw new PointTooLargeError(i, w.pos, maxBytes);
        w.pos = pointStart;
        break;
      }
    }
    return { message: w.view(), next: k };
  }
}
