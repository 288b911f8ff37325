/** What the Set-up view asks the engine before Start: conflicts with an existing collection, and what Start would do. */
import { z } from 'zod';
import { TargetConflictSchema } from './qdrant';

export const START_PLANS = ['fresh', 'resume', 'nothing-left', 'refused'] as const;

export const TargetCheckSchema = z.object({
  source: z.object({ dimension: z.number().int(), count: z.number().int(), metric: z.string() }),
  /** The distance the run would use (the setting, resolved when it is automatic). */
  distance: z.string(),
  collection: z.object({
    name: z.string(),
    exists: z.boolean(),
    pointsCount: z.number().int().nullable(),
    vectorSize: z.number().int().nullable(),
    distance: z.string().nullable(),
  }),
  /** Empty when Start can use (or create) the collection. */
  conflicts: z.array(TargetConflictSchema),
  /** What Start would do with the state under the key: a new run, resume one, nothing (done), or refuse. */
  plan: z.object({
    kind: z.enum(START_PLANS),
    /** The run resumed (resume, nothing-left). */
    runId: z.string().nullable(),
    /** One line: "resumes run 3f0c… at 41,500 of 200,000 points", or why Start would be refused. */
    message: z.string(),
  }),
});
export type TargetCheck = z.infer<typeof TargetCheckSchema>;
