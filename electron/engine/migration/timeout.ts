/**
 * Rejects after `ms` (the timer does not keep the process alive). For best-effort cleanup, such as
 * releasing the lock during teardown, that must not hang on an unreachable Redis: the lock expires anyway.
 */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
