/**
 * Reads one field out of a small protobuf reply (the health check's version, whether a collection exists):
 * walking the wire format for two fields is shorter than a generated decoder and its runtime.
 */

/** The first value of the field at `path` (field numbers, outermost first): a number for varints, bytes for length-delimited fields; undefined when absent. */
export function readField(buf: Uint8Array, path: readonly number[]): number | Uint8Array | undefined {
  let view = buf;
  for (let depth = 0; depth < path.length; depth++) {
    const found = findField(view, path[depth]!);
    if (found === undefined) return undefined;
    if (depth === path.length - 1) return found;
    if (typeof found === 'number') return undefined;
    view = found;
  }
  return undefined;
}

function findField(buf: Uint8Array, field: number): number | Uint8Array | undefined {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated protobuf message');
      const b = buf[pos++]!;
      result += (b & 127) * mul;
      if (b < 128) return result;
      mul *= 128;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 2) {
      const len = varint();
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
    if (pos > buf.length) throw new Error('truncated protobuf message');
    if (number === field) return value;
  }
  return undefined;
}

/** A string field at `path`, or undefined. */
export function readString(buf: Uint8Array, path: readonly number[]): string | undefined {
  const v = readField(buf, path);
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8') : undefined;
}
