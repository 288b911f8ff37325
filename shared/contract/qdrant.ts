/** Views of Qdrant data the UI and reports show: collection info and points with exact ids. */
import { z } from 'zod';

export const CollectionInfoViewSchema = z.object({
  name: z.string(),
  exists: z.boolean(),
  status: z.enum(['green', 'yellow', 'grey', 'red']).nullable(),
  optimizerStatus: z.string().nullable(),
  pointsCount: z.number().int().nullable(),
  indexedVectorsCount: z.number().int().nullable(),
  segmentsCount: z.number().int().nullable(),
  vectorSize: z.number().int().nullable(),
  distance: z.string().nullable(),
  onDisk: z.boolean().nullable(),
  payloadSchema: z.array(z.object({ field: z.string(), dataType: z.string(), points: z.number().int().nullable() })),
  /** The raw collection info as Qdrant returned it, for the JSON view. */
  raw: z.unknown(),
});
export type CollectionInfoView = z.infer<typeof CollectionInfoViewSchema>;

/** A point id as a string: decimal for unsigned integers (exact above 2^53) or a UUID. */
export const PointIdStringSchema = z.string().regex(/^(\d{1,20}|[0-9a-fA-F-]{32,36})$/, 'must be an unsigned integer or a UUID');

export const PointViewSchema = z.object({
  id: z.string(),
  /** Payload with integers beyond 2^53 carried as decimal strings tagged by `bigintPaths`. */
  payload: z.record(z.string(), z.unknown()).nullable(),
  /** Where the payload held integers beyond 2^53, now decimal strings: "faiss_id", "metadata.ids[2]". */
  bigintPaths: z.array(z.string()).optional(),
  vector: z.array(z.number()).nullable(),
  score: z.number().optional(),
});
export type PointView = z.infer<typeof PointViewSchema>;

/** A `key = value` chip of the points browser; values are matched as Qdrant `match.value`. */
export const PayloadFilterChipSchema = z.object({
  key: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean()]),
});
export type PayloadFilterChip = z.infer<typeof PayloadFilterChipSchema>;
