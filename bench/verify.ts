/**
 * `npm run bench verify`: how long `xnai-migrate verify` takes, and how much memory it needs, on a
 * collection of BENCH_VERIFY_ROWS (default 50,000) × 384 vectors with 63-bit labels (exact ids above
 * 2^53), with the default checks (200 sampled points, 20 queries of exact search + HNSW, every id
 * scrolled). The index is written by Python FAISS (IndexIDMap2 over IndexFlatIP) into bench/.data, copied
 * into the real Qdrant server (the binary, a separate process) and verified by the CLI in a child process, whose wall
 * time and peak RSS GNU time measures; a second table splits an in-process run by phase (which part is
 * ours: the source pass; which is the server's: exact and HNSW searches). The reference is
 * qdrant/migration, which only counts points.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchTable } from './table';
import { startBenchQdrant } from './support';
import { startRedis } from '../test/support/redis';
import { populate } from '../test/verify/populate';
import { MigrationConfigSchema } from '../shared/contract';
import { verifyMigration, type VerifyPhase } from '../electron/engine/verify/index';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const DATA = join(HERE, '.data');
const ROWS = Number(process.env.BENCH_VERIFY_ROWS ?? 50_000);
const D = 384;

function makeIndex(path: string): void {
  const py = `
import faiss, numpy as np, sys
n, d = ${ROWS}, ${D}
rng = np.random.default_rng(7)
x = rng.standard_normal((n, d), dtype=np.float32)
ids = rng.choice(2**62, size=n, replace=False).astype(np.int64) + (1 << 60)
idx = faiss.IndexIDMap2(faiss.IndexFlatIP(d))
idx.add_with_ids(x, ids)
faiss.write_index(idx, sys.argv[1])
`;
  const r = spawnSync('python3', ['-c', py, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 faiss failed: ${r.stderr}`);
}

function timedVerify(env: Record<string, string>, args: string[]): { seconds: number; maxRssMb: number; verdict: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'XNAI_TIME %e %M', process.execPath, '--import', 'tsx', 'electron/cli/main.ts', 'verify', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const m = /XNAI_TIME ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`verify did not report times: ${r.stderr}`);
  const verdict = r.stdout.trim().split('\n').at(-1) ?? '';
  if (!/^PASS/.test(verdict)) throw new Error(`verify did not pass: ${r.stdout}${r.stderr}`);
  return { seconds: Number(m[1]), maxRssMb: Number(m[2]) / 1024, verdict };
}

export async function run(): Promise<BenchTable[]> {
  mkdirSync(DATA, { recursive: true });
  const index = join(DATA, `verify-${ROWS}x${D}.faiss`);
  if (!existsSync(index)) makeIndex(index);
  const qdrant = await startBenchQdrant();
  const redis = await startRedis();
  try {
    const t0 = performance.now();
    await populate({ url: qdrant.url }, 'bench_verify', index, 'Dot', 500);
    const populateS = (performance.now() - t0) / 1000;
    const env = {
      QDRANT_URL: qdrant.url,
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      FAISS_INDEX_PATH: index,
      QDRANT_COLLECTION: 'bench_verify',
    };
    const cases: [string, string[]][] = [
      ['default (200 sampled, 20 queries, every id)', []],
      ['ids skipped (--no-ids)', ['--no-ids']],
      ['count + 1,000 sampled, no search', ['--sample', '1000', '--queries', '0', '--no-ids']],
    ];
    const rows: (string | number)[][] = [];
    let verdict = '';
    for (const [name, args] of cases) {
      const r = timedVerify(env, args);
      if (!verdict) verdict = r.verdict;
      rows.push([name, ROWS, r.seconds, Math.round(ROWS / r.seconds), Math.round(r.maxRssMb)]);
    }
    // Phase split, in-process (timings only: this process also holds the copy's leftovers).
    const seen = new Map<VerifyPhase, { first: number; last: number }>();
    let prev = performance.now();
    const started = prev;
    await verifyMigration(
      MigrationConfigSchema.parse({ qdrantUrl: qdrant.url, redisHost: redis.host, redisPort: redis.port, faissIndexPath: index, collection: 'bench_verify' }),
      {},
      (p) => {
        const now = performance.now();
        const s = seen.get(p.phase);
        if (s) s.last = now;
        else seen.set(p.phase, { first: prev, last: now });
        prev = now;
      },
    );
    const phaseRows: (string | number)[][] = [...seen].map(([phase, t]) => [phase, Number(((t.last - t.first) / 1000).toFixed(2))]);
    phaseRows.push(['total', Number(((performance.now() - started) / 1000).toFixed(2))]);
    return [
      {
        title: `verify: ${ROWS.toLocaleString('en-US')} × ${D} (IndexIDMap2 Flat IP, ids > 2^53), Qdrant ${qdrant.version}`,
        reference: 'qdrant/migration v0.6.5: a count only (no vectors, payloads, search or ids compared)',
        columns: ['checks', 'points', 'wall s (CLI, incl. ~2 s start)', 'points/s', 'peak RSS MB'],
        rows,
        notes: [
          `first verdict: ${verdict}`,
          `copying into Qdrant beforehand (bench setup, not verification): ${populateS.toFixed(1)} s`,
          'exact search and HNSW queries are answered by the real server; the brute-force ground truth streams the FAISS file once',
        ],
      },
      {
        title: 'verify by phase (in-process, default checks)',
        reference: 'source = one streaming pass: 20-query brute force + id set; search = 20 exact + 20 HNSW queries answered by Qdrant',
        columns: ['phase', 'seconds'],
        rows: phaseRows,
      },
    ];
  } finally {
    await qdrant.stop();
    await redis.dispose();
    if (process.env.BENCH_KEEP !== '1') rmSync(index, { force: true });
  }
}
