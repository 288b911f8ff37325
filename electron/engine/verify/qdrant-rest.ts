/**
 * The few Qdrant REST calls verification and the report need, over plain `fetch` with a bigint-safe JSON
 * parse. The official client parses responses with `JSON.parse`, which rounds integer point ids above 2^53;
 * here every response goes through `parseJson` (integers beyond 2^53 become bigint) and every request body
 * through `stringifyJson` (bigint ids are written as bare integer literals), so an id is compared exactly.
 */
import { parseJson, stringifyJson } from '../../../shared/json';
import { UserError } from '../../../shared/errors';

export type RawPointId = number | bigint | string;

export interface RawPoint {
  id: RawPointId;
  payload?: Record<string, unknown> | null;
  vector?: unknown;
  score?: number;
}

export interface QdrantTarget {
  qdrantUrl: string;
  qdrantApiKey?: string | undefined;
  collection: string;
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

const RETRIES = 4;
const TRANSIENT = new Set([429, 502, 503, 504]);
const backoff = (attempt: number) => 200 * 2 ** attempt;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class QdrantRest {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly target: QdrantTarget,
    private readonly timeoutMs = 120_000,
  ) {
    this.base = target.qdrantUrl.replace(/\/+$/, '');
    this.headers = { 'content-type': 'application/json' };
    if (target.qdrantApiKey) this.headers['api-key'] = target.qdrantApiKey;
  }

  get collection(): string {
    return this.target.collection;
  }

  private path(suffix: string): string {
    return `${this.base}/collections/${encodeURIComponent(this.target.collection)}${suffix}`;
  }

  /**
   * One call: a 2xx body's `result`, or a UserError naming the URL and Qdrant's own message. Every call
   * here reads, so transient failures (connection refused or reset, 429, 502, 503, 504) are retried a few
   * times with backoff, honouring Retry-After, before they become the error.
   */
  private async call<T>(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    parse: (text: string) => { result: T } = parseJson,
  ): Promise<{ status: number; result: T | null }> {
    const payload = body === undefined ? undefined : stringifyJson(body);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= RETRIES;
      let res: Response;
      try {
        res = await fetch(url, { method, headers: this.headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (e) {
        if (!last) {
          await sleep(backoff(attempt));
          continue;
        }
        const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
        throw new UserError('connection', `cannot reach Qdrant at ${safeUrl(this.base)}: ${cause} (is it running? check QDRANT_URL)`);
      }
      const text = await res.text();
      if (TRANSIENT.has(res.status) && !last) {
        const retryAfter = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : backoff(attempt));
        continue;
      }
      if (res.status === 404) return { status: 404, result: null };
      if (res.status === 401 || res.status === 403) {
        throw new UserError('connection', `Qdrant at ${safeUrl(this.base)} refused the request (HTTP ${res.status}): check QDRANT_API_KEY`);
      }
      if (!res.ok) {
        let reason = text.slice(0, 300);
        try {
          const parsed = parseJson<{ status?: { error?: string } }>(text);
          if (parsed.status?.error) reason = parsed.status.error;
        } catch {
          /* keep the raw text */
        }
        throw new UserError('connection', `Qdrant at ${safeUrl(this.base)} answered HTTP ${res.status} to ${method} ${new URL(url).pathname}: ${reason}`);
      }
      return { status: res.status, result: parse(text).result };
    }
  }

  private missing(): UserError {
    return new UserError(
      'usage',
      `collection "${this.target.collection}" does not exist in Qdrant at ${safeUrl(this.base)}: run "xnai-migrate run" first or check QDRANT_COLLECTION`,
    );
  }

  /** The collection's info as Qdrant returns it, or null when the collection does not exist. */
  async collectionInfo(): Promise<Record<string, unknown> | null> {
    const { result } = await this.call<Record<string, unknown>>('GET', this.path(''));
    return result;
  }

  async count(): Promise<number> {
    const { result } = await this.call<{ count: number }>('POST', this.path('/points/count'), { exact: true });
    if (!result) throw this.missing();
    return Number(result.count);
  }

  async retrieve(ids: readonly (bigint | string)[], withVector: boolean, withPayload: boolean): Promise<RawPoint[]> {
    const { result } = await this.call<RawPoint[]>('POST', this.path('/points'), {
      ids,
      with_vector: withVector,
      with_payload: withPayload,
    });
    if (!result) throw this.missing();
    return result;
  }

  /**
   * One scroll page of ids only (no payload, no vector). Id coverage reads millions of ids, so this page is
   * parsed natively: with no payload in the response the only integers keyed "id" or "next_page_offset"
   * are point ids, which are quoted first so `JSON.parse` keeps their digits (about 60× faster than the
   * lossless parser on a page of 8,192 ids).
   */
  async scrollIds(offset: RawPointId | null, limit: number): Promise<{ points: RawPoint[]; next: RawPointId | null }> {
    const { result } = await this.call<{ points: RawPoint[]; next_page_offset?: RawPointId | null }>(
      'POST',
      this.path('/points/scroll'),
      { offset, limit, with_payload: false, with_vector: false },
      parseIdsPage,
    );
    if (!result) throw this.missing();
    const next = result.next_page_offset ?? null;
    return { points: result.points, next: typeof next === 'string' && /^\d+$/.test(next) ? BigInt(next) : next };
  }

  /** Nearest points to `vector`: exact (full scan) or through the HNSW index. */
  async query(vector: Float32Array, limit: number, exact: boolean): Promise<RawPoint[]> {
    const { result } = await this.call<{ points: RawPoint[] }>('POST', this.path('/points/query'), {
      // float32 values print as their shortest round-trip decimal, which Qdrant parses back to the same f32.
      query: Array.from(vector),
      limit,
      params: { exact },
      with_payload: false,
      with_vector: false,
    });
    if (!result) throw this.missing();
    return result.points;
  }
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
