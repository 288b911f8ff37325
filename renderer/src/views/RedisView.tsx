/** "Redis state": the seed's JSON state, the run lock, failed points with reasons, retry and reset. */
import { useState } from 'react';
import { api } from '../bridge-instance';
import { useTarget, targetKey } from '../store/target';
import { isActive, useRun } from '../store/run-store';
import { retryFailed, useRunActions } from '../store/run-actions';
import { setTab } from '../store/ui-store';
import { usePoll } from '../lib/use-poll';
import { Card, EmptyState, ErrorNote, Spinner, Stat } from '../components/common';
import { JsonTree } from '../components/JsonTree';
import { StoreInUse } from '../components/StoreInUse';
import { fmtClock, fmtInt, fmtTtl } from '../lib/format';
import { errorMessage } from '../lib/errors';

export function NeedTarget({ what }: { what: string }) {
  return (
    <EmptyState
      title={`No valid connection settings`}
      action={
        <button type="button" onClick={() => setTab('setup')}>
          Go to Set up
        </button>
      }
    >
      {what} needs a valid Qdrant URL, Redis host and port, collection and state key. Fix the fields marked in Set up.
    </EmptyState>
  );
}

export function RedisView() {
  const target = useTarget();
  const status = useRun((s) => s.status);
  const active = isActive(status);
  const { result, refresh, refreshing } = usePoll(targetKey(target), target ? () => api().getState(target) : null, active ? 2000 : null);
  const retryBusy = useRunActions((s) => s.busy === 'retry');
  const actionError = useRunActions((s) => s.error);
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetMsg, setResetMsg] = useState<{ ok: boolean; text: string } | null>(null);

  if (!target) return <div className="page"><NeedTarget what="Reading the migration state" /></div>;

  const reset = async () => {
    setConfirmReset(false);
    try {
      const r = await api().resetState(target);
      setResetMsg({ ok: true, text: r.deleted ? `Deleted the state under ${target.stateKey}. The next run starts from the first vector.` : 'There was no state to delete.' });
      refresh();
    } catch (e) {
      setResetMsg({ ok: false, text: errorMessage(e) });
    }
  };

  const view = result.state === 'ok' ? result.value : null;
  const st = view?.state ?? null;
  return (
    <div className="page">
      <Card
        title={`Redis state · ${target.stateKey}`}
        actions={
          <>
            {active ? <span className="live-dot" title="Refreshing every 2 s while a run is on">live</span> : null}
            <button type="button" onClick={refresh} disabled={refreshing} data-testid="redis-refresh">
              Refresh
            </button>
          </>
        }
      >
        {result.state === 'loading' ? <Spinner label="Reading Redis…" /> : null}
        {result.state === 'error' ? (
          <ErrorNote testId="redis-error" action={<button type="button" onClick={refresh}>Try again</button>}>
            Cannot read the state from Redis at {target.redisHost}:{target.redisPort}: {result.message}. Check that Redis is running and the host, port and password in Set up.
          </ErrorNote>
        ) : null}
        <StoreInUse store={view?.store} />
        {view && !st ? (
          <EmptyState title="No migration state yet">
            Nothing is stored under <code>{view.key}</code>. A run writes its state there after the first batch Qdrant acknowledges.
          </EmptyState>
        ) : null}
        {st ? (
          <>
            <dl className="stats" data-testid="redis-stats">
              <Stat label="Status" value={st.status} testId="redis-status" />
              <Stat label="Processed" value={`${fmtInt(st.processed_vectors)} / ${fmtInt(st.total_vectors)}`} testId="redis-processed" />
              <Stat label="Failed" value={fmtInt(st.failed_vectors)} />
              <Stat label="Batches" value={`${fmtInt(st.batches_processed)} / ${fmtInt(st.total_batches)}`} />
              <Stat label="Watermark" value={fmtInt(st.watermark)} hint="Every batch below this is acknowledged by Qdrant" />
              <Stat label="Last checkpoint" value={st.last_checkpoint} />
              <Stat label="Collection" value={st.collection} />
              <Stat label="Run" value={<code>{st.run_id}</code>} />
            </dl>
            <h3>Lock</h3>
            {view?.lock ? (
              <p data-testid="redis-lock">
                Held by <code>{view.lock.holder}</code>, expires in {fmtTtl(view.lock.ttlMs)} unless the run renews it.
              </p>
            ) : (
              <p data-testid="redis-lock">No run holds the lock.</p>
            )}
          </>
        ) : null}
        {result.state === 'ok' ? <p className="muted small">Read at {fmtClock(result.at)}.</p> : null}
      </Card>

      {view ? (
        <Card
          title={`Failed points (${fmtInt(view.failedTotal)})`}
          actions={
            <button type="button" data-testid="retry-failed" disabled={view.failedTotal === 0 || active || retryBusy} onClick={() => void retryFailed()}>
              {retryBusy ? 'Retrying…' : 'Retry failed points'}
            </button>
          }
        >
          {actionError ? <ErrorNote>{actionError}</ErrorNote> : null}
          {view.failedTotal === 0 ? (
            <p className="muted">No point failed. Points Qdrant refuses are listed here with the reason and can be sent again.</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="failed-table">
                <caption className="sr-only">Points recorded as failed</caption>
                <thead>
                  <tr>
                    <th scope="col">FAISS id</th>
                    <th scope="col">Point id</th>
                    <th scope="col">Batch</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {view.failedPoints.map((f) => (
                    <tr key={f.faissId}>
                      <td><code>{f.faissId}</code></td>
                      <td><code>{f.pointId}</code></td>
                      <td>{f.batch}</td>
                      <td>{f.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {view.failedPoints.length < view.failedTotal ? <p className="muted small">Showing {view.failedPoints.length} of {fmtInt(view.failedTotal)}.</p> : null}
            </div>
          )}
        </Card>
      ) : null}

      {st ? (
        <Card title="State JSON">
          <JsonTree value={st} label="Migration state JSON" openDepth={1} />
        </Card>
      ) : null}

      {view ? (
        <Card title="Reset">
          <p className="muted">Deleting the state makes the next run start from the first vector. Points already in Qdrant stay there.</p>
          {confirmReset ? (
            <div className="confirm" role="group" aria-label="Confirm reset">
              <span>Delete {target.stateKey} and its failed-point list?</span>
              <button type="button" className="danger" onClick={() => void reset()}>Delete state</button>
              <button type="button" onClick={() => setConfirmReset(false)}>Keep it</button>
            </div>
          ) : (
            <button type="button" className="danger-outline" disabled={active || !st} onClick={() => setConfirmReset(true)} title={active ? 'Not while a run is on' : undefined}>
              Reset state…
            </button>
          )}
          {resetMsg ? (resetMsg.ok ? <p className="ok-text">{resetMsg.text}</p> : <ErrorNote>{resetMsg.text}</ErrorNote>) : null}
        </Card>
      ) : null}
    </div>
  );
}
