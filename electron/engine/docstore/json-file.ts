/**
 * Reads a JSON docstore file: size-bounded, prototype-safe (JSON.parse and lossless-json both store
 * `__proto__` as an ordinary own key), exact for integers beyond 2^53, and keeping Python's int/float
 * distinction (a literal with `.`, `e` or `E` is a float: see ../python-number). `JSON.parse` cannot say
 * whether `5.0` was a float, so it is used only for text with no float literal and no 16+ digit integer,
 * where it gives the same values several times faster; everything else goes through lossless-json with
 * the engine's number parser.
 */
import { parse as losslessParse } from 'lossless-json';
import { UserError } from '../../../shared/errors';
import { PyFloat, parseJsonNumber } from '../python-number';
import { MAX_JSON_BYTES, maxDocstoreBytes, readBoundedFile } from './limits';

/** An integer literal long enough that JSON.parse might round it (cheap over-approximation). */
const LONG_INT = /[[:,]\s*-?\d{16,}\s*[,\]}]/;
/** A number after ":", "," or "[" with a fraction or exponent: the text may hold a float literal (text inside strings can match too: harmless). */
const FLOAT_LIKE = /[:,[]\s*-?\d+(?:\.\d|[eE])/;

/** JSON text → engine values (ints as number/bigint, floats as PyFloat). Throws SyntaxError/RangeError. */
export function parseDocstoreJson(text: string): unknown {
  if (!LONG_INT.test(text) && !FLOAT_LIKE.test(text)) return JSON.parse(text);
  return losslessParse(text, null, parseJsonNumber);
}

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const buf = await readBoundedFile(path, Math.min(MAX_JSON_BYTES, maxDocstoreBytes()), what);
  const text = buf.toString('utf8');
  try {
    return parseDocstoreJson(text);
  } catch (e) {
    if (e instanceof RangeError) throw new UserError('badInput', `${path}: the ${what} is nested thousands of levels deep; no document nests deeper than ${MAX_DOCUMENT_DEPTH}`);
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UserError('badInput', `${path}: the ${what} is not valid JSON (${msg})`);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
}

/** Deepest nesting allowed in a document (the same bound pickled metadata has). */
export const MAX_DOCUMENT_DEPTH = 200;

/**
 * Depth of nested arrays/objects in a parsed JSON value, walked without recursion and stopping at
 * `limit + 1`, so a hostile document is refused when the store opens rather than failing mid-run in
 * whatever serialises its payload.
 */
export function jsonDepthExceeds(value: unknown, limit = MAX_DOCUMENT_DEPTH): boolean {
  const todo: [unknown, number][] = [[value, 0]];
  while (todo.length) {
    const [v, d] = todo.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= limit) return true;
    if (v instanceof PyFloat) continue;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x !== null && typeof x === 'object') todo.push([x, d + 1]);
  }
  return false;
}
