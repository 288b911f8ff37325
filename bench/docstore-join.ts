/**
 * `npm run bench docstore-join`: parse a LangChain `index.pkl` of N small documents and join every FAISS
 * label to its document (mismatch count + one documentFor/buildPayload per vector, as a migration does).
 *
 * Stores are generated here in the exact opcode shape LangChain's `FAISS.save_local` pickles today
 * (protocol 4, langchain_community InMemoryDocstore, pydantic-v2 langchain_core Document, memo references
 * as Python's pickler writes them, SETITEMS every 1,000 items), with an IndexFlatL2 (d=4) beside it.
 * Each measurement runs in a fresh child process so peak RSS (maxRSS) belongs to that case alone.
 *
 * Reference: Python `pickle.load` of the same file with langchain-community installed, which is what
 * `FAISS.load_local` does (time and peak RSS of the Python process), when python3 can import it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchTable } from './table';
import { peakRssMb, runJsonChild, writeFlat } from './support';

const SELF = fileURLToPath(import.meta.url);
const DIM = 4;

/** Buffered writer of pickle opcodes with Python's memo numbering. */
class PickleWriter {
  private chunks: Buffer[] = [];
  private size = 0;
  private memo = 0;
  private readonly interned = new Map<string, number>();
  constructor(private readonly fd: number) {}

  raw(bytes: number[] | Buffer): void {
    const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
    this.chunks.push(b);
    this.size += b.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.size) writeSync(this.fd, Buffer.concat(this.chunks, this.size));
    this.chunks = [];
    this.size = 0;
  }
  put(): number {
    this.raw([0x94]);
    return this.memo++;
  }
  get(i: number): void {
    if (i < 256) this.raw([0x68, i]);
    else {
      const b = Buffer.alloc(5);
      b[0] = 0x6a;
      b.writeUInt32LE(i, 1);
      this.raw(b);
    }
  }
  str(s: string): number {
    const e = Buffer.from(s, 'utf8');
    if (e.length < 256) this.raw(Buffer.concat([Buffer.from([0x8c, e.length]), e]));
    else {
      const h = Buffer.alloc(5);
      h[0] = 0x58;
      h.writeUInt32LE(e.length, 1);
      this.raw(Buffer.concat([h, e]));
    }
    return this.put();
  }
  /** An interned string: pickled once, then referenced from the memo (as CPython does for identifiers). */
  name(s: string): void {
    const i = this.interned.get(s);
    if (i !== undefined) this.get(i);
    else this.interned.set(s, this.str(s));
  }
  int(n: number): void {
    if (n < 256) this.raw([0x4b, n]);
    else if (n < 65536) this.raw([0x4d, n & 0xff, n >> 8]);
    else {
      const b = Buffer.alloc(5);
      b[0] = 0x4a;
      b.writeInt32LE(n, 1);
      this.raw(b);
    }
  }
}

const docId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** `<dir>/index.pkl` + `<dir>/index.faiss` (d dimensions) for n documents, as LangChain saves them. */
export function generateLangChainStore(dir: string, n: number, dim = DIM): void {
  const fd = openSync(join(dir, 'index.pkl'), 'w');
  const w = new PickleWriter(fd);
  const keyMemo = new Int32Array(n);
  w.raw([0x80, 4]);
  w.str('langchain_community.docstore.in_memory');
  w.str('InMemoryDocstore');
  w.raw([0x93]);
  w.put();
  w.raw([0x29, 0x81]);
  w.put();
  w.raw([0x7d]);
  w.put();
  w.name('_dict');
  w.raw([0x7d]);
  w.put();
  let docClass = -1;
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 0) w.raw([0x28]);
    keyMemo[i] = w.str(docId(i));
    if (docClass < 0) {
      w.str('langchain_core.documents.base');
      w.name('Document');
      w.raw([0x93]);
      docClass = w.put();
    } else w.get(docClass);
    w.raw([0x29, 0x81]);
    w.put();
    w.raw([0x7d]);
    w.put();
    w.raw([0x28]);
    w.name('__dict__');
    w.raw([0x7d]);
    w.put();
    w.raw([0x28]);
    w.name('id');
    w.get(keyMemo[i]!);
    w.name('metadata');
    w.raw([0x7d]);
    w.put();
    w.raw([0x28]);
    w.name('source');
    w.str(`file-${i % 1000}.txt`);
    w.name('page');
    w.int(i % 500);
    w.raw([0x75]);
    w.name('page_content');
    w.str(`Chunk ${i} of the benchmark corpus: a small document's text.`);
    w.name('type');
    w.name('Document');
    w.raw([0x75]);
    w.name('__pydantic_extra__');
    w.raw([0x4e]);
    w.name('__pydantic_fields_set__');
    w.raw([0x8f]);
    w.put();
    w.raw([0x28]);
    w.name('metadata');
    w.name('page_content');
    w.name('id');
    w.raw([0x90]);
    w.name('__pydantic_private__');
    w.raw([0x4e]);
    w.raw([0x75, 0x62]); // SETITEMS, BUILD
    if (i % 1000 === 999 || i === n - 1) w.raw([0x75]);
  }
  w.raw([0x73, 0x62]); // '_dict' → state, BUILD docstore
  w.raw([0x7d]);
  w.put();
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 0) w.raw([0x28]);
    w.int(i);
    w.get(keyMemo[i]!);
    if (i % 1000 === 999 || i === n - 1) w.raw([0x75]);
  }
  w.raw([0x86]);
  w.put();
  w.raw([0x2e]);
  w.flush();
  closeSync(fd);

  // IndexFlatL2 beside it (d=4 for the parse tables, 384 for the migration).
  writeFlat(join(dir, 'index.faiss'), n, dim, 65536, (block, start, m) => {
    for (let k = 0; k < m * dim; k++) block[k] = ((start * dim + k) % 997) / 997;
  });
}

interface JoinStep {
  vectors: number;
  ms: number;
  peakMb: number;
}

interface ChildResult {
  parseMs: number;
  parsePeakMb: number;
  afterParseMb: number;
  summarizeMs: number;
  documents: number;
  withoutDocument: number;
  /** Joins of the first 10 %, 33 % and all vectors, one after another in this process. */
  steps: JoinStep[];
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const maxRssMb = () => Math.round(peakRssMb() * 10) / 10;

/** Runs in a child: parse, count mismatches, then join growing prefixes of the vectors. */
async function child(dir: string): Promise<void> {
  const { openDocumentStore } = await import('../electron/engine/docstore');
  const { openFaissIndex } = await import('../electron/engine/faiss');
  const { buildPayload } = await import('../electron/engine/payload');
  const gc = (globalThis as { gc?: () => void }).gc;

  let t = performance.now();
  const store = await openDocumentStore('langchain-python', { pickle: join(dir, 'index.pkl') });
  const parseMs = performance.now() - t;
  const parsePeakMb = maxRssMb();
  gc?.();
  const afterParseMb = mb(process.memoryUsage().rss);

  const index = await openFaissIndex(join(dir, 'index.faiss'));
  const n = index.summary.count;
  t = performance.now();
  // 1. The mismatch count openSource makes (one pass over the labels).
  const labels = async function* () {
    for await (const b of index.labels!({ batchSize: 65536 })) yield b.ids;
  };
  const summary = await store.summarize(labels());
  const summarizeMs = performance.now() - t;
  // 2. What a migration does per batch: look up each vector's document and build its payload.
  const steps: JoinStep[] = [];
  const migratedAt = new Date().toISOString();
  for (const end of [Math.round(n / 10), Math.round(n / 3), n]) {
    t = performance.now();
    let joined = 0;
    for await (const b of index.labels!({ batchSize: 500, end })) {
      for (let r = 0; r < b.count; r++) {
        const doc = store.documentFor(b.ids[r]!);
        const p = buildPayload('langchain', doc, { source: 'faiss', faiss_id: b.ids[r]!, migrated_at: migratedAt, batch_num: b.start / 500 });
        if (doc && p.page_content !== undefined) joined++;
      }
    }
    if (joined !== end) throw new Error(`joined ${joined} of ${end}`);
    steps.push({ vectors: end, ms: performance.now() - t, peakMb: maxRssMb() });
  }
  await index.close();
  const out: ChildResult = { parseMs, parsePeakMb, afterParseMb, summarizeMs, documents: store.count, withoutDocument: summary.vectorsWithoutDocument, steps };
  process.stdout.write(JSON.stringify(out));
}

interface MigrateResult {
  ms: number;
  peakMb: number;
  points: number;
  status: string;
}

/**
 * Runs in a child: one whole migration of `path` (a folder, or its lone index.faiss) with the engine, into
 * the real Qdrant at `url`, REST transport for every case (the same transport on both sides of the ratio).
 */
async function migrateChild(path: string, layout: string, url: string, redisPort: string, collection: string): Promise<void> {
  const { createRunController } = await import('../electron/engine/migration/index');
  const { MigrationConfigSchema } = await import('../shared/contract');
  const config = MigrationConfigSchema.parse({
    qdrantUrl: url,
    redisHost: '127.0.0.1',
    redisPort: Number(redisPort),
    faissIndexPath: path,
    collection,
    stateKey: `xnai:bench:${collection}`,
    payloadLayout: layout,
    transport: 'rest',
    logDir: join(tmpdir(), 'xnai-bench-logs'),
  });
  const c = createRunController();
  const t = performance.now();
  await c.start(config);
  const status = await c.settled();
  const ms = performance.now() - t;
  const points = c.snapshot().progress?.processed ?? 0;
  process.stdout.write(JSON.stringify({ ms, peakMb: maxRssMb(), points, status } satisfies MigrateResult));
}

/**
 * A 100k-document LangChain folder migrated as LangChain (documents joined, payloads built, point ids from
 * the docstore ids) against the same folder with PAYLOAD_LAYOUT=raw (same docstore parse, FAISS labels, the
 * seed's fields and metadata), and the lone index.faiss (vectors only), into the real Qdrant.
 */
async function migrationTable(n: number): Promise<BenchTable | null> {
  const { startRealQdrant, resolveQdrantBin } = await import('../test/support/qdrant/real-server');
  const { startRedis } = await import('../test/support/redis');
  if (!resolveQdrantBin()) return null;
  const root = mkdtempSync(join(tmpdir(), 'xnai-bench-migrate-'));
  const [qdrant, redis] = await Promise.all([startRealQdrant(), startRedis()]);
  try {
    generateLangChainStore(root, n, 384);
    const cases: [string, string, string][] = [
      ['LangChain folder, layout auto (langchain)', root, 'auto'],
      ['same folder, PAYLOAD_LAYOUT=raw', root, 'raw'],
      ['index.faiss alone (vectors only)', join(root, 'index.faiss'), 'raw'],
    ];
    const results = cases.map(([, path, layout], i) => {
      const r = runJsonChild<MigrateResult>([SELF, '--migrate', path, layout, qdrant.url, String(redis.port), `bench_${i}`]);
      if (r.status !== 'completed' || r.points !== n) throw new Error(`migration of ${path} (${layout}) ended ${r.status} with ${r.points} points`);
      return r;
    });
    const reference = results[1]!.ms;
    return {
      title: `${n.toLocaleString('en-US')}-document LangChain migration into the real Qdrant ${qdrant.version} (384-d, REST, one process per case)`,
      reference: 'the same folder with PAYLOAD_LAYOUT=raw (same vectors and docstore parse); target: within 20 %',
      columns: ['case', 'wall s', 'points/s', 'peak RSS MB', 'time vs raw'],
      rows: cases.map(([name], i) => [name, (results[i]!.ms / 1000).toFixed(1), Math.round(n / (results[i]!.ms / 1000)), results[i]!.peakMb, `${((results[i]!.ms / reference) * 100).toFixed(0)} %`]),
      notes: [`machine load average: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) on ${cpus().length} cores`],
    };
  } finally {
    await Promise.all([qdrant.stop(), redis.dispose()]);
    rmSync(root, { recursive: true, force: true });
  }
}

function runChild(dir: string): ChildResult {
  return runJsonChild<ChildResult>(['--expose-gc', SELF, '--child', dir]);
}

/** Python pickle.load of the same file (what LangChain's FAISS.load_local does), or null without python. */
function pythonReference(dir: string): { ms: number; peakMb: number } | null {
  const code = [
    'import pickle, resource, sys, time',
    'import langchain_community.docstore.in_memory, langchain_core.documents.base',
    't = time.perf_counter()',
    "docstore, mapping = pickle.load(open(sys.argv[1], 'rb'))",
    'ms = (time.perf_counter() - t) * 1000',
    "print(ms, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(docstore._dict))",
  ].join('\n');
  const r = spawnSync('python3', ['-W', 'ignore', '-c', code, join(dir, 'index.pkl')], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [ms, peak] = r.stdout.trim().split(' ').map(Number);
  return { ms: ms!, peakMb: Math.round(peak! * 10) / 10 };
}

export async function run(): Promise<BenchTable[]> {
  const sizes = (process.env.XNAI_BENCH_DOCS ?? '100000,300000,1000000').split(',').map(Number);
  const root = mkdtempSync(join(tmpdir(), 'xnai-bench-docstore-'));
  const bySize: (string | number)[][] = [];
  const byVectors: (string | number)[][] = [];
  const notes: string[] = [];
  try {
    let last: ChildResult | null = null;
    for (const n of sizes) {
      const dir = join(root, String(n));
      mkdirSync(dir);
      generateLangChainStore(dir, n);
      const r = runChild(dir);
      if (r.documents !== n || r.withoutDocument !== 0) throw new Error(`join of ${n} documents came out wrong: ${JSON.stringify(r)}`);
      const py = pythonReference(dir);
      const full = r.steps[r.steps.length - 1]!;
      bySize.push([
        n,
        mb(statSync(join(dir, 'index.pkl')).size),
        Math.round(r.parseMs),
        r.parsePeakMb,
        r.afterParseMb,
        Math.round(r.summarizeMs),
        Math.round(full.ms),
        Math.round(n / (full.ms / 1000)),
        Math.round((full.peakMb - r.parsePeakMb) * 10) / 10,
        py ? `${Math.round(py.ms)} ms, ${py.peakMb} MB` : 'n/a',
        py ? Math.round((py.ms / r.parseMs) * 100) / 100 : 'n/a',
      ]);
      rmSync(dir, { recursive: true, force: true });
      last = r;
    }
    // The largest docstore joined against more and more of its vectors, in one process.
    for (const step of last?.steps ?? []) {
      byVectors.push([last!.documents, step.vectors, last!.parsePeakMb, step.peakMb, Math.round((step.peakMb - last!.parsePeakMb) * 10) / 10, Math.round(step.ms)]);
    }
    notes.push('parse = read + safe pickle VM + compact documents + label lookup; mismatch pass = summarize() over all labels; join = documentFor + buildPayload for every vector, batches of 500.');
    notes.push('extra peak = maxRSS after the join minus maxRSS after the parse, in the same process.');
    notes.push(`machine load average while running: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) on ${cpus().length} cores`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const migration = process.env.XNAI_BENCH_MIGRATE_DOCS === '0' ? null : await migrationTable(Number(process.env.XNAI_BENCH_MIGRATE_DOCS ?? 100_000));
  return [
    ...(migration ? [migration] : []),
    {
      title: 'LangChain index.pkl: parse and join (fresh process per size)',
      reference: 'Python pickle.load of the same file with langchain-community (what FAISS.load_local does); ratio = Python time / our parse time',
      columns: ['documents', 'pickle MB', 'parse ms', 'parse peak RSS MB', 'RSS after parse MB', 'mismatch pass ms', 'join ms', 'joins/s', 'extra peak in join MB', 'Python pickle.load', 'ratio'],
      rows: bySize,
      notes,
    },
    {
      title: 'Largest docstore, more and more vectors joined (one process): memory beyond the parse does not grow',
      columns: ['documents', 'vectors joined', 'parse peak RSS MB', 'peak after join MB', 'extra MB', 'join ms'],
      rows: byVectors,
    },
  ];
}

if (process.argv[2] === '--migrate') {
  const [path, layout, url, redisPort, collection] = process.argv.slice(3) as [string, string, string, string, string];
  migrateChild(path, layout, url, redisPort, collection).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${(e as Error).stack}\n`);
      process.exit(1);
    },
  );
}

if (process.argv[2] === '--child') {
  child(process.argv[3]!).catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
