/**
 * Redis connections for the engine (ioredis). A run's connection waits out outages: commands queue while
 * ioredis reconnects (maxRetriesPerRequest: null), so a Redis restart mid-run delays checkpoints instead
 * of losing them. The first connection is checked strictly, so a wrong host or password is one clear line.
 */
import { Redis } from 'ioredis';
import type { ConnectionConfig } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { explainConnectionError } from '../../../shared/connection-errors';

export type RedisTarget = Pick<ConnectionConfig, 'redisHost' | 'redisPort' | 'redisPassword' | 'redisDb'>;

function describe(t: RedisTarget): string {
  return `${t.redisHost}:${t.redisPort}`;
}

export function redisError(e: unknown, t: RedisTarget): UserError {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(msg)) {
    return new UserError('connection', `Redis at ${describe(t)} refused the password (REDIS_PASSWORD): set the password the server expects`);
  }
  if (/NOAUTH|Authentication required/i.test(msg)) {
    return new UserError('connection', `Redis at ${describe(t)} requires a password: set REDIS_PASSWORD`);
  }
  if (/AUTH.*without any password configured|called without any password/i.test(msg)) {
    return new UserError('connection', `Redis at ${describe(t)} has no password set but REDIS_PASSWORD was given: unset REDIS_PASSWORD`);
  }
  if (/DB index is out of range|invalid DB index/i.test(msg)) {
    return new UserError('connection', `Redis at ${describe(t)} has no database ${t.redisDb} (REDIS_DB): use a smaller number`);
  }
  return new UserError('connection', explainConnectionError({ service: 'Redis', address: describe(t), code: code ?? null, message: msg }));
}

export interface ConnectOptions {
  connectTimeoutMs?: number;
  /**
   * One-shot commands (verify, report) do not wait out an outage: no reconnect after the first connection
   * and a command fails after 2 retries. By default (a run) the client reconnects forever with backoff and
   * queues commands meanwhile.
   */
  failFast?: boolean;
}

/**
 * Opens a connection and proves it works (PING), failing fast with a clear line (the same wording for run,
 * status, verify and report); afterwards it waits out outages unless `failFast`.
 */
export async function connectRedis(t: RedisTarget, options: ConnectOptions = {}): Promise<Redis> {
  let firstError: unknown = null;
  let connected = false;
  const failFast = options.failFast ?? false;
  const redis = new Redis({
    host: t.redisHost,
    port: t.redisPort,
    password: t.redisPassword || undefined,
    db: t.redisDb,
    lazyConnect: true,
    enableOfflineQueue: true,
    maxRetriesPerRequest: failFast ? 2 : null,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    // during the first connection a failure is final; afterwards reconnect with backoff up to 2 s
    retryStrategy: (times) => (connected && !failFast ? Math.min(100 * times, 2000) : null),
    reconnectOnError: () => false,
  });
  // The socket's own error (ECONNREFUSED, WRONGPASS) says more than "Connection is closed"; without a
  // listener ioredis would also print it.
  redis.on('error', (e) => {
    firstError ??= e;
  });
  try {
    await redis.connect();
    await redis.ping();
    connected = true;
    firstError = null;
  } catch (e) {
    redis.disconnect();
    throw redisError(firstError ?? e, t);
  }
  return redis;
}

export async function redisVersion(redis: Redis): Promise<string | null> {
  try {
    const info = await redis.info('server');
    return /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? null;
  } catch {
    return null;
  }
}
