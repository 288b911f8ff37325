/**
 * "Runs": every run kept under the state key (RedisInsight's bulk jobs, VectorAdmin's jobs list): status,
 * source, collection, points, duration and verdict, newest first. Any run opens with its dashboard as
 * recorded (charts, timeline, outages, failed points), its report and its verification; an interrupted or
 * paused run resumes with its own settings; a run's record is deleted on request, after a confirmation.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { RunDetail, RunSummary } from '../../../shared/contract/history';
import { api } from '../bridge-instance';
import { useTarget, targetKey } from '../store/target';
import { useSetup } from '../store/setup-store';
import { isActive, useRun } from '../store/run-store';
import { askDelete, closeRun, deleteRun, openRun, resumeStoredRun, useRuns } from '../store/runs-store';
import { usePoll } from '../lib/use-poll';
import { settingsOfRun, type Target } from '../lib/config-form';
import { chartFromSamples } from '../lib/recorded-samples';
import { fmtClock, fmtDuration, fmtInt, fmtMb } from '../lib/format';
import { Card, EmptyState, ErrorNote, Spinner, Stat } from '../components/common';
import { NeedTarget } from './RedisView';
import { ChartsFor } from './Charts';
import { RunReport, RunVerification } from './RunReport';
import { Timeline } from '../components/Timeline';

const STATUS_TEXT: Record<RunSummary['status'], string> = {
  in_progress: 'interrupted',
  paused: 'paused',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** What the Runs page calls a run's state: "running" while it works, else its recorded status. */
export function runState(r: RunSummary): string {
  if (r.active) return 'running';
  if (r.neverStarted) return 'refused before start';
  return STATUS_TEXT[r.status];
}

const BADGE_CLASS: Record<string, string> = {
  running: 'status-running',
  interrupted: 'status-paused',
  paused: 'status-paused',
  completed: 'status-completed',
  failed: 'status-failed',
  'refused before start': 'status-failed',
  cancelled: 'status-cancelled',
};

function RunStateBadge({ run }: { run: RunSummary }) {
  const state = runState(run);
  return (
    <span className={`badge ${BADGE_CLASS[state] ?? ''}`} data-testid="run-state" data-state={state}>
      <span className="dot" aria-hidden="true" />
      {state}
    </span>
  );
}

function fileName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? path;
}

function Verdict({ run }: { run: RunSummary }) {
  if (!run.verification) return <span className="muted">not verified</span>;
  return (
    <span className={run.verification.passed ? 'ok-text' : 'bad-text'} title={run.verification.verdict} data-testid="run-verdict">
      {run.verification.passed ? 'PASS' : 'FAIL'}
    </span>
  );
}

function RunRow({ run, target, anyActive }: { run: RunSummary; target: Target; anyActive: boolean }) {
  const openId = useRuns((s) => s.openId);
  const confirm = useRuns((s) => s.confirmDelete === run.runId);
  const busy = useRuns((s) => (s.busy?.runId === run.runId ? s.busy.action : null));
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);
  return (
    <tr className={openId === run.runId ? 'selected' : undefined} data-testid="run-row" data-run-id={run.runId}>
      <td>
        <RunStateBadge run={run} />
        {run.current ? <span className="muted small"> current</span> : null}
      </td>
      <td className="nowrap">
        <time dateTime={run.startedAt}>{new Date(run.startedAt).toLocaleString('en-GB')}</time>
      </td>
      <td title={run.sourcePath} className="path-cell">
        {fileName(run.sourcePath)}
      </td>
      <td>
        <code>{run.collection}</code>
      </td>
      <td className="num" data-testid="run-points">
        {fmtInt(run.processed)} / {fmtInt(run.total)}
        {run.failed ? <div className="bad-text small">{fmtInt(run.failed)} failed</div> : null}
      </td>
      <td className="num">{run.active ? '…' : fmtDuration(run.durationMs / 1000)}</td>
      <td>
        <Verdict run={run} />
        {run.outages ? <div className="warn-text small">{run.outages} outage{run.outages === 1 ? '' : 's'}</div> : null}
      </td>
      <td className="row-actions">
        {confirm ? (
          <span className="confirm" role="group" aria-label={`Confirm deleting run ${run.runId}`}>
            <span>Delete this run's record (its points stay in Qdrant)?</span>
            <button ref={confirmRef} type="button" className="danger" data-testid="run-delete-confirm" onClick={() => void deleteRun(target, run.runId)}>
              Delete
            </button>
            <button type="button" onClick={() => askDelete(null)}>
              Keep it
            </button>
          </span>
        ) : (
          <>
            <button type="button" data-testid="run-open" aria-label={`Open run ${run.runId}`} onClick={() => void openRun(target, run.runId)}>
              Open
            </button>
            {run.resumable ? (
              <button type="button" className="primary" data-testid="run-resume-stored" disabled={anyActive || busy !== null} title={anyActive ? 'Another run is on' : undefined} onClick={() => void resumeStoredRun(target, run.runId)}>
                {busy === 'resume' ? 'Resuming…' : 'Resume'}
              </button>
            ) : null}
            <button type="button" className="danger-outline" data-testid="run-delete" disabled={run.active || busy !== null} title={run.active ? 'Not while it runs' : undefined} aria-label={`Delete run ${run.runId}`} onClick={() => askDelete(run.runId)}>
              {busy === 'delete' ? 'Deleting…' : 'Delete…'}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

function Outages({ detail }: { detail: RunDetail }) {
  if (detail.outages.length === 0) return <p className="muted small">No outage: Redis and Qdrant answered throughout.</p>;
  return (
    <ul className="outage-list" data-testid="run-outages">
      {detail.outages.map((o, i) => (
        <li key={`${o.service}-${o.from}-${i}`}>
          <strong>{o.service === 'redis' ? 'Redis' : 'Qdrant'}</strong> at {o.address}: from {fmtClock(o.from)}
          {o.to !== null ? ` to ${fmtClock(o.to)} (${fmtDuration((o.to - o.from) / 1000)})` : ', not over when recorded'}. <span className="muted">{o.reason}</span>
        </li>
      ))}
    </ul>
  );
}

/** One run as recorded: what its dashboard showed, then its report and verification. */
function RunRecord({ target }: { target: Target }) {
  const detail = useRuns((s) => s.detail);
  const values = useSetup((s) => s.values);
  const record = detail.state === 'ok' ? detail.value : null;
  const verifyConfig = useMemo(() => (record ? settingsOfRun(values, record.state.config) : null), [record, values]);
  const samples = useMemo(() => (record ? chartFromSamples(record.samples) : []), [record]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (record) heading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [record]);
  if (detail.state === 'idle') return null;
  const s = record?.summary;
  return (
    <Card title={`Run ${detail.runId ?? ''}`} className="run-record" actions={<button type="button" onClick={closeRun}>Close</button>}>
      <div data-testid="run-record" data-run-id={detail.runId}>
        {detail.state === 'loading' ? <Spinner label="Reading the run's record…" /> : null}
        {detail.state === 'error' ? <ErrorNote>{detail.message}</ErrorNote> : null}
        {record && s ? (
          <>
            <h3 ref={heading} tabIndex={-1} className="record-heading">
              <RunStateBadge run={s} /> {s.collection} ← <span className="path">{s.sourcePath}</span>
            </h3>
            {s.error ? <ErrorNote testId="run-record-error">{s.error}</ErrorNote> : null}
            <dl className="stats">
              <Stat label="Processed" value={`${fmtInt(s.processed)} / ${fmtInt(s.total)}`} testId="record-processed" />
              <Stat label="Failed" value={fmtInt(s.failed)} />
              <Stat label="Batches" value={`${fmtInt(s.batchesDone)} / ${fmtInt(s.batchesTotal)}`} />
              <Stat label="Started" value={new Date(s.startedAt).toLocaleString('en-GB')} />
              <Stat label="Duration" value={fmtDuration(s.durationMs / 1000)} />
              <Stat label="Distance" value={s.distance} />
              <Stat label="Peak engine RSS" value={fmtMb(record.peakRssMb)} testId="record-peak-rss" />
              <Stat label="Outages" value={fmtInt(record.outages.length)} />
            </dl>
            <ChartsFor samples={samples} limitMb={record.samples.at(-1)?.limitMb ?? null} testId="record-charts" />
            <div className="record-grid">
              <section>
                <h3>Timeline</h3>
                <Timeline entries={record.state.timeline} testId="record-timeline" />
                <h3>Outages</h3>
                <Outages detail={record} />
              </section>
              <section>
                <h3>Failed points ({fmtInt(record.failedTotal)})</h3>
                {record.failedPoints.length === 0 ? (
                  <p className="muted small">None.</p>
                ) : (
                  <ul className="small">
                    {record.failedPoints.slice(0, 20).map((f) => (
                      <li key={f.faissId}>
                        <code>{f.pointId}</code> (FAISS {f.faissId}, batch {f.batch}): {f.reason}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
            <h3>Report and verification</h3>
            <RunReport target={target} runId={s.runId} verifyConfig={verifyConfig} />
            <RunVerification runId={s.runId} stored={record.verification} />
          </>
        ) : null}
      </div>
    </Card>
  );
}

export function RunsView() {
  const target = useTarget();
  const jobStatus = useRun((s) => s.status);
  const jobRunId = useRun((s) => s.runId);
  const version = useRuns((s) => s.version);
  const message = useRuns((s) => s.message);
  const active = isActive(jobStatus);
  // The list follows the job: refreshed every 2 s while a run is on, and when one starts or ends.
  const { result, refresh, refreshing } = usePoll(`${targetKey(target)}|${version}|${jobStatus}|${jobRunId ?? ''}`, target ? () => api().listRuns({ ...target, limit: 200 }) : null, active ? 2000 : null);
  if (!target) return <div className="page"><NeedTarget what="Listing the runs" /></div>;
  const list = result.state === 'ok' ? result.value : null;
  return (
    <div className="page runs-page">
      <Card
        title={`Runs${list ? ` (${list.runs.length})` : ''}`}
        actions={
          <button type="button" onClick={refresh} disabled={refreshing} data-testid="runs-refresh">
            Refresh
          </button>
        }
      >
        {list ? <p className="muted small">Kept in {list.store} under <code>{target.stateKey}</code> until you delete them.</p> : null}
        {result.state === 'loading' ? <Spinner label="Reading the run history…" /> : null}
        {result.state === 'error' ? (
          <ErrorNote testId="runs-error" action={<button type="button" onClick={refresh}>Try again</button>}>
            Cannot read the runs: {result.message}
          </ErrorNote>
        ) : null}
        {message ? message.ok ? <p className="ok-text" data-testid="runs-message">{message.text}</p> : <ErrorNote testId="runs-message">{message.text}</ErrorNote> : null}
        {list && list.runs.length === 0 ? (
          <EmptyState title="No run yet">Runs started from Set up (or with xnai-migrate) are listed here, each kept with its history, report and verification.</EmptyState>
        ) : null}
        {list && list.runs.length > 0 ? (
          <div className="table-wrap runs-table-wrap">
            <table data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                  <th scope="col">Source</th>
                  <th scope="col">Collection</th>
                  <th scope="col" className="num">Points</th>
                  <th scope="col" className="num">Duration</th>
                  <th scope="col">Verdict</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {list.runs.map((r) => (
                  <RunRow key={r.runId} run={r} target={target} anyActive={active} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {list && list.unreadable.length ? (
          <p className="warn-text small">
            {list.unreadable.length} record{list.unreadable.length === 1 ? '' : 's'} this version cannot read (kept): {list.unreadable.map((u) => `${u.runId}: ${u.problem}`).join('; ')}
          </p>
        ) : null}
      </Card>
      <RunRecord target={target} />
    </div>
  );
}
