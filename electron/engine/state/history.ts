/**
 * The run history as the Runs view, `xnai-migrate runs` and the report read it, over any `StateStore`:
 * one summary line per run (status, whether it is active or resumable, source, collection, points,
 * duration, verdict), one run's recorded dashboard (samples, peak RSS, timeline, outages, failed points,
 * verification), deletion (never of the active run), which run a verification belongs to, and the settings
 * a stored run is resumed with.
 */
import {
  MigrationConfigSchema,
  SECRET_FIELDS,
  type ConnectionConfig,
  type LockInfo,
  type MigrationConfig,
  type MigrationState,
  type RunDetail,
  type RunList,
  type RunSummary,
  type VerificationResult,
} from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { holderIsDead } from './lock-holder';
import type { StateStore } from './types';

const UNFINISHED = new Set(['in_progress', 'paused']);

interface Context {
  /** The current document's run id. */
  currentId: string | null;
  /** The run working now: the current one, while a live process holds the lock and it is not finished. */
  activeId: string | null;
  verification: VerificationResult | null;
}

/** Which run is working now: the lock held by a live holder, and the current document not finished. */
export function activeRunId(current: MigrationState | null, lock: LockInfo | null): string | null {
  if (!current || !lock || holderIsDead(lock.holder)) return null;
  return UNFINISHED.has(current.status) ? current.run_id : null;
}

export function summarize(state: MigrationState, ctx: Context): RunSummary {
  const active = ctx.activeId === state.run_id;
  const neverStarted = state.never_started === true;
  const endIso = state.completed_at ?? state.last_checkpoint;
  const start = Date.parse(state.started_at);
  const end = Date.parse(endIso);
  const configured = state.config.faissIndexPath;
  return {
    runId: state.run_id,
    status: state.status,
    active,
    resumable: !active && !neverStarted && state.status !== 'completed',
    current: ctx.currentId === state.run_id,
    neverStarted,
    startedAt: state.started_at,
    endedAt: active ? null : endIso,
    durationMs: Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0,
    sourcePath: typeof configured === 'string' && configured ? configured : state.source.path,
    indexPath: state.source.path,
    collection: state.collection,
    distance: state.distance,
    total: state.total_vectors,
    processed: state.processed_vectors,
    failed: state.failed_vectors,
    batchesDone: state.batches_processed,
    batchesTotal: state.total_batches,
    verification: ctx.verification ? { passed: ctx.verification.passed, verdict: ctx.verification.verdict, at: ctx.verification.at } : null,
    error: state.error ?? null,
    outages: state.outages?.length ?? 0,
  };
}

/** The current document, or null when there is none or it cannot be read (the history is listed anyway). */
async function currentOrNull(store: StateStore): Promise<MigrationState | null> {
  try {
    return await store.readCurrent();
  } catch {
    return null;
  }
}

async function context(store: StateStore): Promise<{ currentId: string | null; activeId: string | null }> {
  const [current, lock] = await Promise.all([currentOrNull(store), store.lockInfo()]);
  return { currentId: current?.run_id ?? null, activeId: activeRunId(current, lock) };
}

export async function listRunSummaries(store: StateStore, limit = 200): Promise<RunList> {
  const [{ runs, unreadable }, ctx] = await Promise.all([store.listRuns(limit), context(store)]);
  const verifications = await Promise.all(runs.map((r) => store.readVerification({ runId: r.run_id })));
  return {
    runs: runs.map((r, i) => summarize(r, { ...ctx, verification: verifications[i] ?? null })),
    store: store.location,
    unreadable,
  };
}

/** A run that exists, or a UserError naming the key and how to list the runs. */
export async function requireRun(store: StateStore, runId: string): Promise<MigrationState> {
  const run = await store.readRun(runId);
  if (!run) throw new UserError('usage', `no run ${runId} under ${store.key}: "xnai-migrate runs" lists the runs kept there`);
  return run;
}

export async function runDetail(store: StateStore, runId: string, failedLimit = 1000): Promise<RunDetail> {
  const state = await requireRun(store, runId);
  const [ctx, samples, failedPoints, failedTotal, verification] = await Promise.all([
    context(store),
    store.readSamples(runId),
    store.readFailed(runId, failedLimit),
    store.failedCount(runId),
    store.readVerification({ runId }),
  ]);
  samples.sort((a, b) => a.at - b.at);
  failedPoints.sort((a, b) => a.batch - b.batch || a.faissId.localeCompare(b.faissId, 'en', { numeric: true }));
  const peaks = [...samples.map((s) => s.rssMb), ...(state.peak_rss_mb !== undefined ? [state.peak_rss_mb] : [])];
  return {
    summary: summarize(state, { ...ctx, verification }),
    state,
    samples,
    peakRssMb: peaks.length > 0 ? Math.max(...peaks) : null,
    failedPoints,
    failedTotal,
    verification,
    outages: state.outages ?? [],
  };
}

/** Deletes one run for good; refused while it is the run working now (cancel it first). */
export async function deleteStoredRun(store: StateStore, runId: string): Promise<{ deleted: boolean }> {
  const [current, lock] = await Promise.all([currentOrNull(store), store.lockInfo()]);
  if (activeRunId(current, lock) === runId) {
    throw new UserError('locked', `run ${runId} is running (lock held by ${lock!.holder}): pause or cancel it, then delete it`);
  }
  return { deleted: await store.deleteRun(runId) };
}

/**
 * The run a verification of `collection` belongs to: the one named, else the current run when it migrated
 * that collection, else the newest run of the history that did. Null when no run of ours wrote it.
 */
export async function runForVerification(store: StateStore, collection: string, runId?: string): Promise<MigrationState | null> {
  if (runId) return requireRun(store, runId);
  const current = await currentOrNull(store);
  if (current?.collection === collection) return current;
  const { runs } = await store.listRuns();
  return runs.find((r) => r.collection === collection && r.never_started !== true) ?? null;
}

const CONNECTION_FIELDS = ['qdrantUrl', 'qdrantApiKey', 'redisHost', 'redisPort', 'redisPassword', 'redisDb', 'stateKey'] as const;

function origin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

/**
 * The settings a stored run resumes with: its own recorded ones (source, collection, batch size, distance,
 * payload layout, ...) with today's connection settings (secrets are never recorded). A run recorded against
 * another Qdrant is refused, naming both, rather than silently started over elsewhere.
 */
export function configForStoredRun(run: MigrationState, connection: ConnectionConfig & { stateKey: string }): MigrationConfig {
  const recorded: Record<string, unknown> = { ...run.config };
  for (const f of [...SECRET_FIELDS, ...CONNECTION_FIELDS]) delete recorded[f];
  const recordedUrl = run.config.qdrantUrl;
  if (typeof recordedUrl === 'string' && origin(recordedUrl) !== origin(connection.qdrantUrl)) {
    throw new UserError('usage', `run ${run.run_id} migrated into Qdrant at ${origin(recordedUrl)}, but the settings point at ${origin(connection.qdrantUrl)}: set QDRANT_URL=${origin(recordedUrl)} to resume it`);
  }
  const parsed = MigrationConfigSchema.safeParse({ ...recorded, ...connection, collection: run.collection, batchSize: run.batch_size, resumeMode: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError('usage', `run ${run.run_id}'s recorded settings cannot be used (${issue.path.join('.')}: ${issue.message}): start a new run instead`);
  }
  return parsed.data;
}
