/**
 * Outages in plain sight: while Redis or Qdrant does not answer, the run keeps its status (it is waiting,
 * not failing) and says so: an `outage` event when it begins (and at each new attempt, for the countdown)
 * and when it ends, a log line at both ends, a timeline entry at both ends, and the outage with its
 * duration in the run's document (`outages`), which the report and the Runs view show. The Qdrant side is
 * fed by the batch writer's retries, the Redis side by the store's availability changes.
 */
import type { ActiveOutage, EngineEvent, MigrationState, Outage, OutageService } from '../../../shared/contract';
import type { StateStore } from '../state/types';

const NAME: Record<OutageService, string> = { redis: 'Redis', qdrant: 'Qdrant' };
/** A checkpoint unanswered this long means the store stopped answering. */
export const STORE_SILENT_MS = 5000;
/** A countdown update at most this often per service (several batches retry at once). */
const RETRY_EVENT_MS = 500;

export interface OutageHooks {
  emit: (event: Extract<EngineEvent, { type: 'outage' }>) => void;
  say: (level: 'info' | 'warn', msg: string) => void;
  mark: (event: string, detail: string) => void;
  /** The run's document, where outages are kept (null before the preflight made one). */
  state: () => MigrationState | null;
  runId: () => string | null;
}

interface Open {
  active: ActiveOutage;
  record: Outage;
  lastEvent: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class OutageTracker {
  private readonly open = new Map<OutageService, Open>();

  constructor(private readonly hooks: OutageHooks) {}

  /** `service` failed to answer (again); the next attempt is at `retryAt`. */
  waiting(service: OutageService, address: string, reason: string, retryAt: number | null, now = Date.now()): void {
    const o = this.open.get(service);
    if (o) {
      o.active = { ...o.active, reason, retryAt, attempts: o.active.attempts + 1 };
      o.record.reason = reason;
      if (now - o.lastEvent >= RETRY_EVENT_MS) {
        o.lastEvent = now;
        this.hooks.emit({ type: 'outage', runId: this.hooks.runId(), phase: 'retry', outage: o.active, at: now });
      }
      return;
    }
    const active: ActiveOutage = { service, address, from: now, reason, retryAt, attempts: 1 };
    const record: Outage = { service, address, from: now, to: null, reason };
    this.open.set(service, { active, record, lastEvent: now });
    const state = this.hooks.state();
    if (state) (state.outages ??= []).push(record);
    this.hooks.mark('outage', `${NAME[service]} at ${address} stopped answering: ${reason}`);
    this.hooks.say('warn', `Waiting for ${NAME[service]}: ${reason}${retryAt !== null ? `; retrying in ${seconds(Math.max(0, retryAt - now))}` : ''}`);
    this.hooks.emit({ type: 'outage', runId: this.hooks.runId(), phase: 'begin', outage: active, at: now });
  }

  /** `service` answers again (a write went through, or the connection is back). */
  recovered(service: OutageService, now = Date.now()): void {
    const o = this.open.get(service);
    if (!o) return;
    this.open.delete(service);
    o.record.to = now;
    const lasted = now - o.active.from;
    this.hooks.mark('outage-end', `${NAME[service]} at ${o.active.address} answers again after ${seconds(lasted)}`);
    this.hooks.say('info', `${NAME[service]} at ${o.active.address} answers again after ${seconds(lasted)}; the run goes on`);
    this.hooks.emit({ type: 'outage', runId: this.hooks.runId(), phase: 'end', outage: o.active, durationMs: lasted, at: now });
  }

  /** Follows the store's connection (Redis restarting); returns the unsubscribe function. */
  watchStore(store: StateStore, address: string): () => void {
    return store.onAvailability((change) => {
      if (change.available) this.recovered('redis', change.at);
      else this.waiting('redis', address, change.reason, change.retryAt, change.at);
    });
  }

  /**
   * A checkpoint that has waited `waitingMs` for the store: past STORE_SILENT_MS it is an outage even when
   * the connection looks open (a frozen or overloaded Redis); it ends with the next stored checkpoint.
   */
  silentStore(waitingMs: number, address: string, now = Date.now()): void {
    if (waitingMs < STORE_SILENT_MS || this.open.has('redis')) return;
    this.waiting('redis', address, `Redis at ${address} has not answered for ${seconds(waitingMs)}: it is overloaded or stopped (frozen), or the network drops the traffic; the checkpoint waits and is sent when it answers`, null, now);
  }

  /** What the run waits for now (the snapshot's `outages`). */
  current(): ActiveOutage[] {
    return [...this.open.values()].map((o) => o.active);
  }

  /** The run ends while still waiting: each open outage is closed at the end, with its last reason. */
  closeAll(now = Date.now()): void {
    for (const [service, o] of this.open) {
      o.record.to = now;
      this.hooks.emit({ type: 'outage', runId: this.hooks.runId(), phase: 'end', outage: o.active, durationMs: now - o.active.from, at: now });
      this.open.delete(service);
    }
  }
}
