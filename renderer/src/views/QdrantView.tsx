/** "Qdrant collection": status colour, counts, segments, optimizer, payload schema; live while a run is on. */
import { api } from '../bridge-instance';
import { useTarget, targetKey } from '../store/target';
import { isActive, useRun } from '../store/run-store';
import { usePoll } from '../lib/use-poll';
import { Card, EmptyState, ErrorNote, Spinner, Stat } from '../components/common';
import { JsonTree } from '../components/JsonTree';
import { fmtClock, fmtInt } from '../lib/format';
import { NeedTarget } from './RedisView';
import { setTab } from '../store/ui-store';

const STATUS_TEXT: Record<string, string> = {
  green: 'green: all good',
  yellow: 'yellow: optimizing',
  grey: 'grey: optimization pending (trigger with an update)',
  red: 'red: an operation failed',
};

export function QdrantView() {
  const target = useTarget();
  const status = useRun((s) => s.status);
  const active = isActive(status);
  const { result, refresh, refreshing } = usePoll(targetKey(target), target ? () => api().getCollectionInfo(target) : null, active ? 2000 : null);

  if (!target) return <div className="page"><NeedTarget what="Reading the collection" /></div>;
  const info = result.state === 'ok' ? result.value : null;
  return (
    <div className="page">
      <Card
        title={`Qdrant collection · ${target.collection}`}
        actions={
          <>
            {active ? <span className="live-dot" title="Refreshing every 2 s while a run is on">live</span> : null}
            <button type="button" onClick={refresh} disabled={refreshing} data-testid="qdrant-refresh">
              Refresh
            </button>
          </>
        }
      >
        {result.state === 'loading' ? <Spinner label="Asking Qdrant…" /> : null}
        {result.state === 'error' ? (
          <ErrorNote testId="qdrant-error" action={<button type="button" onClick={refresh}>Try again</button>}>
            Cannot read the collection from {target.qdrantUrl}: {result.message}. Check that Qdrant is running, and the URL and API key in Set up.
          </ErrorNote>
        ) : null}
        {info && !info.exists ? (
          <EmptyState
            title={`Collection ${info.name} does not exist yet`}
            action={
              <button type="button" onClick={() => setTab('setup')}>
                Go to Set up
              </button>
            }
          >
            A migration creates it (vectors on disk, payload indexes on source, faiss_id, migrated_at and batch_num) before the first point.
          </EmptyState>
        ) : null}
        {info && info.exists ? (
          <>
            <dl className="stats" data-testid="qdrant-stats">
              <Stat
                label="Status"
                value={
                  <span className={`badge qstatus-${info.status ?? 'unknown'}`} data-testid="qdrant-status">
                    <span className="dot" aria-hidden="true" />
                    {info.status ? STATUS_TEXT[info.status] : 'unknown'}
                  </span>
                }
              />
              <Stat label="Points" value={fmtInt(info.pointsCount)} testId="qdrant-points" />
              <Stat label="Indexed vectors" value={fmtInt(info.indexedVectorsCount)} hint="Vectors in the HNSW index; it lags behind while the optimizer works" />
              <Stat label="Segments" value={fmtInt(info.segmentsCount)} />
              <Stat label="Optimizer" value={info.optimizerStatus ?? '—'} />
              <Stat label="Vectors" value={info.vectorSize ? `${info.vectorSize} d, ${info.distance ?? '?'}${info.onDisk ? ', on disk' : ''}` : '—'} />
            </dl>
            <h3>Payload schema</h3>
            {info.payloadSchema.length === 0 ? (
              <p className="muted">No payload index yet.</p>
            ) : (
              <div className="table-wrap">
                <table data-testid="payload-schema">
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Type</th>
                      <th scope="col" className="num">Indexed points</th>
                    </tr>
                  </thead>
                  <tbody>
                    {info.payloadSchema.map((f) => (
                      <tr key={f.field}>
                        <td><code>{f.field}</code></td>
                        <td>{f.dataType}</td>
                        <td className="num">{fmtInt(f.points)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        ) : null}
        {result.state === 'ok' ? <p className="muted small">Read at {fmtClock(result.at)}.</p> : null}
      </Card>
      {info && info.exists ? (
        <Card title="Collection info (as Qdrant returned it)">
          <JsonTree value={info.raw} label="Collection info JSON" openDepth={1} />
        </Card>
      ) : null}
    </div>
  );
}
