/**
 * AssemblyScript (compiled to WebAssembly by test/support/qdrant/wasm-module.ts): the inner loop of the
 * stand-in's upsert fast path. It reads the numbers of one JSON vector (`[n, n, ...]`, from just after
 * the `[`) out of the request body in linear memory and writes them as f32, as serde_json + `as f32`
 * reads them in Qdrant: the correctly rounded double, then rounded to f32.
 *
 * Why WebAssembly: a 500 × 384-d upsert is ~2.3 MB of number text, and the same loop in JavaScript runs
 * at ~3.8 ns a byte on the build machine; here it has 64-bit integers, SIMD and no deoptimisation.
 *
 * It never reports an error: anything unusual returns DECLINE (the host then hands the whole body to
 * the general parser, which refuses it with Qdrant's words), and a number this loop cannot round
 * exactly returns SLOW (the host reads that one token with the engine's own Number() and resumes).
 * The body must be followed by at least 16 zero bytes: 8- and 16-byte reads may run past the last
 * number, and a zero byte is neither a digit nor a separator.
 */

/** Exact powers of ten as doubles (10^22 is the largest exactly representable). */
const POW10: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * The SIMD step's constants, read from memory: written as v128.const, V8 (x64) rebuilds each one with
 * three instructions at every use, which cost more than the load.
 */
const K = memory.data<u8>([
  // 0: '0' in every byte
  0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30,
  // 16: 9 in every byte
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  // 32: lane numbers 0..15
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  // 48: i16 0x00ff
  0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0,
  // 64: i16 10
  10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0,
  // 80: i16 (100, 1)
  100, 0, 1, 0, 100, 0, 1, 0, 100, 0, 1, 0, 100, 0, 1, 0,
  // 96: i16 (10000, 1)
  0x10, 0x27, 1, 0, 0x10, 0x27, 1, 0, 0x10, 0x27, 1, 0, 0x10, 0x27, 1, 0,
], 16);

const DECLINE: i32 = -1;
const SLOW: i32 = -2;

/** After a call: how many values are in the output (on success and on SLOW). */
export let count: u32 = 0;
/** After commonShape: true when it read the closing ']' (its return value is then the position after it). */
let closed = false;
/** After SLOW: where the token the host must read starts. */
export let tokenStart: u32 = 0;

/** Where the host may put the body: after this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

@inline function isWs(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

@inline function eightDigits(x: u64): bool {
  return ((x & 0xf0f0f0f0f0f0f0f0) | (((x + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) >> 4)) == 0x3333333333333333;
}

/** The value of eight ASCII digits read little-endian (first character in the low byte). */
@inline function eightDigitsValue(x: u64): u64 {
  let v = x - 0x3030303030303030;
  v = v * 10 + (v >> 8);
  return ((v & 0x000000ff000000ff) * 0x000f424000000064 + ((v >> 16) & 0x000000ff000000ff) * 0x0000271000000001) >> 32;
}

/**
 * Values of the common shape, [-]digits.digits with at most 15 digits followed directly by ',' or ']', read
 * one 16-byte SIMD step each, from p (after any whitespace) on. Stops at the first token of another shape
 * and returns its position (count = values so far), or after ']' with closed = true.
 */
function commonShape(p: usize, out: usize, n: u32): usize {
  closed = false;
  while (true) {
    let c = <u32>load<u8>(p);
    while (c <= 0x20 && isWs(c)) c = load<u8>(++p);
    const minus = <u32>(c == 0x2d);
    const q = p + <usize>minus;
    const v = v128.load(q);
    const d = i8x16.sub(v, v128.load(K));
    const digitLanes = i8x16.bitmask(i8x16.le_u(d, v128.load(K, 16)));
    const dot = ctz(~digitLanes); // the first non-digit: must be the '.'
    const end = ctz(~(digitLanes | (1 << dot))); // the first non-digit after it
    const term = <u32>load<u8>(q + end);
    // One branch for the whole shape test (each part is cheap; the reads stay inside the padding).
    const shape = <u32>(<u32>(dot - 1) < 15) & <u32>(end > dot + 1) & <u32>(load<u8>(q + dot) == 0x2e) & (<u32>(term == 0x2c) | <u32>(term == 0x5d)) & (<u32>(dot == 1) | <u32>(load<u8>(q) != 0x30));
    if (!shape) {
      count = n;
      return p;
    }
    // Gather the digits (without the '.') right-aligned into 16 lanes, zeros in front...
    let from = i8x16.add(v128.load(K, 32), i8x16.splat(<i8>(end - 16)));
    from = i8x16.add(from, i8x16.le_s(from, i8x16.splat(<i8>dot)));
    const digits = i8x16.swizzle(d, from);
    // ...then combine them: pairs (10a + b), fours (100a + b), eights (10000a + b).
    const pairs = i16x8.add(i16x8.mul(v128.and(digits, v128.load(K, 48)), v128.load(K, 64)), i16x8.shr_u(digits, 8));
    const fours = i32x4.dot_i16x8_s(pairs, v128.load(K, 80));
    const eights = i32x4.dot_i16x8_s(i16x8.narrow_i32x4_s(fours, fours), v128.load(K, 96));
    const m = <i64>i32x4.extract_lane(eights, 0) * 100000000 + <i64>i32x4.extract_lane(eights, 1);
    // At most 15 digits: m and 10^k are exact, one division rounds correctly (Clinger).
    const f = <f32>(<f64>m / unchecked(POW10[end - dot - 1]));
    store<f32>(out + (<usize>n << 2), reinterpret<f32>(reinterpret<u32>(f) | (minus << 31)));
    n++;
    p = q + end + 1;
    if (term == 0x5d) {
      count = n;
      closed = true;
      return p;
    }
  }
  return p;
}

/**
 * Parse numbers from `p` into f32s at `out + 4·n` until the closing `]`. `afterValue`: resume just after a
 * value the host wrote (at index n - 1), expecting `,` or `]`. Returns the position after `]`, or
 * DECLINE, or SLOW (count values written; the token at tokenStart is the host's).
 */
export function parse(p: usize, out: usize, n: u32, afterValue: bool): i32 {
  let c: u32;
  if (!afterValue) {
    c = load<u8>(p);
    while (isWs(c)) c = load<u8>(++p);
    if (c == 0x5d) {
      count = 0;
      return <i32>(p + 1);
    }
  }
  while (true) {
    if (!afterValue) {
      // Values of the common shape, one SIMD step each; a token of any other shape is read below, then
      // the common shape again.
      const after = commonShape(p, out, n);
      n = count;
      if (closed) return <i32>after;
      p = after;
      c = load<u8>(p);
      while (c <= 0x20 && isWs(c)) c = load<u8>(++p);
      const start = p;
      const neg = c == 0x2d;
      if (neg) c = load<u8>(++p);
      // Significant digits read (an upper bound: leading zeros count too); only picks the exact path.
      let sig: u32 = 0;
      let mant: u64 = 0;
      if (c == 0x30) {
        c = load<u8>(++p);
        if (isDigit(c)) return DECLINE; // leading zero
        sig = 1;
      } else {
        const intStart = p;
        while (isDigit(c)) {
          mant = mant * 10 + <u64>(c - 0x30);
          c = load<u8>(++p);
        }
        sig = <u32>(p - intStart);
        if (sig == 0) return DECLINE; // not a number
      }
      let exp10: i32 = 0;
      if (c == 0x2e) {
        const f = ++p;
        // The fraction is most of a vector's text: eight digits a step while they last.
        while (true) {
          const x = load<u64>(p);
          if (!eightDigits(x)) break;
          mant = mant * 100000000 + eightDigitsValue(x);
          p += 8;
        }
        c = load<u8>(p);
        while (isDigit(c)) {
          mant = mant * 10 + <u64>(c - 0x30);
          c = load<u8>(++p);
        }
        if (p == f) return DECLINE; // "1."
        sig += <u32>(p - f);
        exp10 = -<i32>(p - f);
      }
      if ((c | 0x20) == 0x65) {
        c = load<u8>(++p);
        let eneg = false;
        if (c == 0x2b || c == 0x2d) {
          eneg = c == 0x2d;
          c = load<u8>(++p);
        }
        const e = p;
        let ev: i32 = 0;
        while (isDigit(c)) {
          if (ev < 100000) ev = ev * 10 + <i32>(c - 0x30);
          c = load<u8>(++p);
        }
        if (p == e) return DECLINE; // "1e"
        exp10 += eneg ? -ev : ev;
      }
      // mant overflowed (over 19 digits) or the power of ten is not exact: the host's Number() decides.
      if (sig > 19 || exp10 < -22 || exp10 > 22) {
        tokenStart = <u32>start;
        count = n;
        return SLOW;
      }
      let d = <f64>mant;
      d = exp10 < 0 ? d / unchecked(POW10[-exp10]) : d * unchecked(POW10[exp10]);
      if (sig > 15) {
        // Up to 15 digits, mant and 10^k are exact and one IEEE operation rounds correctly (Clinger).
        // Beyond, mant was rounded once more, so d can be ~2 ulp from the correctly rounded double; that
        // changes the f32 only when d is near an f32 rounding midpoint (the 29 dropped bits near 2^28),
        // or in f32's subnormal range where fewer bits survive. The host decides those (about 1 in 10^7).
        const dropped = <i64>(reinterpret<u64>(d) & 0x1fffffff) - 0x10000000;
        if ((dropped < 0 ? -dropped : dropped) <= 16 || d < 1.2e-38) {
          tokenStart = <u32>start;
          count = n;
          return SLOW;
        }
      }
      const v = <f32>d;
      if (v - v != 0) return DECLINE; // overflows f32: Qdrant refuses it
      store<f32>(out + (<usize>n << 2), neg ? -v : v);
      n++;
    }
    afterValue = false;
    c = load<u8>(p);
    while (c <= 0x20 && isWs(c)) c = load<u8>(++p);
    p++;
    if (c == 0x2c) continue;
    if (c == 0x5d) {
      count = n;
      return <i32>p;
    }
    return DECLINE;
  }
  return DECLINE;
}
