/**
 * Brute-force nearest neighbours of a few query vectors, computed while the FAISS file streams past once
 * (memory: the queries plus `keep` candidates each, never the index). Each query keeps more candidates
 * than the search limit so that ties at the boundary can be recognised instead of reported as misses.
 */
import type { Distance } from '../../../shared/contract';
import type { VectorBatch } from '../faiss/types';
import { norm, scoreKey } from './distance';

export interface Neighbour {
  label: bigint;
  key: number;
}

class TopK {
  readonly keys: Float64Array;
  readonly labels: BigInt64Array;
  size = 0;
  constructor(readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.labels = new BigInt64Array(capacity);
  }
  /** The key a candidate must beat to enter (−∞ while not full). */
  get floor(): number {
    return this.size < this.capacity ? -Infinity : this.keys[this.size - 1]!;
  }
  offer(key: number, label: bigint): void {
    if (this.size === this.capacity) {
      if (!(key > this.keys[this.size - 1]!)) return;
      this.size--;
    }
    // Insertion keeps the list sorted best-first; equal keys keep stream order.
    let i = this.size;
    while (i > 0 && this.keys[i - 1]! < key) {
      this.keys[i] = this.keys[i - 1]!;
      this.labels[i] = this.labels[i - 1]!;
      i--;
    }
    this.keys[i] = key;
    this.labels[i] = label;
    this.size++;
  }
  list(): Neighbour[] {
    const out: Neighbour[] = [];
    for (let i = 0; i < this.size; i++) out.push({ label: this.labels[i]!, key: this.keys[i]! });
    return out;
  }
}

/**
 * Σ a[ao+i]·b[bo+i] over `dim` terms in float64, four accumulators (the hot loop of ground truth).
 */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dim; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < dim; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + s2 + s3;
}

export class GroundTruth {
  private readonly tops: TopK[];
  private readonly qNorms: number[];
  /** Largest L2 norm seen in the source: scales the score tolerance. */
  maxNorm = 0;

  constructor(
    readonly distance: Distance,
    readonly queries: Float32Array[],
    keep: number,
  ) {
    this.tops = queries.map(() => new TopK(keep));
    this.qNorms = queries.map((q) => norm(q));
  }

  queryNorm(i: number): number {
    return this.qNorms[i]!;
  }

  /** Adds a batch; rows for which `skip(row)` is true are left out (occurrences Qdrant does not hold). */
  add(batch: VectorBatch, skip?: (row: number) => boolean): void {
    const { dimension: dim, vectors, ids, count } = batch;
    const nq = this.queries.length;
    // Row norms once per batch: they scale the tolerance, and turn Cosine and Euclid into a dot product.
    const sq = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      const n2 = dot(vectors, r * dim, vectors, r * dim, dim);
      sq[r] = n2;
      const n = Math.sqrt(n2);
      if (n > this.maxNorm) this.maxNorm = n;
    }
    for (let q = 0; q < nq; q++) {
      const query = this.queries[q]!;
      const qn = this.qNorms[q]!;
      const top = this.tops[q]!;
      for (let r = 0; r < count; r++) {
        if (skip?.(r)) continue;
        const off = r * dim;
        let key: number;
        switch (this.distance) {
          case 'Dot':
            key = dot(query, 0, vectors, off, dim);
            break;
          case 'Cosine': {
            const d = qn * Math.sqrt(sq[r]!);
            // Qdrant leaves a zero vector as it is (its dot product with anything is 0).
            key = d === 0 ? 0 : dot(query, 0, vectors, off, dim) / d;
            break;
          }
          case 'Euclid':
            // |q − v|² = |q|² + |v|² − 2 q·v, in float64 (no float32 cancellation).
            key = -Math.max(0, qn * qn + sq[r]! - 2 * dot(query, 0, vectors, off, dim));
            break;
          default:
            key = scoreKey(this.distance, query, qn, vectors, off, dim);
        }
        if (key > top.floor) top.offer(key, ids[r]!);
      }
    }
  }

  neighbours(query: number): Neighbour[] {
    return this.tops[query]!.list();
  }
}
