/**
 * The few Qdrant reads verification and the report need: count, retrieve, id scroll, query. The transport
 * (bigint-safe JSON, retries with backoff and Retry-After, error wording) is the shared one in
 * qdrant/rest-reads.ts, which the points browser uses too.
 */
import { UserError } from '../../../shared/errors';
import { collectionPath, parseIdsPage, parseTypedJson, qdrantRead, safeUrl, type CollectionTarget, type RawPoint, type RawPointId } from '../qdrant/rest-reads';

export { parseIdsPage, rawIdToString, safeUrl, type RawPoint, type RawPointId } from '../qdrant/rest-reads';

export class QdrantRest {
  constructor(
    private readonly target: CollectionTarget,
    private readonly timeoutMs = 120_000,
  ) {}

  get collection(): string {
    return this.target.collection;
  }

  /**
   * One read: a 2xx body's `result`, null when Qdrant answers 404 (the collection is missing), or a UserError
   * naming the URL, the request and Qdrant's own message.
   */
  private async call<T>(
    method: 'GET' | 'POST',
    suffix: string,
    body?: unknown,
    parse?: (text: string) => { result: T },
  ): Promise<{ status: number; result: T | null }> {
    const r = await qdrantRead<T>(this.target, method, collectionPath(this.target.collection, suffix), body, { timeoutMs: this.timeoutMs, parse });
    if (r.status === 404) return { status: 404, result: null };
    if (r.status < 200 || r.status >= 300) {
      throw new UserError('connection', `Qdrant at ${safeUrl(this.target.qdrantUrl)} answered HTTP ${r.status} to ${r.request}: ${r.error ?? ''}`);
    }
    return { status: r.status, result: r.result };
  }

  private missing(): UserError {
    return new UserError(
      'usage',
      `collection "${this.target.collection}" does not exist in Qdrant at ${safeUrl(this.target.qdrantUrl)}: run "xnai-migrate run" first or check QDRANT_COLLECTION`,
    );
  }

  /** The collection's info as Qdrant returns it, or null when the collection does not exist. */
  async collectionInfo(): Promise<Record<string, unknown> | null> {
    const { result } = await this.call<Record<string, unknown>>('GET', '');
    return result;
  }

  async count(): Promise<number> {
    const { result } = await this.call<{ count: number }>('POST', '/points/count', { exact: true });
    if (!result) throw this.missing();
    return Number(result.count);
  }

  /**
   * Points by id. Payload numbers keep the type Qdrant stored (a float literal becomes a PyFloat, an int stays
   * exact: the engine's convention), so a float that became an int is seen; vectors come back as numbers.
   */
  async retrieve(ids: readonly (bigint | string)[], withVector: boolean, withPayload: boolean): Promise<RawPoint[]> {
    const { result } = await this.call<RawPoint[]>(
      'POST',
      '/points',
      { ids, with_vector: withVector, with_payload: withPayload },
      parseTypedJson,
    );
    if (!result) throw this.missing();
    for (const p of result) if (Array.isArray(p.vector)) p.vector = p.vector.map(Number);
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
      '/points/scroll',
      { offset, limit, with_payload: false, with_vector: false },
      parseIdsPage,
    );
    if (!result) throw this.missing();
    const next = result.next_page_offset ?? null;
    return { points: result.points, next: typeof next === 'string' && /^\d+$/.test(next) ? BigInt(next) : next };
  }

  /** Nearest points to `vector`: exact (full scan) or through the HNSW index. */
  async query(vector: Float32Array, limit: number, exact: boolean): Promise<RawPoint[]> {
    const { result } = await this.call<{ points: RawPoint[] }>('POST', '/points/query', {
      // Each float32 widens exactly to a double, printed as that double's shortest decimal: Qdrant parses it
      // back to the same f32 (longer text than the f32's own shortest form, but exact).
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

