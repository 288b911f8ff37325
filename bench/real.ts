/**
 * `npm run bench real`: bulk loading into the real Qdrant binary, one table from one run. Every row gets a
 * fresh collection with the product's settings (vectors on disk, Cosine, payload on disk, the seed's four
 * payload indexes, wait=true upserts, the seed's four payload fields per point), 384-d vectors from one FAISS
 * IndexFlatL2 file, and runs in its own process (so its peak RSS is its own):
 *
 * - raw loader: every request encoded before the clock starts (the project's own encoders: protobuf
 *   UpsertPoints for gRPC, JSON for REST), then only sending is timed, N streams each sending its next
 *   request as soon as the last is answered. The ceiling of a client on this machine and server.
 * - product: `createRunController` end to end from the FAISS file (reader, ids, payloads, encoding, Redis
 *   checkpoint per batch), TRANSPORT=grpc or rest, timed from `running` to `completed`.
 *
 * The ratio column compares each row with the best raw gRPC row (the target: product over gRPC ≥ 0.9).
 * Client and server CPU seconds say where the time went (the server's from /proc/<pid>/stat). The
 * machine's load average is printed with the table: figures taken beside other work are not the machine's.
 *
 * Product rows get the same pre-created collection as raw rows (created before the clock starts for both).
 * BENCH_NO_INDEXING=1 creates every row's collection with `indexing_threshold: 0` (no HNSW building while
 * loading, Qdrant's advice for bulk uploads): it shows how much of the server's CPU the indexer takes
 * during the upload, and how that widens the gap between a slower and a faster client.
 *
 * BENCH_QUICK=1: 50k points and the main rows only. BENCH_TUNE=1 adds the sweep the defaults were chosen
 * from (points per request × streams for the raw gRPC loader, in-flight batches for the product).
 * BENCH_ROWS runs only the rows named, in order, e.g. `raw:grpc:2,product:grpc:2,product:grpc:4,raw:grpc:2:1000`
 * (kind:transport:in flight[:points per request], REQUEST_POINTS for product rows); repeating rows interleaved shows how much the machine's
 * load moved them. BENCH_POINTS=n overrides the count; BENCH_KEEP=1 keeps the generated FAISS files;
 * BENCH_CPU_PROF=DIR writes a --cpu-prof profile of each product row there.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import type { Client } from '@grpc/grpc-js';
import { MigrationConfigSchema, type MigrationConfig, type TransportKind } from '../shared/contract';
import { openFaissIndex } from '../electron/engine/faiss/index';
import { createRunController } from '../electron/engine/migration/index';
import { preparePoints } from '../electron/engine/migration/prepare';
import { createQdrantClient } from '../electron/engine/qdrant/client';
import { ensureCollection } from '../electron/engine/qdrant/collection';
import { UpsertBodyWriter } from '../electron/engine/qdrant/body-writer';
import { parseGrpcUrl } from '../electron/engine/qdrant/grpc/address';
import { apiKeyMetadata, openChannel, unaryCall } from '../electron/engine/qdrant/grpc/channel';
import { UpsertMessageWriter } from '../electron/engine/qdrant/grpc/upsert-message';
import { allPositions } from '../electron/engine/qdrant/types';
import { startRedis } from '../test/support/redis';
import type { RealQdrant } from '../test/support/qdrant/real-server';
import { startBenchQdrant } from './support';
import { writeFlatIndex } from '../test/engine/support/flat-index';
import type { BenchTable } from './table';

const DIR = join(tmpdir(), 'xnai-bench-real');
const DIM = 384;
const BATCH = 500;

interface Target {
  url: string;
  grpcUrl: string;
  redisPort: number;
}

/** What a row's child process reports. */
interface RowResult {
  points: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  status?: string;
}

function source(count: number): string {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `flat_${count}x${DIM}.faiss`);
  if (!existsSync(path) || statSync(path).size !== 45 + count * DIM * 4) writeFlatIndex(path, count, DIM);
  return path;
}

function settings(target: Target, collection: string, over: Partial<MigrationConfig> = {}): MigrationConfig {
  return MigrationConfigSchema.parse({
    qdrantUrl: target.url,
    qdrantGrpcUrl: target.grpcUrl,
    redisHost: '127.0.0.1',
    redisPort: target.redisPort,
    faissIndexPath: join(DIR, 'unused'),
    collection,
    // the setting for every row (DISTANCE=auto would pick Euclid for this L2 index)
    distance: 'Cosine',
    stateKey: `bench:real:${collection}`,
    resumeMode: false,
    logDir: join(DIR, 'logs'),
    ...over,
  });
}

// ---------------------------------------------------------------- child: raw loader

/** Every request of the file, encoded: protobuf messages or JSON bodies of `perRequest` points each. */
async function encodeAll(path: string, transport: TransportKind, collection: string, perRequest: number): Promise<{ requests: Buffer[]; points: number }> {
  const reader = await openFaissIndex(path);
  const requests: Buffer[] = [];
  const grpc = new UpsertMessageWriter(collection);
  const rest = new UpsertBodyWriter();
  let points = 0;
  for await (const b of reader.batches({ batchSize: perRequest })) {
    const prepared = preparePoints(Math.floor(b.start / BATCH), b, 'raw', null);
    const order = allPositions(b.count);
    const encoded = transport === 'grpc' ? grpc.encode(prepared, order, 0, 64 << 20).message : rest.encode(prepared, order, 0, 32 << 20).body;
    requests.push(Buffer.from(encoded));
    points += b.count;
  }
  await reader.close();
  return { requests, points };
}

function restPut(agent: http.Agent, target: URL, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'PUT', agent, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.end(body);
  });
}

async function rawLoader(args: { path: string; transport: TransportKind; url: string; grpcUrl: string; collection: string; streams: number; perRequest: number; channels: number }): Promise<RowResult> {
  const { requests, points } = await encodeAll(args.path, args.transport, args.collection, args.perRequest);
  let send: (i: number, stream: number) => Promise<unknown>;
  const clients: Client[] = [];
  let agent: http.Agent | null = null;
  if (args.transport === 'grpc') {
    // a separate HTTP/2 connection per channel (grpc-js otherwise shares one subchannel)
    for (let c = 0; c < args.channels; c++) clients.push(openChannel(parseGrpcUrl(args.grpcUrl), { 'grpc.use_local_subchannel_pool': 1 }));
    const md = apiKeyMetadata(undefined);
    send = (i, stream) => unaryCall(clients[stream % clients.length]!, '/qdrant.Points/Upsert', requests[i]!, md, 120_000);
  } else {
    agent = new http.Agent({ keepAlive: true, maxSockets: args.streams });
    const target = new URL(`${args.url}/collections/${args.collection}/points?wait=true&ordering=weak`);
    send = (i) => restPut(agent!, target, requests[i]!);
  }
  // one request per stream first: connections open before the clock starts
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(args.streams, requests.length) }, (_, s) => send(next++, s)));
  const warm = next;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: args.streams }, async (_, s) => {
      while (next < requests.length) await send(next++, s);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const c of clients) c.close();
  agent?.destroy();
  const timedPoints = points - Math.min(points, warm * args.perRequest);
  return { points: timedPoints, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

// ---------------------------------------------------------------- child: the product

async function product(config: MigrationConfig): Promise<RowResult> {
  const c = createRunController({ progressIntervalMs: 1000 });
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  c.on((e) => {
    if (e.type === 'state' && e.status === 'running') {
      t0 = performance.now();
      cpu0 = process.cpuUsage();
    }
  });
  await c.start(config);
  const status = await c.settled();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const p = c.snapshot().progress;
  if (status !== 'completed') throw new Error(`product run ${config.collection} ended ${status}: ${c.snapshot().lastError}`);
  return { status, points: p?.processed ?? 0, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

// ---------------------------------------------------------------- parent

/** CPU seconds a process has used so far (utime + stime from /proc/<pid>/stat). */
function cpuOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

function child(kind: 'raw' | 'product', args: unknown, cpuProfDir?: string): Promise<RowResult> {
  const flags = ['--import', 'tsx', ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), 'bench/real.ts', `--child-${kind}`, JSON.stringify(args)];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, flags, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench child (${kind}) exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as RowResult);
    });
  });
}

async function dropCollection(url: string, name: string): Promise<void> {
  await fetch(`${url}/collections/${name}`, { method: 'DELETE' });
}

interface Row {
  kind: 'raw' | 'product';
  transport: TransportKind;
  streams: number;
  perRequest: number;
  result: RowResult;
  serverCpu: number;
  count: number;
}

export async function run(): Promise<BenchTable[]> {
  const quick = process.env.BENCH_QUICK === '1';
  const tune = process.env.BENCH_TUNE === '1';
  const count = Number(process.env.BENCH_POINTS) || (quick ? 50_000 : 200_000);
  const cpuProf = process.env.BENCH_CPU_PROF;
  const loadBefore = loadavg();
  const path = source(count);
  const [qdrant, redis] = await Promise.all([startBenchQdrant(), startRedis()]);
  const target: Target = { url: qdrant.url, grpcUrl: qdrant.grpcUrl, redisPort: redis.port };
  const client = createQdrantClient({ qdrantUrl: qdrant.url });
  const rows: Row[] = [];
  let n = 0;
  const fresh = async () => {
    const name = `bench_${++n}`;
    await ensureCollection(client, { ...settings(target, name), distance: 'Cosine', layout: 'raw' }, DIM);
    if (process.env.BENCH_NO_INDEXING === '1') await client.updateCollection(name, { optimizers_config: { indexing_threshold: 0 } });
    return name;
  };
  const measure = async (q: RealQdrant, go: () => Promise<RowResult>) => {
    const cpu0 = cpuOf(q.pid);
    const result = await go();
    return { result, serverCpu: cpuOf(q.pid) - cpu0 };
  };
  const raw = async (transport: TransportKind, streams: number, perRequest = BATCH, channels = 1) => {
    const collection = await fresh();
    const { result, serverCpu } = await measure(qdrant, () => child('raw', { path, transport, url: target.url, grpcUrl: target.grpcUrl, collection, streams, perRequest, channels }));
    rows.push({ kind: 'raw', transport, streams, perRequest, result, serverCpu, count });
    await dropCollection(target.url, collection);
  };
  const prod = async (transport: TransportKind, concurrency: number, requestPoints?: number, points = count, file = path) => {
    // the same collection as the raw rows get, created before the clock as theirs is
    const collection = await fresh();
    const config = settings(target, collection, { faissIndexPath: file, transport, concurrency, ...(requestPoints ? { requestPoints } : {}) });
    const { result, serverCpu } = await measure(qdrant, () => child('product', config, cpuProf));
    rows.push({ kind: 'product', transport, streams: concurrency, perRequest: config.requestPoints, result, serverCpu, count: points });
    await dropCollection(target.url, collection);
  };

  try {
    const defaults = MigrationConfigSchema.parse({ faissIndexPath: 'x' });
    const only = process.env.BENCH_ROWS?.split(',').map((r) => r.trim().split(':'));
    if (only) {
      for (const [kind, transport, inFlight, per] of only) {
        if ((kind !== 'raw' && kind !== 'product') || (transport !== 'grpc' && transport !== 'rest') || !Number(inFlight)) throw new Error(`BENCH_ROWS: "${[kind, transport, inFlight, per].filter(Boolean).join(':')}" is not kind:transport:in flight[:points per request], e.g. product:grpc:2`);
        if (kind === 'raw') await raw(transport, Number(inFlight), Number(per) || BATCH);
        else await prod(transport, Number(inFlight), Number(per) || undefined);
      }
      return tableOf();
    }
    // the main rows: raw loaders at their best stream counts, the product at its defaults
    for (const s of quick ? [2] : [1, 2, 4]) await raw('grpc', s);
    for (const s of quick ? [2] : [2, 4]) await raw('rest', s);
    await prod('grpc', defaults.concurrency);
    await prod('rest', defaults.concurrency);
    if (tune) {
      for (const per of [100, 250, 1000, 2000]) await raw('grpc', 2, per);
      await raw('grpc', 2, BATCH, 2);
      await raw('grpc', 8);
      for (const c of [1, 2, 3, 4, 8]) if (c !== defaults.concurrency) await prod('grpc', c);
      // REQUEST_POINTS: one batch per request (the seed's way), and four
      for (const per of [BATCH, 2000]) await prod('grpc', defaults.concurrency, per);
      await prod('rest', defaults.concurrency, BATCH);
      for (const c of [4, 8]) if (c !== defaults.concurrency) await prod('rest', c);
    }
    if (!quick) {
      const million = source(1_000_000);
      await prod('grpc', defaults.concurrency, undefined, 1_000_000, million);
    }
    return tableOf();
  } finally {
    await Promise.all([qdrant.stop(), redis.dispose()]);
    if (process.env.BENCH_KEEP !== '1') rmSync(DIR, { recursive: true, force: true });
  }

  function tableOf(): BenchTable[] {
    const loadAfter = loadavg();

    const rate = (r: Row) => r.result.points / r.result.seconds;
    const bestRawGrpc = Math.max(...rows.filter((r) => r.kind === 'raw' && r.transport === 'grpc').map(rate));
    const table: (string | number)[][] = rows.map((r) => [
      r.kind === 'raw' ? 'raw loader' : 'product',
      r.transport === 'grpc' ? 'gRPC' : 'REST',
      r.streams,
      r.perRequest,
      r.count,
      Math.round(rate(r)),
      `${(rate(r) / bestRawGrpc).toFixed(2)}`,
      r.result.maxRssMb,
      r.result.cpuSeconds.toFixed(1),
      Number.isFinite(r.serverCpu) ? r.serverCpu.toFixed(1) : '?',
    ]);
    const defaultsProduct = rows.find((r) => r.kind === 'product' && r.transport === 'grpc' && r.count === count && r.streams === MigrationConfigSchema.parse({ faissIndexPath: 'x' }).concurrency);
    const million = rows.find((r) => r.count === 1_000_000);
    const fmtLoad = (l: number[]) => l.map((v) => v.toFixed(2)).join(', ');
    return [
      {
        title: `Bulk load into the real Qdrant ${qdrant.version} (${count.toLocaleString('en-US')} × ${DIM}, fresh collection per row: on-disk vectors, Cosine, payload indexes, wait=true${process.env.BENCH_NO_INDEXING === '1' ? ', HNSW indexing off (BENCH_NO_INDEXING=1)' : ''})`,
        reference: 'the raw gRPC loader (requests pre-encoded, only sending timed): the best such row is 1.00; target: product over gRPC ≥ 0.90, peak RSS < 300 MB at 1M × 384',
        columns: ['row', 'transport', 'in flight', 'points/request', 'points', 'points/s', 'vs raw gRPC', 'peak RSS MB', 'client CPU s', 'server CPU s'],
        rows: table,
        notes: [
          defaultsProduct ? `product over gRPC at its defaults / best raw gRPC loader: ${(rate(defaultsProduct) / bestRawGrpc).toFixed(2)} (target 0.90: ${rate(defaultsProduct) / bestRawGrpc >= 0.9 ? 'met' : 'NOT met'})` : 'no product gRPC row',
          million ? `peak RSS of the product over gRPC at 1M × 384: ${million.result.maxRssMb} MB (target < 300 MB: ${million.result.maxRssMb < 300 ? 'met' : 'NOT met'})` : 'the 1M × 384 row runs in the full bench (not with BENCH_QUICK or BENCH_ROWS)',
          `load average (1, 5, 15 min) before: ${fmtLoad(loadBefore)}; after: ${fmtLoad(loadAfter)} on ${process.env.BENCH_MACHINE ?? '2 shared cores'}: figures taken with a load above ~2 share the cores with other work`,
          'raw loader RSS holds every pre-encoded request (not comparable with the product); client CPU is the measured process only; server CPU is the Qdrant process over the row',
        ],
      },
    ];
  }
}

const mode = process.argv[2];
if (mode === '--child-raw' || mode === '--child-product') {
  const args = JSON.parse(process.argv[3]!) as never;
  (mode === '--child-raw' ? rawLoader(args) : product(MigrationConfigSchema.parse(args))).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
