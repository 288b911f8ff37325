/**
 * A Qdrant binary run for the user: found at QDRANT_BIN or as `qdrant` on PATH, started detached (a Ctrl-C
 * meant for the CLI must not stop it before the run has paused), on loopback only, telemetry off, with its
 * storage, snapshots and log in `<data folder>/qdrant/`. Port 6333 (gRPC 6334) when free, other ports when
 * taken. Ready when `GET /readyz` answers 200.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LocalService } from '../../../shared/contract/services';
import { UserError } from '../../../shared/errors';
import { choosePort, LOOPBACK } from './ports';
import { processAlive } from './process';
import { findOnPath, isExecutableFile } from './which';

type Env = Record<string, string | undefined>;

export const QDRANT_HTTP_PORT = 6333;
export const QDRANT_GRPC_PORT = 6334;

export interface QdrantBinary {
  path: string;
  from: 'QDRANT_BIN' | 'PATH';
}

/** QDRANT_BIN (which must then be an executable file), else `qdrant` on PATH, else null. */
export function findQdrantBinary(env: Env = process.env): QdrantBinary | null {
  const set = env.QDRANT_BIN?.trim();
  if (set) {
    const path = resolve(set);
    if (!isExecutableFile(path)) {
      let why = 'not an executable file';
      try {
        statSync(path);
      } catch {
        why = 'no such file';
      }
      throw new UserError('usage', `QDRANT_BIN=${set}: ${why}; point it at a qdrant executable (https://github.com/qdrant/qdrant/releases) or unset it`);
    }
    return { path, from: 'QDRANT_BIN' };
  }
  const found = findOnPath('qdrant', env);
  return found ? { path: found, from: 'PATH' } : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* /readyz answers plain text */
    }
    return { status: res.status, body };
  } catch {
    return null;
  }
}

/** The version a Qdrant at `url` reports at `GET /`, or null when nothing (or not Qdrant) answers. */
export async function qdrantVersionAt(url: string, timeoutMs = 2000): Promise<string | null> {
  const r = await getJson(`${url}/`, timeoutMs);
  const v = (r?.body as { version?: unknown } | undefined)?.version;
  return r?.status === 200 && typeof v === 'string' ? v : null;
}

function tail(file: string, lines = 3): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-lines)
      .join(' | ');
  } catch {
    return '';
  }
}

export interface StartQdrantBinaryOptions {
  binary: QdrantBinary;
  dataDir: string;
  keep: boolean;
  /** Preferred HTTP port (default 6333; gRPC prefers 6334). */
  httpPort?: number;
  readyTimeoutMs?: number;
  /** The environment the binary inherits PATH/HOME from (the user's QDRANT__ settings are not passed on). */
  env?: Env;
}

/** Starts the binary and waits until it answers; a port taken meanwhile by someone else is retried on new ports. */
export async function startQdrantBinary(options: StartQdrantBinaryOptions): Promise<LocalService> {
  const dir = join(options.dataDir, 'qdrant');
  const storage = join(dir, 'storage');
  const snapshots = join(dir, 'snapshots');
  await mkdir(storage, { recursive: true });
  await mkdir(snapshots, { recursive: true });
  const logFile = join(dir, 'qdrant.log');
  const preferred = options.httpPort ?? QDRANT_HTTP_PORT;
  for (let attempt = 0; ; attempt++) {
    const http = await choosePort(preferred);
    const grpc = await choosePort(preferred === QDRANT_HTTP_PORT ? QDRANT_GRPC_PORT : preferred + 1, [http.port]);
    const result = await launchOnce(options, { dir, storage, snapshots, logFile, httpPort: http.port, grpcPort: grpc.port });
    if (result.ok) {
      const portNote = http.preferredTaken ? `port ${preferred} was taken: Qdrant listens on ${http.port}` : null;
      return {
        service: 'qdrant',
        via: 'binary',
        url: `http://${LOOPBACK}:${http.port}`,
        port: http.port,
        pid: result.pid,
        version: result.version,
        binary: options.binary.path,
        dataPath: dir,
        logFile,
        portNote,
        stopHint: 'xnai-migrate services stop qdrant',
        keep: options.keep,
        startedAt: new Date().toISOString(),
        ownerPid: process.pid,
      };
    }
    if (!result.portTaken || attempt >= 2) throw new UserError('connection', result.message);
  }
}

type Launch = { ok: true; pid: number; version: string | null } | { ok: false; portTaken: boolean; message: string };

async function launchOnce(
  options: StartQdrantBinaryOptions,
  at: { dir: string; storage: string; snapshots: string; logFile: string; httpPort: number; grpcPort: number },
): Promise<Launch> {
  const env = options.env ?? process.env;
  const childEnv: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP', 'LANG']) if (env[k]) childEnv[k] = env[k]!;
  Object.assign(childEnv, {
    QDRANT__SERVICE__HOST: LOOPBACK,
    QDRANT__SERVICE__HTTP_PORT: String(at.httpPort),
    QDRANT__SERVICE__GRPC_PORT: String(at.grpcPort),
    QDRANT__STORAGE__STORAGE_PATH: at.storage,
    QDRANT__STORAGE__SNAPSHOTS_PATH: at.snapshots,
    QDRANT__TELEMETRY_DISABLED: 'true',
    QDRANT__CLUSTER__ENABLED: 'false',
    QDRANT__LOG_LEVEL: 'INFO',
  });
  const log = openSync(at.logFile, 'a');
  let spawnError: Error | null = null;
  let exitCode: number | null | undefined;
  const child = spawn(options.binary.path, ['--disable-telemetry'], { cwd: at.dir, env: childEnv, detached: true, stdio: ['ignore', log, log], windowsHide: true });
  closeSync(log);
  child.once('error', (e) => (spawnError = e));
  child.once('exit', (code, signal) => (exitCode = code ?? (signal ? -1 : null)));
  child.unref();
  const url = `http://${LOOPBACK}:${at.httpPort}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const name = `Qdrant (${options.binary.path})`;
  for (;;) {
    await sleep(100);
    if (spawnError) return { ok: false, portTaken: false, message: `${name} could not be started: ${(spawnError as NodeJS.ErrnoException).code ?? (spawnError as Error).message}; check ${options.binary.from === 'QDRANT_BIN' ? 'QDRANT_BIN' : 'the qdrant on PATH'}` };
    if (exitCode !== undefined) {
      const last = tail(at.logFile);
      return { ok: false, portTaken: /address already in use|addrinuse/i.test(last), message: `${name} exited (code ${exitCode}) before answering: ${last || 'no output'}; its log is ${at.logFile}` };
    }
    const ready = await getJson(`${url}/readyz`, 1000);
    if (ready?.status === 200) break;
    if (Date.now() > deadline) {
      if (child.pid !== undefined && processAlive(child.pid)) child.kill('SIGKILL');
      return { ok: false, portTaken: false, message: `${name} did not answer at ${url}/readyz within ${Math.round((options.readyTimeoutMs ?? 30_000) / 1000)} s; its log is ${at.logFile}` };
    }
  }
  return { ok: true, pid: child.pid!, version: await qdrantVersionAt(url) };
}
