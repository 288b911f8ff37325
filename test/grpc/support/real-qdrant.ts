/**
 * TEMPORARY: a minimal launcher of the real Qdrant binary, until test/support/qdrant/real-server.ts (the
 * `realserver` workstream) is on main; the same names (startRealQdrant, resolveQdrantBin) so the switch is
 * an import. Free HTTP + gRPC ports, its own storage folder, kill/start/freeze, stopped at exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RealQdrantOptions {
  apiKey?: string;
  env?: Record<string, string>;
}

export interface RealQdrant {
  url: string;
  grpcUrl: string;
  grpcPort: number;
  apiKey: string | undefined;
  version: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  freeze(ms: number): Promise<void>;
  /** Runs the server only `runMs` out of every `runMs + stopMs` (SIGSTOP/SIGCONT), so runs last long enough to act on; null ends it. */
  throttle(slice: { runMs: number; stopMs: number } | null): void;
  stop(): Promise<void>;
}

export function resolveQdrantBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.QDRANT_BIN, join(process.cwd(), '../shared/qdrant/bin/qdrant')].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export async function startRealQdrant(options: RealQdrantOptions = {}): Promise<RealQdrant> {
  const bin = resolveQdrantBin();
  if (!bin) throw new Error('no Qdrant binary: set QDRANT_BIN');
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'xnai-qdrant-'));
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | null = null;
  const env = {
    ...process.env,
    QDRANT__SERVICE__HOST: '127.0.0.1',
    QDRANT__SERVICE__HTTP_PORT: String(httpPort),
    QDRANT__SERVICE__GRPC_PORT: String(grpcPort),
    QDRANT__STORAGE__STORAGE_PATH: join(dir, 'storage'),
    QDRANT__STORAGE__SNAPSHOTS_PATH: join(dir, 'snapshots'),
    QDRANT__LOG_LEVEL: 'WARN',
    ...(options.apiKey ? { QDRANT__SERVICE__API_KEY: options.apiKey } : {}),
    ...options.env,
  };
  let version = '';
  const start = async () => {
    const c = spawn(bin, ['--disable-telemetry'], { cwd: dir, env, stdio: 'ignore' });
    child = c;
    running.add(c);
    c.once('exit', () => running.delete(c));
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const r = await fetch(`${url}/`);
        version = ((await r.json()) as { version: string }).version;
        return;
      } catch {
        if (Date.now() > deadline || c.exitCode !== null) throw new Error(`Qdrant did not start on ${url}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGKILL');
    });
  };
  let throttleTimer: NodeJS.Timeout | null = null;
  const throttle = (slice: { runMs: number; stopMs: number } | null) => {
    if (throttleTimer) clearTimeout(throttleTimer);
    throttleTimer = null;
    child?.kill('SIGCONT');
    if (!slice) return;
    const cycle = () => {
      child?.kill('SIGSTOP');
      throttleTimer = setTimeout(() => {
        child?.kill('SIGCONT');
        throttleTimer = setTimeout(cycle, slice.runMs);
      }, slice.stopMs);
    };
    cycle();
  };
  await start();
  return {
    url,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    grpcPort,
    apiKey: options.apiKey,
    get version() {
      return version;
    },
    kill,
    start,
    async freeze(ms: number) {
      child?.kill('SIGSTOP');
      await new Promise((r) => setTimeout(r, ms));
      child?.kill('SIGCONT');
    },
    throttle,
    async stop() {
      throttle(null);
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
