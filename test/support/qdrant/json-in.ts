/**
 * The general request-body parser (the "slow path"): lossless-json (a maintained parser that hands every
 * number over as text, which JSON.parse cannot do), so integers beyond 2^53 become bigint
 * instead of being rounded, and numbers serde_json would refuse (overflowing f64) are refused with
 * serde's words. Syntax errors come back as Qdrant's 400 "Format error in JSON body: ...".
 */
import { parse, isSafeNumber } from 'lossless-json';
import { formatError } from './errors';

class OutOfRange extends Error {}

/**
 * A JSON number written as a float (`1.0`, `1e2`) whose value is a whole number. serde_json keeps it an f64,
 * so Qdrant stores a payload value `1.0` as a float (written back as `1.0`, not matched by `match: {value: 1}`)
 * and refuses it as a point id ("value 1 is not a valid point ID"). A plain JavaScript number cannot tell
 * `1.0` from `1`, so such numbers are parsed into this box; `valueOf()` keeps arithmetic working. After
 * parsing, `unboxFloats()` keeps the box only where the difference shows: payloads and point ids.
 */
export class JsonFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

function parseNumber(text: string): number | bigint | JsonFloat {
  if (/^-?\d+$/.test(text)) return isSafeNumber(text) ? Number(text) : BigInt(text);
  const n = Number(text);
  if (!Number.isFinite(n)) throw new OutOfRange(text);
  return Number.isInteger(n) ? new JsonFloat(n) : n;
}

/** Keys whose value is a point id, or a list of them (a list of point objects is walked as usual). */
const ID_KEYS = new Set(['id', 'offset']);
const ID_LIST_KEYS = new Set(['ids', 'points', 'has_id']);

/**
 * The parsed body with every JsonFloat replaced by its number, except inside payloads (`payload`, `payloads`)
 * and where a point id stands: there the float-ness decides what Qdrant does.
 */
export function unboxFloats(v: unknown, key = ''): unknown {
  if (v instanceof JsonFloat) return ID_KEYS.has(key) ? v : v.value;
  if (v === null || typeof v !== 'object') return v;
  if (key === 'payload' || key === 'payloads') return v;
  if (Array.isArray(v)) return v.map((x) => (x instanceof JsonFloat && ID_LIST_KEYS.has(key) ? x : unboxFloats(x)));
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = unboxFloats(o[k], k);
  return o;
}

function lineColumn(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line} column ${col}`;
}

export function parseBody(text: string): unknown {
  if (text.trim() === '') throw formatError('EOF while parsing a value at line 1 column 0');
  try {
    // Duplicate keys: the last one wins, as serde_json builds a payload map (Qdrant's structs would
    // refuse a duplicate field; the stand-in does not model that difference).
    return unboxFloats(parse(text, null, { parseNumber, onDuplicateKey: ({ newValue }) => newValue }));
  } catch (e) {
    if (e instanceof OutOfRange) {
      const pos = text.indexOf(e.message);
      throw formatError(`number out of range at ${lineColumn(text, pos + e.message.length)}`);
    }
    const msg = e instanceof Error ? e.message : String(e);
    const m = / at position (\d+)$/.exec(msg);
    const pos = m ? Number(m[1]) : text.length;
    throw formatError(`${msg.replace(/ at position \d+$/, '')} at ${lineColumn(text, pos)}`);
  }
}
