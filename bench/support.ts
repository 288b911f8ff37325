/**
 * What several benches share: a FAISS IndexFlatL2 file written without Python, a measurement run in its own
 * child process (so its peak RSS is its own) that reports one JSON line, the process's own peak RSS, and the
 * real Qdrant server.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolveQdrantBin, startRealQdrant, type RealQdrant } from '../test/support/qdrant/real-server';


/** This process's peak RSS so far (getrusage maxRSS), in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * FAISS IndexFlatL2 bytes: IxF2, header, u64 float count, then `n` rows written `rowsPerChunk` at a time;
 * `fill(chunk, done, rows)` puts the next rows' values into the reused chunk before each write.
 */
export function writeFlat(path: string, n: number, d: number, rowsPerChunk: number, fill: (chunk: Float32Array, done: number, rows: number) => void): void {
  const fd = openSync(path, 'w');
  try {
    const head = Buffer.alloc(45);
    head.write('IxF2', 0, 'latin1');
    head.writeInt32LE(d, 4);
    head.writeBigInt64LE(BigInt(n), 8);
    head.writeBigInt64LE(1n << 20n, 16);
    head.writeBigInt64LE(1n << 20n, 24);
    head.writeUInt8(1, 32);
    head.writeInt32LE(1, 33);
    head.writeBigUInt64LE(BigInt(n * d), 37);
    writeSync(fd, head);
    const chunk = new Float32Array(rowsPerChunk * d);
    for (let done = 0; done < n; done += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, n - done);
      fill(chunk, done, rows);
      writeSync(fd, new Uint8Array(chunk.buffer, 0, rows * d * 4));
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs `node <nodeArgs>` (tsx loaded) to completion and returns the JSON its last stdout line holds. */
export function runJsonChild<T>(nodeArgs: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...nodeArgs], { cwd: options.cwd, env: options.env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

/**
 * The real Qdrant server for a bench (the binary at QDRANT_BIN, else ../shared/qdrant/bin/qdrant), started on
 * free ports with its own temporary storage, as the tests start it (test/support/qdrant/real-server.ts).
 */
export async function startBenchQdrant(): Promise<RealQdrant> {
  if (!resolveQdrantBin()) throw new Error('this bench needs a real Qdrant: set QDRANT_BIN to a qdrant executable (or put one at ../shared/qdrant/bin/qdrant)');
  return startRealQdrant();
}
