/**
 * Progress and memory samples are coalesced to at most one per `intervalMs` per type (latest wins, so the
 * last value is never lost); state, log and error events pass at once, after flushing any coalesced sample
 * so a "completed" never overtakes the progress that led to it. This keeps a window or socket at a few
 * updates a second however fast batches finish (RedisInsight pushes bulk progress at ~1 Hz).
 */
import type { EngineEvent } from '../../../shared/contract';

type Coalesced = Extract<EngineEvent, { type: 'progress' | 'memory' }>;

export interface EventThrottle {
  push(event: EngineEvent): void;
  flush(): void;
  dispose(): void;
}

export function createEventThrottle(emit: (event: EngineEvent) => void, intervalMs = 250): EventThrottle {
  const last = new Map<Coalesced['type'], number>();
  const waiting = new Map<Coalesced['type'], Coalesced>();
  const timers = new Map<Coalesced['type'], ReturnType<typeof setTimeout>>();

  const fire = (type: Coalesced['type']) => {
    timers.delete(type);
    const ev = waiting.get(type);
    if (!ev) return;
    waiting.delete(type);
    last.set(type, Date.now());
    emit(ev);
  };

  const flush = () => {
    for (const [type, t] of timers) {
      clearTimeout(t);
      fire(type);
    }
  };

  return {
    push(event) {
      if (event.type !== 'progress' && event.type !== 'memory') {
        flush();
        emit(event);
        return;
      }
      const type = event.type;
      const since = Date.now() - (last.get(type) ?? 0);
      waiting.set(type, event);
      if (timers.has(type)) return;
      if (since >= intervalMs) fire(type);
      else timers.set(type, setTimeout(() => fire(type), intervalMs - since));
    },
    flush,
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      waiting.clear();
    },
  };
}
