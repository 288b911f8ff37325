/**
 * `verifyMigration`: prove a collection holds the source, point for point. Checks, each named in the
 * verdict: the collection's shape, exact count parity, sampled vectors (bit-exact, or equal after
 * normalisation for Cosine), sampled payloads (through the migration's own `buildPayload`), exact-search
 * parity with brute force over the FAISS file plus HNSW recall@10, and coverage of every source id.
 * The result is stored in Redis beside the run's state and returned.
 */
import type { CheckResult, MigrationConfig, PayloadLayout, VerificationResult, VerifyOptions } from '../../../shared/contract';
import { PAYLOAD_LAYOUTS, VerifyOptionsSchema } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { openSource } from '../source/index';
import { buildPayload, resolvePayloadLayout } from '../payload/index';
import { labelPointIds } from '../point-id';
import { collectionCheck, readCollectionFacts } from './collection-check';
import { clusterCheck } from './cluster-check';
import { countCheck, coverageCheck, scrollIds } from './coverage-check';
import { QdrantRest } from './qdrant-rest';
import { openStateStore } from '../state/open';
import { runForVerification } from '../state/history';
import { checkSample } from './sample-check';
import { sampleOrdinals } from './sampling';
import { checkSearch, SEARCH_K, TIE_ROOM } from './search-check';
import { readSource } from './source-pass';
import { repeatedLabels } from './repeated-labels';
import type { VerifyProgressListener } from './types';
import { verdictLine } from './verdict';

export type { VerifyProgress, VerifyProgressListener, VerifyPhase } from './types';

export async function verifyMigration(
  config: MigrationConfig,
  options: Partial<VerifyOptions> = {},
  onProgress?: VerifyProgressListener,
  /** The run this verifies (a run opened from history); by default the latest run of the collection. */
  forRunId?: string,
): Promise<VerificationResult> {
  const opts = VerifyOptionsSchema.parse(options);
  const started = Date.now();
  const at = new Date(started).toISOString();
  const qdrant = new QdrantRest(config);
  onProgress?.({ phase: 'prepare', done: 0, total: 0, message: `opening ${config.faissIndexPath} and collection ${config.collection}` });

  // The state store first: verification results are stored there, so an unreachable Redis fails before the work.
  const store = await openStateStore(config, { failFast: true });
  let runId: string | null = null;
  try {
    const info = await qdrant.collectionInfo();
    if (info === null) {
      throw new UserError('usage', `collection "${config.collection}" does not exist in Qdrant: run "xnai-migrate run" first or check QDRANT_COLLECTION`);
    }
    // the run this verifies, whose record the result joins: the one named, or the latest that migrated this
    // collection (none when another tool wrote it)
    const state = await runForVerification(store, config.collection, forRunId);
    if (state && state.collection !== config.collection) {
      throw new UserError('usage', `run ${state.run_id} migrated collection "${state.collection}", not "${config.collection}": verify it with QDRANT_COLLECTION=${state.collection}`);
    }
    runId = state?.run_id ?? null;
    const source = await openSource(config.faissIndexPath);
    try {
      const checks: CheckResult[] = [];
      const facts = readCollectionFacts(info);
      const shape = collectionCheck(facts, source.summary);
      if (state && state.collection === config.collection) {
        const fp = await source.fingerprint();
        if (fp.size !== state.source.size || fp.headerSha256 !== state.source.headerSha256) {
          shape.details.sourceChanged = `the source differs from the one the run migrated (${state.source.path}, ${state.source.size} bytes)`;
          shape.summary += '; note: the source file changed since the run';
        }
      }
      checks.push(shape);
      if (typeof facts === 'string' || !shape.passed) return await finish(checks);

      // The layout the run recorded wins over today's setting: that is what it wrote, and it decides point ids.
      const recorded = (state?.collection === config.collection ? state.payload_layout : undefined) as PayloadLayout | undefined;
      const layout = resolvePayloadLayout(recorded && PAYLOAD_LAYOUTS.includes(recorded) ? recorded : config.payloadLayout, source.summary.documents?.defaultLayout);
      const pointId = labelPointIds(layout, source.documents);

      onProgress?.({ phase: 'count', done: 0, total: 1, message: 'counting points (exact)' });
      const qdrantCount = await qdrant.count();
      const n = source.summary.index.count;
      const draw = sampleOrdinals(n, Math.max(opts.sampleSize, opts.queries), opts.seed);
      const sampleOrds = draw.slice(0, Math.min(opts.sampleSize, n));
      const queryOrds = draw.slice(0, Math.min(opts.queries, n));
      // Query vectors are sampled source points, read before the pass that computes their ground truth.
      const queries: { label: bigint; vector: Float32Array }[] = [];
      for (const o of queryOrds) {
        const b = await source.index.readRange(o, 1);
        queries.push({ label: b.ids[0]!, vector: b.vectors.slice(0, b.dimension) });
      }

      const passOptions = {
        distance: facts.distance,
        sampleOrdinals: sampleOrds,
        queries: queries.map((q) => q.vector),
        keep: SEARCH_K + TIE_ROOM,
        pointId,
        onProgress,
      };
      let pass = await readSource(source.index, { ...passOptions, collectIds: opts.idCoverage });
      // A label the source repeats is one point in Qdrant: the occurrences Qdrant does not hold are left
      // out of ground truth and the sample (a second pass, only for such sources).
      const repeats = await repeatedLabels(qdrant, pass.ids, facts.distance, pointId);
      if (repeats) {
        pass = { ...(await readSource(source.index, { ...passOptions, collectIds: false, shadowed: repeats.shadowed })), ids: pass.ids };
      }

      let coverage: CheckResult | null = null;
      let distinct: number | null = null;
      if (pass.ids) {
        const collectionIds = await scrollIds(qdrant, qdrantCount, onProgress);
        const cmp = pass.ids.compare(collectionIds);
        distinct = pass.ids.size - cmp.duplicatesHere;
        coverage = coverageCheck(pass.ids, collectionIds, cmp);
      }
      checks.push(countCheck(qdrantCount, n, distinct));
      const cluster = await clusterCheck(config, qdrantCount);
      if (cluster) checks.push(cluster);

      if (pass.sample.length > 0) {
        const documents = source.documents;
        checks.push(
          ...(await checkSample(qdrant, pass.sample, {
            distance: facts.distance,
            pointId,
            extraVectorFailures: repeats?.unheld() ?? [],
            expectedPayload: (p) =>
              buildPayload(layout, documents?.documentFor(p.label), {
                source: 'faiss',
                faiss_id: p.label,
                migrated_at: at,
                batch_num: 0,
              }),
            onProgress,
          })),
        );
      }
      if (queries.length > 0) {
        checks.push(
          ...(await checkSearch(qdrant, pass.truth, {
            facts,
            dimension: source.summary.index.dimension,
            sourceCount: distinct ?? n,
            queryLabels: queries.map((q) => q.label),
            pointId,
            onProgress,
          })),
        );
      }
      if (coverage) checks.push(coverage);
      return await finish(checks);
    } finally {
      await source.close();
    }
  } finally {
    await store.close();
  }

  async function finish(checks: CheckResult[]): Promise<VerificationResult> {
    const result: VerificationResult = {
      at,
      collection: config.collection,
      runId,
      passed: checks.every((c) => c.passed),
      verdict: verdictLine(checks),
      checks,
      durationMs: Date.now() - started,
    };
    onProgress?.({ phase: 'store', done: 0, total: 1, message: 'storing the result in Redis' });
    await store.saveVerification(result);
    return result;
  }
}
