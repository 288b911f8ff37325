/**
 * `npm run bench standin`: how many 384-d points per second the Qdrant stand-in accepts, so it is never
 * what another benchmark measures. The stand-in runs alone in a child process (one core, as `cli.ts`
 * runs it); this process sends prebuilt 500-point upsert bodies (wait=true, two in flight) over
 * keep-alive HTTP, so the client's body-building cost is not counted. Target: ≥ 100,000 points/s.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchTable } from './table';
import { f32ToJson } from '../test/support/qdrant/json-out';
import { scanUpsertBody } from '../test/support/qdrant/upsert-scanner';
import { parseBody } from '../test/support/qdrant/json-in';
import { loadOpenApi } from '../test/support/qdrant/openapi';
import { Collection } from '../test/support/qdrant/collection';
import { availableParallelism, loadavg } from 'node:os';

const cpuCount = () => availableParallelism();

const DIM = 384;
const BATCH = 500;
const TARGET = 100_000;

function body(firstId: number, digits: 'f32-shortest' | 'double-17'): Buffer {
  const parts: string[] = [];
  let seed = firstId * 7919 + 1;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  for (let i = 0; i < BATCH; i++) {
    const v = new Float32Array(DIM);
    for (let d = 0; d < DIM; d++) v[d] = rnd();
    const nums = digits === 'f32-shortest' ? Array.from(v, f32ToJson).join(',') : Array.from(v, String).join(',');
    const id = firstId + i;
    parts.push(`{"id":${id},"vector":[${nums}],"payload":{"source":"bench.faiss","faiss_id":${id},"migrated_at":"2026-11-24T04:00:00Z","batch_num":${Math.floor(id / BATCH)}}}`);
  }
  return Buffer.from(`{"points":[${parts.join(',')}]}`);
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

async function startChild(): Promise<{ url: string; pid: number; stop: () => void }> {
  const here = dirname(fileURLToPath(import.meta.url));
  const cli = join(here, '..', 'test', 'support', 'qdrant', 'cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited (${code})`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function httpRun(url: string, pid: number, bodies: Buffer[], rounds: number): Promise<{ points: number; seconds: number; cpu: number | undefined }> {
  const put = (path: string, b: string | Buffer) => fetch(`${url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: typeof b === 'string' ? b : new Uint8Array(b) });
  const r = await put('/collections/bench', JSON.stringify({ vectors: { size: DIM, distance: 'Cosine', on_disk: true } }));
  if (!r.ok) throw new Error(`create: ${r.status} ${await r.text()}`);
  const send = async (b: Buffer) => {
    const res = await put('/collections/bench/points?wait=true', b);
    const text = await res.text();
    if (!res.ok) throw new Error(`upsert: ${res.status} ${text}`);
  };
  await send(bodies[0]!); // warm-up (JIT, schema compile)
  let next = 0;
  const total = bodies.length * rounds;
  const cpu0 = cpuSeconds(pid);
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await send(bodies[i % bodies.length]!);
    }
  };
  await Promise.all([worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  const cpu1 = cpuSeconds(pid);
  await fetch(`${url}/collections/bench`, { method: 'DELETE' });
  return { points: total * BATCH, seconds, cpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined };
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/**
 * The machine's floor: a loop that only reads every byte of the bodies and counts commas (no parsing).
 * No JS parser of these bodies can beat it, so it shows how fast this machine is at the moment.
 */
function byteFloor(bodies: Buffer[]): number {
  let commas = 0;
  const t0 = cpuNow();
  for (let r = 0; r < 3; r++)
    for (const b of bodies) {
      const u = new Uint8Array(b.buffer, b.byteOffset, b.length);
      for (let i = 0; i < u.length; i++) if (u[i] === 0x2c) commas++;
    }
  const seconds = cpuNow() - t0;
  if (commas === 0) throw new Error('no commas');
  return (3 * bodies.length * BATCH) / seconds;
}

/** In-process parse cost per point, CPU seconds: the fast scanner against the general parser. */
function scanOnly(bodies: Buffer[]): { fast: number; slow: number } {
  for (const b of bodies) if (!scanUpsertBody(b).ok) throw new Error('scanner declined a bench body');
  const t0 = cpuNow();
  for (let r = 0; r < 3; r++) for (const b of bodies) scanUpsertBody(b);
  const t1 = cpuNow();
  parseBody(bodies[0]!.toString('utf8'));
  const t2 = cpuNow();
  parseBody(bodies[1]!.toString('utf8'));
  const t3 = cpuNow();
  return { fast: (3 * bodies.length * BATCH) / (t1 - t0), slow: BATCH / (t3 - t2) };
}

/** The stand-in's own work per upsert without HTTP: scan, schema check, normalise, store (CPU seconds). */
function handlerOnly(bodies: Buffer[]): number {
  const api = loadOpenApi('1.19.0');
  const validate = api?.schemasFor('upsert_points')?.body;
  const c = new Collection('bench', { vectors: { size: DIM, distance: 'Cosine' } });
  const once = (b: Buffer) => {
    const r = scanUpsertBody(b);
    if (!r.ok || (validate && !validate(r.plain))) throw new Error('bench body refused');
    c.applyUpsert(c.prepareUpsert(r.points), null, null);
  };
  once(bodies[0]!);
  const t0 = cpuNow();
  for (let r = 0; r < 3; r++) for (const b of bodies) once(b);
  return (3 * bodies.length * BATCH) / (cpuNow() - t0);
}

export async function run(): Promise<BenchTable[]> {
  const load = loadavg()[0]!;
  const shortest = Array.from({ length: 8 }, (_, i) => body(i * BATCH, 'f32-shortest'));
  const long = Array.from({ length: 8 }, (_, i) => body(i * BATCH, 'double-17'));
  const rows: (string | number)[][] = [];
  const child = await startChild();
  try {
    for (const [name, bodies] of [['shortest f32 text (~9 digits)', shortest], ['double text (17 digits)', long]] as const) {
      const { points, seconds, cpu } = await httpRun(child.url, child.pid, bodies, 10);
      const wall = points / seconds;
      const perCpu = cpu ? points / cpu : NaN;
      rows.push([`HTTP upsert, ${name}`, points, Math.round(wall), Number.isNaN(perCpu) ? 'n/a' : Math.round(perCpu), `${((perCpu / TARGET) * 100).toFixed(0)}%`, (bodies[0]!.length / 1e6).toFixed(1)]);
    }
  } finally {
    child.stop();
  }
  const scan = scanOnly(shortest);
  const handler = handlerOnly(shortest);
  const floor = byteFloor(shortest);
  rows.push(['scan + schema + normalise + store (in-process, no HTTP)', 3 * shortest.length * BATCH, '', Math.round(handler), `${((handler / TARGET) * 100).toFixed(0)}%`, (shortest[0]!.length / 1e6).toFixed(1)]);
  rows.push(['body scan only (fast path, in-process)', 3 * shortest.length * BATCH, '', Math.round(scan.fast), `${((scan.fast / TARGET) * 100).toFixed(0)}%`, (shortest[0]!.length / 1e6).toFixed(1)]);
  rows.push(['floor: read every body byte, no parsing (this machine now)', 3 * shortest.length * BATCH, '', Math.round(floor), `${((floor / TARGET) * 100).toFixed(0)}%`, (shortest[0]!.length / 1e6).toFixed(1)]);
  rows.push(['body parse only (general parser, in-process)', BATCH, '', Math.round(scan.slow), `${((scan.slow / TARGET) * 100).toFixed(0)}%`, (shortest[0]!.length / 1e6).toFixed(1)]);
  return [
    {
      title: 'Qdrant stand-in: 384-d upsert intake (stand-in on one core, wait=true, Cosine, 500 points/request)',
      reference: 'target ≥ 100,000 points/s (issue 4); ratio column = figure / target',
      columns: ['measure', 'points', 'points/s (wall)', 'points per CPU-second', 'vs target (CPU)', 'MB/body'],
      rows,
      notes: [
        'The stand-in runs in its own process (single-threaded JS: one core); the sender uses prebuilt bodies.',
        '"points per CPU-second" divides by the stand-in process\'s own CPU time (/proc), so other load on a shared machine does not count against it; wall-clock points/s does include waiting for the CPU.',
        'HTTP rows include the HTTP server, the fast body scanner, OpenAPI validation of the body skeleton and of every response, cosine normalisation and storing.',
        `1-minute load average when the run started: ${load.toFixed(1)} on ${cpuCount()} CPUs (other processes share the cores; CPU time under contention runs slower too).`,
      ],
    },
  ];
}

// Allow `npx tsx bench/standin.ts` directly.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { formatTable } = await import('./table');
  for (const t of await run()) console.log(formatTable(t));
}
