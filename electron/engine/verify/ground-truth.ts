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

  add(batch: VectorBatch): void {
    const { dimension: dim, vectors, ids, count } = batch;
    const nq = this.queries.length;
    for (let r = 0; r < count; r++) {
      const off = r * dim;
      const n = norm(vectors, off, dim);
      if (n > this.maxNorm) this.maxNorm = n;
      if (nq === 0) continue;
      const label = ids[r]!;
      for (let q = 0; q < nq; q++) {
        const key = scoreKey(this.distance, this.queries[q]!, this.qNorms[q]!, vectors, off, dim);
        const top = this.tops[q]!;
        if (key > top.floor) top.offer(key, label);
      }
    }
  }

  neighbours(query: number): Neighbour[] {
    return this.tops[query]!.list();
  }
}
