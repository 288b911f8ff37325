/** Process helpers for services started detached: alive checks and a stop that waits for the exit. */

/** True while a process with this id exists (it may belong to another user: EPERM still means alive). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM (Qdrant flushes its write-ahead log and exits), then SIGKILL after `graceMs`. Resolves once the
 * process is gone; false when it was already gone.
 */
export async function stopProcess(pid: number, graceMs = 15_000): Promise<boolean> {
  if (!processAlive(pid)) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + graceMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
      await sleep(50);
      if (!processAlive(pid)) break;
    }
    await sleep(50);
  }
  return true;
}
