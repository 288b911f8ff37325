/**
 * What a run left in Redis, read by the contract's schemas: the seed's JSON state (with timeline and
 * redacted config), the failed points, the progress samples for the charts and the last verification.
 * Failed points are read with HSCAN and capped, so a run with millions of failures still reports quickly.
 */
import type { Redis } from 'ioredis';
import {
  FailedPointSchema,
  MigrationStateSchema,
  ProgressSampleSchema,
  stateKeys,
  type FailedPoint,
  type MigrationState,
  type ProgressSample,
  type VerificationResult,
} from '../../../shared/contract';
import { parseJson } from '../../../shared/json';
import { loadVerification } from '../verify/redis-store';

export interface RunRecord {
  key: string;
  state: MigrationState | null;
  /** Why the state could not be read, when it exists but does not match the schema. */
  stateProblem: string | null;
  failedPoints: FailedPoint[];
  failedTotal: number;
  samples: ProgressSample[];
  verification: VerificationResult | null;
}

function parse(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}

export async function readState(redis: Redis, base: string): Promise<{ state: MigrationState | null; problem: string | null }> {
  const text = await redis.get(stateKeys(base).state);
  if (text === null) return { state: null, problem: null };
  const parsed = MigrationStateSchema.safeParse(parse(text));
  if (parsed.success) return { state: parsed.data, problem: null };
  const issue = parsed.error.issues[0];
  return { state: null, problem: `the state under ${base} does not match this version's schema (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unreadable'})` };
}

export async function readFailedPoints(redis: Redis, base: string, limit: number): Promise<{ points: FailedPoint[]; total: number }> {
  const key = stateKeys(base).failed;
  const total = await redis.hlen(key);
  const points: FailedPoint[] = [];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', 500);
    cursor = next;
    for (let i = 1; i < flat.length && points.length < limit; i += 2) {
      const parsed = FailedPointSchema.safeParse(parse(flat[i]!));
      if (parsed.success) points.push(parsed.data);
    }
  } while (cursor !== '0' && points.length < limit);
  points.sort((a, b) => a.batch - b.batch || a.faissId.localeCompare(b.faissId, 'en', { numeric: true }));
  return { points, total };
}

export async function readSamples(redis: Redis, base: string): Promise<ProgressSample[]> {
  const items = await redis.lrange(stateKeys(base).samples, 0, -1);
  const out: ProgressSample[] = [];
  for (const item of items) {
    const parsed = ProgressSampleSchema.safeParse(parse(item));
    if (parsed.success) out.push(parsed.data);
  }
  return out.sort((a, b) => a.at - b.at);
}

export async function readRunRecord(redis: Redis, base: string, failedLimit = 1000): Promise<RunRecord> {
  const { state, problem } = await readState(redis, base);
  const failed = await readFailedPoints(redis, base, failedLimit);
  return {
    key: base,
    state,
    stateProblem: problem,
    failedPoints: failed.points,
    failedTotal: failed.total,
    samples: await readSamples(redis, base),
    verification: await loadVerification(redis, base),
  };
}
