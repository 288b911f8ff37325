/**
 * `xnai-migrate state export | import`: a migration's state as one JSON document, to move it between Redis
 * and the embedded store (or to keep a copy). Both sides go through the `StateStore` interface, so either
 * store can be the source or the target. Import takes the migration lock for its writes, and refuses a
 * target that already holds a state unless told to replace it (never silently).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FailedPointSchema, MigrationStateSchema, ProgressSampleSchema, VerificationResultSchema } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { parseJson, stringifyJson } from '../../../shared/json';
import { makeHolder } from './lock-holder';
import type { StateStore } from './types';

const FORMAT = 'xnai-migrator-state-export';

export const StateExportSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  key: z.string(),
  exportedAt: z.string(),
  /** Where it was read from ("Redis at …", "the embedded store in …"). */
  from: z.string(),
  state: MigrationStateSchema.nullable(),
  failed: z.array(FailedPointSchema),
  samples: z.array(ProgressSampleSchema),
  verification: VerificationResultSchema.nullable(),
});
export type StateExport = z.infer<typeof StateExportSchema>;

export async function exportState(store: StateStore, now = new Date()): Promise<StateExport> {
  const state = await store.readCurrent();
  const runId = state?.run_id ?? null;
  return {
    format: FORMAT,
    version: 1,
    key: store.key,
    exportedAt: now.toISOString(),
    from: store.location,
    state,
    failed: runId ? await store.readFailed(runId) : [],
    samples: runId ? await store.readSamples(runId) : [],
    verification: runId ? await store.readVerification({ runId }) : null,
  };
}

export function stringifyExport(doc: StateExport): string {
  return `${stringifyJson(doc, 2)}\n`;
}

/** Reads and checks an export file; a file that is not one is one line naming it. */
export async function readExportFile(path: string): Promise<StateExport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError('usage', `${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'}); name a file written by "xnai-migrate state export"`);
  }
  let json: unknown;
  try {
    json = parseJson(text);
  } catch {
    throw new UserError('badInput', `${path}: not JSON; name a file written by "xnai-migrate state export"`);
  }
  const parsed = StateExportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError('badInput', `${path}: not a state export this version can read (${issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'unknown layout'}); name a file written by "xnai-migrate state export"`);
  }
  return parsed.data;
}

export interface ImportResult {
  /** The target held a state that was replaced (only with `replace`). */
  replaced: boolean;
  runId: string | null;
  processed: number;
  failed: number;
}

/** Writes `doc` into `store` under the lock. Refuses a target with a state unless `replace`, and a locked one always. */
export async function importState(store: StateStore, doc: StateExport, options: { replace: boolean }): Promise<ImportResult> {
  if (!doc.state) throw new UserError('usage', `the export of ${doc.key} holds no migration state: nothing to import`);
  const holder = makeHolder(`import-${doc.state.run_id}`);
  const lock = await store.acquireLock(holder, 60_000);
  if (!lock.ok) {
    throw new UserError('locked', `Migration ${store.key} is locked by ${lock.holder}, expires in ${lock.ttlMs === null ? '?' : Math.ceil(lock.ttlMs / 1000)}s: stop that run before importing`);
  }
  try {
    const existing = await store.readCurrent().catch((e: unknown) => {
      if (options.replace) return 'unreadable' as const;
      throw e;
    });
    if (existing && existing !== 'unreadable' && !options.replace) {
      throw new UserError(
        'usage',
        `${store.location} already holds a state for ${store.key} (${existing.status}, ${existing.processed_vectors} of ${existing.total_vectors} vectors): pass --replace to overwrite it, or export it first`,
      );
    }
    if (existing) await store.reset();
    const ok = await store.checkpoint(holder, doc.state, doc.failed);
    if (!ok) throw new UserError('locked', `lost the migration lock of ${store.key} while importing; try again`);
    if (doc.samples.length) await store.pushSamples(doc.state.run_id, doc.samples);
    if (doc.verification) await store.saveVerification(doc.verification);
    return { replaced: existing !== null, runId: doc.state.run_id, processed: doc.state.processed_vectors, failed: doc.failed.length };
  } finally {
    await store.releaseLock(holder);
  }
}
