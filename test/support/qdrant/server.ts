/**
 * The HTTP side of the stand-in: routing, API-key check, body size limit, fault injection, OpenAPI
 * validation of every request and response, and Qdrant's `{result, status, time}` envelope.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handlers, type HandlerResult, type RequestContext } from './api';
import { QdrantHttpError } from './errors';
import { FaultController, type Match } from './faults';
import { parseBody } from './json-in';
import { toPlain, writeJson } from './json-out';
import { describeViolation, fieldPath, loadOpenApi, type OpenApiVersion, type QdrantOpenApi } from './openapi';
import { matchRoute } from './routes';
import { Storage } from './storage';

export interface StandInOptions {
  /** Port to listen on (0 or absent: a free one). A restart keeps it. */
  port?: number;
  /** Which Qdrant OpenAPI document to hold requests and responses to (default 1.19.0). */
  openapiVersion?: OpenApiVersion;
  /** service.max_request_size_mb (default 32). */
  maxRequestSizeMb?: number;
  /** service.api_key: when set, every request but `/`, `/healthz`, `/livez`, `/readyz` needs it. */
  apiKey?: string;
  /** Validate against the OpenAPI document (default true when the document is present). */
  validate?: boolean;
}

/** A request or response that broke the OpenAPI contract, as the stand-in recorded it. */
export interface ContractViolation {
  direction: 'request' | 'response';
  operationId: string;
  message: string;
}

const UNAUTHENTICATED = new Set(['root', 'healthz', 'livez', 'readyz']);

export class StandInServer {
  readonly storage = new Storage();
  readonly faults: FaultController;
  readonly violations: ContractViolation[] = [];
  readonly openapi: QdrantOpenApi | null;
  readonly version: OpenApiVersion;
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  private stalled = new Set<ServerResponse>();
  private corruptions: { fn: (body: Record<string, unknown>) => void; match: Match | undefined }[] = [];
  private readonly limitBytes: number;
  port: number;

  constructor(private readonly options: StandInOptions = {}) {
    this.version = options.openapiVersion ?? '1.19.0';
    this.openapi = options.validate === false ? null : loadOpenApi(this.version);
    this.limitBytes = Math.round((options.maxRequestSizeMb ?? 32) * 1024 * 1024);
    this.port = options.port ?? 0;
    this.faults = new FaultController({
      down: () => this.close(),
      up: () => this.listen(),
      setAsyncApplyDelay: (ms) => (this.storage.asyncApplyDelayMs = ms),
      setOptimizing: (name, ms) => {
        const c = this.storage.collections.get(name);
        if (c) c.optimizingUntil = Date.now() + ms;
      },
      corruptNextResponse: (fn, match) => this.corruptions.push({ fn, match }),
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.sendError(res, new QdrantHttpError(500, `Service internal error: ${e instanceof Error ? e.message : String(e)}`), undefined);
      });
    });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        const addr = server.address();
        if (addr && typeof addr === 'object') this.port = addr.port;
        resolve();
      });
    });
    this.server = server;
  }

  /** Close the port and every open connection (clients see ECONNRESET / ECONNREFUSED). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // Let clients in this process see their sockets close before anyone reuses a pooled connection
    // (otherwise the first request after a restart races the FIN and fails with "other side closed").
    await new Promise((r) => setTimeout(r, 25));
  }

  /**
   * A crash and restart on the same port: every acknowledged write survives (Qdrant replays its WAL), unless
   * `loseQueued` asks for the fault of losing the queued wait=false writes.
   */
  async restart(downMs = 0, loseQueued = false): Promise<{ lostOperations: number }> {
    await this.close();
    const lostOperations = this.storage.crash(loseQueued);
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.listen();
    return { lostOperations };
  }

  private record(method: string, path: string, operationId: string | undefined, status: number): void {
    this.faults.log.push({ method, path, operationId, status });
    if (this.faults.log.length > 10_000) this.faults.log.splice(0, 5_000);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = (req.method ?? 'GET').toUpperCase();
    const routed = matchRoute(method, url.pathname);
    const operationId = routed && 'route' in routed ? routed.route.operationId : undefined;
    const decision = this.faults.decide({ method, path: url.pathname, operationId });
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    const action = decision.action;
    if (action?.kind === 'drop' && action.when === 'before') {
      this.record(method, url.pathname, operationId, 0);
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'stall') {
      this.record(method, url.pathname, operationId, 0);
      this.stalled.add(res);
      res.on('close', () => this.stalled.delete(res));
      req.resume();
      return;
    }
    if (action?.kind === 'status') {
      req.resume();
      const headers: Record<string, string> = {};
      if (action.status === 429 && action.retryAfter !== undefined) headers['retry-after'] = String(action.retryAfter);
      const text = action.message ?? (action.status === 429 ? 'Too many requests: rate limit exceeded' : action.status === 503 ? 'Service unavailable: the stand-in is injecting a fault' : 'Service internal error: the stand-in is injecting a fault');
      this.record(method, url.pathname, operationId, action.status);
      this.sendError(res, new QdrantHttpError(action.status, text, headers), operationId, started);
      return;
    }

    if (!routed) {
      req.resume();
      this.record(method, url.pathname, undefined, 404);
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    if ('methodNotAllowed' in routed) {
      req.resume();
      this.record(method, url.pathname, undefined, 405);
      res.writeHead(405, { 'content-length': '0' }).end();
      return;
    }
    const { route, params } = routed;
    try {
      if (this.options.apiKey && !UNAUTHENTICATED.has(route.operationId)) this.checkApiKey(req);
      const chunks = await this.readBody(req);
      const ctx: RequestContext = { params, query: url.searchParams, body: undefined, storage: this.storage, version: this.version, faults: this.faults };
      this.validateQuery(route.operationId, url.searchParams);
      if (chunks.length > 0) this.parseRequest(route.operationId, chunks, ctx);
      else this.validateBody(route.operationId, undefined);
      const handler = handlers[route.operationId];
      if (!handler) throw new QdrantHttpError(404, `Not found: ${route.template}`);
      const out = handler(ctx);
      if (action?.kind === 'drop') {
        // after-apply: the write happened, the answer never arrives.
        this.record(method, url.pathname, operationId, 0);
        req.socket.destroy();
        return;
      }
      this.record(method, url.pathname, operationId, 200);
      this.sendResult(res, out, route.operationId, started);
    } catch (e) {
      if (!(e instanceof QdrantHttpError)) throw e;
      this.record(method, url.pathname, operationId, e.httpStatus);
      this.sendError(res, e, route.operationId, started);
    }
  }

  private checkApiKey(req: IncomingMessage): void {
    const key = req.headers['api-key'];
    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    // Qdrant's auth middleware answers before the JSON layer: 401 with the bare text.
    if (key === undefined && bearer === undefined) throw new QdrantHttpError(401, 'Must provide an API key or an Authorization bearer token', {}, true);
    if (key !== this.options.apiKey && bearer !== this.options.apiKey) throw new QdrantHttpError(401, 'Invalid API key or JWT', {}, true);
  }

  /** The body in the pieces it arrived in (none when empty), refused as actix refuses it when it exceeds max_request_size_mb. */
  private readBody(req: IncomingMessage): Promise<Buffer[]> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > this.limitBytes) {
      req.resume();
      return Promise.reject(new QdrantHttpError(400, `JSON payload (${declared} bytes) is larger than allowed (limit: ${this.limitBytes} bytes).`));
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > this.limitBytes) over = true;
        else if (c.length > 0) chunks.push(c);
      });
      req.on('end', () => (over ? reject(new QdrantHttpError(400, `JSON payload has exceeded limit (${this.limitBytes} bytes).`)) : resolve(chunks)));
      req.on('error', reject);
    });
  }

  private validateQuery(operationId: string, query: URLSearchParams): void {
    const s = this.openapi?.schemasFor(operationId);
    if (!s) return;
    for (const p of s.query) {
      const raw = query.get(p.name);
      if (raw === null) {
        if (p.required) throw new QdrantHttpError(400, `Deserialize error in query parameters: missing field \`${p.name}\``);
        continue;
      }
      let v: unknown = raw;
      if (p.type === 'boolean') v = raw === 'true' ? true : raw === 'false' ? false : raw;
      else if (p.type === 'integer' || p.type === 'number') v = raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
      if (!p.validate(v)) {
        // serde_urlencoded's words, which name the problem but not the parameter.
        const e = p.validate.errors?.[0];
        const allowed = (e?.keyword === 'enum' ? (e.params as { allowedValues?: unknown[] }).allowedValues : undefined)?.filter((x) => x !== null);
        const what =
          p.type === 'boolean'
            ? 'provided string was not `true` or `false`'
            : allowed
              ? `unknown variant \`${raw}\`, expected one of ${allowed.map((x) => `\`${String(x)}\``).join(', ')}`
              : p.type === 'integer' && typeof v === 'string'
                ? 'invalid digit found in string'
                : (e?.message ?? 'invalid value');
        throw new QdrantHttpError(400, `Deserialize error in query parameters: ${what}`);
      }
    }
  }

  /** `plain`: the body already in plain JSON form (no bigint), when the caller has it. */
  private validateBody(operationId: string, body: unknown, plainForm?: unknown): void {
    const s = this.openapi?.schemasFor(operationId);
    if (!s?.body) return;
    if (body === undefined) {
      if (s.bodyRequired) throw new QdrantHttpError(400, 'Format error in JSON body: EOF while parsing a value at line 1 column 0');
      return;
    }
    const plain = plainForm ?? toPlain(body);
    if (s.body(plain)) return;
    // Qdrant reads an upsert by its key (`batch`, else `points`), not as the schema's either-or.
    if (operationId === 'upsert_points' && !(plain !== null && typeof plain === 'object' && ('batch' in plain || 'points' in plain))) {
      this.violations.push({ direction: 'request', operationId, message: 'Invalid PointInsertOperations format' });
      throw new QdrantHttpError(400, 'Format error in JSON body: Invalid PointInsertOperations format');
    }
    const full = s.body.errors ?? [];
    const structure = s.bodyStructure()!;
    const structural = structure(plain) ? null : (structure.errors ?? []);
    const v = describeViolation(this.openapi!, full, structural, plain, operationId, body);
    this.violations.push({ direction: 'request', operationId, message: v.message });
    throw new QdrantHttpError(v.status, v.status === 422 ? `Validation error in JSON body: [${v.message}]` : `Format error in JSON body: ${v.message}`);
  }

  /** One parser for every body: lossless-json (exact big integers), then the OpenAPI check. */
  private parseRequest(operationId: string, chunks: Buffer[], ctx: RequestContext): void {
    const body = parseBody(Buffer.concat(chunks).toString('utf8'));
    this.validateBody(operationId, body);
    ctx.body = body;
  }

  private checkResponse(operationId: string | undefined, ok: boolean, body: unknown): void {
    if (!this.openapi || !operationId) return;
    const s = this.openapi.schemasFor(operationId);
    const validate = ok ? s?.ok : s?.error;
    if (!validate) return;
    if (validate(toPlain(body))) return;
    const e = validate.errors![0]!;
    const message = `${operationId} response violates Qdrant ${this.version} OpenAPI: ${fieldPath(e.instancePath) || '(root)'} ${e.message ?? ''}${e.keyword === 'required' ? '' : ''}`.trim();
    this.violations.push({ direction: 'response', operationId, message });
    throw new QdrantHttpError(500, `Service internal error: ${message}`);
  }

  private elapsed(started: bigint | undefined): number {
    return started === undefined ? 0 : Number(process.hrtime.bigint() - started) / 1e9;
  }

  private sendResult(res: ServerResponse, out: HandlerResult, operationId: string, started: bigint): void {
    let body: unknown;
    let contentType: string;
    if ('raw' in out) {
      body = out.raw;
      contentType = out.contentType;
    } else {
      body = { result: out.result, status: 'ok', time: this.elapsed(started) };
      contentType = 'application/json';
    }
    const corruption = this.corruptions.findIndex((c) => !c.match || c.match.operation === undefined || [c.match.operation].flat().includes(operationId));
    if (corruption >= 0 && body !== null && typeof body === 'object') {
      const [c] = this.corruptions.splice(corruption, 1);
      c!.fn(body as Record<string, unknown>);
    }
    try {
      if (contentType === 'application/json') this.checkResponse(operationId, true, body);
    } catch (e) {
      this.sendError(res, e as QdrantHttpError, undefined, started);
      return;
    }
    const text = typeof body === 'string' ? body : writeJson(body);
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) }).end(text);
  }

  private sendError(res: ServerResponse, e: QdrantHttpError, operationId: string | undefined, started?: bigint): void {
    if (e.plainText) {
      res.writeHead(e.httpStatus, { 'content-length': Buffer.byteLength(e.message), ...e.headers }).end(e.message);
      return;
    }
    const body = { status: { error: e.message }, time: this.elapsed(started) };
    try {
      this.checkResponse(operationId, false, body);
    } catch {
      // Recorded in violations; the error still goes out.
    }
    const text = writeJson(body);
    res.writeHead(e.httpStatus, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...e.headers }).end(text);
  }
}
