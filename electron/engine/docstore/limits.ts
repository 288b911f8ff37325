/**
 * Size limits for docstore files, so a huge or hostile file fails with one line naming the file and the
 * setting to change instead of exhausting the machine's memory. Parsing a pickle or JSON docstore needs
 * a few times the file's size in RAM; the defaults suit the 6.6 GB workstations the product targets.
 */
import { open, stat } from 'node:fs/promises';
import { UserError } from '../../../shared/errors';

const MiB = 1024 * 1024;

function envMiB(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback * MiB;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UserError('usage', `${name}=${raw} must be a positive number of MiB`);
  return n * MiB;
}

/** Largest docstore file read (XNAI_DOCSTORE_MAX_MB, default 1024). */
export function maxDocstoreBytes(): number {
  return envMiB('XNAI_DOCSTORE_MAX_MB', 1024);
}

/** Memory a pickle's values may take while it is parsed (XNAI_DOCSTORE_MEMORY_MB, default 3072). */
export function maxParseMemoryBytes(): number {
  return envMiB('XNAI_DOCSTORE_MEMORY_MB', 3072);
}

/** A JS string (what JSON.parse needs) holds at most 2^29-24 UTF-16 units in Node 20. */
export const MAX_JSON_BYTES = 2 ** 29 - 24;

/** Reads a whole docstore file after checking its size against `limit`. */
export async function readBoundedFile(path: string, limit: number, what: string): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new UserError('badInput', `${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (size > limit) {
    const setting = limit === MAX_JSON_BYTES ? 'this is the largest JSON file Node.js can parse' : 'raise XNAI_DOCSTORE_MAX_MB to read it (parsing needs a few times its size in RAM)';
    throw new UserError('badInput', `${path}: the ${what} is ${(size / MiB).toFixed(0)} MiB, above the ${(limit / MiB).toFixed(0)} MiB limit; ${setting}`);
  }
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buf, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
