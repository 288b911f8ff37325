/**
 * Load something now, when `key` changes, and again every `intervalMs` while that is not null. A
 * request never overlaps the previous one (Bruno's setTimeout loop), and answers to stale keys are dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './errors';

export type PollState<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ok'; value: T; at: number } | { state: 'error'; message: string; at: number };

export function usePoll<T>(key: string, load: (() => Promise<T>) | null, intervalMs: number | null): { result: PollState<T>; refresh: () => void; refreshing: boolean } {
  const [result, setResult] = useState<PollState<T>>({ state: 'idle' });
  const [refreshing, setRefreshing] = useState(false);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const intervalRef = useRef(intervalMs);
  intervalRef.current = intervalMs;

  const run = useCallback(async (gen: number) => {
    const fn = loadRef.current;
    if (!fn) return;
    setRefreshing(true);
    try {
      const value = await fn();
      if (gen === generation.current) setResult({ state: 'ok', value, at: Date.now() });
    } catch (e) {
      if (gen === generation.current) setResult({ state: 'error', message: errorMessage(e), at: Date.now() });
    } finally {
      if (gen === generation.current) {
        setRefreshing(false);
        const every = intervalRef.current;
        if (every !== null) timer.current = setTimeout(() => void run(gen), every);
      }
    }
  }, []);

  const restart = useCallback(() => {
    generation.current++;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    void run(generation.current);
  }, [run]);

  useEffect(() => {
    if (!loadRef.current) {
      setResult({ state: 'idle' });
      return;
    }
    setResult((r) => (r.state === 'ok' ? r : { state: 'loading' }));
    restart();
    return () => {
      generation.current++;
      if (timer.current) clearTimeout(timer.current);
    };
  }, [key, intervalMs === null, restart]);

  return { result, refresh: restart, refreshing };
}
