/**
 * A mutex between processes on one machine, for the embedded store's short critical sections (take or renew
 * the lock, write a checkpoint). Held by creating `<path>` exclusively with the holder's pid in it;
 * released by removing it. A marker whose process is gone, or that is older than `staleMs` (critical sections
 * take milliseconds), is broken. Inside one process, callers queue on a promise chain instead of polling.
 *
 * This is not the migration lock (./embedded-store's lock.json, which lasts a whole run): it only makes
 * "check the lock, then write" one step, as Redis's Lua scripts are.
 */
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { processAlive } from '../services/process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FileMutex {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly staleMs = 30_000,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.chain;
    let release!: () => void;
    this.chain = new Promise<void>((r) => (release = r));
    await previous;
    try {
      await this.acquire();
      try {
        return await fn();
      } finally {
        await rm(this.path, { force: true });
      }
    } finally {
      release();
    }
  }

  private async acquire(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // the marker appears whole, pid inside (written aside, then hard-linked: link fails if it exists), so a
      // process killed at any moment never leaves an empty marker that only age could break
      const aside = `${this.path}.${process.pid}`;
      await writeFile(aside, String(process.pid), { mode: 0o600 });
      try {
        await link(aside, this.path);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        await rm(aside, { force: true });
      }
      if (await this.isStale()) {
        // read again right before removing: another process may just have broken it and taken it
        if (await this.isStale()) await rm(this.path, { force: true });
        continue;
      }
      await sleep(Math.min(1 + attempt, 20));
    }
  }

  private async isStale(): Promise<boolean> {
    try {
      const [s, text] = await Promise.all([stat(this.path), readFile(this.path, 'utf8')]);
      const pid = Number(text);
      if (text !== '' && Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) return true;
      return Date.now() - s.mtimeMs > this.staleMs;
    } catch {
      return false; // gone meanwhile: the next attempt creates it
    }
  }
}
