/** What `inspect` tells about a source: the FAISS index and, for RAG folders, its documents. */
import { z } from 'zod';
import { DISTANCES } from './config';

export const METRICS = ['l2', 'ip'] as const;

export const SOURCE_KINDS = ['faiss-file', 'langchain-python', 'langchain-js', 'llamaindex', 'llamaindex-map'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const IndexSummarySchema = z.object({
  /** FAISS class name, e.g. "IndexIDMap2(IndexHNSWFlat)". */
  indexType: z.string(),
  /** The top-level four-character code, e.g. "IxM2". */
  fourcc: z.string(),
  /** Four-character codes from outermost to the one holding the vectors. */
  chain: z.array(z.string()),
  dimension: z.number().int(),
  count: z.number().int(),
  metric: z.enum(METRICS),
  /** True when vectors come out bit-exact (flat storage); false for quantized codes (SQ, PQ). */
  exact: z.boolean(),
  fileSize: z.number().int(),
  /** Rough bytes Qdrant will need for vectors + payload + HNSW graph. */
  qdrantBytesEstimate: z.number().int(),
  /** Extra files the index reads (on-disk inverted lists). */
  dataFiles: z.array(z.string()).default([]),
  warnings: z.array(z.string()).default([]),
});
export type IndexSummary = z.infer<typeof IndexSummarySchema>;

export const DocumentsSummarySchema = z.object({
  /** Documents the docstore holds. */
  count: z.number().int(),
  /** Vectors whose label has no document. */
  vectorsWithoutDocument: z.number().int(),
  /** Docstore entries that no vector points to. */
  documentsWithoutVector: z.number().int(),
  /** Up to a few examples of each mismatch, for the user to look at. */
  examples: z.array(z.string()).default([]),
  /** Payload layout a run uses when PAYLOAD_LAYOUT is "auto". */
  defaultLayout: z.enum(['langchain', 'llamaindex', 'raw']),
  /**
   * Documents (or vectors) that would become one point id in the langchain/llamaindex layouts, each naming
   * both: a run in those layouts refuses to start while any is listed (up to a few examples).
   */
  idCollisions: z.array(z.string()).default([]),
  /** Ids of documents whose metadata uses `_xnai`, the key the migration reserves (llamaindex layout refuses). */
  reservedKeyDocuments: z.array(z.string()).default([]),
});
export type DocumentsSummary = z.infer<typeof DocumentsSummarySchema>;

/** What DISTANCE=auto picks for an index, and why (printed by inspect, run and the Set-up view). */
export const DistanceChoiceSchema = z.object({
  distance: z.enum(DISTANCES),
  /** One line: the index's metric, the sampled norms, and why this distance keeps FAISS's ranking. */
  reason: z.string(),
  /** Vectors sampled (spread over the whole file) and the smallest and largest norm among them. */
  sampled: z.number().int(),
  normMin: z.number(),
  normMax: z.number(),
});
export type DistanceChoice = z.infer<typeof DistanceChoiceSchema>;

export const SourceSummarySchema = z.object({
  path: z.string(),
  kind: z.enum(SOURCE_KINDS),
  /** The FAISS file inside a folder source (the path itself for a lone file). */
  indexPath: z.string(),
  index: IndexSummarySchema,
  documents: DocumentsSummarySchema.nullable(),
  warnings: z.array(z.string()).default([]),
  /** DISTANCE=auto's choice for this index (always set by the engine; optional for older snapshots). */
  autoDistance: DistanceChoiceSchema.optional(),
});
export type SourceSummary = z.infer<typeof SourceSummarySchema>;

/** Identifies a source exactly enough that a different index is never resumed into. */
export const SourceFingerprintSchema = z.object({
  path: z.string(),
  size: z.number().int(),
  mtimeMs: z.number(),
  /** sha256 of the first 64 KiB (header, nested headers) in hex. */
  headerSha256: z.string(),
});
export type SourceFingerprint = z.infer<typeof SourceFingerprintSchema>;
