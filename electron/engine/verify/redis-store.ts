/**
 * Redis access for verification and the report: a short-lived connection that fails fast with a one-line
 * reason (verify and report are one-shot commands: unlike a run's connection it does not wait out an
 * outage forever), and the read/write of the last verification result under `stateKeys(base).verification`.
 */
import { Redis } from 'ioredis';
import type { ConnectionConfig, VerificationResult } from '../../../shared/contract';
import { stateKeys, VerificationResultSchema } from '../../../shared/contract';
import { redisError } from '../state/redis';
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
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED, WRONGPASS) says more than "Connection is closed"; without a
  // listener ioredis would also print it.
  let firstError: unknown = null;
  redis.on('error', (e) => {
    firstError ??= e;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    // The engine's wording, so a bad host or password reads the same in run, verify and report.
    throw redisError(firstError ?? e, conn);
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
