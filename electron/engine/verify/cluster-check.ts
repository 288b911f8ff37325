/**
 * On a Qdrant cluster, the copy is only as safe as its replicas: every shard's every replica must be Active,
 * hold the same number of points as the shard's other replicas, and the shards together must hold the
 * collection's count. A replica's count is read from its own node (QDRANT_PEER_URLS, or the peer's p2p host
 * on QDRANT_URL's port); one that cannot be read fails the check, naming the setting, because an unread
 * replica is an unverified one. A single node (no distributed mode) has no such check.
 */
import type { CheckResult, ClusterView } from '../../../shared/contract';
import { readClusterView, type ClusterTarget } from '../qdrant/cluster';

export async function clusterCheck(target: ClusterTarget & { collection: string }, collectionCount: number): Promise<CheckResult | null> {
  const view = await readClusterView(target, target.collection, { counts: true });
  if (!view.enabled || !view.collection) return null;
  return judgeCluster(view, collectionCount);
}

export function judgeCluster(view: ClusterView, collectionCount: number): CheckResult {
  const c = view.collection!;
  const problems: string[] = [];
  const unread: string[] = [];
  let sum = 0;
  const shards = c.shards.map((s) => {
    const counts = s.replicas.map((r) => r.pointsCount);
    const known = counts.filter((n): n is number => n !== null);
    for (const r of s.replicas) {
      if (r.state !== 'Active') problems.push(`shard ${s.shardId} replica on peer ${r.peerId} is ${r.state}`);
      if (r.pointsCount === null) unread.push(`shard ${s.shardId} on peer ${r.peerId}`);
    }
    if (new Set(known).size > 1) problems.push(`shard ${s.shardId} replicas hold different counts (${s.replicas.map((r) => `${r.peerId}: ${r.pointsCount ?? '?'}`).join(', ')})`);
    if (s.replicas.length === 0) problems.push(`shard ${s.shardId} has no replica`);
    sum += known[0] ?? 0;
    return { shard: s.shardId, replicas: s.replicas.map((r) => ({ peer: r.peerId, state: r.state, points: r.pointsCount })) };
  });
  if (unread.length > 0) problems.push(`${unread.length} replica counts not read (${unread.slice(0, 3).join('; ')}${unread.length > 3 ? '; ...' : ''}): set QDRANT_PEER_URLS to the other nodes' REST URLs`);
  else if (sum !== collectionCount) problems.push(`the shards hold ${sum} points together, the collection counts ${collectionCount}`);
  if (c.transfers.length > 0) problems.push(`${c.transfers.length} shard transfers still in progress`);
  const replicas = c.shards.reduce((n, s) => n + s.replicas.length, 0);
  const details = { peers: view.peers.length, shardCount: c.shardCount, replicationFactor: c.replicationFactor, replicas, shardPoints: sum, shards, transfers: c.transfers };
  if (problems.length > 0) return { name: 'cluster', passed: false, summary: problems.join('; '), details };
  return {
    name: 'cluster',
    passed: true,
    summary: `${c.shardCount} shards × ${replicas / Math.max(1, c.shardCount)} replicas on ${view.peers.length} peers, all Active, replica counts agree (${sum} points)`,
    details,
  };
}
