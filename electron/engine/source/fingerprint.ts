/**
 * A source's fingerprint: enough to tell that the index a checkpoint was written for is the one on disk
 * now (path, size, mtime and a hash of the header region, which holds the dimension, count and the
 * nested index headers). Reading 64 KiB keeps it cheap for multi-GB files.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { SourceFingerprint } from '../../../shared/contract';

export const FINGERPRINT_HEAD_BYTES = 64 * 1024;

export async function fingerprintFile(path: string): Promise<SourceFingerprint> {
  const st = await stat(path);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(FINGERPRINT_HEAD_BYTES, st.size));
    let filled = 0;
    while (filled < head.length) {
      const { bytesRead } = await handle.read(head, filled, head.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const headerSha256 = createHash('sha256').update(head.subarray(0, filled)).digest('hex');
    return { path, size: st.size, mtimeMs: st.mtimeMs, headerSha256 };
  } finally {
    await handle.close();
  }
}
