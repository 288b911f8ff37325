/**
 * Local services on request: when Qdrant (or a configured Redis) does not answer, the set-up view and the CLI
 * offer to start one. Qdrant comes from QDRANT_BIN when the user pointed at a binary, else from the project's
 * docker-compose.yml when Docker (engine and Compose) answers, else from `qdrant` on PATH. Redis only from
 * Docker: without it the embedded state store makes Redis unnecessary.
 *
 * What was started is recorded in the data folder (./registry), so a later command reuses it and
 * `xnai-migrate services` shows and stops it. A service is stopped when the process that started it quits
 * (the CLI command, the desktop app's engine) unless the user chose to keep it.
 */
import type { LocalService, LocalServiceName, LocalServicesView } from '../../../shared/contract/services';
import { UserError } from '../../../shared/errors';
import { ensureWritableDir, resolveDataDir } from '../files/data-dir';
import { startWithCompose, stopWithCompose } from './compose-service';
import { detectDocker, findComposeFile, type DockerFound } from './docker';
import { processAlive, stopProcess } from './process';
import { findQdrantBinary, qdrantVersionAt, startQdrantBinary, type QdrantBinary } from './qdrant-binary';
import { answersTcp } from './ports';
import { findService, forgetService, readServices, recordService } from './registry';

export { detectDocker, findComposeFile } from './docker';
export { findQdrantBinary } from './qdrant-binary';
export { answersTcp, isLoopbackHost } from './ports';

type Env = Record<string, string | undefined>;

export interface ServicesContext {
  /** DATA_DIR as configured (undefined: the platform's default). */
  dataDir?: string | undefined;
  env?: Env;
  /** Seconds to wait for a started Qdrant to answer (tests shorten it). */
  readyTimeoutMs?: number;
}

interface Plan {
  dataDir: string;
  docker: DockerFound;
  composeFile: string | null;
  binary: QdrantBinary | null;
  binaryProblem: string | null;
  qdrantVia: 'binary' | 'docker' | null;
  cannotStartQdrant: string | null;
  redisVia: 'docker' | null;
  cannotStartRedis: string | null;
}

async function plan(ctx: ServicesContext): Promise<Plan> {
  const env = ctx.env ?? process.env;
  const dataDir = resolveDataDir(ctx.dataDir, env);
  let binary: QdrantBinary | null = null;
  let binaryProblem: string | null = null;
  try {
    binary = findQdrantBinary(env);
  } catch (e) {
    binaryProblem = (e as Error).message;
  }
  const docker = await detectDocker(env);
  const composeFile = docker.state === 'ready' ? findComposeFile() : null;
  const dockerUsable = docker.state === 'ready' && composeFile !== null;
  const dockerWhy = docker.state === 'ready' && !composeFile ? `${docker.message}, but the project's docker-compose.yml was not found` : docker.message;
  let qdrantVia: Plan['qdrantVia'] = null;
  if (binary?.from === 'QDRANT_BIN') qdrantVia = 'binary';
  else if (dockerUsable) qdrantVia = 'docker';
  else if (binary) qdrantVia = 'binary';
  const cannotStartQdrant = qdrantVia
    ? null
    : binaryProblem ?? `no Qdrant binary (set QDRANT_BIN, or put qdrant on PATH), and ${dockerWhy.replace(/^Docker/, 'Docker')}`;
  return {
    dataDir,
    docker,
    composeFile,
    binary,
    binaryProblem,
    qdrantVia,
    cannotStartQdrant,
    redisVia: dockerUsable ? 'docker' : null,
    cannotStartRedis: dockerUsable ? null : `only Docker can start one, and ${dockerWhy}; Redis is optional: without it the state is kept in the embedded store in ${dataDir}`,
  };
}

/** What can be started here and what runs (for the set-up view and `xnai-migrate services`). */
export async function describeLocalServices(ctx: ServicesContext = {}): Promise<LocalServicesView> {
  const p = await plan(ctx);
  return {
    dataDir: p.dataDir,
    docker: { state: p.docker.state, message: p.docker.message },
    qdrantBinary: p.binary,
    startQdrantVia: p.qdrantVia,
    cannotStartQdrant: p.cannotStartQdrant,
    startRedisVia: p.redisVia,
    cannotStartRedis: p.cannotStartRedis,
    running: await readServices(p.dataDir).catch(() => []),
  };
}

// Services this process started (or adopted) and did not keep: stopped when it quits.
const ownedHere = new Map<string, { dataDir: string; name: LocalServiceName; pid: number | null }>();
let exitHook = false;

function track(dataDir: string, s: LocalService): void {
  const key = `${dataDir}\n${s.service}`;
  if (s.keep || s.ownerPid !== process.pid) {
    ownedHere.delete(key);
    return;
  }
  ownedHere.set(key, { dataDir, name: s.service, pid: s.pid });
  if (exitHook) return;
  exitHook = true;
  // A command ended by process.exit (a second Ctrl-C) cannot await a stop: SIGTERM its binaries synchronously.
  process.on('exit', () => {
    for (const o of ownedHere.values()) {
      if (o.pid === null) continue;
      try {
        process.kill(o.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
  });
}

/**
 * Starts `name` (or reuses the one already running from this data folder), records it and returns it;
 * `reused` says it was already running. Throws one line saying why it cannot be started here.
 */
export async function startLocalService(
  name: LocalServiceName,
  options: { keep: boolean; /** The port to prefer (default 6333, or 6379 for Redis); another is chosen when it is taken. */ port?: number },
  ctx: ServicesContext = {},
): Promise<{ service: LocalService; reused: boolean }> {
  const env = ctx.env ?? process.env;
  const p = await plan(ctx);
  await ensureWritableDir(p.dataDir, ctx.dataDir || env.DATA_DIR);
  const existing = await findService(p.dataDir, name);
  if (existing && (await answers(existing))) {
    const ownerGone = existing.ownerPid === null || !processAlive(existing.ownerPid);
    const updated: LocalService = { ...existing, keep: existing.keep || options.keep, ownerPid: ownerGone ? process.pid : existing.ownerPid };
    await recordService(p.dataDir, updated);
    track(p.dataDir, updated);
    return { service: updated, reused: true };
  }
  if (existing) await forgetService(p.dataDir, name);
  let service: LocalService;
  if (name === 'qdrant') {
    if (p.binaryProblem) throw new UserError('usage', p.binaryProblem);
    if (!p.qdrantVia) throw new UserError('connection', `Cannot start Qdrant here: ${p.cannotStartQdrant}`);
    service =
      p.qdrantVia === 'binary'
        ? await startQdrantBinary({ binary: p.binary!, dataDir: p.dataDir, keep: options.keep, env, httpPort: options.port, readyTimeoutMs: ctx.readyTimeoutMs })
        : await startWithCompose('qdrant', p.docker.compose!, p.composeFile!, options.keep, env, options.port);
  } else {
    if (!p.redisVia) throw new UserError('connection', `Cannot start Redis here: ${p.cannotStartRedis}`);
    service = await startWithCompose('redis', p.docker.compose!, p.composeFile!, options.keep, env, options.port);
  }
  await recordService(p.dataDir, service);
  track(p.dataDir, service);
  return { service, reused: false };
}

async function answers(s: LocalService): Promise<boolean> {
  if (s.service === 'qdrant') return (await qdrantVersionAt(s.url)) !== null;
  return answersTcp('127.0.0.1', s.port);
}

/** Stops the recorded service `name` of this data folder; `stopped` false when none was running. */
export async function stopLocalService(name: LocalServiceName, ctx: ServicesContext = {}): Promise<{ stopped: boolean; message: string }> {
  const env = ctx.env ?? process.env;
  const dataDir = resolveDataDir(ctx.dataDir, env);
  const s = await findService(dataDir, name);
  const label = name === 'qdrant' ? 'Qdrant' : 'Redis';
  if (!s) return { stopped: false, message: `No ${label} started by xnai-migrate is running (data folder ${dataDir})` };
  if (s.via === 'binary' && s.pid !== null) {
    await stopProcess(s.pid);
  } else {
    const docker = await detectDocker(env);
    const file = findComposeFile();
    if (!docker.compose || !file) throw new UserError('connection', `Cannot stop the ${label} container: ${docker.message}; stop it with: ${s.stopHint}`);
    await stopWithCompose(s, docker.compose, file, env);
  }
  ownedHere.delete(`${dataDir}\n${name}`);
  await forgetService(dataDir, name);
  return { stopped: true, message: `Stopped ${label} at ${s.url}; its data stays in ${s.dataPath}` };
}

/** Stops what this process started and did not keep (on quit: the CLI command's end, the engine's dispose). */
export async function stopServicesStartedHere(ctx: ServicesContext = {}): Promise<LocalService[]> {
  const stopped: LocalService[] = [];
  for (const [key, { dataDir, name }] of [...ownedHere]) {
    const s = await findService(dataDir, name).catch(() => null);
    if (!s || s.keep || s.ownerPid !== process.pid) {
      ownedHere.delete(key);
      continue;
    }
    await stopLocalService(name, { ...ctx, dataDir });
    stopped.push(s);
  }
  return stopped;
}

/** The lines a user reads after a start: what, where, its data, its log, how to stop it. */
export function describeStarted(s: LocalService, reused: boolean, quits = 'the app'): string[] {
  const label = s.service === 'qdrant' ? 'Qdrant' : 'Redis';
  const how = s.via === 'binary' ? `from ${s.binary}` : 'with docker compose';
  const lines = [
    `${reused ? 'Using the' : 'Started'} ${label}${s.version ? ` ${s.version}` : ''} ${reused ? 'already running' : how} at ${s.url}${s.pid !== null ? ` (pid ${s.pid})` : ''}`,
  ];
  if (s.portNote) lines.push(`  ${s.portNote}`);
  lines.push(`  data: ${s.dataPath}`);
  if (s.logFile) lines.push(`  log: ${s.logFile}`);
  lines.push(s.keep ? `  kept running after ${quits} quits; stop it with: ${s.stopHint}` : `  stops when ${quits} quits; stop it sooner with: ${s.stopHint}`);
  return lines;
}
