/** Verification of a migrated collection against its source, and the report built from a run. */
import { z } from 'zod';

export const VerifyOptionsSchema = z.object({
  /** Points read back and compared with the FAISS vectors and documents. */
  sampleSize: z.number().int().min(0).max(100_000).default(200),
  /** Queries for exact-search parity and HNSW recall@10. */
  queries: z.number().int().min(0).max(1_000).default(20),
  /** Scroll the whole collection and check every source id is present (up to a few million points). */
  idCoverage: z.boolean().default(true),
  seed: z.number().int().default(1),
});
export type VerifyOptions = z.infer<typeof VerifyOptionsSchema>;

export const CheckResultSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  /** One line a user reads: what was compared and what differed. */
  summary: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** Python's type names, as a user of the framework reads them; `missing` when one side has no value. */
export const VALUE_TYPES = ['int', 'float', 'str', 'bool', 'null', 'list', 'dict', 'missing'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** One side of a mismatch: its type and its exact text (a float as Python's repr, an int with every digit). */
export const ValueSideSchema = z.object({
  type: z.enum(VALUE_TYPES),
  /** JSON text, exact: `5.0` vs `5`, `1.152921504606847e+18` vs `1152921504606846976`; long values are cut with "…". */
  text: z.string(),
});
export type ValueSide = z.infer<typeof ValueSideSchema>;

/**
 * Why a value differs:
 * - `mismatch`: Qdrant holds something else than the source (a real difference: the check fails);
 * - `qdrant-json-number`: Qdrant's own REST JSON number parser changed the number on the way in (a float one
 *   unit in the last place off, or an integer beyond 64 bits stored as a float). Any REST client's write of
 *   the same value, the frameworks' own included, is stored the same way: reported, and the check passes;
 * - `missing-point`: the point is not in the collection at all.
 */
export const MISMATCH_CAUSES = ['mismatch', 'qdrant-json-number', 'missing-point'] as const;
export type MismatchCause = (typeof MISMATCH_CAUSES)[number];

/** A payload or vector difference for one sampled point, source and Qdrant side by side. */
export const MismatchSchema = z.object({
  kind: z.enum(['payload', 'vector']),
  pointId: z.string(),
  faissId: z.string(),
  /** Where: `metadata.score`, `_xnai.faiss_id`, `metadata.tags[2]`, `vector[17]`; "" for the whole point. */
  path: z.string(),
  source: ValueSideSchema,
  qdrant: ValueSideSchema,
  cause: z.enum(MISMATCH_CAUSES),
  /** One sentence: what differs, and whether an application reading the point would notice. */
  explanation: z.string(),
});
export type Mismatch = z.infer<typeof MismatchSchema>;

/**
 * The structured mismatches of a `vectors` or `payloads` check, from its details (`details.mismatches`);
 * [] for other checks and for results stored before mismatches were recorded.
 */
export function checkMismatches(check: CheckResult): Mismatch[] {
  const parsed = z.array(MismatchSchema).safeParse(check.details.mismatches);
  return parsed.success ? parsed.data : [];
}

export const VerificationResultSchema = z.object({
  at: z.string(),
  collection: z.string(),
  /**
   * The run whose migration this verifies (the run of this collection and source in the state), or null
   * when no run of ours wrote the collection. A result is shown with its run only, never under another.
   */
  runId: z.string().nullable().default(null),
  passed: z.boolean(),
  /** The verdict line, e.g. "PASS: 100000/100000 points, 200/200 vectors exact, recall@10 0.987". */
  verdict: z.string(),
  checks: z.array(CheckResultSchema),
  durationMs: z.number(),
});
export type VerificationResult = z.infer<typeof VerificationResultSchema>;

export const REPORT_FORMATS = ['html', 'json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
