/**
 * Reads a JSON docstore file: size-bounded, prototype-safe (JSON.parse and lossless-json both store
 * `__proto__` as an ordinary own key) and exact for integers beyond 2^53 (lossless-json, used only when
 * the text holds a 16+ digit integer literal, since it is several times slower than JSON.parse).
 */
import { parseJson } from '../../../shared/json';
import { UserError } from '../../../shared/errors';
import { MAX_JSON_BYTES, maxDocstoreBytes, readBoundedFile } from './limits';

/** An integer literal long enough that JSON.parse might round it (cheap over-approximation). */
const LONG_INT = /[[:,]\s*-?\d{16,}\s*[,\]}]/;

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const buf = await readBoundedFile(path, Math.min(MAX_JSON_BYTES, maxDocstoreBytes()), what);
  const text = buf.toString('utf8');
  try {
    return LONG_INT.test(text) ? parseJson(text) : JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UserError('badInput', `${path}: the ${what} is not valid JSON (${msg})`);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
