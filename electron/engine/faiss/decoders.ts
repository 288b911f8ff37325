/**
 * Turning stored codes into float vectors, the way FAISS's own `reconstruct` does. Flat storage is raw
 * float32 (copied, never decoded); scalar quantizer and product quantizer codes follow
 * faiss/impl/ScalarQuantizer.cpp and ProductQuantizer-inl.h, computed in float32 steps like FAISS.
 */

export interface CodeDecoder {
  /** Bytes per stored vector. */
  readonly codeSize: number;
  /** True when codes are the float32 vectors themselves (read straight into the output, no decoding). */
  readonly raw: boolean;
  /** True when the output is bit-exact with what was added to the index. */
  readonly exact: boolean;
  /** Short description for inspect, e.g. "QT_8bit" or "PQ M=8 nbits=8". */
  readonly describe: string;
  /** Decodes `n` consecutive codes from `codes` (starting at byte 0) into rows `outRow…` of `out`. */
  decode(codes: Uint8Array, n: number, out: Float32Array, outRow: number): void;
}

export function rawFloatDecoder(d: number): CodeDecoder {
  return {
    codeSize: 4 * d,
    raw: true,
    exact: true,
    describe: 'float32',
    decode(codes, n, out, outRow) {
      // Only used when codes could not be read in place (unaligned scratch): copy bytes.
      new Uint8Array(out.buffer, out.byteOffset + outRow * 4 * d, n * 4 * d).set(codes.subarray(0, n * 4 * d));
    },
  };
}

const f = Math.fround;

/** float16 → float32 for all 65536 codes, built once (256 KiB). */
let halfTable: Float32Array | null = null;
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    if (e === 0) t[h] = s * m * 2 ** -24;
    else if (e === 31) t[h] = m ? NaN : s * Infinity;
    else t[h] = s * (1 + m / 1024) * 2 ** (e - 15);
  }
  halfTable = t;
  return t;
}

export interface SqParams {
  qtype: number;
  d: number;
  codeSize: number;
  /** vmin[d] ++ vdiff[d] (non-uniform) or [vmin, vdiff] (uniform); empty for the others. */
  trained: Float32Array;
}

/** The code size FAISS derives for each quantizer type (ScalarQuantizer::set_derived_sizes). */
export function sqCodeSize(qtype: number, d: number): number | null {
  switch (qtype) {
    case 0:
    case 2:
    case 5:
    case 8:
      return d;
    case 1:
    case 3:
      return Math.floor((d + 1) / 2);
    case 6:
      return Math.floor((d * 6 + 7) / 8);
    case 4:
    case 7:
      return 2 * d;
    default:
      return null;
  }
}

/** How many floats `trained` must hold for a quantizer type. */
export function sqTrainedLength(qtype: number, d: number): number | null {
  if (qtype === 0 || qtype === 1 || qtype === 6) return 2 * d;
  if (qtype === 2 || qtype === 3) return 2;
  return null;
}

export function sqDecoder(p: SqParams, name: string): CodeDecoder {
  const { qtype, d, codeSize, trained } = p;
  const nonUniform = qtype === 0 || qtype === 1 || qtype === 6;
  const uniform = qtype === 2 || qtype === 3;
  // Per-component code → [0,1] value, as Codec8bit / Codec4bit / Codec6bit::decode_component.
  const component = (code: Uint8Array, base: number, i: number): number => {
    switch (qtype) {
      case 0:
      case 2:
        return f((code[base + i]! + 0.5) / 255);
      case 1:
      case 3:
        return f((((code[base + (i >> 1)]! >> ((i & 1) * 4)) & 15) + 0.5) / 15);
      default: {
        const b = base + (i >> 2) * 3;
        let bits: number;
        switch (i & 3) {
          case 0:
            bits = code[b]! & 0x3f;
            break;
          case 1:
            bits = (code[b]! >> 6) | ((code[b + 1]! & 0xf) << 2);
            break;
          case 2:
            bits = (code[b + 1]! >> 4) | ((code[b + 2]! & 3) << 4);
            break;
          default:
            bits = code[b + 2]! >> 2;
        }
        return f((bits + 0.5) / 63);
      }
    }
  };
  let decodeRow: (code: Uint8Array, base: number, out: Float32Array, o: number) => void;
  if (nonUniform) {
    const vmin = trained.subarray(0, d);
    const vdiff = trained.subarray(d, 2 * d);
    decodeRow = (code, base, out, o) => {
      for (let i = 0; i < d; i++) out[o + i] = f(vmin[i]! + f(component(code, base, i) * vdiff[i]!));
    };
  } else if (uniform) {
    const vmin = trained[0]!;
    const vdiff = trained[1]!;
    decodeRow = (code, base, out, o) => {
      for (let i = 0; i < d; i++) out[o + i] = f(vmin + f(component(code, base, i) * vdiff));
    };
  } else if (qtype === 4) {
    const table = halfToFloat();
    decodeRow = (code, base, out, o) => {
      for (let i = 0; i < d; i++) out[o + i] = table[code[base + 2 * i]! | (code[base + 2 * i + 1]! << 8)]!;
    };
  } else if (qtype === 7) {
    const u = new Uint32Array(1);
    const fl = new Float32Array(u.buffer);
    decodeRow = (code, base, out, o) => {
      for (let i = 0; i < d; i++) {
        u[0] = ((code[base + 2 * i]! | (code[base + 2 * i + 1]! << 8)) << 16) >>> 0;
        out[o + i] = fl[0]!;
      }
    };
  } else if (qtype === 5) {
    decodeRow = (code, base, out, o) => {
      for (let i = 0; i < d; i++) out[o + i] = code[base + i]!;
    };
  } else if (qtype === 8) {
    decodeRow = (code, base, out, o) => {
      for (let i = 0; i < d; i++) out[o + i] = code[base + i]! - 128;
    };
  } else {
    throw new RangeError(`scalar quantizer type ${qtype} has no decoder`);
  }
  return {
    codeSize,
    raw: false,
    exact: false,
    describe: name,
    decode(codes, n, out, outRow) {
      for (let r = 0; r < n; r++) decodeRow(codes, r * codeSize, out, (outRow + r) * d);
    },
  };
}

export interface PqParams {
  d: number;
  M: number;
  nbits: number;
  /** (M, 2^nbits, d/M) row-major. */
  centroids: Float32Array;
}

export function pqCodeSize(M: number, nbits: number): number {
  return Math.floor((M * nbits + 7) / 8);
}

export function pqDecoder(p: PqParams): CodeDecoder {
  const { d, M, nbits, centroids } = p;
  const dsub = d / M;
  const ksub = 2 ** nbits;
  const codeSize = pqCodeSize(M, nbits);
  const mask = ksub - 1;
  return {
    codeSize,
    raw: false,
    exact: false,
    describe: `PQ M=${M} nbits=${nbits}`,
    decode(codes, n, out, outRow) {
      for (let r = 0; r < n; r++) {
        const base = r * codeSize;
        const o = (outRow + r) * d;
        for (let m = 0; m < M; m++) {
          let k: number;
          if (nbits === 8) {
            k = codes[base + m]!;
          } else {
            // Little-endian bit stream: sub-code m occupies bits [m·nbits, (m+1)·nbits) (PQDecoderGeneric).
            const bit = m * nbits;
            let byte = base + (bit >> 3);
            const shift = bit & 7;
            let acc = 0;
            let got = 0;
            // Gather enough bytes (nbits ≤ 24 plus a shift ≤ 7 fits in 32 bits; use multiplication to stay unsigned).
            while (got < nbits + shift) {
              acc += codes[byte++]! * 2 ** got;
              got += 8;
            }
            k = Math.floor(acc / 2 ** shift) & mask;
          }
          const c = (m * ksub + k) * dsub;
          for (let j = 0; j < dsub; j++) out[o + m * dsub + j] = centroids[c + j]!;
        }
      }
    },
  };
}
