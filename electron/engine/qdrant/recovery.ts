/**
 * One batch's write policy around a PointSink: retry transient failures (429 honouring Retry-After, 5xx,
 * dropped connections, timeouts) with exponential backoff and full jitter for as long as the outage budget
 * allows; a part the server keeps refusing (4xx) is split in halves until the bad points are isolated, and
 * those are returned as failed (id and reason) so the run goes on.
 */
import { pointIdToString } from '../point-id';
import type { FailedPoint } from '../../../shared/contract';
import { PointTooLargeError } from './body-writer';
import { firstNonFinite } from './float-format';
import { SinkError, batchOfPoint, type PointSink, type PreparedPoints } from './types';

export interface RecoveryOptions {
  /** First backoff, ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long one batch keeps retrying transient failures before the run fails, ms. */
  outageBudgetMs?: number;
  signal?: AbortSignal;
  /** Called before each wait: for the log and the UI ("Qdrant unavailable, retrying in 2.1 s"). */
  onRetry?: (info: { attempt: number; delayMs: number; error: SinkError }) => void;
  random?: () => number;
}

export interface BatchWriteResult {
  failed: FailedPoint[];
  /** Requests that had to be repeated (transient) or split (rejected). */
  retries: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Points with NaN/Infinity components cannot be written as JSON: they fail up front, with the reason. */
export function nonFinitePoints(points: PreparedPoints): { valid: number[]; failed: FailedPoint[] } {
  const valid: number[] = [];
  const failed: FailedPoint[] = [];
  const d = points.dimension;
  for (let i = 0; i < points.ids.length; i++) {
    const bad = firstNonFinite(points.vectors, i * d, (i + 1) * d);
    if (bad < 0) valid.push(i);
    else
      failed.push({
        faissId: points.labels[i]!.toString(),
        pointId: pointIdToString(points.ids[i]!),
        batch: batchOfPoint(points, i),
        reason: `vector component ${bad - i * d} is ${points.vectors[bad]} (Qdrant accepts finite numbers only)`,
      });
  }
  return { valid, failed };
}

export async function writeWithRecovery(sink: PointSink, points: PreparedPoints, options: RecoveryOptions = {}): Promise<BatchWriteResult> {
  const base = options.baseDelayMs ?? 200;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const budget = options.outageBudgetMs ?? 10 * 60_000;
  const random = options.random ?? Math.random;
  const { valid, failed } = nonFinitePoints(points);
  let retries = 0;

  const fail = (i: number, reason: string) =>
    failed.push({ faissId: points.labels[i]!.toString(), pointId: pointIdToString(points.ids[i]!), batch: batchOfPoint(points, i), reason });

  const send = async (order: number[]): Promise<void> => {
    if (order.length === 0) return;
    let attempt = 0;
    let rejections = 0;
    let outageStart: number | null = null;
    while (true) {
      try {
        await sink.upsert(points, order, options.signal);
        return;
      } catch (e) {
        if (options.signal?.aborted) throw options.signal.reason ?? e;
        if (e instanceof PointTooLargeError) {
          if (order.length === 1) return void fail(order[0]!, e.message);
          retries++;
          await split(order);
          return;
        }
        if (!(e instanceof SinkError)) throw e;
        if (e.kind === 'fatal') throw e;
        if (e.kind === 'rejected') {
          rejections++;
          // once more as is (a proxy or a restarting node can answer 4xx once), then isolate the bad points
          if (rejections < 2) {
            retries++;
            continue;
          }
          if (order.length === 1) return void fail(order[0]!, e.message);
          retries++;
          await split(order);
          return;
        }
        // transient
        outageStart ??= Date.now();
        if (Date.now() - outageStart > budget) {
          throw new SinkError('fatal', `Qdrant kept failing for ${Math.round((Date.now() - outageStart) / 1000)} s: ${e.message}`, e.status);
        }
        attempt++;
        retries++;
        const backoff = Math.min(maxDelay, base * 2 ** Math.min(attempt - 1, 16));
        const delay = Math.max(e.retryAfterMs ?? 0, Math.round(backoff / 2 + (random() * backoff) / 2));
        options.onRetry?.({ attempt, delayMs: delay, error: e });
        await sleep(delay, options.signal);
      }
    }
  };
  const split = async (order: number[]) => {
    const mid = order.length >> 1;
    await send(order.slice(0, mid));
    await send(order.slice(mid));
  };

  await send(valid);
  return { failed, retries };
}
