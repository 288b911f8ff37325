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
