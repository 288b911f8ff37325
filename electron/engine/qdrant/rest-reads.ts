/**
 * Bigint-safe Qdrant REST reads, shared by the points browser and verification/report. Why not
 * @qdrant/js-client-rest here: it parses replies with `JSON.parse`, which rounds point ids and payload integers
 * above 2^53. Here every request body goes out through `stringifyJson` (bigint ids as bare integer literals)
 * and every reply comes back through `parseJson` (integers beyond 2^53 become bigint), so ids are exact.
 *
 * Every call here only reads, so transient failures (connection refused or reset, 429, 502, 503, 504) are
 * retried a few times with backoff, honouring Retry-After, before they become the error.
 */
import { parse as losslessParse } from 'lossless-json';
import { parseJson, stringifyJson } from '../../../shared/json';
import { parseJsonNumber } from '../python-number';
import { UserError } from '../../../shared/errors';
import { describeConnectionError } from '../connection-failure';
import type { QdrantTarget } from './client';

export type { QdrantTarget } from './client';

/** A Qdrant server and the collection a read is about. */
export type CollectionTarget = QdrantTarget & { collection: string };

export type RawPointId = number | bigint | string;

export interface RawPoint {
  id: RawPointId;
  payload?: Record<string, unknown> | null;
  vector?: unknown;
  score?: number;
}

export interface ReadReply<T> {
  status: number;
  /** The reply's `result` for a 2xx, else null. */
  result: T | null;
  /** Qdrant's own reason for a non-2xx (its `status.error`, else the start of the body), else null. */
  error: string | null;
  /** `METHOD /path` as sent, for messages. */
  request: string;
}

export interface ReadOptions<T> {
  timeoutMs?: number;
  /** How a 2xx body is parsed; `parseJson` (bigint-safe) unless the caller has a faster exact parser. */
  parse?: (text: string) => { result: T };
}

/** The URL without user:password, for messages and reports. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

/** A collection's REST path relative to the server URL, name escaped. */
export function collectionPath(collection: string, rest = ''): string {
  return `collections/${encodeURIComponent(collection)}${rest}`;
}

const RETRIES = 4;
const TRANSIENT = new Set([429, 502, 503, 504]);
const DEFAULT_TIMEOUT_MS = 30_000;
const backoff = (attempt: number) => 200 * 2 ** attempt;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function endpoint(target: QdrantTarget, path: string): URL {
  try {
    const base = target.qdrantUrl.endsWith('/') ? target.qdrantUrl : `${target.qdrantUrl}/`;
    return new URL(path, base);
  } catch {
    throw new UserError('usage', `QDRANT_URL=${safeUrl(target.qdrantUrl)} is not a URL: use e.g. http://localhost:6333`);
  }
}

function reasonOf(text: string, statusText: string): string {
  try {
    const parsed = parseJson<{ status?: { error?: unknown } }>(text);
    if (parsed && typeof parsed.status === 'object' && parsed.status !== null && parsed.status.error !== undefined) return String(parsed.status.error);
  } catch {
    /* keep the raw text */
  }
  return text.slice(0, 300) || statusText;
}

/**
 * One read: the status with the parsed `result` (2xx) or Qdrant's reason (anything else), for the caller to
 * word. Unreachable (after the retries) and a refused API key are errors for every caller, so they throw here.
 */
export async function qdrantRead<T>(target: QdrantTarget, method: 'GET' | 'POST', path: string, body?: unknown, options: ReadOptions<T> = {}): Promise<ReadReply<T>> {
  const url = endpoint(target, path);
  const request = `${method} ${url.pathname}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (target.qdrantApiKey) headers['api-key'] = target.qdrantApiKey;
  const payload = body === undefined ? undefined : stringifyJson(body);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= RETRIES;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      if (!last) {
        await sleep(backoff(attempt));
        continue;
      }
      throw new UserError('connection', describeConnectionError('Qdrant', safeUrl(target.qdrantUrl), e));
    }
    const text = await res.text();
    if (TRANSIENT.has(res.status) && !last) {
      const retryAfter = Number(res.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : backoff(attempt));
      continue;
    }
    if (res.status === 401 || res.status === 403) {
      throw new UserError('connection', `Qdrant at ${safeUrl(target.qdrantUrl)} refused the request (HTTP ${res.status}): check QDRANT_API_KEY`);
    }
    if (!res.ok) return { status: res.status, result: null, error: reasonOf(text, res.statusText), request };
    let result: T | undefined;
    try {
      result = (options.parse ?? parseJson<{ result: T }>)(text).result;
    } catch {
      throw new UserError('connection', `Qdrant at ${safeUrl(target.qdrantUrl)} answered ${request} with a reply that is not JSON (HTTP ${res.status}): is QDRANT_URL a Qdrant server?`);
    }
    return { status: res.status, result: result ?? null, error: null, request };
  }
}

/** The result of a read that must succeed; a refusal becomes one line naming what was asked. */
export async function qdrantReadOk<T>(target: QdrantTarget, method: 'GET' | 'POST', path: string, body: unknown, what: string, options?: ReadOptions<T>): Promise<T> {
  const r = await qdrantRead<T>(target, method, path, body, options);
  if (r.result !== null) return r.result;
  const kind = r.status === 400 || r.status === 422 ? 'usage' : 'connection';
  throw new UserError(kind, `Qdrant refused ${what} (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
}

/**
 * A reply whose numbers keep Python's int/float distinction (see ../python-number): what Qdrant stored as
 * a float (written `5.0`) is a PyFloat, an int stays exact at any size. For reads that compare payloads.
 */
export function parseTypedJson<T>(text: string): { result: T } {
  return losslessParse(text, null, parseJsonNumber) as { result: T };
}

/** A scroll page whose integer ids arrive as decimal strings (exact at any size). */
export function parseIdsPage<T>(text: string): { result: T } {
  return JSON.parse(text.replace(/"(id|next_page_offset)":\s*(\d+)/g, '"$1":"$2"')) as { result: T };
}

/** A point id from a response as the contract's string form (decimal or lower-case UUID). */
export function rawIdToString(id: RawPointId): string {
  if (typeof id === 'string') return id.toLowerCase();
  if (typeof id === 'bigint') return id.toString();
  if (!Number.isSafeInteger(id)) throw new Error(`point id ${id} is not an exact integer`);
  return String(id);
}

