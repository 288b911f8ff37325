/**
 * A Qdrant cluster behind the collection: its peers (reachable or not, which one leads), the collection's
 * shards with every replica's peer, state and point count, the transfers in progress, and the shards that
 * have no live replica (writes to them cannot succeed; a run holds until they are back). Nothing shows for a
 * single node. Point counts of replicas on other nodes need their REST URLs (QDRANT_PEER_URLS).
 */
import type { ClusterView } from '../../../shared/contract';
import { Card } from '../components/common';
import { fmtInt } from '../lib/format';

export function ClusterPanel({ view }: { view: ClusterView | null }) {
  if (!view || !view.enabled) return null;
  const c = view.collection;
  const peerName = (id: string) => {
    const p = view.peers.find((x) => x.id === id);
    return p ? p.uri.replace(/^https?:\/\//, '').replace(/\/$/, '') : id;
  };
  return (
    <Card title={`Cluster · ${view.peers.length} peers`}>
      <div className="table-wrap">
        <table className="table" data-testid="cluster-peers">
          <thead>
            <tr>
              <th scope="col">Peer</th>
              <th scope="col">Address (p2p)</th>
              <th scope="col">REST</th>
              <th scope="col">Reachable</th>
              <th scope="col">Shards</th>
            </tr>
          </thead>
          <tbody>
            {view.peers.map((p) => (
              <tr key={p.id} data-testid="cluster-peer">
                <td>
                  {p.id}
                  {p.id === view.leader ? ' (leader)' : ''}
                  {p.id === view.peerId ? ' (QDRANT_URL)' : ''}
                </td>
                <td>{p.uri}</td>
                <td>{p.restUrl ?? '—'}</td>
                <td className={p.reachable ? undefined : 'bad-text'} title={p.lastError ?? undefined}>
                  {p.reachable ? 'yes' : 'no'}
                </td>
                <td>{c ? c.shards.filter((s) => s.replicas.some((r) => r.peerId === p.id)).map((s) => s.shardId).join(', ') || '—' : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c ? (
        <>
          <h3>
            Shards of {c.name}: {c.shardCount}, replication factor {c.replicationFactor ?? 1}, write consistency {c.writeConsistencyFactor ?? 1}
          </h3>
          {c.withoutLiveReplica.length > 0 ? (
            <p className="bad-text" role="alert" data-testid="cluster-no-replica">
              Shards {c.withoutLiveReplica.join(', ')} have no live replica: writes to them fail until their nodes are back (a run waits for them).
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="table" data-testid="cluster-shards">
              <thead>
                <tr>
                  <th scope="col">Shard</th>
                  <th scope="col">Replicas: peer, state, points</th>
                </tr>
              </thead>
              <tbody>
                {c.shards.map((s) => (
                  <tr key={s.shardId} data-testid="cluster-shard">
                    <td>{s.shardId}</td>
                    <td>
                      {s.replicas.map((r) => (
                        <span key={r.peerId} className={r.state === 'Active' ? 'replica' : 'replica warn-text'}>
                          {peerName(r.peerId)} {r.state} {r.pointsCount === null ? '(count unknown)' : fmtInt(r.pointsCount)}
                          {'; '}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Transfers in progress</h3>
          {c.transfers.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul data-testid="cluster-transfers">
              {c.transfers.map((t) => (
                <li key={`${t.shardId}-${t.from}-${t.to}`}>
                  Shard {t.shardId}: {peerName(t.from)} → {peerName(t.to)}
                  {t.method ? ` (${t.method})` : ''}
                  {t.comment ? `: ${t.comment}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </Card>
  );
}
