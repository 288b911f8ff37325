/**
 * A Qdrant cluster as seen from the node QDRANT_URL points at: `GET /cluster` (peers, Raft, which peers that
 * node fails to reach) and `GET /collections/{name}/cluster` (shards, replicas and their states, transfers).
 * A replica's point count is only known to its own node, so each peer's REST URL is needed for it: the entry
 * node's is QDRANT_URL, the others come from QDRANT_PEER_URLS, or are guessed as the peer's p2p host on
 * QDRANT_URL's port (every node listening on the same ports, as in Qdrant's Docker and Helm set-ups). A guess
 * is only used when that node says it is the expected peer.
 *
 * Why peer reachability as well as replica states: replica states change only through Raft consensus. With a
 * majority of the nodes down nothing can be committed, so the collection still lists their replicas as Active
 * while every write to their shards fails; the entry node's `message_send_failures` is what shows it.
 */
import type { ClusterShard, ClusterView } from '../../../shared/contract';
import { collectionPath, qdrantRead, safeUrl, type QdrantTarget } from './rest-reads';

export interface ClusterTarget extends QdrantTarget {
  /** Comma-separated REST URLs of the other nodes (QDRANT_PEER_URLS). */
  qdrantPeerUrls?: string | undefined;
}

type Id = number | bigint | string;

interface RawCluster {
  status: string;
  peer_id?: Id;
  peers?: Record<string, { uri: string }>;
  raft_info?: { leader?: Id | null };
  message_send_failures?: Record<string, { count?: number; latest_error?: string | null }>;
}

interface RawCollectionCluster {
  peer_id: Id;
  shard_count: number;
  local_shards: { shard_id: number; points_count?: number; state: string }[];
  remote_shards: { shard_id: number; peer_id: Id; state: string }[];
  shard_transfers?: { shard_id: number; from: Id; to: Id; method?: string | null; comment?: string | null }[];
}

const TIMEOUT_MS = 5000;

/** A single node answers `status: "disabled"`: not a cluster. */
export async function readClusterStatus(target: QdrantTarget): Promise<RawCluster | null> {
  const r = await qdrantRead<RawCluster>(target, 'GET', 'cluster', undefined, { timeoutMs: TIMEOUT_MS });
  return r.result;
}

/**
 * The whole picture. `collection` null reads only the peers; a collection that does not exist gives
 * `collection: null` too. Never reads point counts when `counts` is false (the run's health checks).
 */
export async function readClusterView(target: ClusterTarget, collection: string | null, options: { counts?: boolean } = {}): Promise<ClusterView> {
  const status = await readClusterStatus(target);
  if (!status || status.status !== 'enabled') return { enabled: false, peerId: null, leader: null, peers: [], collection: null };
  const failures = status.message_send_failures ?? {};
  const self = String(status.peer_id ?? '');
  const peers = Object.entries(status.peers ?? {}).map(([id, p]) => {
    const failure = failures[p.uri] ?? failures[p.uri.replace(/\/$/, '')] ?? failures[`${p.uri.replace(/\/$/, '')}/`];
    return { id, uri: p.uri, reachable: id === self || !failure, lastError: failure?.latest_error ?? null, restUrl: id === self ? safeUrl(target.qdrantUrl) : null };
  });
  const view: ClusterView = { enabled: true, peerId: self || null, leader: status.raft_info?.leader != null ? String(status.raft_info.leader) : null, peers, collection: null };
  if (collection === null) return view;

  const info = await qdrantRead<RawCollectionCluster>(target, 'GET', collectionPath(collection, '/cluster'), undefined, { timeoutMs: TIMEOUT_MS });
  if (!info.result) return view;
  const params = await qdrantRead<{ config?: { params?: { replication_factor?: number; write_consistency_factor?: number } } }>(target, 'GET', collectionPath(collection), undefined, { timeoutMs: TIMEOUT_MS });
  const shards = shardsOf(info.result);
  if (options.counts !== false) await fillCounts(target, view, shards, collection, info.result);
  const reachable = new Set(peers.filter((p) => p.reachable).map((p) => p.id));
  view.collection = {
    name: collection,
    shardCount: info.result.shard_count,
    replicationFactor: params.result?.config?.params?.replication_factor ?? null,
    writeConsistencyFactor: params.result?.config?.params?.write_consistency_factor ?? null,
    shards,
    transfers: (info.result.shard_transfers ?? []).map((t) => ({ shardId: t.shard_id, from: String(t.from), to: String(t.to), method: t.method ?? null, comment: t.comment ?? null })),
    withoutLiveReplica: shards.filter((s) => !s.replicas.some((r) => r.state === 'Active' && reachable.has(r.peerId))).map((s) => s.shardId),
  };
  return view;
}

/** Every shard with every replica, from one node's answer (its local shards with counts, the rest without). */
function shardsOf(raw: RawCollectionCluster): ClusterShard[] {
  const byId = new Map<number, ClusterShard>();
  const shard = (id: number) => {
    let s = byId.get(id);
    if (!s) byId.set(id, (s = { shardId: id, replicas: [] }));
    return s;
  };
  for (const l of raw.local_shards) shard(l.shard_id).replicas.push({ peerId: String(raw.peer_id), state: l.state, pointsCount: l.points_count ?? null });
  for (const r of raw.remote_shards) shard(r.shard_id).replicas.push({ peerId: String(r.peer_id), state: r.state, pointsCount: null });
  for (let i = 0; i < raw.shard_count; i++) shard(i);
  return [...byId.values()].sort((a, b) => a.shardId - b.shardId).map((s) => ({ ...s, replicas: s.replicas.sort((a, b) => (a.peerId < b.peerId ? -1 : 1)) }));
}

/** Asks every other reachable peer for its local shards' counts (and records the REST URL that answered). */
async function fillCounts(target: ClusterTarget, view: ClusterView, shards: ClusterShard[], collection: string, entry: RawCollectionCluster): Promise<void> {
  const candidates = peerUrlCandidates(target, view);
  const known = new Map<string, RawCollectionCluster>([[String(entry.peer_id), entry]]);
  await Promise.all(
    view.peers
      .filter((p) => p.id !== view.peerId && p.reachable)
      .map(async (peer) => {
        for (const url of candidates(peer.uri)) {
          const t = { qdrantUrl: url, qdrantApiKey: target.qdrantApiKey };
          try {
            const r = await qdrantRead<RawCollectionCluster>(t, 'GET', collectionPath(collection, '/cluster'), undefined, { timeoutMs: TIMEOUT_MS });
            if (r.result && String(r.result.peer_id) === peer.id) {
              known.set(peer.id, r.result);
              peer.restUrl = safeUrl(url);
              return;
            }
          } catch {
            // not this URL (or the node is down): try the next one
          }
        }
      }),
  );
  for (const s of shards) {
    for (const replica of s.replicas) {
      const local = known.get(replica.peerId)?.local_shards.find((l) => l.shard_id === s.shardId);
      if (local) replica.pointsCount = local.points_count ?? null;
    }
  }
}

/** REST URLs to try for a peer: QDRANT_PEER_URLS (all of them: which is which is learnt from the answers), then the p2p host on QDRANT_URL's port. */
function peerUrlCandidates(target: ClusterTarget, view: ClusterView): (p2pUri: string) => string[] {
  const listed = (target.qdrantPeerUrls ?? '')
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const entry = new URL(target.qdrantUrl);
  const used = new Set(view.peers.map((p) => p.restUrl).filter(Boolean));
  return (p2pUri) => {
    const out = listed.filter((u) => !used.has(u));
    try {
      const guess = new URL(p2pUri);
      const url = `${entry.protocol}//${guess.hostname}:${entry.port || (entry.protocol === 'https:' ? 443 : 80)}${entry.pathname.replace(/\/+$/, '')}`;
      if (!out.includes(url)) out.push(url);
    } catch {
      // not a URL: no guess
    }
    return out;
  };
}

/** One line about shards that cannot take writes: which, and where their replicas are. */
export function describeShardsWithoutReplica(view: ClusterView): string | null {
  const c = view.collection;
  if (!c || c.withoutLiveReplica.length === 0) return null;
  const peerText = (id: string) => {
    const p = view.peers.find((x) => x.id === id);
    return p ? `${id} (${p.uri.replace(/\/$/, '')}${p.reachable ? '' : ', unreachable'})` : id;
  };
  const parts = c.withoutLiveReplica.map((id) => {
    const replicas = c.shards.find((s) => s.shardId === id)?.replicas ?? [];
    return `shard ${id} on ${replicas.map((r) => `${peerText(r.peerId)} ${r.state}`).join(' and ') || 'no peer'}`;
  });
  return `${c.withoutLiveReplica.length} of ${c.shardCount} shards of "${c.name}" have no live replica: ${parts.join('; ')}`;
}
