/**
 * float32 → round-trip-exact decimal, written straight into a byte buffer.
 *
 * Why not `String(x)` / `JSON.stringify`: a float32 widened to a double prints with up to 17 digits
 * ("0.12345679104328156"), through a string per number; formatting is most of the client's cost (≈13,000
 * points/s of 384-d with JSON.stringify on one core). Here each float is written with nine significant
 * digits, trailing zeros dropped, using integer arithmetic and 4-digit table stores (about 30 M floats/s).
 *
 * Why nine digits are exact: a 9-digit rounding errs by at most 0.5·10^(e−8) for x in [10^e, 10^(e+1)),
 * while half a float32 ulp there is at least 2^−25·x ≥ 2.98·10^(e−8); so any correctly rounding parser
 * (decimal → float32, or decimal → float64 → float32: the double step errs by 1e−16 relative, nowhere
 * near the float32 midpoint) returns exactly the original float32. The multiply by 10^k in double adds an
 * error of ~1e−16 relative, which can only pick the other of two 9-digit neighbours of an exact .5 tie,
 * both inside that bound. Shortest-digit search (Ryu) would save about one byte in twelve for typical
 * embeddings at twice the cost, so it is not done. NaN and ±Infinity have no JSON form: callers check
 * `firstNonFinite` first and record such points as failed.
 */

/** 10^k as doubles for k in [-70, 70] (index k + 70), correctly rounded by the engine's literal parser. */
const P10 = new Float64Array(141);
for (let k = -70; k <= 70; k++) P10[k + 70] = Number(`1e${k}`);

/** floor(log10(2^(biased − 127))) per float32 biased exponent: x's decimal exponent is this or one more. */
const E10 = new Int32Array(256);
for (let e = 1; e < 255; e++) {
  const v = Math.pow(2, e - 127);
  let k = Math.floor((e - 127) * 0.3010299956639812);
  while (v >= P10[k + 71]!) k++;
  while (v < P10[k + 70]!) k--;
  E10[e] = k;
}

/** For each biased exponent, the smallest float32 bit pattern (sign cleared) that is >= 10^(E10 + 1): one integer compare finds the decimal exponent. */
const T10 = new Uint32Array(256);
{
  const f = new Float32Array(1);
  const b = new Uint32Array(f.buffer);
  for (let e = 1; e < 255; e++) {
    const limit = P10[E10[e]! + 71]!;
    // binary search over the 2^23 mantissas of this exponent
    let lo = e << 23;
    let hi = ((e + 1) << 23) >>> 0; // first pattern of the next exponent: always >= limit or equal to "none here"
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      b[0] = mid;
      if (f[0]! >= limit) hi = mid;
      else lo = mid + 1;
    }
    T10[e] = lo;
  }
}

/** "0000".."9999" as little-endian uint32 of four ASCII digits, and each one's trailing-zero count. */
const DIGITS4 = new Uint32Array(10000);
const TRAILING_ZEROS4 = new Uint8Array(10000);
for (let i = 0; i < 10000; i++) {
  const s = String(i).padStart(4, '0');
  DIGITS4[i] = (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
  let t = 0;
  for (let j = 3; j >= 0 && s[j] === '0'; j--) t++;
  TRAILING_ZEROS4[i] = t;
}

/** "0.00" and "00" as little-endian integers: the prefix of numbers below 1 is stored in two writes. */
const ZERO_POINT_ZEROS = 0x30302e30;
const ZERO_ZERO = 0x3030;

/** Upper bound of bytes one float takes: "-1.23456789e-45" is 15. */
export const MAX_FLOAT_CHARS = 16;

/** Index of the first NaN/Infinity in v[start, end), or -1 when all are finite. */
export function firstNonFinite(v: Float32Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const x = v[i]!;
    if (x - x !== 0) return i;
  }
  return -1;
}

/**
 * Writes float32 `f[i]` (bits `u[i]`, the same memory) at `pos` of `out` (viewed also as `dv`); returns the
 * new position. `out` needs MAX_FLOAT_CHARS + 8 bytes free at `pos` (digits are stored four at a time and
 * the bytes past the returned position may be scribbled on).
 */
export function writeFloat32(out: Uint8Array, dv: DataView, pos: number, f: Float32Array, u: Uint32Array, i: number): number {
  const bits = u[i]!;
  if (bits >>> 31) out[pos++] = 45; // '-' (also for -0, kept bit-exact)
  if ((bits & 0x7fffffff) === 0) {
    out[pos++] = 48;
    return pos;
  }
  const biased = (bits >>> 23) & 0xff;
  const x = Math.abs(f[i]!);
  let e10: number;
  if (biased === 0) {
    // subnormal: rare, take the slow road
    e10 = Math.floor(Math.log10(x));
    while (x >= P10[e10 + 71]!) e10++;
    while (x < P10[e10 + 70]!) e10--;
  } else {
    e10 = E10[biased]! + ((bits & 0x7fffffff) >= T10[biased]! ? 1 : 0);
  }
  // m: the nine significant digits, 10^8 <= m < 10^9
  let m = (x * P10[78 - e10]! + 0.5) | 0;
  if (m >= 1000000000) {
    m = 100000000;
    e10++;
  }
  const hi = (m / 100000000) | 0;
  const rest = m - hi * 100000000;
  const mid = (rest / 10000) | 0;
  const lo = rest - mid * 10000;
  const digits = 9 - (lo !== 0 ? TRAILING_ZEROS4[lo]! : mid !== 0 ? 4 + TRAILING_ZEROS4[mid]! : 8);
  // value = 0.d1d2…d9 × 10^E
  const E = e10 + 1;
  if (E <= 0 && E > -5) {
    // 0.000ddddddddd: the usual case for embedding components
    dv.setUint32(pos, ZERO_POINT_ZEROS, true);
    dv.setUint16(pos + 4, ZERO_ZERO, true);
    pos += 2 - E;
    out[pos] = 48 + hi;
    dv.setUint32(pos + 1, DIGITS4[mid]!, true);
    dv.setUint32(pos + 5, DIGITS4[lo]!, true);
    return pos + digits;
  }
  if (E > 0 && E <= 9) {
    // integer part of E digits, then the fraction (if any digits remain)
    out[pos] = 48 + hi;
    dv.setUint32(pos + 1, DIGITS4[mid]!, true);
    dv.setUint32(pos + 5, DIGITS4[lo]!, true);
    if (digits <= E) return pos + E; // the zeros up to E are the stored digits themselves
    // shift the fraction one byte right to make room for the point
    for (let j = pos + digits; j > pos + E; j--) out[j] = out[j - 1]!;
    out[pos + E] = 46;
    return pos + digits + 1;
  }
  // d.dddddddde±x
  out[pos] = 48 + hi;
  dv.setUint32(pos + 2, DIGITS4[mid]!, true);
  dv.setUint32(pos + 6, DIGITS4[lo]!, true);
  if (digits > 1) {
    out[pos + 1] = 46;
    pos += digits + 1;
  } else pos += 1;
  out[pos++] = 101; // 'e'
  let ex = E - 1;
  if (ex < 0) {
    out[pos++] = 45;
    ex = -ex;
  }
  if (ex >= 10) {
    const t = (ex / 10) | 0;
    out[pos++] = 48 + t;
    out[pos++] = 48 + ex - t * 10;
  } else out[pos++] = 48 + ex;
  return pos;
}

/**
 * Writes v[start, end) as comma-separated decimals (no brackets) at `pos`; returns the new position.
 * The same code as writeFloat32 in a loop, so the hot path has no call per float. `out` needs
 * (end − start) × (MAX_FLOAT_CHARS + 1) + 8 bytes free.
 */
export function writeFloat32Run(out: Uint8Array, dv: DataView, pos: number, f: Float32Array, u: Uint32Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (i > start) out[pos++] = 44; // ','
    const bits = u[i]!;
    if (bits >>> 31) out[pos++] = 45; // '-' (also for -0, kept bit-exact)
    if ((bits & 0x7fffffff) === 0) {
      out[pos++] = 48;
      continue;
    }
    const biased = (bits >>> 23) & 0xff;
    const x = Math.abs(f[i]!);
    let e10: number;
    if (biased === 0) {
      // subnormal: rare, take the slow road
      e10 = Math.floor(Math.log10(x));
      while (x >= P10[e10 + 71]!) e10++;
      while (x < P10[e10 + 70]!) e10--;
    } else {
      e10 = E10[biased]! + ((bits & 0x7fffffff) >= T10[biased]! ? 1 : 0);
    }
    // m: the nine significant digits, 10^8 <= m < 10^9
    let m = (x * P10[78 - e10]! + 0.5) | 0;
    if (m >= 1000000000) {
      m = 100000000;
      e10++;
    }
    const hi = (m / 100000000) | 0;
    const rest = m - hi * 100000000;
    const mid = (rest / 10000) | 0;
    const lo = rest - mid * 10000;
    const digits = 9 - (lo !== 0 ? TRAILING_ZEROS4[lo]! : mid !== 0 ? 4 + TRAILING_ZEROS4[mid]! : 8);
    // value = 0.d1d2…d9 × 10^E
    const E = e10 + 1;
    if (E <= 0 && E > -5) {
      // 0.000ddddddddd: the usual case for embedding components
      dv.setUint32(pos, ZERO_POINT_ZEROS, true);
      dv.setUint16(pos + 4, ZERO_ZERO, true);
      pos += 2 - E;
      out[pos] = 48 + hi;
      dv.setUint32(pos + 1, DIGITS4[mid]!, true);
      dv.setUint32(pos + 5, DIGITS4[lo]!, true);
      { pos = pos + digits; continue; }
    }
    if (E > 0 && E <= 9) {
      // integer part of E digits, then the fraction (if any digits remain)
      out[pos] = 48 + hi;
      dv.setUint32(pos + 1, DIGITS4[mid]!, true);
      dv.setUint32(pos + 5, DIGITS4[lo]!, true);
      if (digits <= E) { pos = pos + E; continue; } // the zeros up to E are the stored digits themselves
      // shift the fraction one byte right to make room for the point
      for (let j = pos + digits; j > pos + E; j--) out[j] = out[j - 1]!;
      out[pos + E] = 46;
      { pos = pos + digits + 1; continue; }
    }
    // d.dddddddde±x
    out[pos] = 48 + hi;
    dv.setUint32(pos + 2, DIGITS4[mid]!, true);
    dv.setUint32(pos + 6, DIGITS4[lo]!, true);
    if (digits > 1) {
      out[pos + 1] = 46;
      pos += digits + 1;
    } else pos += 1;
    out[pos++] = 101; // 'e'
    let ex = E - 1;
    if (ex < 0) {
      out[pos++] = 45;
      ex = -ex;
    }
    if (ex >= 10) {
      const t = (ex / 10) | 0;
      out[pos++] = 48 + t;
      out[pos++] = 48 + ex - t * 10;
    } else out[pos++] = 48 + ex;
    continue;
  }
  return pos;
}
