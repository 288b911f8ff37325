/**
 * Control calls go through the official REST client (@qdrant/js-client-rest): version, collections,
 * payload indexes. This module turns its errors into one line a user can act on, never echoing the key.
 */
import { QdrantClient, QdrantClientTimeoutError, QdrantClientUnexpectedResponseError } from '@qdrant/js-client-rest';
import { UserError } from '../../../shared/errors';
import { explainConnectionError } from '../../../shared/connection-errors';
import { describeConnectionError } from '../connection-failure';

export interface QdrantTarget {
  qdrantUrl: string;
  qdrantApiKey?: string | undefined;
}

export function createQdrantClient(target: QdrantTarget, timeoutMs = 30_000): QdrantClient {
  let url: URL;
  try {
    url = new URL(target.qdrantUrl);
  } catch {
    throw new UserError('usage', `QDRANT_URL=${target.qdrantUrl} is not a URL: use e.g. http://localhost:6333`);
  }
  // the client takes host/port/prefix apart itself; pass the URL whole and keep any path prefix
  return new QdrantClient({
    url: url.toString().replace(/\/$/, ''),
    apiKey: target.qdrantApiKey || undefined,
    checkCompatibility: false,
    timeout: timeoutMs,
  });
}

/** HTTP status of a client error, when it has one. */
export function statusOf(e: unknown): number | null {
  if (e instanceof QdrantClientUnexpectedResponseError) {
    const m = /Unexpected Response: (\d{3})/.exec(e.message);
    return m ? Number(m[1]) : null;
  }
  const s = (e as { status?: unknown })?.status;
  return typeof s === 'number' ? s : null;
}

/** The server's own error text ("Wrong input: ...") out of a client error. */
export function serverMessage(e: unknown): string {
  if (e instanceof QdrantClientUnexpectedResponseError) {
    const m = /"error":\s*"([^"]+)"/.exec(e.message);
    if (m) return m[1]!;
    return e.message.split('\n')[0]!;
  }
  return reasonOf(e);
}

/** Why a request never got an answer: the deepest cause's code or message ("ECONNREFUSED"). */
export function reasonOf(e: unknown): string {
  if (e instanceof QdrantClientTimeoutError) return 'no reply (timeout)';
  let cur: unknown = e;
  let reason = e instanceof Error ? e.message : String(e);
  for (let depth = 0; depth < 5 && cur; depth++) {
    const err = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof err.code === 'string') reason = err.code;
    else if (Array.isArray(err.errors) && err.errors.length > 0) {
      const first = err.errors[0] as { code?: unknown; message?: unknown };
      if (typeof first.code === 'string') reason = first.code;
    } else if (typeof err.message === 'string' && err.message && err.message !== 'fetch failed') reason = err.message;
    cur = err.cause;
  }
  return reason;
}

/** Turns a failed control call into the user's line. */
export function qdrantError(e: unknown, url: string, what: string): UserError {
  if (e instanceof UserError) return e;
  const status = statusOf(e);
  if (status === 401 || status === 403) {
    return new UserError('connection', `Qdrant at ${url} refused the API key (QDRANT_API_KEY): HTTP ${status}; set the key the server expects`);
  }
  if (status !== null) return new UserError('connection', `Qdrant at ${url} failed to ${what}: HTTP ${status}: ${serverMessage(e)}`);
  if (e instanceof QdrantClientTimeoutError) return new UserError('connection', explainConnectionError({ service: 'Qdrant', address: url, code: 'ETIMEDOUT', message: 'no reply (timeout)' }));
  return new UserError('connection', describeConnectionError('Qdrant', url, e));
}

/**
 * Health and version first (GET /), then a call that needs the API key (list collections), so a wrong
 * key is reported as such and not as a missing collection later.
 */
export async function checkQdrant(client: QdrantClient, url: string): Promise<{ version: string }> {
  let version: string;
  try {
    const info = await client.versionInfo();
    version = info.version;
  } catch (e) {
    throw qdrantError(e, url, 'report its version');
  }
  try {
    await client.getCollections();
  } catch (e) {
    throw qdrantError(e, url, 'list collections');
  }
  return { version };
}
