/**
 * The general request-body parser (the "slow path"): lossless-json (a maintained parser that hands every
 * number over as text, which JSON.parse cannot do), so integers beyond 2^53 become bigint
 * instead of being rounded, and numbers serde_json would refuse (overflowing f64) are refused with
 * serde's words. Syntax errors come back as Qdrant's 400 "Format error in JSON body: ...".
 */
import { parse, isSafeNumber } from 'lossless-json';
import { formatError } from './errors';

class OutOfRange extends Error {}

function parseNumber(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) return isSafeNumber(text) ? Number(text) : BigInt(text);
  const n = Number(text);
  if (!Number.isFinite(n)) throw new OutOfRange(text);
  return n;
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
    return parse(text, null, { parseNumber, onDuplicateKey: ({ newValue }) => newValue });
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
