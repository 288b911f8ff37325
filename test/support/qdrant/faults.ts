/**
 * Per-test fault injection. Each rule applies to requests that match it (by operationId, method or path)
 * and to the next N of them, or to a fraction of them (seeded, so a failing test replays the same way).
 */
import { idKey, parsePointId, type StoredId } from './ids';

export interface RequestInfo {
  method: string;
  path: string;
  operationId: string | undefined;
}

export type Match = { operation?: string | string[]; method?: string; path?: RegExp | string };

export type FaultAction =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: 429 | 500 | 502 | 503; retryAfter?: number; message?: string }
  /** Close the socket without answering: before the body is read, or after the write was applied. */
  | { kind: 'drop'; when: 'before' | 'after-apply' }
  /** Never answer (until the client gives up or the stand-in stops). */
  | { kind: 'stall' };

interface Rule {
  action: FaultAction;
  match: Match | undefined;
  remaining: number;
  rate: number;
}

export interface FaultRuleOptions {
  match?: Match;
}

/** What the server asks: which faults apply to this request. */
export interface FaultDecision {
  latencyMs: number;
  action: Exclude<FaultAction, { kind: 'latency' }> | undefined;
}

function matches(m: Match | undefined, r: RequestInfo): boolean {
  if (!m) return true;
  if (m.operation !== undefined) {
    const ops = Array.isArray(m.operation) ? m.operation : [m.operation];
    if (!r.operationId || !ops.includes(r.operationId)) return false;
  }
  if (m.method !== undefined && m.method.toUpperCase() !== r.method) return false;
  if (m.path !== undefined) {
    if (typeof m.path === 'string' ? r.path !== m.path : !m.path.test(r.path)) return false;
  }
  return true;
}

export class FaultController {
  private rules: Rule[] = [];
  /** Point ids (map keys) that upserts may not carry, with the reason given. */
  private readonly refused = new Map<string, string>();
  private seed = 0x9e3779b9;
  /** Every request the stand-in saw, with the status it answered (0: dropped or stalled). */
  readonly log: { method: string; path: string; operationId: string | undefined; status: number }[] = [];

  constructor(
    private readonly hooks: {
      down: () => Promise<void>;
      up: () => Promise<void>;
      setAsyncApplyDelay: (ms: number) => void;
      setOptimizing: (collection: string, ms: number) => void;
      corruptNextResponse: (fn: (body: Record<string, unknown>) => void, match?: Match) => void;
    },
  ) {}

  private add(action: FaultAction, times: number, rate: number, opts?: FaultRuleOptions): void {
    this.rules.push({ action, match: opts?.match, remaining: times, rate });
  }

  /** Delay every matching request by `ms` (until reset). */
  latency(ms: number, opts?: FaultRuleOptions & { times?: number }): void {
    this.add({ kind: 'latency', ms }, opts?.times ?? Infinity, 1, opts);
  }

  /** Answer the next `times` matching requests with `status` (429 carries Retry-After: retryAfter seconds). */
  failNext(times: number, status: 429 | 500 | 502 | 503, opts?: FaultRuleOptions & { retryAfter?: number; message?: string }): void {
    this.add({ kind: 'status', status, retryAfter: opts?.retryAfter, message: opts?.message }, times, 1, opts);
  }

  /** Answer a fraction `rate` (0..1) of matching requests with `status`, until reset. */
  failRate(rate: number, status: 429 | 500 | 502 | 503, opts?: FaultRuleOptions & { retryAfter?: number }): void {
    this.add({ kind: 'status', status, retryAfter: opts?.retryAfter }, Infinity, rate, opts);
  }

  /**
   * Drop the connection of the next `times` matching requests: 'before' closes it before the request is
   * processed (nothing happens); 'after-apply' processes it (a write lands) and closes without answering,
   * the ambiguous case a client must resolve by retrying an idempotent write.
   */
  dropNext(times: number, opts?: FaultRuleOptions & { when?: 'before' | 'after-apply' }): void {
    this.add({ kind: 'drop', when: opts?.when ?? 'before' }, times, 1, opts);
  }

  /** Leave the next `times` matching requests unanswered until the client times out. */
  stallNext(times: number, opts?: FaultRuleOptions): void {
    this.add({ kind: 'stall' }, times, 1, opts);
  }

  /** wait=false writes stay queued `ms` before being applied (`restart({ loseQueued: true })` in that window loses them). */
  asyncApplyDelay(ms: number): void {
    this.hooks.setAsyncApplyDelay(ms);
  }

  /** Report the collection as optimising (status yellow) for `ms`. */
  optimizing(collection: string, ms: number): void {
    this.hooks.setOptimizing(collection, ms);
  }

  /** Test hook for the OpenAPI check: mutate the next matching success response before it is validated. */
  corruptNextResponse(fn: (body: Record<string, unknown>) => void, opts?: FaultRuleOptions): void {
    this.hooks.corruptNextResponse(fn, opts?.match);
  }

  /** Refuse connections (the port closes) until up(). */
  down(): Promise<void> {
    return this.hooks.down();
  }

  up(): Promise<void> {
    return this.hooks.up();
  }

  /**
   * Refuse every upsert that carries one of these point ids (plain or inside a batch update) with
   * Qdrant's 400 "Wrong input", until reset. Qdrant refuses a whole request for one bad point, so a
   * client has to find the bad ones itself (the engine splits the batch) and can send them again later.
   */
  rejectPoints(ids: readonly (number | bigint | string)[], opts?: { reason?: string }): void {
    for (const id of ids) this.refused.set(idKey(parsePointId(id)), opts?.reason ?? 'the point is refused by a stand-in fault');
  }

  /** The error text for a write of these ids, when one of them is refused (rejectPoints). */
  refusalFor(ids: Iterable<StoredId>): string | undefined {
    if (this.refused.size === 0) return undefined;
    for (const id of ids) {
      const reason = this.refused.get(idKey(id));
      if (reason !== undefined) return `point ${idKey(id)}: ${reason}`;
    }
    return undefined;
  }

  /** Remove every rule and refused point (the request log is kept). */
  reset(): void {
    this.rules = [];
    this.refused.clear();
    this.hooks.setAsyncApplyDelay(0);
  }

  private random(): number {
    // xorshift32: deterministic across runs.
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 0x100000000;
  }

  /** Called by the server for each request. */
  decide(r: RequestInfo): FaultDecision {
    let latencyMs = 0;
    let action: FaultDecision['action'];
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !matches(rule.match, r)) continue;
      if (rule.action.kind === 'latency') {
        latencyMs += rule.action.ms;
        rule.remaining--;
        continue;
      }
      if (action) continue;
      if (rule.rate < 1 && this.random() >= rule.rate) continue;
      rule.remaining--;
      action = rule.action;
    }
    this.rules = this.rules.filter((x) => x.remaining > 0);
    return { latencyMs, action };
  }
}
