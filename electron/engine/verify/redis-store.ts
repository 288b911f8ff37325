/**
 * Redis access for verification and the report: a short-lived connection (verify and report are one-shot
 * commands) that fails fast with a one-line reason instead of retrying forever, and the read/write of the
 * last verification result under `stateKeys(base).verification`.
 */
import { Redis } from 'ioredis';
import type { ConnectionConfig, VerificationResult } from '../../../shared/contract';
import { stateKeys, VerificationResultSchema } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { parseJson, stringifyJson } from '../../../shared/json';

export type RedisConn = Pick<ConnectionConfig, 'redisHost' | 'redisPort' | 'redisPassword' | 'redisDb'>;

export async function connectRedis(conn: RedisConn): Promise<Redis> {
  const redis = new Redis({
    host: conn.redisHost,
    port: conn.redisPort,
    password: conn.redisPassword || undefined,
    db: conn.redisDb,
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (times) => (times > 2 ? null : 200 * times),
  });
  // Errors surface through the awaited commands; without a listener ioredis would print them.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const msg = e instanceof Error ? e.message : String(e);
    const auth = /NOAUTH|WRONGPASS|invalid password|AUTH/i.test(msg);
    throw new UserError(
      'connection',
      auth
        ? `Redis at ${conn.redisHost}:${conn.redisPort} refused the credentials: check REDIS_PASSWORD`
        : `cannot reach Redis at ${conn.redisHost}:${conn.redisPort}: ${msg.split('\n')[0]} (is it running? check REDIS_HOST/REDIS_PORT)`,
    );
  }
  return redis;
}

export async function storeVerification(redis: Redis, base: string, result: VerificationResult): Promise<void> {
  await redis.set(stateKeys(base).verification, stringifyJson(result));
}

export async function loadVerification(redis: Redis, base: string): Promise<VerificationResult | null> {
  const text = await redis.get(stateKeys(base).verification);
  if (text === null) return null;
  const parsed = VerificationResultSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
}
