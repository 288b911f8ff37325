/**
 * The upsert fast path. A 500 × 384-d upsert is ~4 MB of JSON; JSON.parse plus a schema walk over 192,000
 * boxed numbers cannot accept 100,000 points/s on one core, so this scanner reads the body bytes once:
 * vector components go straight into Float32Arrays (read by a WebAssembly loop, number-array.ts, which
 * hands back the rare number it cannot round exactly to the engine's own Number()), ids become bigint when
 * beyond 2^53, and everything else (payloads, update_filter, ...) becomes the same values the general
 * parser produces. The result is the body's skeleton (vectors replaced by []) for schema validation plus
 * the decoded points.
 *
 * It never reports an error itself: anything unusual (another body shape, a syntax error, a non-number in
 * a vector, a non-finite value, duplicate keys, an id that is not a valid point id) makes it decline, and
 * the general parser then accepts or refuses the body with its own messages. So the fast path accepts
 * exactly what the slow path accepts, with the same result (proven in test/standin/upsert-fast-path).
 */
import { isSafeNumber } from 'lossless-json';
import type { IncomingPoint } from './collection';
import { canonicalUuid, type StoredId } from './ids';
import type { Payload } from './point';
import { toPlain } from './json-out';
import { NumberArrayReader } from './number-array';

/**
 * skeleton: the body without vectors (exact values, for the handler); plain: the same with ids as plain
 * numbers, ready for schema validation (Ajv does not know bigint).
 */
export type ScanResult = { ok: true; skeleton: Record<string, unknown>; plain: Record<string, unknown>; points: IncomingPoint[] } | { ok: false; reason: string };

class Decline extends Error {}

/** Node's Buffer#latin1Slice (what toString('latin1') ends in, without its argument handling); untyped in @types/node. */
type Latin1Slicer = { latin1Slice(start: number, end: number): string };

const U64_MAX = (1n << 64n) - 1n;
const SLAB = 1 << 16;
/** What a vector becomes in the skeleton: an empty list still satisfies VectorStruct; shared, never mutated. */
const NO_VECTOR: readonly number[] = Object.freeze([]);

const SP = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACK = 0x5b, RBRACK = 0x5d;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39, E_LO = 0x65, E_UP = 0x45;

/** ASCII strings up to this length (keys, enum-like payload values) go through the cache below. */
const SHORT_STRING = 32;
const stringCache: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);

/**
 * The ASCII string bytes[start, end) (no escapes), from a direct-mapped cache when the last string with
 * this hash has the same characters. Saves a native slice and an allocation per key: the keys of a
 * 500-point body are the same few strings 500 times.
 */
function shortString(bytes: Uint8Array, start: number, end: number, hash: number): string {
  const slot = (hash ^ (hash >>> 10)) & 1023;
  const cached = stringCache[slot];
  const n = end - start;
  if (cached !== undefined && cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === bytes[start + i]) i++;
    if (i === n) return cached;
  }
  const made = String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  stringCache[slot] = made;
  return made;
}

let reader: NumberArrayReader | undefined;
/** One reader per process: scans run one at a time (the request path is synchronous). */
function numberArrayReader(): NumberArrayReader {
  return (reader ??= new NumberArrayReader());
}

class Scanner {
  pos = 0;
  /**
   * Vectors are written into shared slabs and handed out as subarray views: no backing store per point
   * (allocating and collecting ~1.5 KB ArrayBuffers per point costs more than parsing them). A slab is
   * SLAB floats; a vector that does not fit moves to a fresh slab, so at most one vector's worth per slab
   * is left unused.
   */
  private slab = new Float32Array(SLAB);
  private used = 0;
  /** A plain Uint8Array view: indexing it stays monomorphic in the hot loop. */
  private readonly bytes: Uint8Array;
  private readonly numbers = numberArrayReader();
  /** The body, read where the WebAssembly reader holds it (one copy, made from the pieces as they came). */
  readonly b: Buffer;
  constructor(parts: readonly Buffer[]) {
    this.b = this.numbers.load(parts);
    this.bytes = new Uint8Array(this.b.buffer, this.b.byteOffset, this.b.length);
  }

  fail(reason: string): never {
    throw new Decline(reason);
  }

  ws(): void {
    const b = this.bytes;
    let p = this.pos;
    for (;;) {
      const c = b[p];
      if (c === SP || c === LF || c === CR || c === TAB) p++;
      else break;
    }
    this.pos = p;
  }

  expect(c: number): void {
    this.ws();
    if (this.bytes[this.pos] !== c) this.fail(`expected '${String.fromCharCode(c)}' at ${this.pos}`);
    this.pos++;
  }

  peek(): number | undefined {
    this.ws();
    return this.bytes[this.pos];
  }

  string(): string {
    this.ws();
    const b = this.bytes;
    if (b[this.pos] !== QUOTE) this.fail('expected string');
    const start = this.pos + 1;
    let p = start;
    let escaped = false;
    let ascii = true;
    let hash = 0;
    for (;;) {
      const c = b[p];
      if (c === undefined) this.fail('unterminated string');
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        p += 2;
        continue;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c >= 0x80) ascii = false;
      hash = (Math.imul(hash, 31) + c) | 0;
      p++;
    }
    this.pos = p + 1;
    if (!escaped) {
      if (!ascii) return this.b.toString('utf8', start, p);
      // Keys and short values repeat in every point: hand out the string made last time.
      return p - start <= SHORT_STRING ? shortString(b, start, p, hash) : (this.b as unknown as Latin1Slicer).latin1Slice(start, p);
    }
    // Escapes: let the engine's JSON decode this one string (same result as the general parser).
    try {
      return JSON.parse(this.b.toString('utf8', start - 1, p + 1)) as string;
    } catch {
      this.fail('bad escape');
    }
  }

  /** A JSON number token as the general parser reads it: safe integer → number, larger → bigint, else double. */
  numberValue(): number | bigint {
    const start = this.pos;
    // Short plain integers (ids, counters in payloads) without a string or a regex: under 16 characters
    // is what the general path also reads with Number() (so "-0" is -0 there and here).
    const b = this.bytes;
    let p = start;
    const neg = b[p] === MINUS;
    if (neg) p++;
    const digits = p;
    let v = 0;
    let c = b[p]!;
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      c = b[++p]!;
    }
    const nd = p - digits;
    if (nd > 0 && p - start < 16 && (nd === 1 || b[digits] !== ZERO) && c !== DOT && c !== E_LO && c !== E_UP) {
      this.pos = p;
      return neg ? -v : v;
    }
    this.skipNumber();
    const text = this.b.toString('latin1', start, this.pos);
    if (/^-?\d+$/.test(text)) return text.length < 16 || isSafeNumber(text) ? Number(text) : BigInt(text);
    const n = Number(text);
    if (!Number.isFinite(n)) this.fail('number out of range');
    return n;
  }

  private skipNumber(): void {
    const b = this.b;
    let p = this.pos;
    if (b[p] === MINUS) p++;
    const intStart = p;
    if (b[p] === ZERO) p++;
    else while (b[p]! >= ZERO && b[p]! <= NINE) p++;
    if (p === intStart) this.fail('bad number');
    if (b[intStart] === ZERO && b[p]! >= ZERO && b[p]! <= NINE) this.fail('leading zero');
    if (b[p] === DOT) {
      p++;
      const f = p;
      while (b[p]! >= ZERO && b[p]! <= NINE) p++;
      if (p === f) this.fail('bad fraction');
    }
    if (b[p] === E_LO || b[p] === E_UP) {
      p++;
      if (b[p] === PLUS || b[p] === MINUS) p++;
      const e = p;
      while (b[p]! >= ZERO && b[p]! <= NINE) p++;
      if (p === e) this.fail('bad exponent');
    }
    this.pos = p;
  }

  /** Any JSON value, as the general parser builds it. */
  value(depth = 0): unknown {
    if (depth > 128) this.fail('too deep');
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if (c === LBRACE) {
      this.pos++;
      const o: Record<string, unknown> = {};
      if (this.peek() === RBRACE) {
        this.pos++;
        return o;
      }
      for (;;) {
        const k = this.string();
        this.expect(COLON);
        const v = this.value(depth + 1);
        if (Object.prototype.hasOwnProperty.call(o, k)) this.fail('duplicate key');
        if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
        else o[k] = v;
        const n = this.peek();
        this.pos++;
        if (n === RBRACE) return o;
        if (n !== COMMA) this.fail('expected , or }');
      }
    }
    if (c === LBRACK) {
      this.pos++;
      const a: unknown[] = [];
      if (this.peek() === RBRACK) {
        this.pos++;
        return a;
      }
      for (;;) {
        a.push(this.value(depth + 1));
        const n = this.peek();
        this.pos++;
        if (n === RBRACK) return a;
        if (n !== COMMA) this.fail('expected , or ]');
      }
    }
    if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return this.numberValue();
    const b = this.b;
    const p = this.pos;
    if (b[p] === 0x74 && b.toString('latin1', p, p + 4) === 'true') return (this.pos += 4), true;
    if (b[p] === 0x66 && b.toString('latin1', p, p + 5) === 'false') return (this.pos += 5), false;
    if (b[p] === 0x6e && b.toString('latin1', p, p + 4) === 'null') return (this.pos += 4), null;
    this.fail('unexpected character');
  }

  /** `[n, n, ...]` of plain numbers (read by the WebAssembly loop) copied into a slab; anything else declines. */
  vector(): Float32Array {
    this.expect(LBRACK);
    const read = this.numbers.parseVector(this.pos, this.slowNumber);
    if (!read.ok) {
      this.pos = read.at;
      this.fail('not a plain array of finite numbers');
    }
    const count = read.values.length;
    let base = this.used;
    if (base + count > this.slab.length) {
      // A fresh slab (at least twice this vector, so long vectors fit).
      this.slab = new Float32Array(Math.max(SLAB, 2 * count));
      base = 0;
    }
    this.slab.set(read.values, base);
    this.pos = read.end;
    this.used = base + count;
    return this.slab.subarray(base, base + count);
  }

  /** A token the WebAssembly loop could not round exactly: the engine's Number(), as the general parser reads it. */
  private readonly slowNumber = (start: number): { value: number; end: number } => {
    this.pos = start;
    this.skipNumber();
    const value = Math.fround(Number(this.b.toString('latin1', start, this.pos)));
    // Non-finite as f32 (overflowing double or f32): the general path refuses it with its message.
    if (value - value !== 0) this.fail('non-finite vector value');
    return { value, end: this.pos };
  };
}

function pointId(v: unknown): StoredId {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw new Decline('bad id');
    return BigInt(v);
  }
  if (typeof v === 'bigint') {
    if (v < 0n || v > U64_MAX) throw new Decline('bad id');
    return v;
  }
  if (typeof v === 'string') {
    const u = canonicalUuid(v);
    if (u === undefined) throw new Decline('bad id');
    return u;
  }
  throw new Decline('bad id');
}

/** Scan a `{"points": [...]}` upsert body, whole or in the pieces it arrived in. */
export function scanUpsertBody(raw: Buffer | readonly Buffer[]): ScanResult {
  const s: Scanner = new Scanner(Buffer.isBuffer(raw) ? [raw] : raw);
  try {
    const skeleton: Record<string, unknown> = {};
    const plain: Record<string, unknown> = {};
    let points: IncomingPoint[] | undefined;
    s.expect(LBRACE);
    if (s.peek() === RBRACE) s.fail('empty object');
    for (;;) {
      const key = s.string();
      s.expect(COLON);
      if (Object.prototype.hasOwnProperty.call(skeleton, key)) s.fail('duplicate key');
      if (key === 'points') {
        const skelPoints: Record<string, unknown>[] = [];
        const plainPoints: Record<string, unknown>[] = [];
        points = [];
        s.expect(LBRACK);
        if (s.peek() === RBRACK) s.pos++;
        else
          for (;;) {
            const skel: Record<string, unknown> = {};
            let vector: Float32Array | undefined;
            s.expect(LBRACE);
            if (s.peek() === RBRACE) s.pos++;
            else
              for (;;) {
                const k = s.string();
                s.expect(COLON);
                if (Object.prototype.hasOwnProperty.call(skel, k)) s.fail('duplicate key');
                if (k === 'vector') {
                  vector = s.vector();
                  skel.vector = NO_VECTOR;
                } else skel[k] = s.value();
                const n = s.peek();
                s.pos++;
                if (n === RBRACE) break;
                if (n !== COMMA) s.fail('expected , or }');
              }
            if (vector === undefined || !('id' in skel)) throw new Decline('point without id or vector');
            const payload = skel.payload;
            if (payload !== undefined && payload !== null && (typeof payload !== 'object' || Array.isArray(payload))) s.fail('payload is not an object');
            // Map filled by set(): the iterable constructor walks an entries array through the iterator protocol.
            const vectors = new Map<string, Float32Array>();
            vectors.set('', vector);
            points.push({ id: pointId(skel.id), vectors, payload: (payload as Payload | null | undefined) ?? null });
            skelPoints.push(skel);
            // Payload values are not inspected by the schema (free-form object): only the id needs plain form.
            plainPoints.push(typeof skel.id === 'bigint' ? { ...skel, id: Number(skel.id) } : skel);
            const n = s.peek();
            s.pos++;
            if (n === RBRACK) break;
            if (n !== COMMA) s.fail('expected , or ]');
          }
        skeleton.points = skelPoints;
        plain.points = plainPoints;
      } else {
        const v = s.value();
        skeleton[key] = v;
        plain[key] = toPlain(v);
      }
      const n = s.peek();
      s.pos++;
      if (n === RBRACE) break;
      if (n !== COMMA) s.fail('expected , or }');
    }
    s.ws();
    if (s.pos !== s.b.length) s.fail('trailing characters');
    if (!points) throw new Decline('no points array');
    return { ok: true, skeleton, plain, points };
  } catch (e) {
    if (e instanceof Decline) return { ok: false, reason: e.message };
    throw e;
  }
}
