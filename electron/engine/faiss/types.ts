/**
 * The streaming FAISS reader's interface. Everything downstream (source join, migration, verification,
 * export) reads vectors only through this.
 */
import type { IndexSummary } from '../../../shared/contract';

/**
 * A run of consecutive vectors in the index's stream order, columnar: `vectors` holds `count × dimension`
 * floats row-major and `ids[i]` is the exact FAISS label of row i. Ordinals are positions in stream order
 * (0 ≤ ordinal < count of the index): for flat and HNSW that is the row, for IVF the position when lists are
 * read in list order. A batch numbered k covers ordinals [k·batchSize, (k+1)·batchSize).
 */
export interface VectorBatch {
  readonly start: number;
  readonly count: number;
  readonly dimension: number;
  readonly ids: BigInt64Array;
  readonly vectors: Float32Array;
}

/** Labels of ordinals [start, start + count) in stream order. */
export interface LabelBatch {
  readonly start: number;
  readonly count: number;
  readonly ids: BigInt64Array;
}

export interface ReadOptions {
  /** Reuse one buffer for every batch: each batch is valid only until the next is requested. Default false. */
  reuseBuffers?: boolean;
}

/** Options for openFaissIndex (none yet; kept so callers can pass one without an API change). */
export type OpenOptions = Record<string, never>;

export interface FaissIndexReader {
  readonly path: string;
  readonly summary: IndexSummary;
  /** Human-readable facts beyond the summary (quantizer type, list counts), for `inspect`. */
  readonly details?: readonly string[];
  /** Batches of `batchSize` vectors over ordinals [start, end). */
  batches(options: { batchSize: number; start?: number; end?: number } & ReadOptions): AsyncIterable<VectorBatch>;
  /**
   * Only the labels, in the same order and batches as `batches` (no vector bytes are read: for IDMap the id
   * map, for IVF the lists' ids, for plain rows nothing at all). Present on every reader openFaissIndex returns.
   */
  labels?(options: { batchSize: number; start?: number; end?: number }): AsyncIterable<LabelBatch>;
  /** The vectors at ordinals [start, start + count), clamped to the index. */
  readRange(start: number, count: number): Promise<VectorBatch>;
  close(): Promise<void>;
}

/** Thrown for files the reader refuses: names the file, the structure and the byte offset. */
export class FaissFormatError extends Error {
  constructor(
    readonly file: string,
    readonly structure: string,
    readonly offset: number | null,
    readonly reason: string,
  ) {
    super(`${file}: ${structure}${offset === null ? '' : ` at byte ${offset}`}: ${reason}`);
    this.name = 'FaissFormatError';
  }
}
