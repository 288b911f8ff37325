/** A run's timeline (start, pauses, resumes, throttling, outages, end), newest last. */
import type { TimelineEntry } from '../../../shared/contract/run';
import { fmtClock } from '../lib/format';

export function Timeline({ entries, last, testId }: { entries: readonly TimelineEntry[]; last?: number; testId?: string }) {
  if (entries.length === 0) return <p className="muted small">Nothing recorded yet.</p>;
  const shown = last ? entries.slice(-last) : entries;
  return (
    <ol className="timeline" aria-label="Run timeline" data-testid={testId}>
      {shown.map((t, i) => (
        <li key={`${t.at}-${i}`} data-event={t.event}>
          <time>{fmtClock(t.at)}</time> {t.event}
          {t.detail ? <span className="muted"> · {t.detail}</span> : null}
        </li>
      ))}
    </ol>
  );
}
