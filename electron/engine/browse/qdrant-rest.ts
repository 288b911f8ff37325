/**
 * A minimal Qdrant REST call for the points browser. Why not @qdrant/js-client-rest here: it parses replies
 * with JSON.parse, which rounds point ids and payload integers above 2^53; the browser must show them exactly.
 * So bodies go out and come back through the bigint-safe JSON of shared/json.ts.
 */
import { parseJson, stringifyJson } from '../../../shared/json';
import { UserError } from '../../../shared/errors';

export interface QdrantTarget {
  qdrantUrl: string;
  qdrantApiKey?: string | undefined;
}

export interface QdrantReply<T> {
  status: number;
  result: T | null;
  error: string | null;
}

const TIMEOUT_MS = 30_000;

export async function qdrantCall<T>(target: QdrantTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<QdrantReply<T>> {
  const url = new URL(path, target.qdrantUrl.endsWith('/') ? target.qdrantUrl : `${target.qdrantUrl}/`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (target.qdrantApiKey) headers['api-key'] = target.qdrantApiKey;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : stringifyJson(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    throw new UserError('connection', `cannot reach Qdrant at ${target.qdrantUrl} (${cause}); check QDRANT_URL and that Qdrant is running`);
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403) {
    throw new UserError('connection', `Qdrant at ${target.qdrantUrl} refused the request (HTTP ${res.status}); check QDRANT_API_KEY`);
  }
  let parsed: { result?: T; status?: unknown } | null = null;
  try {
    parsed = text ? parseJson(text) : null;
  } catch {
    parsed = null;
  }
  const errorText =
    parsed && typeof parsed.status === 'object' && parsed.status !== null && 'error' in parsed.status
      ? String((parsed.status as { error: unknown }).error)
      : res.ok
        ? null
        : text.slice(0, 200) || res.statusText;
  return { status: res.status, result: res.ok ? (parsed?.result ?? null) : null, error: errorText };
}

/** The result of a call that must succeed; a refusal becomes one line naming what was asked. */
export async function qdrantOk<T>(target: QdrantTarget, method: 'GET' | 'POST', path: string, body?: unknown, what = path): Promise<T> {
  const r = await qdrantCall<T>(target, method, path, body);
  if (r.status >= 200 && r.status < 300 && r.result !== null) return r.result;
  const kind = r.status === 400 || r.status === 422 ? 'usage' : 'connection';
  throw new UserError(kind, `Qdrant refused ${what} (HTTP ${r.status}): ${r.error ?? 'no reason given'}`);
}

export function collectionPath(collection: string, rest = ''): string {
  return `collections/${encodeURIComponent(collection)}${rest}`;
}
