/** Loads the committed FAISS fixtures (test/fixtures/faiss) and their ground truth from FAISS's reconstruct. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'faiss');
export const VERSIONS = ['v1_15', 'v1_7'] as const;
export const BROKEN = join(FIXTURES, 'broken');

export interface Truth {
  name: string;
  version: string;
  path: string;
  fourcc: string;
  d: number;
  ntotal: number;
  metric: 'l2' | 'ip';
  exact: boolean;
  labels: bigint[];
  vectors: Float32Array;
}

export function loadTruth(version: string, name: string): Truth {
  const dir = join(FIXTURES, version);
  const raw = JSON.parse(readFileSync(join(dir, `${name}.truth.json`), 'utf8')) as {
    fourcc: string;
    d: number;
    ntotal: number;
    metric: 'l2' | 'ip';
    exact: boolean;
    labels: string[];
    vectors_f32le_b64: string;
  };
  const bytes = Buffer.from(raw.vectors_f32le_b64, 'base64');
  const vectors = new Float32Array(bytes.length / 4);
  new Uint8Array(vectors.buffer).set(bytes);
  return {
    name,
    version,
    path: join(dir, `${name}.faiss`),
    fourcc: raw.fourcc,
    d: raw.d,
    ntotal: raw.ntotal,
    metric: raw.metric,
    exact: raw.exact,
    labels: raw.labels.map((s) => BigInt(s)),
    vectors,
  };
}

export function fixtureNames(version: string): string[] {
  return readdirSync(join(FIXTURES, version))
    .filter((f) => f.endsWith('.faiss'))
    .map((f) => f.slice(0, -'.faiss'.length))
    .sort();
}

export function allFixtures(): Truth[] {
  return VERSIONS.flatMap((v) => fixtureNames(v).map((n) => loadTruth(v, n)));
}

/** Lossy types must match FAISS's reconstruct within 1e-5 relative (absolute near zero). */
export function closeEnough(got: number, want: number): boolean {
  return Math.abs(got - want) <= 1e-5 * Math.max(Math.abs(want), 1);
}
