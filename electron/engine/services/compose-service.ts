/**
 * Qdrant or Redis from the project's docker-compose.yml (`docker compose up -d qdrant`): the same images and
 * settings the XNAi stack runs, bound to loopback. The host ports come from XNAI_QDRANT_PORT /
 * XNAI_QDRANT_GRPC_PORT / XNAI_REDIS_PORT (the compose file's defaults are 6333, 6334 and 6379), so a taken
 * port is replaced by a free one. Data stays in the compose file's Docker volumes.
 */
import type { LocalService, LocalServiceName } from '../../../shared/contract/services';
import { UserError } from '../../../shared/errors';
import { composeCommand, runCompose } from './docker';
import { choosePort, LOOPBACK } from './ports';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT } from './qdrant-binary';

type Env = Record<string, string | undefined>;

const REDIS_PORT = 6379;
const VOLUME: Record<LocalServiceName, string> = { qdrant: 'xnai_qdrant_storage', redis: 'xnai_redis_data' };

export async function startWithCompose(service: LocalServiceName, compose: readonly string[], file: string, keep: boolean, env: Env, port?: number): Promise<LocalService> {
  if (service === 'redis' && !env.REDIS_PASSWORD) {
    throw new UserError('usage', `the Redis of ${file} requires a password: set REDIS_PASSWORD (the migrator sends the same one), or leave Redis out and let the embedded store keep the state`);
  }
  const usual = port ?? (service === 'qdrant' ? QDRANT_HTTP_PORT : REDIS_PORT);
  const main = await choosePort(usual);
  const childEnv: Env = { ...env };
  // Compose checks every ${VAR:?} of the file, the Redis service's password included, even when only Qdrant
  // is started: a placeholder satisfies it for a Qdrant-only start (no Redis is started with it).
  if (service === 'qdrant' && !childEnv.REDIS_PASSWORD) childEnv.REDIS_PASSWORD = 'unused-by-a-qdrant-only-start';
  if (service === 'qdrant') {
    childEnv.XNAI_QDRANT_PORT = String(main.port);
    childEnv.XNAI_QDRANT_GRPC_PORT = String((await choosePort(QDRANT_GRPC_PORT, [main.port])).port);
  } else childEnv.XNAI_REDIS_PORT = String(main.port);
  const words = composeCommand(compose, file, 'up', service);
  const ran = await runCompose(words, childEnv);
  if (!ran.ok) {
    const why = ran.stderr.split('\n').filter(Boolean).slice(-1)[0] ?? 'failed';
    throw new UserError('connection', `"${words.join(' ')}" failed: ${why}`);
  }
  const stop = composeCommand(compose, file, 'stop', service).join(' ');
  return {
    service,
    via: 'docker',
    url: service === 'qdrant' ? `http://${LOOPBACK}:${main.port}` : `redis://${LOOPBACK}:${main.port}`,
    port: main.port,
    pid: null,
    version: null,
    binary: null,
    dataPath: `Docker volume ${VOLUME[service]}`,
    logFile: null,
    portNote: main.preferredTaken ? `port ${usual} was taken: ${service === 'qdrant' ? 'Qdrant' : 'Redis'} listens on ${main.port}` : null,
    stopHint: stop,
    keep,
    startedAt: new Date().toISOString(),
    ownerPid: process.pid,
  };
}

export async function stopWithCompose(service: LocalService, compose: readonly string[], file: string, env: Env): Promise<void> {
  const words = composeCommand(compose, file, 'stop', service.service);
  const ran = await runCompose(words, env, 120_000);
  if (!ran.ok) throw new UserError('connection', `"${words.join(' ')}" failed: ${ran.stderr.split('\n').filter(Boolean).slice(-1)[0] ?? 'failed'}`);
}
