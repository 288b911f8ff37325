/**
 * A point's payload JSON text → Qdrant's protobuf `map<string, Value>` entries, without building objects
 * (json_with_int.proto: Value = null | double | int64 | string | bool | Struct | ListValue).
 *
 * The text is the engine's canonical payload JSON (electron/engine/qdrant/payload-json.ts, agreed with the
 * payload code): a number literal with `.`, `e` or `E` is a float (`double_value`), any other is an
 * integer (`integer_value`, exact int64), so int vs float survives as Qdrant's REST API keeps it. Where
 * int64 cannot hold an integer the value follows what Qdrant's REST API stores (measured on 1.18.3):
 * `-0` is the float -0.0; integers beyond int64 become the nearest double (REST keeps 2^63…2^64−1 exact
 * as u64, which protobuf's int64 cannot carry; beyond u64 REST rounds to the nearest double too).
 *
 * Input that REST would refuse is refused here too, with the reason (PayloadEncodingError): malformed
 * JSON, a string that is not valid Unicode (a lone surrogate such as "\ud800": protobuf strings must be
 * UTF-8, and Qdrant's JSON parser refuses it as well), a float beyond double range. Keys are written as
 * they are ("__proto__" included): no JavaScript object is built from them.
 */
import { ProtoWriter, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './proto-writer';

export class PayloadEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadEncodingError';
  }
}

// Value's oneof fields
const NULL_VALUE = 1;
const DOUBLE_VALUE = 2;
const INTEGER_VALUE = 3;
const STRING_VALUE = 4;
const BOOL_VALUE = 5;
const STRUCT_VALUE = 6;
const LIST_VALUE = 7;

const MAX_DEPTH = 128;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const NUMBER = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** String.prototype.isWellFormed (Node 20, not yet in TypeScript's ES2023 lib). */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

class Transcoder {
  private i = 0;

  constructor(
    private readonly w: ProtoWriter,
    private readonly s: string,
  ) {}

  fail(what: string): never {
    const near = this.s.slice(Math.max(0, this.i - 10), this.i + 10);
    throw new PayloadEncodingError(`payload JSON ${what} at character ${this.i} (near ${JSON.stringify(near)})`);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    // the engine's payload text has no whitespace between tokens: one comparison in the common case
    if (s.charCodeAt(i) > 32) return;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  /** The whole text: an object (its members become entries of `field`) or null (no payload). */
  top(field: number): void {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    if (c === 123 /* { */) this.members(field, 0);
    else if (this.s.startsWith('null', this.i)) this.i += 4;
    else this.fail('is not an object');
    this.ws();
    if (this.i !== this.s.length) this.fail('has text after the value');
  }

  /** `{…}` at i: each member as a map entry {1: key, 2: Value} of `field`. */
  members(field: number, depth: number): void {
    const w = this.w;
    this.i++; // {
    this.ws();
    if (this.s.charCodeAt(this.i) === 125 /* } */) {
      this.i++;
      return;
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 34 /* " */) this.fail('expects a quoted key');
      w.tag(field, WIRE_LEN);
      const entry = w.fork(24);
      this.stringField(1);
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58 /* : */) this.fail("expects ':'");
      this.i++;
      w.tag(2, WIRE_LEN);
      const value = w.fork(8);
      this.value(depth + 1);
      w.join(value);
      w.join(entry);
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 125 /* } */) return;
      if (c !== 44 /* , */) {
        this.i--;
        this.fail("expects ',' or '}'");
      }
      this.ws();
    }
  }

  /** One JSON value at i (after whitespace), written as the fields of a Value message. */
  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`nests deeper than ${MAX_DEPTH} levels`);
    const w = this.w;
    this.ws();
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 34 /* " */) {
      this.stringField(STRING_VALUE);
    } else if (c === 123 /* { */) {
      w.tag(STRUCT_VALUE, WIRE_LEN);
      const struct = w.fork(64);
      this.members(1, depth);
      w.join(struct);
    } else if (c === 91 /* [ */) {
      w.tag(LIST_VALUE, WIRE_LEN);
      const list = w.fork(64);
      this.items(depth);
      w.join(list);
    } else if (c === 116 /* t */ && s.startsWith('true', this.i)) {
      this.i += 4;
      w.tag(BOOL_VALUE, WIRE_VARINT);
      w.varint(1);
    } else if (c === 102 /* f */ && s.startsWith('false', this.i)) {
      this.i += 5;
      w.tag(BOOL_VALUE, WIRE_VARINT);
      w.varint(0);
    } else if (c === 110 /* n */ && s.startsWith('null', this.i)) {
      this.i += 4;
      w.tag(NULL_VALUE, WIRE_VARINT);
      w.varint(0);
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      this.number();
    } else {
      this.fail('has an unexpected character');
    }
  }

  /** `[…]` at i: each item as a Value of ListValue.values (field 1). */
  items(depth: number): void {
    const w = this.w;
    this.i++; // [
    this.ws();
    if (this.s.charCodeAt(this.i) === 93 /* ] */) {
      this.i++;
      return;
    }
    for (;;) {
      w.tag(1, WIRE_LEN);
      const item = w.fork(8);
      this.value(depth + 1);
      w.join(item);
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 93 /* ] */) return;
      if (c !== 44 /* , */) {
        this.i--;
        this.fail("expects ',' or ']'");
      }
    }
  }

  /** A number literal at i: integer_value when it has no '.', 'e' or 'E' and fits int64, else double_value. */
  number(): void {
    const s = this.s;
    const start = this.i;
    let i = start;
    let plain = true;
    // the common case, a short integer, is parsed while it is scanned
    let value = 0;
    const negative = s.charCodeAt(i) === 45;
    if (negative) i++;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        i++;
      } else if (c === 45 || c === 43 || c === 46 || c === 101 || c === 69) {
        plain = false;
        i++;
      } else break;
    }
    const digits = i - start - (negative ? 1 : 0);
    const w = this.w;
    // up to 15 digits a double holds the integer exactly; "-0", "01" and "-" take the slow path
    if (plain && digits > 0 && digits <= 15 && (digits === 1 || s.charCodeAt(start + (negative ? 1 : 0)) !== 48) && !(negative && value === 0)) {
      this.i = i;
      w.tag(INTEGER_VALUE, WIRE_VARINT);
      w.int64(negative ? -value : value);
      return;
    }
    const text = s.slice(start, i);
    const m = NUMBER.exec(text);
    if (!m) this.fail(`has a malformed number ${JSON.stringify(text)}`);
    this.i = i;
    if (m[1] !== undefined || m[2] !== undefined || text === '-0') {
      const v = Number(text);
      if (!Number.isFinite(v)) this.fail(`has the number ${text}, beyond the range of a double`);
      w.tag(DOUBLE_VALUE, WIRE_FIXED64);
      w.double(v);
      return;
    }
    if (text.length <= 15) {
      w.tag(INTEGER_VALUE, WIRE_VARINT);
      w.int64(Number(text));
      return;
    }
    const big = BigInt(text);
    if (big >= INT64_MIN && big <= INT64_MAX) {
      w.tag(INTEGER_VALUE, WIRE_VARINT);
      w.int64(big);
    } else {
      w.tag(DOUBLE_VALUE, WIRE_FIXED64);
      w.double(Number(text));
    }
  }

  /**
   * The JSON string at i (on its opening quote) as the string field `field`. Plain ASCII without escapes,
   * which is most keys and many values, is copied byte for byte from the text; anything else is decoded
   * (JSON.parse for escapes) and written as UTF-8. Raw control characters and lone surrogates are refused.
   */
  stringField(field: number): void {
    const s = this.s;
    const start = this.i;
    let i = start + 1;
    let escaped = false;
    let ascii = true;
    let surrogates = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34 /* " */) break;
      if (c === 92 /* \ */) {
        escaped = true;
        i += 2;
        continue;
      }
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail('ends inside a string');
      }
      if (c < 32) {
        this.i = i;
        this.fail('has a raw control character in a string');
      }
      if (c >= 128) {
        ascii = false;
        if (c >= 0xd800 && c <= 0xdfff) surrogates = true;
      }
      i++;
    }
    this.i = i + 1;
    const w = this.w;
    if (ascii && !escaped) {
      const len = i - start - 1;
      w.tag(field, WIRE_LEN);
      w.varint(len);
      w.ensure(len);
      if (len > 32) {
        // long: one native copy beats the loop
        w.pos += w.buf.write(s.slice(start + 1, i), w.pos, 'latin1');
        return;
      }
      const buf = w.buf;
      let pos = w.pos;
      for (let k = start + 1; k < i; k++) buf[pos++] = s.charCodeAt(k);
      w.pos = pos;
      return;
    }
    let value: string;
    if (!escaped) value = s.slice(start + 1, i);
    else {
      try {
        value = JSON.parse(s.slice(start, i + 1)) as string;
      } catch (e) {
        this.i = start;
        this.fail(`has a malformed string (${(e as Error).message})`);
      }
      surrogates = true;
    }
    if (surrogates && !isWellFormed(value)) {
      this.i = start;
      this.fail('has a string with a lone surrogate (not valid Unicode; Qdrant refuses it)');
    }
    w.string(field, value);
  }
}

/**
 * Appends the members of the payload JSON object `text` to `w` as map entries of `field` (PointStruct's
 * payload is field 3). `null` writes nothing. Throws PayloadEncodingError for input Qdrant would refuse.
 */
export function writePayloadEntries(w: ProtoWriter, field: number, text: string): void {
  new Transcoder(w, text).top(field);
}
