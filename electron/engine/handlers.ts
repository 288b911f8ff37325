/**
 * The engine's command handlers: every command of the contract, implemented by calling the engine's parts
 * (source reader, run controller, state store, verifier, report builder, points browser). Hosts add no
 * logic: they validate, relay and display. Requests arrive parsed (defaults applied); an empty secret in a
 * request means "use the engine host's" (its environment).
 */
import type { EngineEvent, EngineHandlers, EngineSnapshot } from '../../shared/contract';
import { UserError } from '../../shared/errors';
import { openSource } from './source';
import { buildReport } from './report';
import { verifyMigration, type VerifyProgress } from './verify';
import { findSimilar, getCollectionInfo, getPoint, scrollPoints, sourceVectorFor } from './browse';
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

function notYet(what: string, part: string): never {
  throw new UserError('usage', `${what} is not available in this build yet (the ${part} has not landed)`);
}

const IDLE_SNAPSHOT: EngineSnapshot = {
  status: 'idle', runId: null, progress: null, lastMemory: null, config: null, source: null, timeline: [], lastError: null, warnings: [],
};

export function createEngineService(options: EngineServiceOptions = {}): EngineService {
  const env = options.env ?? process.env;
  const secrets = secretsFromEnv(env);
  const events = new Listeners<[EngineEvent]>();
  const fill = <T>(request: T): T => withHostSecrets(request, secrets);

  const handlers: EngineHandlers = {
    async inspectSource({ path }) {
      const source = await openSource(path);
      try {
        return source.summary;
      } finally {
        await source.close();
      }
    },
    async testConnections() {
      return notYet('Testing connections', 'engine state module (issue 5)');
    },
    async startRun() {
      return notYet('Starting a run', 'run controller (issue 5)');
    },
    async retryFailed() {
      return notYet('Retrying failed points', 'run controller (issue 5)');
    },
    async pauseRun() {
      return notYet('Pausing', 'run controller (issue 5)');
    },
    async resumeRun() {
      return notYet('Resuming', 'run controller (issue 5)');
    },
    async cancelRun() {
      return notYet('Cancelling', 'run controller (issue 5)');
    },
    async getSnapshot() {
      // No run controller yet means no run: the honest snapshot is "idle".
      return IDLE_SNAPSHOT;
    },
    async getDefaults() {
      return defaultsFromEnv(env);
    },
    async getState() {
      return notYet('Reading the migration state', 'engine state module (issue 5)');
    },
    async resetState() {
      return notYet('Resetting the migration state', 'engine state module (issue 5)');
    },
    async getCollectionInfo(request) {
      return getCollectionInfo(fill(request));
    },
    async scrollPoints(request) {
      const r = fill(request);
      return scrollPoints(r, { limit: r.limit, offset: r.offset, filter: r.filter, withVector: r.withVector });
    },
    async getPoint(request) {
      const r = fill(request);
      const point = await getPoint(r, r.id);
      if (!point) return { point: null, sourceVector: null, sourceNote: null };
      const src = await sourceVectorFor(point, {
        stateView: async () => notYet('Reading the migration state', 'engine state module (issue 5)'),
        openSource,
      });
      return { point, ...src };
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
      return verifyMigration(config, options, onProgress);
    },
    async buildReport(request) {
      const r = fill(request);
      return buildReport(r, r.format);
    },
  };

  return {
    handlers,
    onEvent: (l) => events.add(l),
    async dispose() {
      events.clear();
    },
  };
}
