/**
 * What pass 1 learns about a FAISS file: where every bulk array starts and how to turn it into vectors and
 * labels. Pass 2 (./stream) reads only what this layout points at.
 */
import type { CodeDecoder } from './decoders';

/** A file read by positional reads: the index itself, or the data file of on-disk inverted lists. */
export interface DataFile {
  readonly fd: number;
  readonly path: string;
  readonly size: number;
}

/** Vectors stored row after row (flat, SQ, PQ, HNSW storage): row i's code at offset + i·codeSize. */
export interface RowStore {
  readonly kind: 'rows';
  readonly file: DataFile;
  readonly offset: number;
  readonly count: number;
  readonly decoder: CodeDecoder;
}

/**
 * Vectors in inverted lists, read in list order. Only non-empty lists are kept, in columns; `starts[k]` is
 * the ordinal of list k's first vector (cumulative sizes), `starts[lists] = count`.
 */
export interface IvfStore {
  readonly kind: 'ivf';
  readonly file: DataFile;
  readonly count: number;
  readonly decoder: CodeDecoder;
  readonly listNo: Float64Array;
  readonly size: Float64Array;
  readonly codesOffset: Float64Array;
  readonly idsOffset: Float64Array;
  readonly starts: Float64Array;
  /** The coarse quantizer's centroids when codes are residuals (row k = centroid of list k). */
  readonly residualOf: RowStore | null;
}

export type VectorStore = RowStore | IvfStore;

/** An IndexIDMap's id_map: label = map[inner label]. */
export interface LabelMap {
  readonly offset: number;
  readonly count: number;
  readonly structure: string;
}

export interface ParsedIndex {
  readonly fourcc: string;
  readonly className: string;
  readonly indexType: string;
  readonly chain: string[];
  readonly d: number;
  readonly ntotal: number;
  readonly metricType: number;
  readonly store: VectorStore;
  /** Innermost first. */
  readonly labelMaps: LabelMap[];
  readonly dataFiles: DataFile[];
  readonly warnings: string[];
  readonly details: string[];
  /** Byte where this index's serialization ends. */
  readonly end: number;
}
