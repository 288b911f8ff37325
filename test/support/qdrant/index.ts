/**
 * `startQdrant(options?)`: a Qdrant for a test. By default the REST stand-in (this folder) on a free port,
 * held to Qdrant's OpenAPI document, with fault injection; when QDRANT_URL is set, the real server there
 * (`isStandIn: false`; fault methods throw "faults need the stand-in" so fault tests can skip).
 *
 *   const qdrant = await startQdrant();
 *   const client = new QdrantClient({ url: qdrant.url, apiKey: qdrant.apiKey });
 *   qdrant.faults.failNext(2, 503, { match: { operation: 'upsert_points' } });
 *   await qdrant.restart();      // same port; wait=true writes kept, queued wait=false writes lost
 *   await qdrant.stop();
 */
import { StandInServer, type ContractViolation, type StandInOptions } from './server';
import type { FaultController } from './faults';

export type { StandInOptions, ContractViolation } from './server';
export type { Match, FaultAction } from './faults';
export { StandInServer } from './server';

export type Faults = Pick<FaultController, 'latency' | 'failNext' | 'failRate' | 'dropNext' | 'stallNext' | 'asyncApplyDelay' | 'optimizing' | 'corruptNextResponse' | 'rejectPoints' | 'down' | 'up' | 'reset'> & {
  /** Requests seen so far (method, path, operationId, status answered; 0 = dropped/stalled). */
  readonly log: FaultController['log'];
};

export interface RestartOptions {
  /** Milliseconds the port stays closed between stop and start (default 0). */
  downMs?: number;
}

export interface TestQdrant {
  url: string;
  apiKey?: string;
  isStandIn: boolean;
  faults: Faults;
  /** Stand-in only: requests/responses that broke the OpenAPI contract (a test may assert it is empty). */
  violations: ContractViolation[];
  /** Stand-in: crash + start on the same port. Real server: throws (restart it yourself). */
  restart(opts?: RestartOptions): Promise<{ lostOperations: number }>;
  stop(): Promise<void>;
  /** The stand-in itself (undefined against a real server), for tests of the stand-in. */
  server?: StandInServer;
}

export class FaultsNeedStandInError extends Error {
  constructor(what: string) {
    super(`faults need the stand-in: ${what} is not available against the real Qdrant at QDRANT_URL (skip this test when !qdrant.isStandIn)`);
  }
}

function realServerFaults(): Faults {
  const refuse = (name: string) => () => {
    throw new FaultsNeedStandInError(`faults.${name}()`);
  };
  return {
    latency: refuse('latency'),
    failNext: refuse('failNext'),
    failRate: refuse('failRate'),
    dropNext: refuse('dropNext'),
    stallNext: refuse('stallNext'),
    asyncApplyDelay: refuse('asyncApplyDelay'),
    optimizing: refuse('optimizing'),
    corruptNextResponse: refuse('corruptNextResponse'),
    rejectPoints: refuse('rejectPoints'),
    down: () => Promise.reject(new FaultsNeedStandInError('faults.down()')),
    up: () => Promise.reject(new FaultsNeedStandInError('faults.up()')),
    reset: () => undefined,
    log: [],
  };
}

export async function startQdrant(options: StandInOptions = {}): Promise<TestQdrant> {
  const real = process.env.QDRANT_URL;
  if (real) {
    const apiKey = process.env.QDRANT_API_KEY || undefined;
    return {
      url: real.replace(/\/+$/, ''),
      apiKey,
      isStandIn: false,
      faults: realServerFaults(),
      violations: [],
      restart: () => Promise.reject(new FaultsNeedStandInError('restart()')),
      stop: async () => undefined,
    };
  }
  const server = new StandInServer(options);
  await server.listen();
  const f = server.faults;
  const faults: Faults = {
    latency: f.latency.bind(f),
    failNext: f.failNext.bind(f),
    failRate: f.failRate.bind(f),
    dropNext: f.dropNext.bind(f),
    stallNext: f.stallNext.bind(f),
    asyncApplyDelay: f.asyncApplyDelay.bind(f),
    optimizing: f.optimizing.bind(f),
    corruptNextResponse: f.corruptNextResponse.bind(f),
    rejectPoints: f.rejectPoints.bind(f),
    down: f.down.bind(f),
    up: f.up.bind(f),
    reset: f.reset.bind(f),
    get log() {
      return f.log;
    },
  };
  return {
    url: server.url,
    apiKey: options.apiKey,
    isStandIn: true,
    faults,
    violations: server.violations,
    restart: (opts) => server.restart(opts?.downMs ?? 0),
    stop: () => server.close(),
    server,
  };
}
