/**
 * The read/write of the last verification result under `stateKeys(base).verification`. The connection is
 * the engine's (state/redis.ts `connectRedis`) with `failFast`: verify and report are one-shot commands, so
 * unlike a run's connection it does not wait out an outage forever.
 */
import type { Redis } from 'ioredis';
import type { VerificationResult } from '../../../shared/contract';
import { stateKeys, VerificationResultSchema } from '../../../shared/contract';
import { parseJson, stringifyJson } from '../../../shared/json';

export async function storeVerification(redis: Redis, base: string, result: VerificationResult): Promise<void> {
  await redis.set(stateKeys(base).verification, stringifyJson(result));
}

export async function loadVerification(redis: Redis, base: string): Promise<VerificationResult | null> {
  const text = await redis.get(stateKeys(base).verification);
  if (text === null) return null;
  const parsed = VerificationResultSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
}
