/**
 * `xnai-migrate inspect` and `export` as a user runs them: a real child process, asserting stdout, stderr
 * and the exit code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../shared/json';
import { BROKEN, loadTruth } from './fixtures';

const ROOT = join(__dirname, '..', '..');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XNAI_DEBUG: '' } });
  // npm may print its own config warnings; keep only the program's lines.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('npm warn'))
    .join('\n');
  return { code: r.status, stdout: r.stdout, stderr };
}

describe('xnai-migrate inspect', () => {
  it('prints type, code, dimension, count, metric, exactness, sizes', () => {
    const t = loadTruth('v1_15', 'idmap2_hnsw');
    const r = cli('inspect', t.path);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Index type: +IndexIDMap2\(IndexHNSWFlat\)$/m);
    expect(r.stdout).toMatch(/^Type code: +IxM2 \(IxM2 > IHNf > IxF2\)$/m);
    expect(r.stdout).toMatch(/^Dimension: +8$/m);
    expect(r.stdout).toMatch(/^Vectors: +200$/m);
    expect(r.stdout).toMatch(/^Metric: +l2 /m);
    expect(r.stdout).toMatch(/^Exact: +yes/m);
    expect(r.stdout).toMatch(/^File size: +[\d.]+ KB \([\d,]+ bytes\)$/m);
    expect(r.stdout).toMatch(/^In Qdrant: +about [\d.]+ KB/m);
  });

  it('--json gives an object with the summary fields', () => {
    const t = loadTruth('v1_7', 'ivfsq_6bit_residual');
    const r = cli('inspect', t.path, '--json');
    expect(r.code).toBe(0);
    const j = parseJson<Record<string, unknown>>(r.stdout);
    expect(j).toMatchObject({ indexType: 'IndexIVFScalarQuantizer', fourcc: 'IwSq', dimension: 10, count: 200, metric: 'ip', exact: false });
    expect(j.chain).toEqual(['IwSq', 'ilar']);
  });

  it('refuses a broken file with one line on stderr and exit code 3', () => {
    const r = cli('inspect', join(BROKEN, 'binary_flat.faiss'));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`xnai-migrate: ${join(BROKEN, 'binary_flat.faiss')}: index at byte 0: IndexBinaryFlat (IBxF) holds binary codes, which Qdrant cannot store as float vectors`);
  });
});

describe('xnai-migrate export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xnai-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams {"id", "vector"} lines with exact ids and float32-exact components, honouring --offset/--limit', () => {
    const t = loadTruth('v1_15', 'idmap2_flat');
    const r = cli('export', t.path, '--format', 'jsonl', '--offset', '3', '--limit', '120');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(120);
    lines.forEach((line, k) => {
      const o = 3 + k;
      const obj = parseJson<{ id: number | bigint; vector: number[] }>(line);
      expect(BigInt(obj.id)).toBe(t.labels[o]);
      expect(obj.vector.map((v) => Math.fround(v))).toEqual([...t.vectors.subarray(o * t.d, (o + 1) * t.d)]);
    });
    // 2^53 + 1 is written as its exact digits (a JS number would print 9007199254740992).
    expect(r.stdout).toContain('"id":9007199254740993,');
  });

  it('--out writes the whole file', () => {
    const t = loadTruth('v1_15', 'ivfpq_8bit');
    const out = join(dir, 'pq.jsonl');
    const r = cli('export', t.path, '--format', 'jsonl', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(t.ntotal);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(parseJson<{ id: bigint | number }>(lines[0]!).id.toString()).toBe(t.labels[0]!.toString());
  });

  it('refuses a bad format, a bad offset and a truncated file in one line each', () => {
    const t = loadTruth('v1_15', 'flat_l2');
    const bad = cli('export', t.path, '--format', 'csv');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('xnai-migrate: --format must be "jsonl", got "csv"');
    const off = cli('export', t.path, '--format', 'jsonl', '--offset', '-4');
    expect(off.code).not.toBe(0);
    expect(off.stderr.split('\n')).toHaveLength(1);
    const out = join(dir, 'never.jsonl');
    const trunc = cli('export', join(BROKEN, 'truncated_data.faiss'), '--format', 'jsonl', '--out', out);
    expect(trunc.code).toBe(3);
    expect(trunc.stderr).toMatch(/^xnai-migrate: .*truncated_data\.faiss: IndexFlatL2 \(IxF2\) vectors at byte 37: claims 320 elements/);
    expect(trunc.stderr).not.toContain('\n');
    expect(existsSync(out)).toBe(false);
  });
});
