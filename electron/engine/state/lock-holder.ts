/**
 * Who holds a migration's lock: `host:pid:run`. Any store backend uses the same form, so a lock left by a
 * process on this host that no longer exists (killed with SIGKILL) is recognised and taken over at once,
 * whatever holds the lock.
 */
import { hostname } from 'node:os';

export function makeHolder(runId: string): string {
  return `${hostname()}:${process.pid}:${runId}`;
}

/** True when the holder names a process on this host that is gone (killed without releasing the lock). */
export function holderIsDead(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
