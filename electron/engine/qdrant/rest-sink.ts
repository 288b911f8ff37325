/**
 * PointSink over Qdrant's REST API: PUT /collections/{name}/points?wait=true with bodies from
 * UpsertBodyWriter, over node:http(s) with a keep-alive agent. The official REST client is used for every
 * control call, but its upsert would JSON.stringify the points again (≈13,000 points/s), so the bulk path
 * posts its own bytes. Each call is one attempt; `upsertWithRecovery` decides about retries and splits.
 */
import http from 'node:http';
import https from 'node:https';
import { UpsertBodyWriter } from './body-writer';
import { SinkError, allPositions, type PointSink, type PreparedPoints } from './types';
import { explainConnectionError } from '../../../shared/connection-errors';

export interface RestSinkOptions {
  url: string;
  apiKey?: string | undefined;
  collection: string;
  ordering?: 'weak' | 'medium' | 'strong';
  /** The server's max_request_size_mb in bytes (32 MB by default in Qdrant). */
  maxRequestBytes?: number;
  /** Per request, ms: a wait=true upsert slower than this counts as a transient failure. */
  timeoutMs?: number;
  maxSockets?: number;
}

export const DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024;

function retryAfterMs(header: string | string[] | undefined): number | null {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return null;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function errorText(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { status?: { error?: string } | string };
    if (typeof parsed.status === 'object' && parsed.status?.error) return parsed.status.error;
    if (typeof parsed.status === 'string') return parsed.status;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300) || `HTTP ${status}`;
}

export class RestPointSink implements PointSink {
  readonly transport: string;
  private readonly agent: http.Agent;
  private readonly target: URL;
  private readonly request: typeof http.request;
  private readonly writers: UpsertBodyWriter[] = [];
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  /** The server's address for messages (no user info). */
  private readonly address: string;

  constructor(private readonly options: RestSinkOptions) {
    const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
    this.target = new URL(`collections/${encodeURIComponent(options.collection)}/points`, base);
    this.target.searchParams.set('wait', 'true');
    this.target.searchParams.set('ordering', options.ordering ?? 'weak');
    this.address = `${this.target.protocol}//${this.target.host}`;
    const secure = this.target.protocol === 'https:';
    this.request = secure ? https.request : http.request;
    const AgentClass = secure ? https.Agent : http.Agent;
    this.agent = new AgentClass({ keepAlive: true, maxSockets: options.maxSockets ?? 16, keepAliveMsecs: 10_000, noDelay: true } as http.AgentOptions);
    this.transport = `REST JSON over node:${secure ? 'https' : 'http'} keep-alive`;
    // a little headroom under the limit for headers the server may count
    this.maxBytes = (options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES) - 1024;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.headers = { 'content-type': 'application/json' };
    if (options.apiKey) this.headers['api-key'] = options.apiKey;
  }

  async upsert(points: PreparedPoints, order?: ArrayLike<number>, signal?: AbortSignal): Promise<void> {
    const positions = order ?? allPositions(points.ids.length);
    const writer = this.writers.pop() ?? new UpsertBodyWriter();
    let from = 0;
    while (from < positions.length) {
      const { body, next } = writer.encode(points, positions, from, this.maxBytes);
      // on failure the socket may still hold a reference to the body: that buffer is not reused
      await this.put(body, signal);
      from = next;
    }
    this.writers.push(writer);
  }

  private put(body: Buffer, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const req = this.request(this.target, {
        method: 'PUT',
        agent: this.agent,
        headers: { ...this.headers, 'content-length': String(body.length) },
        timeout: this.timeoutMs,
      });
      const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (err: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      req.on('timeout', () => req.destroy(new SinkError('transient', `Qdrant at ${this.address} did not answer within ${Math.round(this.timeoutMs / 1000)} s: it is overloaded or stopped, or a firewall drops the traffic`)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof SinkError) return done(e);
        if (signal?.aborted) return done(signal.reason ?? e);
        // every transport error is worth another try; the message says what it was and the likely fix
        done(new SinkError('transient', explainConnectionError({ service: 'Qdrant', address: this.address, code: e.code ?? null, message: e.message })));
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status === 200) {
          res.resume();
          res.on('end', () => done(null));
          res.on('error', (e) => done(new SinkError('transient', e.message)));
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => done(new SinkError('transient', e.message)));
        res.on('end', () => {
          const text = errorText(status, Buffer.concat(chunks).toString('utf8'));
          if (status === 429 || status >= 500) {
            done(new SinkError('transient', `HTTP ${status}: ${text}`, status, retryAfterMs(res.headers['retry-after'])));
          } else if (status === 401 || status === 403) {
            done(new SinkError('fatal', `Qdrant refused the API key (QDRANT_API_KEY): HTTP ${status}`, status));
          } else if (status === 404) {
            done(new SinkError('fatal', `collection "${this.options.collection}" no longer exists (deleted during the run?): ${text}`, status));
          } else {
            done(new SinkError('rejected', `HTTP ${status}: ${text}`, status));
          }
        });
      });
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
