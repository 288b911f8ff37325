/**
 * The real Qdrant server for a test: the binary at QDRANT_BIN (else `../shared/qdrant/bin/qdrant` beside the
 * repository), on free HTTP and gRPC ports of 127.0.0.1, with its own temporary storage and snapshots folders.
 * Real faults come from real signals: `restart()` (SIGKILL, then the same binary on the same ports and
 * storage), `kill()` + `start()`, and `freeze(ms)` (SIGSTOP, then SIGCONT: a hung server).
 *
 *   const q = await startRealQdrant({ apiKey: 'k' });
 *   const client = new QdrantClient({ url: q.url, apiKey: q.apiKey });   // q.grpcUrl for gRPC
 *   await q.restart({ downMs: 300 });
 *   await q.stop();                                                       // process and folder gone
 *
 * Nothing is left behind: `stop()` removes the process and the folder; if the test process exits without
 * calling it, an exit hook does; if the test process is killed outright, a small guard process (a shell
 * reading a pipe from this one) sees the pipe close, kills the server and removes the folder.
 *
 * For clusters: `env` adds or overrides `QDRANT__…` settings (e.g. `QDRANT__CLUSTER__ENABLED`,
 * `QDRANT__CLUSTER__P2P__PORT` from `freePorts()`), `args` adds command-line arguments (`--uri`,
 * `--bootstrap`), `cwd` sets the working folder. Any `QDRANT_*` variables of this process are not passed on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../free-port';

export { freePort, freePorts } from '../free-port';

export interface RealQdrantOptions {
  /** The binary (default: `resolveQdrantBin()`). */
  bin?: string;
  /** `service.api_key`: every request must then carry it (`api-key` header). */
  apiKey?: string;
  /** Extra or overriding environment for the server, e.g. `{ QDRANT__SERVICE__MAX_REQUEST_SIZE_MB: '1' }`. */
  env?: Record<string, string>;
  /** Extra command-line arguments after `--disable-telemetry` (e.g. `['--uri', 'http://127.0.0.1:P']`). */
  args?: string[];
  /** Working folder (default: the server's temporary folder). */
  cwd?: string;
  /** Ports (default: free ones). A restart keeps them. */
  httpPort?: number;
  grpcPort?: number;
  /** `QDRANT__LOG_LEVEL` (default `WARN`). */
  logLevel?: string;
  /** How long to wait for the server to answer `readyPath` with 200 (default 30 s). */
  readyTimeoutMs?: number;
  /** The readiness probe (default `/readyz`). */
  readyPath?: string;
}

export interface RealQdrant {
  url: string;
  /** `http://127.0.0.1:<grpc port>` */
  grpcUrl: string;
  httpPort: number;
  grpcPort: number;
  apiKey: string | undefined;
  /** What the server says at `GET /`, e.g. `1.18.3`. */
  version: string;
  /** The temporary folder holding `storage/` and `snapshots/` (removed by `stop()`). */
  dir: string;
  storageDir: string;
  snapshotsDir: string;
  /** The running process's id, undefined while it is down. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** The server's recent output (the last 64 KB), for failure messages. */
  log(): string;
  /** SIGKILL, the port closed for `downMs`, then the same binary on the same ports and storage, ready again. */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** SIGKILL; the server stays down until `start()`. */
  kill(): Promise<void>;
  /** Start again after `kill()`: same ports, storage, env and args; resolves when ready. */
  start(): Promise<void>;
  /**
   * SIGSTOP for `ms`, then SIGCONT: connections stay open and nothing answers. Every thread is stopped when the
   * call returns (`const hung = q.freeze(8000)` then act); the promise resolves when the server runs again.
   */
  freeze(ms: number): Promise<void>;
  /**
   * A slow server: from now on it runs only `runMs` of every `runMs + stopMs` (SIGCONT/SIGSTOP, as `cpulimit`
   * does), so each request waits up to `stopMs` more and its work takes longer. `throttle(null)` ends it, as
   * do `kill()`, `restart()` and `stop()`.
   */
  throttle(slice: { runMs: number; stopMs: number } | null): void;
  /** End the process and remove the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const LOG_LIMIT = 64 * 1024;

/** QDRANT_BIN when set, else `../shared/qdrant/bin/qdrant` relative to the repository when present, else undefined. */
export function resolveQdrantBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.QDRANT_BIN) return resolve(env.QDRANT_BIN);
  const beside = resolve(REPO_ROOT, '../shared/qdrant/bin/qdrant');
  return existsSync(beside) ? beside : undefined;
}

// Every server this process started and has not stopped: the exit hook ends them.
const live = new Set<{ pid(): number | undefined; dir: string }>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const s of live) {
      const pid = s.pid();
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
}

// The guard: reads the server's current pid from its stdin, one line per change (an empty line when there is
// none). When the pipe closes (this process ended, however it ended), it kills the last pid and removes the folder.
const GUARD_SCRIPT = `trap '' INT TERM HUP
pid=
while IFS= read -r line; do pid=$line; done
if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null; fi
rm -rf -- "$1"`;

function startGuard(dir: string): ChildProcess {
  const guard = spawn('sh', ['-c', GUARD_SCRIPT, 'xnai-qdrant-guard', dir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  guard.unref();
  (guard.stdin as unknown as { unref?: () => void }).unref?.();
  guard.stdin!.on('error', () => undefined); // the guard gone early must not crash the test
  return guard;
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

/**
 * SIGSTOP reaches a many-threaded process's threads one by one: a request sent right after kill() may still be
 * answered. Wait (synchronously, so the caller's next line already meets a hung server) until every thread of
 * `pid` is stopped; give up after 2 s (Linux only: elsewhere /proc is absent and this returns at once).
 */
function waitAllThreadsStopped(pid: number) {
  const deadline = Date.now() + 2000;
  for (;;) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    const running = tasks.some((t) => {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
        const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        return state !== 'T' && state !== 't' && state !== 'Z' && state !== 'X';
      } catch {
        return false; // the thread ended
      }
    });
    if (!running || Date.now() > deadline) return;
  }
}

class PortInUse extends Error {}

export async function startRealQdrant(options: RealQdrantOptions = {}): Promise<RealQdrant> {
  const bin = options.bin ?? resolveQdrantBin();
  if (!bin) throw new Error('no Qdrant binary: set QDRANT_BIN to a qdrant executable (or put one at ../shared/qdrant/bin/qdrant)');
  if (!existsSync(bin)) throw new Error(`QDRANT_BIN=${bin}: no such file; point it at a qdrant executable`);
  installExitHook();

  const dir = mkdtempSync(join(tmpdir(), 'xnai-qdrant-'));
  const storageDir = join(dir, 'storage');
  const snapshotsDir = join(dir, 'snapshots');
  mkdirSync(storageDir);
  mkdirSync(snapshotsDir);
  const guard = startGuard(dir);
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const readyPath = options.readyPath ?? '/readyz';
  const headers: Record<string, string> = options.apiKey ? { 'api-key': options.apiKey } : {};

  let proc: ChildProcess | null = null;
  let output = '';
  let httpPort = 0;
  let grpcPort = 0;
  let version = '';
  let stopped = false;

  const entry = { pid: () => (proc && proc.exitCode === null && proc.signalCode === null ? proc.pid : undefined), dir };
  live.add(entry);

  const tellGuard = (pid: number | undefined) => {
    if (guard.stdin?.writable) guard.stdin.write(`${pid ?? ''}\n`);
  };

  const childEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('QDRANT_')) env[k] = v;
    Object.assign(env, {
      QDRANT__SERVICE__HOST: '127.0.0.1',
      QDRANT__SERVICE__HTTP_PORT: String(httpPort),
      QDRANT__SERVICE__GRPC_PORT: String(grpcPort),
      QDRANT__STORAGE__STORAGE_PATH: storageDir,
      QDRANT__STORAGE__SNAPSHOTS_PATH: snapshotsDir,
      QDRANT__LOG_LEVEL: options.logLevel ?? 'WARN',
    });
    if (options.apiKey) env.QDRANT__SERVICE__API_KEY = options.apiKey;
    Object.assign(env, options.env ?? {});
    return env;
  };

  const waitExit = (p: ChildProcess) =>
    p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r()));

  const launch = async () => {
    if (stopped) throw new Error('this Qdrant was stopped; start a new one');
    if (proc) throw new Error('Qdrant is already running; kill() it first');
    output = '';
    const p = spawn(bin, ['--disable-telemetry', ...(options.args ?? [])], { cwd: options.cwd ?? dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
    };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    let spawnError: Error | null = null;
    p.once('error', (e) => (spawnError = e));
    tellGuard(p.pid);
    const exited = () => p.exitCode !== null || p.signalCode !== null || spawnError !== null;

    const deadline = Date.now() + timeoutMs;
    const url = `http://127.0.0.1:${httpPort}`;
    for (;;) {
      if (exited()) {
        if (proc === p) proc = null;
        tellGuard(undefined);
        const tail = output.trim().split('\n').slice(-8).join('\n');
        if (/address already in use/i.test(output)) throw new PortInUse(tail);
        throw new Error(`Qdrant (${bin}) ended before it was ready (${spawnError ? (spawnError as Error).message : `exit ${p.exitCode ?? p.signalCode}`}):\n${tail}`);
      }
      try {
        const res = await fetch(`${url}${readyPath}`, { headers, signal: AbortSignal.timeout(1000) });
        if (res.ok && (await canConnect(grpcPort))) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        p.kill('SIGKILL');
        await waitExit(p);
        if (proc === p) proc = null;
        tellGuard(undefined);
        throw new Error(`Qdrant (${bin}) was not ready at ${url}${readyPath} within ${timeoutMs} ms:\n${output.trim().split('\n').slice(-8).join('\n')}`);
      }
      await sleep(20);
    }
    const info = (await (await fetch(`${url}/`, { headers })).json()) as { version?: string };
    version = info.version ?? '';
  };

  let throttleTimer: NodeJS.Timeout | null = null;
  const throttle = (slice: { runMs: number; stopMs: number } | null) => {
    if (throttleTimer) {
      clearTimeout(throttleTimer);
      throttleTimer = null;
      if (entry.pid()) proc!.kill('SIGCONT');
    }
    if (!slice) return;
    const p = proc;
    if (!p || !entry.pid()) throw new Error('throttle(): Qdrant is not running');
    const tick = (stopped: boolean) => {
      if (p.exitCode !== null || p.signalCode !== null) return;
      p.kill(stopped ? 'SIGCONT' : 'SIGSTOP');
      throttleTimer = setTimeout(() => tick(!stopped), stopped ? slice.runMs : slice.stopMs);
      throttleTimer.unref();
    };
    tick(false);
  };

  const kill = async () => {
    throttle(null);
    const p = proc;
    if (!p) return;
    proc = null;
    tellGuard(undefined);
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGKILL');
      await waitExit(p);
    }
  };

  // The first start picks free ports; if another process takes one before Qdrant binds it, try fresh ones.
  for (let attempt = 1; ; attempt++) {
    const [h, g] = await freePorts(2);
    httpPort = options.httpPort ?? h!;
    grpcPort = options.grpcPort ?? g!;
    try {
      await launch();
      break;
    } catch (e) {
      if (e instanceof PortInUse && attempt < 3 && options.httpPort === undefined && options.grpcPort === undefined) continue;
      live.delete(entry);
      guard.stdin?.end();
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  const server: RealQdrant = {
    url: `http://127.0.0.1:${httpPort}`,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    httpPort,
    grpcPort,
    apiKey: options.apiKey,
    get version() {
      return version;
    },
    dir,
    storageDir,
    snapshotsDir,
    get pid() {
      return entry.pid();
    },
    get running() {
      return entry.pid() !== undefined;
    },
    log: () => output,
    throttle,
    kill,
    start: launch,
    async restart(opts = {}) {
      await kill();
      if (opts.downMs) await sleep(opts.downMs);
      await launch();
    },
    async freeze(ms) {
      throttle(null);
      const p = proc;
      if (!p || !entry.pid()) throw new Error('freeze(): Qdrant is not running');
      p.kill('SIGSTOP');
      waitAllThreadsStopped(p.pid!);
      await sleep(ms);
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGCONT');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      live.delete(entry);
      guard.stdin?.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
