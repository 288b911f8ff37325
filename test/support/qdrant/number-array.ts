/**
 * The WebAssembly number-array reader the upsert fast path calls for each vector (source:
 * wasm/number-array.ts; compiled by wasm-module.ts). A body is copied into the module's memory once per
 * request (`load`, straight from the pieces it arrived in), then `parseVector` is called at each vector's
 * `[`; the values come back in a reused view that the caller copies out.
 */
import { wasmInstance } from './wasm-module';

const DECLINE = -1;
const SLOW = -2;
/** Zero bytes after the body: the module reads up to 16 bytes at a time and stops at a zero. */
const PAD = 16;
const PAGE = 65536;

interface Exports {
  memory: WebAssembly.Memory;
  count: WebAssembly.Global;
  tokenStart: WebAssembly.Global;
  heapBase(): number;
  parse(p: number, out: number, n: number, afterValue: number): number;
}

/** What a vector read gives: the values (a view valid until the next call) and where the text after `]` starts. */
export type VectorRead = { ok: true; values: Float32Array; end: number } | { ok: false; at: number };

/**
 * Reads the token at `start` of the body when the module cannot round it exactly (over 19 digits, a
 * large exponent, a near-midpoint value): returns the f32 value and the position after the token, or
 * undefined to decline the body.
 */
export type SlowNumber = (start: number) => { value: number; end: number } | undefined;

export class NumberArrayReader {
  private readonly ex: Exports;
  private readonly bodyAt: number;
  private outAt = 0;
  private bodyLength = 0;
  private bytes: Uint8Array;
  private floats: Float32Array;

  constructor() {
    this.ex = wasmInstance<Exports>('number-array');
    this.bodyAt = Math.ceil(this.ex.heapBase() / 8) * 8;
    this.bytes = new Uint8Array(this.ex.memory.buffer);
    this.floats = new Float32Array(this.ex.memory.buffer);
  }

  /**
   * Copy a body (in the pieces it arrived in) into the module's memory, growing it when needed, followed
   * by zero padding. Returns the body as it now lies there: a view, valid until the next load, so the
   * caller needs no joined copy of its own.
   */
  load(parts: readonly Uint8Array[]): Buffer {
    let length = 0;
    for (const part of parts) length += part.length;
    // A vector needs at least two bytes per value ("0,"), so half the body's length bounds the values.
    this.outAt = Math.ceil((this.bodyAt + length + PAD) / 4) * 4;
    const needed = this.outAt + 2 * length + 4;
    const memory = this.ex.memory;
    if (needed > memory.buffer.byteLength) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
      this.bytes = new Uint8Array(memory.buffer);
      this.floats = new Float32Array(memory.buffer);
    }
    let at = this.bodyAt;
    for (const part of parts) {
      this.bytes.set(part, at);
      at += part.length;
    }
    this.bytes.fill(0, at, at + PAD);
    this.bodyLength = length;
    return Buffer.from(memory.buffer, this.bodyAt, length);
  }

  /**
   * The numbers of the vector whose first byte after `[` is at body offset `pos`, as f32. Declines (ok:
   * false) on anything that is not a plain array of finite numbers; `slow` reads tokens the module hands back.
   */
  parseVector(pos: number, slow: SlowNumber): VectorRead {
    const ex = this.ex;
    const base = this.bodyAt;
    const outIndex = this.outAt >> 2;
    let r = ex.parse(base + pos, this.outAt, 0, 0);
    while (r === SLOW) {
      const n = ex.count.value as number;
      const start = (ex.tokenStart.value as number) - base;
      const token = slow(start);
      if (!token || token.end > this.bodyLength) return { ok: false, at: start };
      this.floats[outIndex + n] = token.value;
      r = ex.parse(base + token.end, this.outAt, n + 1, 1);
    }
    if (r === DECLINE) return { ok: false, at: pos };
    const n = ex.count.value as number;
    return { ok: true, values: this.floats.subarray(outIndex, outIndex + n), end: r - base };
  }
}
