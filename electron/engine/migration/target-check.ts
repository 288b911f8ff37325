/**
 * `checkTarget`: what the Set-up view asks before Start, so a conflict shows while the user can still change
 * a setting instead of failing the run: the source's shape against the collection if it exists (size and
 * distance, in the preflight's own words), and what Start would do with the migration state under the key
 * (a new run, resume one, nothing left to do, or a refusal with the setting that resolves it). Reads only.
 */
import type { MigrationConfig, TargetCheck } from '../../../shared/contract';
import { describeError } from '../../../shared/errors';
import { getCollectionInfo } from '../browse/collection';
import { collectionConflicts } from '../qdrant/collection-conflicts';
import { openSource } from '../source/index';
import { withStateStore } from '../state/open';
import { planResume } from './resume-plan';
import { decideDistance } from './run-choices';

function startPlan(config: MigrationConfig, plan: ReturnType<typeof planResume>): TargetCheck['plan'] {
  if (plan.kind === 'fresh') {
    return { kind: 'fresh', runId: null, message: `starts a new run into collection "${config.collection}"` };
  }
  const p = plan.previous;
  if (p.status === 'completed') {
    return { kind: 'nothing-left', runId: p.run_id, message: `run ${p.run_id} already migrated this source into "${p.collection}" (${p.processed_vectors} points): Start finds nothing left to do` };
  }
  return { kind: 'resume', runId: p.run_id, message: `resumes run ${p.run_id} at ${p.processed_vectors.toLocaleString('en-US')} of ${p.total_vectors.toLocaleString('en-US')} points (batch ${p.watermark} of ${p.total_batches})` };
}

export async function checkTarget(config: MigrationConfig): Promise<TargetCheck> {
  const source = await openSource(config.faissIndexPath);
  try {
    const summary = source.summary.index;
    // DISTANCE=auto resolved exactly as the run's preflight resolves it
    const distance = decideDistance(config, source.summary).distance;
    const info = await getCollectionInfo(config);
    const conflicts = info.exists ? collectionConflicts(config.collection, vectorParams(info.raw), { dimension: summary.dimension, distance }) : [];
    let plan: TargetCheck['plan'];
    try {
      const fingerprint = await source.fingerprint();
      plan = await withStateStore(config, async (store) => startPlan(config, planResume(await store.readCurrent(), config, fingerprint, false)));
    } catch (e) {
      plan = { kind: 'refused', runId: null, message: describeError(e) };
    }
    return {
      source: { dimension: summary.dimension, count: summary.count, metric: summary.metric },
      distance,
      collection: { name: config.collection, exists: info.exists, pointsCount: info.pointsCount, vectorSize: info.vectorSize, distance: info.distance },
      conflicts,
      plan,
    };
  } finally {
    await source.close();
  }
}

/** The raw collection info's vector params (what the preflight compares). */
function vectorParams(raw: unknown): unknown {
  const config = (raw as { config?: { params?: { vectors?: unknown } } } | null)?.config;
  return config?.params?.vectors;
}
