/**
 * Durable whole-file replacement: the new content goes to a temporary file beside the target, is flushed to
 * the disk (fsync), renamed over the target (atomic on POSIX and NTFS), and the folder is flushed so the
 * rename itself survives a power cut. A reader, or a process restarted after SIGKILL, sees either the old
 * file or the new one, never a mix. A killed writer may leave `<file>.tmp-<pid>-<n>` behind; readers ignore
 * it and `removeStaleTemps` clears it. Asynchronous, so the fsyncs run on libuv's thread pool while
 * upserts in flight go on.
 */
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Replaces `path` with `data`, durably and atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${++counter}`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirname(path));
}

/** Flushes a folder's entries (a rename or a new file in it). Windows cannot open folders: NTFS's journal does it there. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const TEMP = /^(.*)\.tmp-(\d+)-\d+$/;

/** True for a temporary file `writeFileAtomic` wrote for `target` (or for any target). */
export function isAtomicTemp(name: string, target?: string): boolean {
  const m = TEMP.exec(name);
  return m !== null && (target === undefined || m[1] === basename(target));
}

/** Removes the temporary files that writers no longer alive left in `dir` (a SIGKILL between write and rename). */
export async function removeStaleTemps(dir: string, alive: (pid: number) => boolean): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (m && !alive(Number(m[2]))) await rm(join(dir, name), { force: true });
  }
}
