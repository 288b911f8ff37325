/**
 * The engine's command handlers: every command of the contract, implemented by calling the engine's parts
 * (source reader, run controller, state store, verifier, report builder, points browser). Hosts add no
 * logic: they validate, relay and display. Requests arrive parsed (defaults applied); an empty secret in a
 * request means "use the engine host's" (its environment).
 */
import type { EngineEvent, EngineHandlers, EngineSnapshot, PointView } from '../../shared/contract';
import { openSource } from './source';
import { fingerprintFile } from './source/fingerprint';
import { openFaissIndex } from './faiss';
import { buildReport } from './report';
import { verifyMigration, type VerifyProgress } from './verify';
import { createRunController, type RunController } from './migration';
import { getStateView, resetState, testConnections, withStateStore } from './state';
import { configForStoredRun, deleteStoredRun, listRunSummaries, requireRun, runDetail, runForVerification } from './state/history';
import { countPoints, findPoint, findSimilar, getCollectionInfo, getPoint, listCollections, payloadKeys, scrollPoints, sourceVectorFor } from './browse';
import { checkTarget } from './migration/target-check';
import { describeLocalServices, describeStarted, startLocalService, stopLocalService, stopServicesStartedHere } from './services';
import { readClusterView } from './qdrant/cluster';
import { defaultsFromEnv, secretsFromEnv, withHostSecrets } from './rpc/defaults';
import { Listeners } from './rpc/transport';

type Env = Record<string, string | undefined>;

export interface EngineService {
  handlers: EngineHandlers;
  /** Progress, memory, state, log and error events of the engine. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Pause any run cleanly and release its lock and connections (process shutdown). */
  dispose(): Promise<void>;
}

export interface EngineServiceOptions {
  /** The host's environment: defaults for the form and the secrets behind empty fields. */
  env?: Env;
}


/** A looked-up point with its FAISS vector beside it (when the run's source is known and readable). */
async function withSourceVector(target: Parameters<typeof getStateView>[0] & { collection: string }, point: PointView | null) {
  if (!point) return { point: null, sourceVector: null, sourceNote: null };
  const src = await sourceVectorFor(point, {
    // The source of the run that migrated this collection (the history keeps every run), not whatever run is
    // current: a point of an earlier run's collection is compared with that run's FAISS file.
    stateView: async () => {
      const view = await getStateView(target);
      return { ...view, state: await withStateStore(target, (store) => runForVerification(store, target.collection)) };
    },
    openIndex: (path) => openFaissIndex(path),
    fingerprint: fingerprintFile,
  });
  return { point, ...src };
}

const IDLE_SNAPSHOT: EngineSnapshot = {
  status: 'idle', runId: null, progress: null, lastMemory: null, config: null, source: null, timeline: [], lastError: null, warnings: [], outages: [],
};



export function createEngineService(options: EngineServiceOptions = {}): EngineService {
  const env = options.env ?? process.env;
  const secrets = secretsFromEnv(env);
  const events = new Listeners<[EngineEvent]>();
  const fill = <T>(request: T): T => withHostSecrets(request, secrets);
  // One run controller per engine process, created on first use; its events are the engine's events.
  let run: RunController | null = null;
  const controller = (): RunController => {
    if (!run) {
      run = createRunController();
      run.on((e) => events.emit(e));
    }
    return run;
  };

  const handlers: EngineHandlers = {
    async inspectSource({ path }) {
      const source = await openSource(path);
      try {
        return source.summary;
      } finally {
        await source.close();
      }
    },
    async testConnections(request) {
      return testConnections(fill(request));
    },
    async startRun(request) {
      return controller().start(fill(request).config);
    },
    async retryFailed(request) {
      return controller().retryFailed(fill(request).config);
    },
    async joinRun(request) {
      return controller().join(fill(request).config);
    },
    async pauseRun() {
      return { status: await controller().pause() };
    },
    async resumeRun() {
      return { status: await controller().resume() };
    },
    async cancelRun() {
      return { status: await controller().cancel() };
    },
    async getSnapshot() {
      return run ? run.snapshot() : IDLE_SNAPSHOT;
    },
    async getDefaults() {
      return defaultsFromEnv(env);
    },
    async getState(request) {
      return getStateView(fill(request));
    },
    async resetState(request) {
      return resetState(fill(request));
    },
    async getCollectionInfo(request) {
      return getCollectionInfo(fill(request));
    },
    async getClusterInfo(request) {
      const r = fill(request);
      return readClusterView(r, r.collection);
    },
    async scrollPoints(request) {
      const r = fill(request);
      return scrollPoints(r, { limit: r.limit, offset: r.offset, filter: r.filter, withVector: r.withVector });
    },
    async getPoint(request) {
      const r = fill(request);
      return withSourceVector(r, await getPoint(r, r.id));
    },
    async findPoint(request) {
      const r = fill(request);
      return withSourceVector(r, await findPoint(r, r.by, r.value));
    },
    async findSimilar(request) {
      const r = fill(request);
      return { points: await findSimilar(r, r.id, r.limit) };
    },
    async verify(request) {
      const { config, options } = fill(request);
      // Phases become log lines: the UI shows what verification is doing while it runs.
      let lastPhase: string | null = null;
      const onProgress = (p: VerifyProgress) => {
        if (p.phase === lastPhase) return;
        lastPhase = p.phase;
        events.emit({ type: 'log', level: 'info', msg: `verify: ${p.message}`, at: Date.now() });
      };
      return verifyMigration(config, options, onProgress, request.runId);
    },
    async buildReport(request) {
      const r = fill(request);
      return buildReport(r, r.format, r.runId);
    },
    async listRuns(request) {
      const r = fill(request);
      return withStateStore(r, (store) => listRunSummaries(store, r.limit));
    },
    async getRun(request) {
      const r = fill(request);
      return withStateStore(r, (store) => runDetail(store, r.runId));
    },
    async deleteRun(request) {
      const r = fill(request);
      return withStateStore(r, (store) => deleteStoredRun(store, r.runId));
    },
    async resumeStoredRun(request) {
      const { runId, ...connection } = fill(request);
      const run = await withStateStore(connection, (store) => requireRun(store, runId));
      return controller().resumeStored(configForStoredRun(run, connection), runId);
    },
    async listCollections(request) {
      return { collections: await listCollections(fill(request)) };
    },
    async payloadKeys(request) {
      const r = fill(request);
      return payloadKeys(r, { sample: r.sample, ...(r.query !== undefined ? { query: r.query } : {}) });
    },
    async countPoints(request) {
      const r = fill(request);
      return countPoints(r, r.filter);
    },
    async checkTarget(request) {
      return checkTarget(fill(request).config);
    },
    async getLocalServices({ dataDir }) {
      return describeLocalServices({ dataDir, env });
    },
    async startLocalService({ service, keep, port, dataDir }) {
      const started = await startLocalService(service, { keep, port }, { dataDir, env });
      return { ...started, lines: describeStarted(started.service, started.reused) };
    },
    async stopLocalService({ service, dataDir }) {
      return stopLocalService(service, { dataDir, env });
    },
  };

  return {
    handlers,
    onEvent: (l) => events.add(l),
    async dispose() {
      await run?.dispose();
      // services started for the user stop with the app unless they chose to keep them
      await stopServicesStartedHere({ env }).catch(() => undefined);
      events.clear();
    },
  };
}
