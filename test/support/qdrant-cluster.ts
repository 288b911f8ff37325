/**
 * A real Qdrant cluster on loopback for a test: N nodes of the real binary (./qdrant/real-server), each with
 * its own HTTP, gRPC and p2p ports and storage, in distributed mode. The first node starts with `--uri`, the
 * others one after another with `--bootstrap` to it; ready when every node lists every peer. A node killed
 * (SIGKILL) and started again keeps its storage and rejoins by itself (started with `--uri` only, as Qdrant's
 * README says).
 *
 *   const cluster = await startQdrantCluster(3);
 *   cluster.url                  // node 0's REST URL (what QDRANT_URL points at)
 *   cluster.peerUrls             // the other nodes' REST URLs, comma-separated (QDRANT_PEER_URLS)
 *   await cluster.nodes[1].kill(); await cluster.nodes[1].start();
 *   await cluster.stop();
 */
import { parseJson } from '../../shared/json';
import { freePorts } from './free-port';
import { resolveQdrantBin, startRealQdrant, type RealQdrant } from './qdrant/real-server';

export interface ClusterNode {
  server: RealQdrant;
  url: string;
  grpcUrl: string;
  p2pPort: number;
  /** The node's peer id (decimal), known once the cluster is up. */
  peerId: string;
  kill(): Promise<void>;
  /** Start again after kill(): same ports and storage; rejoins by itself. */
  start(): Promise<void>;
}

export interface QdrantCluster {
  nodes: ClusterNode[];
  url: string;
  grpcUrl: string;
  peerUrls: string;
  stop(): Promise<void>;
  /** Resolves when every node lists `n` peers (default all). */
  waitForPeers(n?: number, timeoutMs?: number): Promise<void>;
}

/** One line for `describe.skipIf`: why the cluster tests cannot run here, or null when they can. */
export function clusterSkipReason(): string | null {
  return resolveQdrantBin() ? null : 'no Qdrant binary (set QDRANT_BIN or put one at ../shared/qdrant/bin/qdrant): cluster tests skipped';
}

async function peersSeen(url: string): Promise<{ self: string; count: number } | null> {
  try {
    const res = await fetch(`${url}/cluster`, { signal: AbortSignal.timeout(2000) });
    // peer ids are u64: parsed exactly
    const { result } = parseJson<{ result: { peer_id: number | bigint; peers: Record<string, unknown> } }>(await res.text());
    return { self: String(result.peer_id), count: Object.keys(result.peers ?? {}).length };
  } catch {
    return null;
  }
}

export async function startQdrantCluster(size = 3): Promise<QdrantCluster> {
  // every node's three ports chosen together, so none of them can be handed out twice
  const ports = await freePorts(size * 3);
  const p2p = ports.slice(0, size);
  const nodes: ClusterNode[] = [];
  const cluster: QdrantCluster = {
    nodes,
    get url() {
      return nodes[0]!.url;
    },
    get grpcUrl() {
      return nodes[0]!.grpcUrl;
    },
    get peerUrls() {
      return nodes.slice(1).map((n) => n.url).join(',');
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.server.stop()));
    },
    async waitForPeers(n = size, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const seen = await Promise.all(nodes.filter((x) => x.server.running).map((x) => peersSeen(x.url)));
        if (seen.every((s) => s && s.count >= n)) return;
        if (Date.now() > deadline) throw new Error(`cluster: peers not all listed after ${timeoutMs} ms (${seen.map((s) => s?.count ?? 'down').join(', ')})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  try {
    for (let i = 0; i < size; i++) {
      const own = `http://127.0.0.1:${p2p[i]}`;
      const args = i === 0 ? ['--uri', own] : ['--bootstrap', `http://127.0.0.1:${p2p[0]}`, '--uri', own];
      const server = await startRealQdrant({
        env: { QDRANT__CLUSTER__ENABLED: 'true', QDRANT__CLUSTER__P2P__PORT: String(p2p[i]) },
        args,
        httpPort: ports[size + i]!,
        grpcPort: ports[2 * size + i]!,
      });
      const node: ClusterNode = {
        server,
        url: server.url,
        grpcUrl: server.grpcUrl,
        p2pPort: p2p[i]!,
        peerId: '',
        kill: () => server.kill(),
        start: () => server.start(),
      };
      nodes.push(node);
      // the next node bootstraps only once this one is a listed peer
      await cluster.waitForPeers(i + 1);
    }
    for (const n of nodes) n.peerId = (await peersSeen(n.url))!.self;
    return cluster;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}
