/**
 * The independent reading of our hand-written protobuf: Qdrant's own generated schemas (@qdrant/js-client-grpc
 * 1.18, protobuf-es) decode what we encode, and `plain()` turns a decoded Value into a tagged plain value
 * so tests compare int vs float as well as the number.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { PointStructSchema, UpsertPointsSchema, type Value } from '@qdrant/js-client-grpc';
import { ProtoWriter } from '../../electron/engine/qdrant/grpc/proto-writer';
import { writePayloadEntries } from '../../electron/engine/qdrant/grpc/json-to-value';

export type Plain = null | boolean | string | { int: bigint } | { double: number } | Plain[] | { struct: Record<string, Plain> };

export function plain(v: Value): Plain {
  const k = v.kind;
  switch (k.case) {
    case 'nullValue':
      return null;
    case 'boolValue':
    case 'stringValue':
      return k.value;
    case 'integerValue':
      return { int: k.value };
    case 'doubleValue':
      return { double: k.value };
    case 'listValue':
      return k.value.values.map(plain);
    case 'structValue': {
      const out: Record<string, Plain> = Object.create(null) as Record<string, Plain>;
      for (const [key, val] of Object.entries(k.value.fields)) out[key] = plain(val);
      return { struct: out };
    }
    default:
      throw new Error(`Value without a kind: ${String(k.case)}`);
  }
}

/** Transcodes payload JSON text and decodes it back with the official schema (as a PointStruct's payload map). */
export function transcode(text: string): Record<string, Plain> {
  const w = new ProtoWriter(16);
  writePayloadEntries(w, 3, text);
  const point = fromBinary(PointStructSchema, w.view());
  const out: Record<string, Plain> = Object.create(null) as Record<string, Plain>;
  for (const [key, val] of Object.entries(point.payload)) out[key] = plain(val);
  return out;
}

export function decodeUpsert(message: Uint8Array) {
  return fromBinary(UpsertPointsSchema, message);
}
