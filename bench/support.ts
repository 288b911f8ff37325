/**
 * What several benches share: a FAISS IndexFlatL2 file written without Python, a measurement run in its own
 * child process (so its peak RSS is its own) that reports one JSON line, the process's own peak RSS, and the
 * Qdrant stand-in started as a separate process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

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

/** The Qdrant stand-in in its own process (so its CPU is not the measured process's): its URL and a stop. */
export async function startStandIn(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/qdrant/cli.ts', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited (${code})`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}
