/**
 * `npm run bench standin`: how many 384-d points per second the Qdrant stand-in accepts, so it is never
 * what another benchmark measures. The stand-in runs alone in a child process (one core, as `cli.ts` runs
 * it). The load comes from this process as wrk would send it: two keep-alive connections writing
 * prebuilt HTTP requests (500-point bodies, wait=true) and reading the answers, so the sender costs
 * ~3 µs a point and competes as little as possible for the CPU (on this 2-vCPU machine a busy neighbour
 * slows integer code on the other vCPU by up to 1.6×). Target: ≥ 100,000 points/s.
 *
 * The same load against a node:http server that only receives each body and answers gives the floor:
 * what accepting these bytes costs on this machine before anything is copied or parsed.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import type { BenchTable } from './table';
import { f32ToJson } from '../test/support/qdrant/json-out';
import { scanUpsertBody } from '../test/support/qdrant/upsert-scanner';
import { parseBody } from '../test/support/qdrant/json-in';
import { loadOpenApi } from '../test/support/qdrant/openapi';
import { Collection } from '../test/support/qdrant/collection';
import { NumberArrayReader } from '../test/support/qdrant/number-array';

const DIM = 384;
const BATCH = 500;
const TARGET = 100_000;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A node:http server that receives each body (and drops it) and answers as Qdrant does, doing nothing else. */
const NULL_SERVER = `
const http = require('node:http');
const answer = JSON.stringify({ result: { operation_id: 1, status: 'completed' }, status: 'ok', time: 0 });
const s = http.createServer((req, res) => {
  let bytes = 0;
  req.on('data', (c) => (bytes += c.length));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
  });
});
s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));
`;

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

/** A server child (the stand-in's cli.ts, or the null server) on a free port. */
async function startChild(args: string[]): Promise<{ port: number; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server child exited (${code})`)));
  });
  return { port: Number(new URL(url).port), pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

function request(port: number, method: string, path: string, b: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${b.length}\r\n\r\n`, 'latin1'), b]);
}

/**
 * One keep-alive connection sending `next()`'s requests one after another until it returns undefined;
 * any answer but 200 fails the run (with the answer's text).
 */
function lane(port: number, next: () => Buffer | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let pending: Buffer = Buffer.alloc(0);
    const send = () => {
      const r = next();
      if (r) socket.write(r);
      else {
        socket.end();
        resolve();
      }
    };
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      pending = pending.length > 0 ? Buffer.concat([pending, d]) : d;
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = pending.toString('latin1', 0, headEnd);
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < headEnd + 4 + length) return;
        if (!head.startsWith('HTTP/1.1 200')) {
          socket.destroy();
          reject(new Error(`upsert answered: ${head.split('\r\n')[0]} ${pending.toString('utf8', headEnd + 4, headEnd + 4 + length)}`));
          return;
        }
        pending = pending.subarray(headEnd + 4 + length);
        send();
      }
    });
  });
}

/** One request on its own connection (collection create and delete). */
function sendOnce(port: number, method: string, path: string, b: Buffer): Promise<void> {
  let sent = false;
  return lane(port, () => (sent ? undefined : ((sent = true), request(port, method, path, b))));
}

/** Create the collection, send four warm-up requests (JIT, schema compile), then `rounds` passes over the bodies, two in flight. */
async function httpRun(port: number, pid: number, bodies: Buffer[], rounds: number): Promise<{ points: number; seconds: number; cpu: number | undefined }> {
  await sendOnce(port, 'PUT', '/collections/bench', Buffer.from(JSON.stringify({ vectors: { size: DIM, distance: 'Cosine', on_disk: true } })));
  const upserts = bodies.map((b) => request(port, 'PUT', '/collections/bench/points?wait=true', b));
  let warm = 0;
  await lane(port, () => (warm++ < 4 ? upserts[warm % upserts.length] : undefined));
  let sent = 0;
  const total = bodies.length * rounds;
  const next = () => (sent < total ? upserts[sent++ % upserts.length] : undefined);
  const cpu0 = cpuSeconds(pid);
  const started = performance.now();
  await Promise.all([lane(port, next), lane(port, next)]);
  const seconds = (performance.now() - started) / 1000;
  const cpu1 = cpuSeconds(pid);
  return { points: total * BATCH, seconds, cpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined };
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

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

/** Reading the vector numbers and nothing else (the WebAssembly loop over each vector), points per CPU-second. */
function numbersOnly(bodies: Buffer[]): number {
  const reader = new NumberArrayReader();
  const starts = bodies.map((b) => {
    const at: number[] = [];
    for (let p = b.indexOf('"vector":['); p >= 0; p = b.indexOf('"vector":[', p + 1)) at.push(p + 10);
    return at;
  });
  const pass = () => {
    bodies.forEach((b, i) => {
      reader.load([b]);
      for (const p of starts[i]!) if (!reader.parseVector(p, () => undefined).ok) throw new Error('bench vector declined');
    });
  };
  pass();
  const t0 = cpuNow();
  for (let r = 0; r < 3; r++) pass();
  return (3 * bodies.length * BATCH) / (cpuNow() - t0);
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
  const rounds = process.env.BENCH_QUICK ? 10 : 40;
  const rows: (string | number)[][] = [];
  const row = (name: string, points: number, wall: number | '', perCpu: number, bodies: Buffer[] = shortest) =>
    rows.push([name, points, wall === '' ? '' : Math.round(wall), Number.isNaN(perCpu) ? 'n/a' : Math.round(perCpu), Number.isNaN(perCpu) ? 'n/a' : `${((perCpu / TARGET) * 100).toFixed(0)}%`, (bodies[0]!.length / 1e6).toFixed(1)]);
  const standIn = await startChild(['--import', 'tsx', 'test/support/qdrant/cli.ts', '--port', '0']);
  try {
    for (const [name, bodies] of [['shortest f32 text (~9 digits)', shortest], ['double text (17 digits)', long]] as const) {
      const { points, seconds, cpu } = await httpRun(standIn.port, standIn.pid, bodies, rounds);
      row(`stand-in, HTTP upsert, ${name}`, points, points / seconds, cpu ? points / cpu : NaN, [...bodies]);
      // A fresh collection per text kind: the second run must not count overwrites of the first one's ids.
      await sendOnce(standIn.port, 'DELETE', '/collections/bench', Buffer.alloc(0));
    }
  } finally {
    standIn.stop();
  }
  const floor = await startChild(['-e', NULL_SERVER]);
  try {
    const { points, seconds, cpu } = await httpRun(floor.port, floor.pid, shortest, rounds);
    row('floor: node:http receiving the same bodies, nothing else', points, points / seconds, cpu ? points / cpu : NaN);
  } finally {
    floor.stop();
  }
  const scan = scanOnly(shortest);
  const handler = handlerOnly(shortest);
  const numbers = numbersOnly(shortest);
  row('scan + schema + normalise + store (in-process, no HTTP)', 3 * shortest.length * BATCH, '', handler);
  row('body scan only (fast path, in-process)', 3 * shortest.length * BATCH, '', scan.fast);
  row('vector numbers only (WebAssembly loop, in-process)', 3 * shortest.length * BATCH, '', numbers);
  row('body parse only (general parser, in-process)', BATCH, '', scan.slow);
  return [
    {
      title: 'Qdrant stand-in: 384-d upsert intake (stand-in on one core, wait=true, Cosine, 500 points/request)',
      reference: 'target ≥ 100,000 points/s (issue 4); ratio column = figure / target',
      columns: ['measure', 'points', 'points/s (wall)', 'points per CPU-second', 'vs target (CPU)', 'MB/body'],
      rows,
      notes: [
        'The stand-in runs in its own process (single-threaded JS: one core); the load is prebuilt HTTP requests on two keep-alive connections.',
        '"points per CPU-second" divides by the server process\'s own CPU time (/proc), so other load on a shared machine does not count against it; wall-clock points/s does include waiting for the CPU.',
        'HTTP rows include the HTTP server, the body scanner (vectors read by WebAssembly), OpenAPI validation of the body skeleton and of every response, cosine normalisation and storing.',
        'The floor row is the most any server built on node:http can accept of these bodies on this machine now; with the numbers-only row it bounds any Node stand-in: 1/(1/floor + 1/numbers) points per CPU-second before validation or storage.',
        `1-minute load average when the run started: ${load.toFixed(1)} on ${availableParallelism()} CPUs (other processes share the cores; CPU time under contention runs slower too).`,
      ],
    },
  ];
}

// Allow `npx tsx bench/standin.ts` directly.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { formatTable } = await import('./table');
  for (const t of await run()) console.log(formatTable(t));
}
