/** "Qdrant collection": status colour, counts, segments, optimizer, payload schema; live while a run is on. */
import { api } from '../bridge-instance';
import { targetKey } from '../store/target';
import { chooseCollection, useBrowseTarget, useCollections } from '../store/collections';
import { CollectionPicker, vectorsText } from '../components/CollectionPicker';
import { isActive, useRun } from '../store/run-store';
import { usePoll } from '../lib/use-poll';
import { Card, EmptyState, ErrorNote, Spinner, Stat } from '../components/common';
import { JsonTree } from '../components/JsonTree';
import { fmtClock, fmtInt } from '../lib/format';
import { NeedTarget } from './RedisView';
import { setTab } from '../store/ui-store';
import { ClusterPanel } from './ClusterPanel';

const STATUS_TEXT: Record<string, string> = {
  green: 'green: all good',
  yellow: 'yellow: optimizing',
  grey: 'grey: optimization pending (trigger with an update)',
  red: 'red: an operation failed',
};

/** A collection's status colour, with what it means in the long form. */
function QdrantStatus({ status, long, testId }: { status: string | null; long?: boolean; testId?: string }) {
  return (
    <span className={`badge qstatus-${status ?? 'unknown'}`} data-testid={testId}>
      <span className="dot" aria-hidden="true" />
      {status ? (long ? (STATUS_TEXT[status] ?? status) : status) : 'unknown'}
    </span>
  );
}

/** Every collection on the server (Qdrant Web UI's list): status, points, segments, vectors; one click shows it. */
function CollectionsTable({ shown }: { shown: string }) {
  const list = useCollections((s) => s.list);
  if (list.state !== 'ok' || list.value.length === 0) return null;
  return (
    <Card title={`All collections (${list.value.length})`}>
      <div className="table-wrap">
        <table data-testid="collections-table">
          <thead>
            <tr>
              <th scope="col">Collection</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">Points</th>
              <th scope="col" className="num">Indexed vectors</th>
              <th scope="col" className="num">Segments</th>
              <th scope="col">Vectors</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.value.map((c) => (
              <tr key={c.name} className={c.name === shown ? 'selected' : undefined} data-collection={c.name}>
                <td><code>{c.name}</code></td>
                <td>
                  {c.problem ? (
                    <span className="bad-text" title={c.problem}>unreadable</span>
                  ) : (
                    <QdrantStatus status={c.status} />
                  )}
                </td>
                <td className="num">{fmtInt(c.pointsCount)}</td>
                <td className="num">{fmtInt(c.indexedVectorsCount)}</td>
                <td className="num">{fmtInt(c.segmentsCount)}</td>
                <td>{c.problem ?? vectorsText(c)}</td>
                <td className="row-actions">
                  <button type="button" disabled={c.name === shown} onClick={() => chooseCollection(c.name)}>Show</button>
                  <button
                    type="button"
                    onClick={() => {
                      chooseCollection(c.name);
                      setTab('points');
                    }}
                  >
                    Browse points
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

export function QdrantView() {
  const target = useBrowseTarget();
  const status = useRun((s) => s.status);
  const active = isActive(status);
  const { result, refresh, refreshing } = usePoll(targetKey(target), target ? () => api().getCollectionInfo(target) : null, active ? 2000 : null);
  const cluster = usePoll(`cluster:${targetKey(target)}`, target ? () => api().getClusterInfo(target) : null, active ? 2000 : null);

  if (!target) return <div className="page"><NeedTarget what="Reading the collection" /></div>;
  const info = result.state === 'ok' ? result.value : null;
  return (
    <div className="page">
      <Card title="Qdrant">
        <CollectionPicker target={target} />
      </Card>
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
                  <QdrantStatus status={info.status} long testId="qdrant-status" />
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
      <ClusterPanel view={cluster.result.state === 'ok' ? cluster.result.value : null} />
      {info && info.exists ? (
        <Card title="Collection info (as Qdrant returned it)">
          <JsonTree value={info.raw} label="Collection info JSON" openDepth={1} />
        </Card>
      ) : null}
      <CollectionsTable shown={target.collection} />
    </div>
  );
}
