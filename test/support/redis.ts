/**
 * A private, real redis-server for a test: its own port and data directory, append-only persistence so a
 * restart keeps what was written (as the seed's compose file configures Redis), optional password.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from './free-port';

export interface TestRedis {
  host: string;
  port: number;
  password: string | undefined;
  /** A hung server: SIGSTOP now, SIGCONT after `ms` (connections stay open, nothing answers). Resolves when it runs again. */
  freeze(ms: number): Promise<void>;
  /** Stop the server (SIGTERM, so the AOF is flushed) and start it again on the same port and data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Remove the data directory too. */
  dispose(): Promise<void>;
}

const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = createConnection({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on ${port}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export async function startRedis(options: { password?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'xnai-redis-'));
  let proc: ChildProcess | null = null;

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
    if (options.password) args.push('--requirepass', options.password);
    proc = spawn(REDIS_BIN, args, { stdio: 'ignore' });
    proc.once('error', (e) => {
      throw new Error(`cannot start ${REDIS_BIN} (install the redis-server package): ${e.message}`);
    });
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    password: options.password,
    start,
    stop,
    async freeze(ms) {
      const p = proc;
      if (!p || p.exitCode !== null) throw new Error('redis-server is not running');
      p.kill('SIGSTOP');
      await new Promise((r) => setTimeout(r, ms));
      p.kill('SIGCONT');
    },
    async restart(downMs = 0) {
      await stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
