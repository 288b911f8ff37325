/**
 * Writes an IndexFlatL2 ("IxF2") file, streaming, in the exact byte layout faiss::write_index produces
 * (checked against real FAISS files in test/faiss): used for sources too big to commit (the SIGKILL test's
 * 20k vectors, the bench's 1M). Vectors are a deterministic function of the row, so tests can recompute them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export function vectorFor(row: number, dim: number, out: Float32Array, offset = 0): void {
  // xorshift seeded by the row: cheap, deterministic, spread over (-1, 1)
  let x = (row * 2654435761 + 1) >>> 0 || 1;
  for (let j = 0; j < dim; j++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[offset + j] = (x / 4294967296) * 2 - 1;
  }
}

export function writeFlatIndex(path: string, count: number, dim: number, metric: 'l2' | 'ip' = 'l2'): void {
  const fd = openSync(path, 'w');
  try {
    const head = Buffer.alloc(4 + 33 + 8);
    head.write(metric === 'l2' ? 'IxF2' : 'IxFI', 0, 'latin1');
    head.writeInt32LE(dim, 4);
    head.writeBigInt64LE(BigInt(count), 8);
    head.writeBigInt64LE(1n << 20n, 16);
    head.writeBigInt64LE(1n << 20n, 24);
    head.writeUInt8(1, 32);
    head.writeInt32LE(metric === 'l2' ? 1 : 0, 33);
    head.writeBigUInt64LE(BigInt(count) * BigInt(dim), 37);
    writeSync(fd, head);
    const rows = Math.max(1, Math.floor((4 << 20) / (dim * 4)));
    const chunk = new Float32Array(rows * dim);
    for (let start = 0; start < count; start += rows) {
      const n = Math.min(rows, count - start);
      for (let i = 0; i < n; i++) vectorFor(start + i, dim, chunk, i * dim);
      writeSync(fd, new Uint8Array(chunk.buffer, 0, n * dim * 4));
    }
  } finally {
    closeSync(fd);
  }
}
