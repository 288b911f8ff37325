/**
 * Outages in plain sight: while a run waits for Redis or Qdrant (the engine's `outage` events), the job
 * badge says "Waiting for Redis" with the retry countdown instead of a "Running" that moves nothing, and a
 * banner explains what stopped answering, since when, the engine's reason (address and likely fix), and that
 * the run goes on by itself.
 */
import type { ActiveOutage } from '../../../shared/contract/history';
import { isActive, useRun } from '../store/run-store';
import { useNow } from '../lib/use-now';
import { fmtClock } from '../lib/format';
import { StatusBadge } from './common';

const SERVICE: Record<ActiveOutage['service'], string> = { redis: 'Redis', qdrant: 'Qdrant' };

/** The outages of the run on screen, while it is on (an ended run waits for nothing). */
export function useWaitingFor(): ActiveOutage[] {
  const status = useRun((s) => s.status);
  const outages = useRun((s) => s.outages);
  return isActive(status) ? outages : [];
}

export function waitingLabel(outages: readonly ActiveOutage[]): string {
  return `Waiting for ${outages.map((o) => SERVICE[o.service]).join(' and ')}`;
}

/** "retry in 4 s", "retrying now", or nothing when the engine gave no time. */
export function retryText(o: ActiveOutage, now: number): string {
  if (o.retryAt === null) return '';
  const s = Math.ceil((o.retryAt - now) / 1000);
  return s > 0 ? `retry in ${s} s` : 'retrying now';
}

function secondsSince(from: number, now: number): string {
  const s = Math.max(0, Math.round((now - from) / 1000));
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** The job's state badge; during an outage "Waiting for Redis · retry in 3 s" (the job itself is still running). */
export function JobBadge({ testId }: { testId?: string }) {
  const status = useRun((s) => s.status);
  const waiting = useWaitingFor();
  const now = useNow(waiting.length > 0);
  if (waiting.length === 0) return <StatusBadge status={status} testId={testId} />;
  const next = waiting.map((o) => retryText(o, now)).find(Boolean);
  return (
    <span className="badge status-waiting" data-testid={testId} data-status={status} data-waiting={waiting.map((o) => o.service).join(' ')}>
      <span className="dot" aria-hidden="true" />
      {waitingLabel(waiting)}
      {next ? <span className="badge-sub"> · {next}</span> : null}
    </span>
  );
}

export function OutageBanner() {
  const waiting = useWaitingFor();
  const now = useNow(waiting.length > 0);
  if (waiting.length === 0) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="outage-banner">
      {waiting.map((o) => (
        <p key={o.service}>
          <strong>
            {SERVICE[o.service]} at {o.address} stopped answering
          </strong>{' '}
          at {fmtClock(o.from)} ({secondsSince(o.from, now)} ago). {o.reason}
          <br />
          The run is waiting, not failed: it tries again {o.retryAt !== null ? <span data-testid="outage-retry">({retryText(o, now)}, attempt {o.attempts + 1})</span> : null} and
          carries on by itself when {SERVICE[o.service]} answers. Batches Qdrant acknowledged are safe
          {o.service === 'redis' ? '; checkpoints are written again once Redis is back' : ''}. You can pause the run meanwhile.
        </p>
      ))}
    </div>
  );
}
