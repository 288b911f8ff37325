/** "Run": the job's state machine, its controls, progress, live charts and log. */
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { WorkersTable } from './WorkersTable';
import { useRun, isActive, type LogLine } from '../store/run-store';
import { useSetup } from '../store/setup-store';
import { cancelRun, pauseRun, resumeRun, startRun, useRunActions } from '../store/run-actions';
import { setTab, useUi } from '../store/ui-store';
import { Card, EmptyState, ErrorNote, Stat } from '../components/common';
import { JobBadge } from '../components/Outage';
import { Timeline } from '../components/Timeline';
import { fmtDuration, fmtInt, fmtMb, fmtPercent, fmtRate, fmtClock } from '../lib/format';
import { RunCharts } from './Charts';
import { ReportCard } from './ReportCard';
import { RunVerification } from './RunReport';
import { useVerifications } from '../store/verifications';

function Controls() {
  const status = useRun((s) => s.status);
  const reason = useRun((s) => s.reason);
  const lastError = useRun((s) => s.lastError);
  const resumeMode = useSetup((s) => s.values.resumeMode);
  const { busy, error } = useRunActions();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!isActive(status)) setConfirmCancel(false);
  }, [status]);
  useEffect(() => {
    if (confirmCancel) cancelRef.current?.focus();
  }, [confirmCancel]);

  const ended = status === 'failed' || status === 'cancelled';
  // A run refused before its first point has no checkpoint to resume from: Start again, not "Resume".
  const moved = useRun((s) => (s.progress ? s.progress.processed + s.progress.failed > 0 : false));
  const startLabel = ended && resumeMode && moved ? 'Resume from checkpoint' : ended ? 'Start again' : status === 'completed' ? 'Run again' : 'Start migration';
  return (
    <Card title="Job" className="controls-card">
      <div className="controls">
        <JobBadge testId="job-status" />
        <div className="buttons" role="group" aria-label="Run controls">
          {!isActive(status) ? (
            <button type="button" className="primary" data-testid="run-start" disabled={busy !== null} onClick={() => void startRun()}>
              {busy === 'start' ? 'Starting…' : startLabel}
            </button>
          ) : null}
          {status === 'running' || status === 'preparing' ? (
            <button type="button" data-testid="run-pause" disabled={busy !== null || status === 'preparing'} onClick={() => void pauseRun()}>
              {busy === 'pause' ? 'Pausing…' : 'Pause'}
            </button>
          ) : null}
          {status === 'paused' || status === 'pausing' ? (
            <button type="button" className="primary" data-testid="run-resume" disabled={busy !== null || status === 'pausing'} onClick={() => void resumeRun()}>
              {busy === 'resume' ? 'Resuming…' : 'Resume'}
            </button>
          ) : null}
          {isActive(status) && !confirmCancel ? (
            <button type="button" className="danger-outline" data-testid="run-cancel" disabled={busy !== null} onClick={() => setConfirmCancel(true)}>
              Cancel
            </button>
          ) : null}
          {isActive(status) && confirmCancel ? (
            <span className="confirm" role="group" aria-label="Confirm cancel">
              <span>Stop the run? Acknowledged batches stay in Qdrant and the checkpoint stays in Redis.</span>
              <button ref={cancelRef} type="button" className="danger" data-testid="run-cancel-confirm" onClick={() => void cancelRun()}>
                Stop the run
              </button>
              <button type="button" onClick={() => setConfirmCancel(false)}>
                Keep running
              </button>
            </span>
          ) : null}
        </div>
      </div>
      {reason && status !== 'running' && status !== 'failed' ? <p className="reason" data-testid="job-reason">{reason}</p> : null}
      <RunDetails />
      {status === 'failed' && (lastError || reason) ? (
        <ErrorNote testId="run-error">
          {lastError?.message ?? reason}
          <br />
          {!moved ? 'Nothing was written: fix the cause (see Set up), then start again. Earlier runs are kept under Runs.' : resumeMode ? 'Nothing acknowledged is lost: fix the cause, then press “Resume from checkpoint”.' : 'Turn on “Resume from the last checkpoint” in Set up to continue where it stopped.'}
        </ErrorNote>
      ) : null}
      {error ? <ErrorNote testId="action-error">{error}</ErrorNote> : null}
    </Card>
  );
}

/** Which run this is and what happened to it so far (start, pauses, resumes, memory throttling, end). */
function RunDetails() {
  const runId = useRun((s) => s.runId);
  const config = useRun((s) => s.config);
  const timeline = useRun((s) => s.timeline);
  if (!runId) return null;
  const collection = typeof config?.collection === 'string' ? config.collection : null;
  const source = typeof config?.faissIndexPath === 'string' ? config.faissIndexPath : null;
  return (
    <div className="run-details">
      <dl className="kv">
        <dt>Run</dt>
        <dd><code>{runId}</code></dd>
        {collection ? (
          <>
            <dt>Collection</dt>
            <dd>{collection}</dd>
          </>
        ) : null}
        {source ? (
          <>
            <dt>Source</dt>
            <dd className="path">{source}</dd>
          </>
        ) : null}
      </dl>
      <Timeline entries={timeline} last={8} testId="run-timeline" />
    </div>
  );
}

function ProgressCard() {
  const progress = useRun((s) => s.progress);
  const rate = useRun((s) => s.rate);
  const status = useRun((s) => s.status);
  const memory = useRun((s) => s.memory);
  const warning = useRun((s) => s.lastWarning);
  // A warning stays up while it is recent relative to the engine's latest progress (retries keep renewing it).
  // During an outage the banner under the header says it all (what, where, since when, the next attempt).
  const waiting = useRun((s) => s.outages.length > 0);
  const showWarning = warning !== null && !waiting && status === 'running' && (!progress || progress.at - warning.at < 15_000);
  if (!progress) {
    return (
      <Card title="Progress">
        {status === 'preparing' ? <p>Preparing: opening the source, checking the collection and the Redis state…</p> : <p className="muted">No progress reported yet.</p>}
      </Card>
    );
  }
  const done = progress.processed + progress.failed;
  const pct = progress.total > 0 ? Math.min(100, (done / progress.total) * 100) : 0;
  const paused = status === 'paused' || status === 'pausing';
  const ended = status === 'completed' || status === 'failed' || status === 'cancelled';
  return (
    <Card title="Progress">
      <div className="progress-head">
        <span className="progress-pct" data-testid="progress-percent">
          {fmtPercent(done, progress.total)}
        </span>
        <span className="progress-counts" data-testid="progress-counts">
          {fmtInt(progress.processed)} processed · {fmtInt(progress.failed)} failed · {fmtInt(progress.total)} total
        </span>
      </div>
      <div
        className={`progress-bar status-${status}`}
        role="progressbar"
        aria-label="Migration progress"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={done}
        aria-valuetext={`${fmtInt(done)} of ${fmtInt(progress.total)} points`}
      >
        {/* scaleX, not width: the transition then runs on the compositor without a layout per frame. */}
        <div className="progress-fill" style={{ transform: `scaleX(${pct / 100})` }} />
        {progress.failed > 0 ? <div className="progress-failed" style={{ width: `${progress.total > 0 ? (progress.failed / progress.total) * 100 : 0}%` }} /> : null}
      </div>
      <dl className="stats">
        <Stat label="Processed" value={fmtInt(progress.processed)} testId="stat-processed" />
        <Stat label="Failed" value={<span className={progress.failed > 0 ? 'bad-text' : undefined}>{fmtInt(progress.failed)}</span>} testId="stat-failed" />
        <Stat label="Total" value={fmtInt(progress.total)} testId="stat-total" />
        <Stat label="Batches" value={`${fmtInt(progress.batchesDone)} / ${fmtInt(progress.batchesTotal)}`} />
        <Stat label="Points/s" value={paused ? 'paused' : ended ? '—' : waiting ? 'waiting' : fmtRate(rate.pointsPerSec)} hint="Smoothed over the last few seconds" testId="stat-rate" />
        <Stat
          label="ETA"
          value={ended ? '—' : paused ? `${fmtDuration(rate.etaSeconds)} (paused)` : waiting ? '— (waiting)' : fmtDuration(rate.etaSeconds)}
          hint="Remaining points at the smoothed rate; frozen while paused"
          testId="stat-eta"
        />
        <Stat label="Elapsed" value={fmtDuration(progress.elapsedMs / 1000)} />
        <Stat label="Batch latency" value={`${fmtInt(progress.batchLatencyMs)} ms`} />
        <Stat label="Engine RSS" value={fmtMb(memory?.rssMb ?? progress.rssMb)} testId="stat-rss" />
        <Stat label="Memory limit" value={memory ? fmtMb(memory.limitMb) : '—'} hint="MAX_MEMORY_PERCENT of total RAM, compared with the engine's RSS" />
        <Stat label="System memory used" value={memory ? `${fmtMb(memory.systemTotalMb - memory.systemAvailableMb)} of ${fmtMb(memory.systemTotalMb)}` : '—'} hint="All processes on this machine, for context (the limit applies to the engine)" />
        <Stat label="Transport" value={progress.transport === 'grpc' ? 'gRPC' : progress.transport === 'rest' ? 'REST' : '—'} hint="How points travel to Qdrant (TRANSPORT; auto picks gRPC when its port answers)" testId="stat-transport" />
      </dl>
      {showWarning ? (
        <p className="warn-text run-warning" role="status" data-testid="run-warning">
          {warning.msg}
          {/retry/i.test(warning.msg) ? '. The run keeps retrying; acknowledged batches are safe. You can pause it and resume later.' : ''}
        </p>
      ) : null}
      {memory && memory.level !== 'ok' ? (
        <p className={memory.level === 'limit' ? 'bad-text' : 'warn-text'} role="status">
          {memory.level === 'limit' ? 'Memory is at the limit: the engine holds back new batches until it drops.' : 'Memory is close to the limit.'}
        </p>
      ) : null}
    </Card>
  );
}

/** One line: keyed by its sequence number and memoised, so a new line renders one row, not three hundred. */
const LogRow = memo(function LogRow({ line }: { line: LogLine }) {
  return (
    <div className={`log-line level-${line.level}`}>
      <time>{fmtClock(line.at)}</time> <span className="log-level">{line.level}</span> {line.msg}
    </div>
  );
});

/**
 * The engine's log, following new lines while the user is at the bottom and staying put once they scroll up
 * to read (back at the bottom, it follows again). The Run page stays mounted when hidden, where a box has
 * no height: scrolling is redone when the page shows again, and scroll events there are ignored.
 */
function LogCard() {
  const logs = useRun((s) => s.logs);
  const visible = useUi((s) => s.tab === 'run');
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && visible && stick.current) el.scrollTop = el.scrollHeight;
  }, [logs, visible]);
  return (
    <Card title="Log">
      {logs.length === 0 ? (
        <p className="muted">Engine messages appear here while a run is on.</p>
      ) : (
        <div
          className="log"
          ref={box}
          tabIndex={0}
          aria-label="Engine log"
          data-testid="log"
          onScroll={(e) => {
            const el = e.currentTarget;
            if (el.clientHeight === 0) return;
            stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
          }}
        >
          {logs.map((l) => (
            <LogRow key={l.seq} line={l} />
          ))}
        </div>
      )}
    </Card>
  );
}

/** A shared run's workers, from the progress the engine reports (./WorkersTable). */
function SharedRunWorkers() {
  const progress = useRun((s) => s.progress);
  if (!progress?.workers?.length) return null;
  return <WorkersTable workers={progress.workers} now={progress.at} />;
}

/** The current run's verification, full width; nothing from another run ever shows here. */
function VerificationCard() {
  const runId = useRun((s) => s.runId);
  const has = useVerifications((s) => (runId ? s.byRun[runId] !== undefined : false));
  if (!has) return null;
  return (
    <Card title="Verification" className="verification-card">
      <RunVerification runId={runId} />
    </Card>
  );
}

export function RunView() {
  const status = useRun((s) => s.status);
  const hasProgress = useRun((s) => s.progress !== null);
  const idle = status === 'idle' && !hasProgress;
  // The charts are mounted even before the first run (empty), so starting a run does not also pay for
  // building three recharts charts in the middle of it (bench ui measured that as the longest task).
  return (
    <div className="page run-page">
      <div className="run-top">
        <Controls />
        {idle ? (
          <EmptyState
            title="No migration has run yet"
            action={
              <button type="button" onClick={() => setTab('setup')}>
                Go to Set up
              </button>
            }
          >
            Choose the source and the Qdrant and Redis connections in Set up, then press Start migration. Progress, charts and the log show here.
          </EmptyState>
        ) : (
          <ProgressCard />
        )}
      </div>
      <SharedRunWorkers />
      <RunCharts />
      <div className="run-bottom">
        <LogCard />
        <ReportCard />
      </div>
      <VerificationCard />
    </div>
  );
}
